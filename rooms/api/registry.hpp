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

struct RoomKindInfo {
  std::string kind;
  std::string description;
  bool seed_faithful = false;  // true for the seed-* ports that keep the seed's flaws
  RoomFactory factory;
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
