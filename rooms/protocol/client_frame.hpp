// rooms/protocol/client_frame.hpp: parsing and validating client frames.
//
// Every room turns a text frame into a ClientFrame through parse_client_frame
// before acting on it. A frame that is too large, not JSON, not an object,
// has no string `type`, has a type the room does not accept, or a missing or
// wrong-typed field yields a FrameError whose code is one of docs/protocol.md
// ("frame_too_large", "bad_json", "bad_frame", "unknown_type", "bad_field")
// and whose message names the field. Pure functions; never throw.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace roomsim::rooms::protocol {

namespace error_code {
inline constexpr std::string_view kBadJson = "bad_json";
inline constexpr std::string_view kBadFrame = "bad_frame";
inline constexpr std::string_view kUnknownType = "unknown_type";
inline constexpr std::string_view kBadField = "bad_field";
inline constexpr std::string_view kFrameTooLarge = "frame_too_large";
inline constexpr std::string_view kRateLimited = "rate_limited";
inline constexpr std::string_view kNotMember = "not_member";
inline constexpr std::string_view kUnknownTarget = "unknown_target";
inline constexpr std::string_view kForbidden = "forbidden";
inline constexpr std::string_view kTooManyRooms = "too_many_rooms";
}  // namespace error_code

// Every client frame type the protocol defines.
inline constexpr std::string_view kClientTypes[] = {"broadcast", "direct",      "join_room", "leave_room", "resume",
                                                    "subscribe", "unsubscribe", "pong",      "sync"};

struct FrameError {
  std::string code;     // an error_code
  std::string message;  // a sentence a client developer can act on
};

// A validated client frame. `body` is the whole JSON object; the fields the
// type requires are present with the right JSON types (see validate_fields).
struct ClientFrame {
  std::string type;
  nlohmann::json body;

  // Optional string field; "" when absent.
  std::string string_or_empty(std::string_view field) const;
};

using FrameResult = std::variant<ClientFrame, FrameError>;

// Parses `text`. `accepted` lists the types this room handles; a protocol type
// outside it, or any other type, is "unknown_type". A frame longer than
// max_frame_bytes is "frame_too_large" (0 means no limit).
FrameResult parse_client_frame(std::string_view text, const std::vector<std::string_view>& accepted,
                               size_t max_frame_bytes);

// Field rules per type (docs/protocol.md, "Client -> server"):
//   broadcast  payload (any JSON but null), id (string, optional), roomId (non-empty string, optional)
//   direct     targetId (non-empty string), payload (not null), id (string, optional)
//   join_room / leave_room  roomId (non-empty string)
//   resume     after (integer >= 0), epoch (integer >= 0)
//   subscribe / unsubscribe  keys (array of strings, at most 256)
//   pong       timestamp (number, optional)
//   sync       no fields
// Returns the first violation, or nothing.
std::variant<std::monostate, FrameError> validate_fields(const std::string& type, const nlohmann::json& body);

// Reads an integer field validated above (signed or unsigned JSON number).
int64_t integer_field(const nlohmann::json& body, std::string_view field);

}  // namespace roomsim::rooms::protocol
