// rooms/common/room_config.hpp: the settings every room kind reads from its
// JSON config (docs/rooms.md lists them with their defaults).
//
// parse_room_config starts from a kind's defaults and overrides them with the
// config object. An unknown key, a wrong type or an out-of-range value is an
// expected error: a message naming the key and what was expected. The key
// "host" is reserved for hosts (simulator, live server) and ignored here.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "rooms/api/registry.hpp"

namespace roomsim::rooms {

struct RoomConfig {
  std::string secret = "roomsim-dev-secret";  // HS256 secret for tokens
  int64_t max_connections = 100;               // sessions per room; 0 = unlimited
  int64_t max_connections_per_user = 5;        // sessions per user id; 0 = unlimited
  int64_t rate_limit_per_min = 100;            // messages per user in any 60 s window; 0 = off
  int64_t history_max = 100;                   // messages kept and replayed
  int64_t heartbeat_interval_ms = 30000;       // ping period; silent > 2 periods: close 1008; 0 = off
  int64_t session_timeout_ms = 86400000;       // a session older than this is closed 1008; 0 = off
  int64_t max_frame_bytes = 65536;             // larger client frames: error + close 1009
  int64_t metrics_batch = 50;                  // buffered metric events per upload; 0 = off
  int64_t refresh_interval_ms = 5000;          // dashboard data feed poll period
  int64_t sync_interval_ms = 0;                // periodic external sync; 0 = only on request
  int64_t error_log_max = 100;                 // error records kept in storage
  int64_t max_sub_rooms = 16;                  // join_room memberships per session
  // action ("broadcast", "direct", "sync") -> user ids allowed ("*" = everyone).
  // An action not listed is allowed for everyone.
  std::map<std::string, std::vector<std::string>> permissions;

  bool allows(std::string_view action, std::string_view user_id) const;
};

// The promises every kind that enforces its RoomConfig limits shares:
// max_connections, max_connections_per_user, rate_limit_per_min (0 = none)
// and max_frame_bytes, as `config` sets them. A kind adds or overrides the
// rest (rate_limit_per_user, history_max, auth_required, ...).
RoomPromises config_promises(const RoomConfig& config);

// Returns the config or a message such as `room chat/lobby: config key "history_max" must be an integer in [1, 100000]`.
std::variant<RoomConfig, std::string> parse_room_config(const nlohmann::json& config, RoomConfig defaults,
                                                        std::string_view where);

}  // namespace roomsim::rooms
