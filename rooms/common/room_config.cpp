// rooms/common/room_config.cpp: see room_config.hpp.
#include "rooms/common/room_config.hpp"

#include <algorithm>

namespace roomsim::rooms {
namespace {

struct IntKey {
  const char* name;
  int64_t RoomConfig::*field;
  int64_t min;
  int64_t max;
};

constexpr int64_t kDayMs = 86'400'000;

const IntKey kIntKeys[] = {
    {"max_connections", &RoomConfig::max_connections, 0, 1'000'000},
    {"max_connections_per_user", &RoomConfig::max_connections_per_user, 0, 1'000'000},
    {"rate_limit_per_min", &RoomConfig::rate_limit_per_min, 0, 1'000'000},
    {"history_max", &RoomConfig::history_max, 1, 100'000},
    {"heartbeat_interval_ms", &RoomConfig::heartbeat_interval_ms, 0, kDayMs},
    {"session_timeout_ms", &RoomConfig::session_timeout_ms, 0, 365 * kDayMs},
    {"max_frame_bytes", &RoomConfig::max_frame_bytes, 16, 64 * 1024 * 1024},
    {"metrics_batch", &RoomConfig::metrics_batch, 0, 100'000},
    {"refresh_interval_ms", &RoomConfig::refresh_interval_ms, 10, kDayMs},
    {"sync_interval_ms", &RoomConfig::sync_interval_ms, 0, kDayMs},
    {"error_log_max", &RoomConfig::error_log_max, 0, 100'000},
    {"max_sub_rooms", &RoomConfig::max_sub_rooms, 0, 1000},
};

std::string known_keys() {
  std::string out = "secret, permissions, host";
  for (const auto& k : kIntKeys) out += std::string(", ") + k.name;
  return out;
}

}  // namespace

bool RoomConfig::allows(std::string_view action, std::string_view user_id) const {
  auto it = permissions.find(std::string(action));
  if (it == permissions.end()) return true;
  return std::any_of(it->second.begin(), it->second.end(),
                     [&](const std::string& u) { return u == "*" || u == user_id; });
}

RoomPromises config_promises(const RoomConfig& config) {
  RoomPromises p;
  p.limits = {{"max_connections", config.max_connections},
              {"max_connections_per_user", config.max_connections_per_user},
              {"rate_limit_per_min", config.rate_limit_per_min},
              {"max_frame_bytes", config.max_frame_bytes}};
  return p;
}

std::variant<RoomConfig, std::string> parse_room_config(const nlohmann::json& config, RoomConfig defaults,
                                                        std::string_view where) {
  const std::string prefix = "room " + std::string(where) + ": config ";
  if (!config.is_object()) return prefix + "must be a JSON object";
  RoomConfig out = std::move(defaults);
  for (const auto& [key, value] : config.items()) {
    if (key == "host") continue;
    if (key == "secret") {
      if (!value.is_string() || value.get<std::string>().empty()) {
        return prefix + "key \"secret\" must be a non-empty string";
      }
      out.secret = value.get<std::string>();
      continue;
    }
    if (key == "permissions") {
      if (!value.is_object()) return prefix + "key \"permissions\" must be an object {action: [user ids or \"*\"]}";
      out.permissions.clear();
      for (const auto& [action, users] : value.items()) {
        if (action != "broadcast" && action != "direct" && action != "sync") {
          return prefix + "key \"permissions\": unknown action \"" + action + "\" (expected broadcast, direct, sync)";
        }
        if (!users.is_array()) return prefix + "key \"permissions." + action + "\" must be an array of strings";
        std::vector<std::string> list;
        for (const auto& u : users) {
          if (!u.is_string()) return prefix + "key \"permissions." + action + "\" must be an array of strings";
          list.push_back(u.get<std::string>());
        }
        out.permissions[action] = std::move(list);
      }
      continue;
    }
    // A named copy of the structured binding: clang 14 cannot capture a binding in a lambda.
    const std::string& name = key;
    auto it = std::find_if(std::begin(kIntKeys), std::end(kIntKeys), [&name](const IntKey& k) { return name == k.name; });
    if (it == std::end(kIntKeys)) return prefix + "has unknown key \"" + key + "\" (known: " + known_keys() + ")";
    const bool integral = value.is_number_integer() || value.is_number_unsigned();
    const int64_t v = integral && value.is_number_integer() ? value.get<int64_t>() : -1;
    if (!integral || v < it->min || v > it->max) {
      return prefix + "key \"" + key + "\" must be an integer in [" + std::to_string(it->min) + ", " +
             std::to_string(it->max) + "]";
    }
    out.*(it->field) = v;
  }
  return out;
}

}  // namespace roomsim::rooms
