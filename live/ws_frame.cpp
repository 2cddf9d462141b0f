// live/ws_frame.cpp: see ws_frame.hpp.
#include "live/ws_frame.hpp"

#include <openssl/sha.h>

#include <algorithm>
#include <cstring>

#include "auth/jwt.hpp"

namespace roomsim::live {

size_t frame_header_size(size_t payload_size) {
  if (payload_size < 126) return 2;
  if (payload_size <= 0xFFFF) return 4;
  return 10;
}

std::string encode_frame(uint8_t opcode, std::string_view payload) {
  const size_t n = payload.size();
  std::string out;
  out.resize(frame_header_size(n) + n);
  auto* p = reinterpret_cast<uint8_t*>(out.data());
  p[0] = static_cast<uint8_t>(0x80 | (opcode & 0x0F));
  size_t h = 2;
  if (n < 126) {
    p[1] = static_cast<uint8_t>(n);
  } else if (n <= 0xFFFF) {
    p[1] = 126;
    p[2] = static_cast<uint8_t>(n >> 8);
    p[3] = static_cast<uint8_t>(n);
    h = 4;
  } else {
    p[1] = 127;
    for (int i = 0; i < 8; ++i) p[2 + i] = static_cast<uint8_t>(static_cast<uint64_t>(n) >> (56 - 8 * i));
    h = 10;
  }
  if (n != 0) std::memcpy(p + h, payload.data(), n);
  return out;
}

SharedFrame make_shared_frame(uint8_t opcode, std::string_view payload) {
  return std::make_shared<const std::string>(encode_frame(opcode, payload));
}

SharedFrame make_close_frame(int code, std::string_view reason) {
  std::string body;
  body.push_back(static_cast<char>((code >> 8) & 0xFF));
  body.push_back(static_cast<char>(code & 0xFF));
  body.append(reason.substr(0, 123));
  return make_shared_frame(ws_opcode::kClose, body);
}

ParseStatus parse_frame_header(const uint8_t* data, size_t size, bool require_mask, FrameHeader& out) {
  if (size < 2) return ParseStatus::kNeedMore;
  out.fin = (data[0] & 0x80) != 0;
  if ((data[0] & 0x70) != 0) return ParseStatus::kProtocolError;  // no extension negotiated
  out.opcode = data[0] & 0x0F;
  const bool control = (out.opcode & 0x08) != 0;
  switch (out.opcode) {
    case ws_opcode::kContinuation:
    case ws_opcode::kText:
    case ws_opcode::kBinary:
    case ws_opcode::kClose:
    case ws_opcode::kPing:
    case ws_opcode::kPong:
      break;
    default:
      return ParseStatus::kProtocolError;
  }
  out.masked = (data[1] & 0x80) != 0;
  if (require_mask && !out.masked) return ParseStatus::kProtocolError;
  const uint8_t len7 = data[1] & 0x7F;
  size_t h = 2;
  if (len7 < 126) {
    out.payload_size = len7;
  } else if (len7 == 126) {
    if (size < 4) return ParseStatus::kNeedMore;
    out.payload_size = (static_cast<uint64_t>(data[2]) << 8) | data[3];
    h = 4;
  } else {
    if (size < 10) return ParseStatus::kNeedMore;
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | data[2 + i];
    if ((v >> 63) != 0) return ParseStatus::kProtocolError;
    out.payload_size = v;
    h = 10;
  }
  if (control && (!out.fin || out.payload_size > 125)) return ParseStatus::kProtocolError;
  if (out.masked) {
    if (size < h + 4) return ParseStatus::kNeedMore;
    std::memcpy(out.mask, data + h, 4);
    h += 4;
  }
  out.header_size = h;
  return ParseStatus::kOk;
}

void unmask(uint8_t* data, size_t size, const uint8_t mask[4]) {
  uint32_t m32;
  std::memcpy(&m32, mask, 4);
  const uint64_t m64 = (static_cast<uint64_t>(m32) << 32) | m32;
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint64_t v;
    std::memcpy(&v, data + i, 8);
    v ^= m64;
    std::memcpy(data + i, &v, 8);
  }
  for (; i < size; ++i) data[i] ^= mask[i & 3];
}

std::string base64_encode(std::string_view bytes) {
  // base64url (auth/jwt.hpp) differs from standard base64 only in two letters and the padding.
  std::string out = auth::base64url_encode(bytes);
  for (char& c : out) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (out.size() % 4 != 0) out += '=';
  return out;
}

std::string websocket_accept_key(std::string_view client_key) {
  std::string input(client_key);
  input += "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  return base64_encode(std::string_view(reinterpret_cast<const char*>(digest), SHA_DIGEST_LENGTH));
}

bool is_valid_utf8(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  size_t i = 0;
  while (i < n) {
    // ASCII fast path, 8 bytes at a time.
    if (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80;  // allowed range of the second byte (excludes overlongs, surrogates, > U+10FFFF)
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;  // continuation byte without a lead, C0/C1 overlong leads, F5..FF
    }
    if (i + len > n) return false;
    if (p[i + 1] < lo || p[i + 1] > hi) return false;
    for (size_t k = 2; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

}  // namespace roomsim::live
