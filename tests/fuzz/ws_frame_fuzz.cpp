// tests/fuzz/ws_frame_fuzz.cpp: libFuzzer target for live/ws_frame (RFC 6455
// framing): header parsing of hostile bytes as a stream of frames, unmasking,
// the UTF-8 check of text messages against an independent decoder, and the
// server's own frames parsed back.
//
// Invariants (abort on violation): a parsed header is 2..14 bytes and never
// claims more header than it was given; control frames are final and <= 125
// bytes; a masked-only parse refuses unmasked frames; unmask twice is the
// identity; is_valid_utf8 agrees with a code-point decoder; every frame
// encode_frame / make_close_frame builds parses back to itself.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "live/ws_frame.hpp"

namespace {

namespace ws = roomsim::live;

void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "ws_frame_fuzz: invariant broken: %s\n", what);
  std::abort();
}

// RFC 3629 by decoding code points (independent of is_valid_utf8's byte ranges).
bool reference_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    size_t len;
    uint32_t cp;
    if (b0 < 0x80) {
      ++i;
      continue;
    } else if ((b0 & 0xE0) == 0xC0) {
      len = 2;
      cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
      len = 3;
      cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
      len = 4;
      cp = b0 & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

void check_header(const uint8_t* data, size_t size, bool require_mask) {
  ws::FrameHeader h;
  const ws::ParseStatus st = ws::parse_frame_header(data, size, require_mask, h);
  if (st != ws::ParseStatus::kOk) return;
  require(h.header_size >= 2 && h.header_size <= 14, "header is 2..14 bytes");
  require(h.header_size <= size, "header within the bytes given");
  require(!require_mask || h.masked, "client frames are masked");
  require((h.payload_size >> 63) == 0, "64-bit length has its top bit clear");
  if ((h.opcode & 0x08) != 0) require(h.fin && h.payload_size <= 125, "control frames are final and short");
  require(h.opcode <= 2 || (h.opcode >= 8 && h.opcode <= 10), "known opcode");
}

// Walks `bytes` as consecutive frames (as the session's parser does), checking every header.
void check_stream(const uint8_t* data, size_t size, bool require_mask) {
  size_t pos = 0;
  while (pos < size) {
    check_header(data + pos, size - pos, require_mask);
    ws::FrameHeader h;
    if (ws::parse_frame_header(data + pos, size - pos, require_mask, h) != ws::ParseStatus::kOk) return;
    if (h.payload_size > size - pos - h.header_size) return;  // incomplete payload: need more
    std::vector<uint8_t> payload(data + pos + h.header_size, data + pos + h.header_size + h.payload_size);
    const std::vector<uint8_t> original = payload;
    if (h.masked) {
      ws::unmask(payload.data(), payload.size(), h.mask);
      ws::unmask(payload.data(), payload.size(), h.mask);
      require(payload == original, "unmask twice is the identity");
      ws::unmask(payload.data(), payload.size(), h.mask);
    }
    const std::string_view text(reinterpret_cast<const char*>(payload.data()), payload.size());
    require(ws::is_valid_utf8(text) == reference_utf8(text), "is_valid_utf8 agrees with a code-point decoder");
    pos += h.header_size + static_cast<size_t>(h.payload_size);
  }
}

void check_round_trip(std::string_view payload, uint8_t selector) {
  static constexpr uint8_t kOpcodes[] = {ws::ws_opcode::kText, ws::ws_opcode::kBinary, ws::ws_opcode::kPing,
                                         ws::ws_opcode::kPong};
  const uint8_t opcode = kOpcodes[selector % 4];
  if ((opcode & 0x08) != 0 && payload.size() > 125) payload = payload.substr(0, 125);
  const std::string frame = ws::encode_frame(opcode, payload);
  ws::FrameHeader h;
  require(ws::parse_frame_header(reinterpret_cast<const uint8_t*>(frame.data()), frame.size(), false, h) ==
              ws::ParseStatus::kOk,
          "a server frame parses");
  require(h.fin && h.opcode == opcode && !h.masked, "a server frame is final, unmasked, of its opcode");
  require(h.payload_size == payload.size(), "payload length round-trips");
  require(h.header_size == ws::frame_header_size(payload.size()), "frame_header_size matches");
  require(frame.size() == h.header_size + payload.size(), "frame = header + payload");
  require(frame.compare(h.header_size, std::string::npos, payload) == 0, "payload bytes round-trip");

  const int code = 1000 + static_cast<int>(selector) * 13;
  const ws::SharedFrame close = ws::make_close_frame(code, payload);
  require(ws::parse_frame_header(reinterpret_cast<const uint8_t*>(close->data()), close->size(), false, h) ==
              ws::ParseStatus::kOk,
          "a close frame parses");
  require(h.opcode == ws::ws_opcode::kClose && h.payload_size >= 2 && h.payload_size <= 125, "close frame bounds");
  const auto* p = reinterpret_cast<const uint8_t*>(close->data()) + h.header_size;
  require(((p[0] << 8) | p[1]) == code, "close code round-trips");
  require(ws::websocket_accept_key(payload).size() == 28, "accept key is base64 of 20 bytes");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t selector = data[0];
  check_stream(data + 1, size - 1, (selector & 1) != 0);
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  require(ws::is_valid_utf8(rest) == reference_utf8(rest), "is_valid_utf8 agrees with a code-point decoder");
  check_round_trip(rest, selector);
  return 0;
}
