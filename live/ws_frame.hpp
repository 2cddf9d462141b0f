// live/ws_frame.hpp: RFC 6455 framing for the live server, without Beast.
//
// The server writes pre-framed, immutable buffers so that one broadcast is
// framed once and shared (shared_ptr<const std::string>) by every recipient,
// and many frames to one socket go out in one gather write. Pure functions,
// thread-safe, no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace roomsim::live {

namespace ws_opcode {
inline constexpr uint8_t kContinuation = 0x0;
inline constexpr uint8_t kText = 0x1;
inline constexpr uint8_t kBinary = 0x2;
inline constexpr uint8_t kClose = 0x8;
inline constexpr uint8_t kPing = 0x9;
inline constexpr uint8_t kPong = 0xA;
}  // namespace ws_opcode

using SharedFrame = std::shared_ptr<const std::string>;

// An unmasked server frame (FIN set) holding `payload`.
std::string encode_frame(uint8_t opcode, std::string_view payload);
SharedFrame make_shared_frame(uint8_t opcode, std::string_view payload);
// A close frame with `code` and `reason` (reason truncated to 123 bytes).
SharedFrame make_close_frame(int code, std::string_view reason);
// Size of the header encode_frame puts before a payload of `payload_size` bytes.
size_t frame_header_size(size_t payload_size);

struct FrameHeader {
  bool fin = false;
  uint8_t opcode = 0;
  bool masked = false;
  uint8_t mask[4] = {0, 0, 0, 0};
  uint64_t payload_size = 0;
  size_t header_size = 0;
};

enum class ParseStatus {
  kNeedMore,      // not enough bytes for the header yet
  kOk,            // header parsed (the payload may still be incomplete)
  kProtocolError, // reserved bits, unknown opcode, unmasked client frame, bad control frame
};

// Parses the header at the start of `data`. `require_mask`: frames from
// clients must be masked (RFC 6455 5.1).
ParseStatus parse_frame_header(const uint8_t* data, size_t size, bool require_mask, FrameHeader& out);

// XORs `size` bytes in place with the 4-byte mask (the frame's payload starts at offset 0).
void unmask(uint8_t* data, size_t size, const uint8_t mask[4]);

// True when `bytes` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF, no truncated sequence), as RFC 6455 8.1 requires of text messages.
bool is_valid_utf8(std::string_view bytes);

// Sec-WebSocket-Accept for a client's Sec-WebSocket-Key (RFC 6455 4.2.2).
std::string websocket_accept_key(std::string_view client_key);

// Standard base64 with padding.
std::string base64_encode(std::string_view bytes);

}  // namespace roomsim::live
