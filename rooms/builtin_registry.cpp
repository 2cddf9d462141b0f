// rooms/builtin_registry.cpp: the registry of every room kind shipped in rooms/.
//
// Each kind parses its JSON config over its own defaults (docs/rooms.md);
// a bad config is returned as an error message naming the key. Each kind
// also declares its promises (RoomKindInfo::promises) from the same parsed
// config: the effective limits after the config's overrides and the kind's
// defaults, and the properties it does not promise.
#include <memory>
#include <stdexcept>

#include "rooms/api/registry.hpp"
#include "rooms/common/room_config.hpp"
#include "rooms/kinds/dashboard_room.hpp"
#include "rooms/kinds/relay_room.hpp"
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

// A PromisesFn that parses the config over `defaults`, as the factory does,
// and hands the result to `declare`. A config the factory would refuse is a
// broken precondition (RoomKindInfo::promises), thrown as invalid_argument.
template <typename Declare>
PromisesFn promises(RoomConfig defaults, Declare declare) {
  return [defaults = std::move(defaults), declare](const nlohmann::json& config) -> RoomPromises {
    auto parsed = parse_room_config(config, defaults, "(promises)");
    if (auto* err = std::get_if<std::string>(&parsed)) throw std::invalid_argument(*err);
    return declare(std::get<RoomConfig>(parsed));
  };
}

// A sequenced kind (chat, persistent, broadcast): factory and promises from the same defaults and options.
RoomKindInfo sequenced_kind(std::string kind, std::string description, RoomConfig defaults, SequencedRoomOptions o) {
  return {std::move(kind), std::move(description), false,
          factory(defaults, [o](RoomConfig c) { return new SequencedRoom(std::move(c), o); }),
          promises(defaults, [o](const RoomConfig& c) { return SequencedRoom::promises(c, o); })};
}

RoomKindInfo seed_kind(std::string kind, std::string description, SeedRoomOptions o) {
  return {std::move(kind), std::move(description), true,
          factory(RoomConfig{}, [o](RoomConfig c) { return new SeedRoom(std::move(c), o); }),
          promises(RoomConfig{}, [o](const RoomConfig& c) { return SeedRoom::promises(c, o); })};
}

RoomKindInfo dashboard_kind(std::string kind, std::string description, bool seed_faithful) {
  return {std::move(kind), std::move(description), seed_faithful,
          factory(RoomConfig{}, [seed_faithful](RoomConfig c) { return new DashboardRoom(std::move(c), seed_faithful); }),
          promises(RoomConfig{}, [seed_faithful](const RoomConfig& c) { return DashboardRoom::promises(c, seed_faithful); })};
}

void add_chat(RoomRegistry& r) {
  SequencedRoomOptions o;  // token required, echo to sender, protected endpoints, durable, presence
  r.add(sequenced_kind(
      "chat", "corrected chat: token auth, seq+epoch, persist-then-broadcast, ack, resume, limits, rate limit, heartbeat",
      RoomConfig{}, o));
}

void add_persistent(RoomRegistry& r) {
  SequencedRoomOptions o;  // token required: presence and per-user limits need a proven user id
  o.echo_to_sender = false;
  o.protect_endpoints = false;
  r.add(sequenced_kind(
      "persistent", "corrected persistent room: stored history with seq+epoch, persist-then-broadcast to the others, ack, resume",
      RoomConfig{}, o));
}

void add_broadcast(RoomRegistry& r) {
  SequencedRoomOptions o;
  o.auth = AuthMode::kOptional;
  o.echo_to_sender = false;
  o.endpoints = false;
  o.durable = false;
  o.presence = false;
  // Fast and unlimited by default (the live benchmark opens 1000 sessions and floods);
  // every limit can be switched on in the config.
  RoomConfig defaults;
  defaults.max_connections = 0;
  defaults.max_connections_per_user = 0;
  defaults.rate_limit_per_min = 0;
  defaults.metrics_batch = 0;
  defaults.error_log_max = 0;
  r.add(sequenced_kind(
      "broadcast", "corrected broadcast: in-memory seq+epoch, ack, resume within an instance, direct by wire id, sub-rooms; no storage",
      defaults, o));
}

void add_relay(RoomRegistry& r) {
  // Unlimited by default like the benchmark kit's reference servers; limits can be configured.
  RoomConfig defaults;
  defaults.max_connections = 0;
  defaults.max_connections_per_user = 0;
  defaults.rate_limit_per_min = 0;
  r.add({"relay",
         "plain pub/sub relay in the benchmark kit's protocol: payload JSON to the others; no seq, ack, history or storage",
         false, factory(defaults, [](RoomConfig c) { return new RelayRoom(std::move(c)); }),
         promises(defaults, [](const RoomConfig& c) { return RelayRoom::promises(c); })});
}

void add_seed_broadcast(RoomRegistry& r) {
  SeedRoomOptions o;
  o.auth = AuthMode::kIgnored;
  o.echo_to_sender = false;
  o.production = false;
  o.stores_history = false;
  r.add(seed_kind("seed-broadcast", "the seed's WebSocketRoom ported faithfully, flaws included (docs/rooms.md)", o));
}

void add_seed_chat(RoomRegistry& r) {
  SeedRoomOptions o;  // token required, echo to sender, production practices, stored history
  r.add(seed_kind("seed-chat", "the seed's ChatRoom ported faithfully, flaws included (docs/rooms.md)", o));
}

void add_seed_persistent(RoomRegistry& r) {
  SeedRoomOptions o;
  o.auth = AuthMode::kIgnored;
  o.echo_to_sender = false;
  o.production = false;
  r.add(seed_kind("seed-persistent", "the seed's PersistentWebSocketRoom ported faithfully, flaws included (docs/rooms.md)",
                  o));
}

void add_dashboards(RoomRegistry& r) {
  r.add(dashboard_kind("dashboard", "corrected DataDashboard: subscribe snapshot, stored cache, diffs of changed keys only",
                       /*seed_faithful=*/false));
  r.add(dashboard_kind("seed-dashboard", "the seed's DataDashboard ported faithfully, flaws included (docs/rooms.md)",
                       /*seed_faithful=*/true));
}

}  // namespace

const RoomRegistry& builtin_registry() {
  static const RoomRegistry registry = [] {
    RoomRegistry r;
    add_broadcast(r);
    add_chat(r);
    add_persistent(r);
    add_relay(r);
    add_seed_broadcast(r);
    add_seed_chat(r);
    add_seed_persistent(r);
    add_dashboards(r);
    return r;
  }();
  return registry;
}

}  // namespace roomsim::rooms
