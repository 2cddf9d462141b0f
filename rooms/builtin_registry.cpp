// rooms/builtin_registry.cpp: the registry of every room kind shipped in rooms/.
#include "rooms/api/registry.hpp"

namespace roomsim::rooms {

const RoomRegistry& builtin_registry() {
  static const RoomRegistry registry = [] {
    RoomRegistry r;
    return r;
  }();
  return registry;
}

}  // namespace roomsim::rooms
