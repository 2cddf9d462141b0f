// rooms/api/registry.hpp: room kinds by name.
//
// Scenarios and the live server create rooms by kind name ("chat",
// "seed-chat", ...) and a JSON config. `builtin_registry()` holds every kind
// shipped in rooms/. Creating an unknown kind or passing a bad config is an
// expected error (a value with a message), never a crash.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "rooms/api/room.hpp"

namespace roomsim::rooms {

struct RoomSpec {
  std::string kind;                                  // "chat"
  std::string id;                                    // "lobby"
  nlohmann::json config = nlohmann::json::object();  // kind-specific settings
};

// Either a room or an error message naming what was wrong.
using CreateResult = std::variant<std::unique_ptr<Room>, std::string>;
using RoomFactory = std::function<CreateResult(const RoomSpec&)>;

// What a room of one kind promises its clients under one config: the limits
// the property checkers judge it by and the properties that do not apply to
// it. It is the kind's specification, declared beside its factory and
// documented in docs/rooms.md; it is never read from a running room, so a
// room that breaks its promise cannot also move the goalposts. The simulator
// records it for each room as kConfig events (keys in docs/properties.md).
struct RoomPromises {
  // "max_connections", "max_connections_per_user", "rate_limit_per_min",
  // "rate_limit_per_user" (1 = the rate limit is per user id), "history_max",
  // "auth_required" (1 = a valid token is needed), "max_frame_bytes",
  // "refresh_interval_ms"; 0 = no such limit. A key left out is not judged.
  std::map<std::string, int64_t> limits;
  // Property names this kind does not promise, e.g. "durability" for a kind
  // that keeps its history in memory only.
  std::vector<std::string> not_promised;
};
// REQUIRES: `config` was accepted by the kind's factory.
using PromisesFn = std::function<RoomPromises(const nlohmann::json& config)>;

struct RoomKindInfo {
  std::string kind;
  std::string description;
  bool seed_faithful = false;  // true for the seed-* ports that keep the seed's flaws
  RoomFactory factory;
  // Empty: the kind declares no limits and promises every property.
  PromisesFn promises = {};
};

class RoomRegistry {
 public:
  // REQUIRES: kind not registered yet.
  void add(RoomKindInfo info);
  CreateResult create(const RoomSpec& spec) const;
  bool has(const std::string& kind) const { return kinds_.count(kind) != 0; }
  const RoomKindInfo* find(const std::string& kind) const;
  // Kind names in ascending order.
  std::vector<std::string> kinds() const;

 private:
  std::map<std::string, RoomKindInfo> kinds_;
};

// Every room kind shipped in rooms/.
const RoomRegistry& builtin_registry();

}  // namespace roomsim::rooms
