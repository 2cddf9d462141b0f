// rooms/builtin_registry.cpp: the registry of every room kind shipped in rooms/.
//
// Each kind parses its JSON config over its own defaults (docs/rooms.md);
// a bad config is returned as an error message naming the key.
#include <memory>

#include "rooms/api/registry.hpp"
#include "rooms/common/room_config.hpp"
#include "rooms/kinds/seed_room.hpp"
#include "rooms/kinds/sequenced_room.hpp"

namespace roomsim::rooms {
namespace {

// A factory that parses the config over `defaults` and hands it to `make`.
template <typename Make>
RoomFactory factory(RoomConfig defaults, Make make) {
  return [defaults = std::move(defaults), make](const RoomSpec& spec) -> CreateResult {
    auto parsed = parse_room_config(spec.config, defaults, spec.kind + "/" + spec.id);
    if (auto* err = std::get_if<std::string>(&parsed)) return *err;
    return std::unique_ptr<Room>(make(std::get<RoomConfig>(std::move(parsed))));
  };
}

void add_chat(RoomRegistry& r) {
  r.add({"chat",
         "corrected chat: token auth, seq+epoch, persist-then-broadcast, ack, resume, limits, rate limit, heartbeat",
         false, factory(RoomConfig{}, [](RoomConfig c) {
           return new SequencedRoom(std::move(c), {AuthMode::kRequired, /*echo_to_sender=*/true, /*protect_endpoints=*/true});
         })});
}

void add_persistent(RoomRegistry& r) {
  r.add({"persistent",
         "corrected persistent room: stored history with seq+epoch, persist-then-broadcast to the others, ack, resume",
         false, factory(RoomConfig{}, [](RoomConfig c) {
           return new SequencedRoom(std::move(c), {AuthMode::kOptional, /*echo_to_sender=*/false, /*protect_endpoints=*/false});
         })});
}

void add_seed_chat(RoomRegistry& r) {
  r.add({"seed-chat", "the seed's ChatRoom ported faithfully, flaws included (docs/rooms.md)", true,
         factory(RoomConfig{}, [](RoomConfig c) {
           return new SeedRoom(std::move(c), {AuthMode::kRequired, /*echo_to_sender=*/true, /*production=*/true});
         })});
}

void add_seed_persistent(RoomRegistry& r) {
  r.add({"seed-persistent", "the seed's PersistentWebSocketRoom ported faithfully, flaws included (docs/rooms.md)",
         true, factory(RoomConfig{}, [](RoomConfig c) {
           return new SeedRoom(std::move(c), {AuthMode::kIgnored, /*echo_to_sender=*/false, /*production=*/false});
         })});
}

}  // namespace

const RoomRegistry& builtin_registry() {
  static const RoomRegistry registry = [] {
    RoomRegistry r;
    add_chat(r);
    add_persistent(r);
    add_seed_chat(r);
    add_seed_persistent(r);
    return r;
  }();
  return registry;
}

}  // namespace roomsim::rooms
