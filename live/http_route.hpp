// live/http_route.hpp: where an HTTP request target goes, decided without
// sockets, Beast or a server (so tests and the fuzzer call it directly).
//
// A target is the raw request-target of the request line, as hostile as a
// stranger makes it. Routing never decodes the path: a room's kind and id are
// the raw path segments (the web client percent-encodes them), static files
// match the allow-list byte for byte (live/static_files.hpp), and only query
// parameter names and values are percent-decoded. Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "auth/room_scope.hpp"

namespace roomsim::live {

enum class RouteKind {
  kRoom,      // /rooms/<kind>/<id>[/...]
  kBadRoom,   // /rooms/... without a usable kind or id (Route::error says why)
  kHealthz,   // /healthz
  kMetrics,   // /metrics
  kDevToken,  // /dev/token (served only with --dev)
  kStatic,    // any other origin-form path: a file of the web client, if the allow-list has it
  kNotFound,  // not an origin-form target ("*", "http://host/x", "", ...)
};

struct Route {
  RouteKind kind = RouteKind::kNotFound;
  std::string path;   // the target before '?', undecoded
  std::string query;  // the target after '?', undecoded ("" when absent)
  std::string room_kind;  // kRoom: the first segment after /rooms/
  std::string room_id;    // kRoom: the second segment
  std::string error;      // kBadRoom: what was expected
};

// Longest room kind or id accepted, in bytes (it becomes a storage key).
inline constexpr size_t kRoomNameBytesMax = auth::kRoomNameBytesMax;

// Classifies `target`. Room kinds and ids must be 1..kRoomNameBytesMax bytes
// of RFC 3986 path characters (unreserved, sub-delims, ':', '@', '%'; auth::is_room_name);
// no other byte (control, space, backslash, non-ASCII) reaches a room or its storage key.
// Names are not percent-decoded: "/rooms/chat/a%3Ab" is the room "a%3Ab".
Route route_target(std::string_view target);

// Decodes %XX escapes and '+' (as a space) of one query component; a '%' not
// followed by two hex digits is kept as is. The result may hold any byte, NUL too.
std::string percent_decode(std::string_view s);

// "a=1&b=%20x&c" -> {a:"1", b:" x", c:""}; a repeated name keeps its last value.
std::map<std::string, std::string> parse_query(std::string_view query);

}  // namespace roomsim::live
