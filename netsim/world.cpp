// netsim/world.cpp: setting up a run (topology, rooms, clients, config events),
// the safety -> liveness -> end phases, the feed's recorded values, and small
// shared helpers.
//
// Config events at t = 0 (properties/history.hpp, kConfig): the run's
// parameters for every room (liveness_bound_ms, latency_p99_bound_ms,
// safety_ms, liveness_ms, quiesce_ms, the host's max_frame_bytes, and
// heartbeat_timeout_ms: the longest a frame is in flight on an open
// connection, admission's slack when it counts a user's sends, and, when
// room-clock-skew can happen, room_clock_error_ms: the largest error of a
// room's clock, which token and rate-window judgements allow for), then
// each room's promises as its kind declares them (rooms::RoomPromises):
// every limit key, with max_frame_bytes = min(the room's, the host's) since
// the host refuses larger frames before the room sees them, and
// "promises.<property>" = 0 for each property the kind does not promise. A
// kind that declares no promises gets no per-room keys (not judged).
#include "netsim/world.hpp"

#include <algorithm>
#include <cmath>

#include "engine/assert.hpp"

namespace roomsim::netsim::internal {

namespace {

// Clients stop sending (and the feed freezes) this long before the end.
int64_t quiesce_ns_of(const SimulationConfig& config) {
  const int64_t total_ms = config.phases.safety_ms + config.phases.liveness_ms;
  const int64_t quiet_ms = std::min(config.phases.convergence_bound_ms, config.phases.liveness_ms / 2);
  return (total_ms - quiet_ms) * 1'000'000;
}

}  // namespace

World::World(const SimulationConfig& cfg, uint64_t seed, const SimulationOutputs& outputs,
             const rooms::RoomRegistry& reg, SimulationResult& res)
    : config(cfg),
      registry(reg),
      result(res),
      root(seed),
      sim(cfg.event_budget),
      rec(res.history, trace, outputs.record_history),
      net_rng(root.fork("network")),
      fault_rng(root.fork("faults")),
      quiesce_ns(quiesce_ns_of(cfg)),
      feed(cfg.services.feed_period_ms, quiesce_ns) {
  std::vector<std::string> errors;
  topology = Topology::build(config.topology, errors);
  ROOMSIM_ASSERT_MSG(errors.empty(), "simulate() validates the config before building a World");
  ROOMSIM_ASSERT(topology.size() > 0);
  ROOMSIM_ASSERT(topology.size() < 65536);
  if (outputs.trace_jsonl != nullptr) trace.set_jsonl_output(outputs.trace_jsonl);
  trace.keep_lines(outputs.keep_trace_lines);
  if (outputs.record_frame_hops) {
    hops = std::make_unique<FrameHopRecorder>(result.frame_hops, outputs.frame_hops_max, topology);
  }
  name_direct = rec.intern("direct");
  name_sub = rec.intern("sub");

  for (uint32_t i = 0; i < config.rooms.size(); ++i) {
    rooms.push_back(std::make_unique<RoomHost>(*this, i, config.rooms[i]));
    room_index.emplace(config.rooms[i].id, i);
  }

  // Clients: region by weight, last mile per client, one RNG stream each.
  Rng clients_rng = root.fork("clients");
  for (uint32_t p = 0; p < config.clients.size(); ++p) {
    const ClientPopulation& pop = config.clients[p];
    population_first.push_back(static_cast<uint32_t>(clients.size()));
    Rng pop_rng = clients_rng.fork(pop.name);
    std::vector<std::pair<int, double>> weights;
    double total = 0;
    for (const auto& [code, w] : pop.region_weights) {
      if (w <= 0) continue;
      weights.emplace_back(topology.index_of(code), w);
      total += w;
    }
    for (int i = 0; i < pop.count; ++i) {
      ClientState c(pop_rng.fork("client", static_cast<uint64_t>(i)));
      c.population = p;
      c.index = static_cast<uint32_t>(i);
      c.scripted = pop.scripted;
      if (weights.empty()) {
        c.edge = static_cast<uint16_t>(c.rng.uniform_below(topology.size()));
      } else {
        double x = c.rng.uniform01() * total;
        int chosen = weights.back().first;
        for (const auto& [region, w] : weights) {
          if (x < w) {
            chosen = region;
            break;
          }
          x -= w;
        }
        c.edge = static_cast<uint16_t>(chosen);
      }
      c.last_mile_ns = draw_ns(c.rng, config.topology.last_mile);
      clients.push_back(std::move(c));
    }
  }
  for (const ClientAction& a : config.actions) {
    const size_t dash = a.client.rfind('-');
    for (uint32_t p = 0; p < config.clients.size(); ++p) {
      if (config.clients[p].name == a.client.substr(0, dash)) {
        clients[population_first[p] + std::stoul(a.client.substr(dash + 1))].scripted = true;
      }
    }
  }
}

World::~World() = default;

properties::Event World::event(EventKind kind) const {
  properties::Event e;
  e.t_ns = sim.now().ns();
  e.kind = kind;
  return e;
}

int64_t World::draw_ns(Rng& rng, const Distribution& d) const {
  double ms = 0;
  switch (d.kind) {
    case Distribution::Kind::kNone: return 0;
    case Distribution::Kind::kConstant: ms = d.a; break;
    case Distribution::Kind::kUniform: ms = d.b > d.a ? rng.uniform_real(d.a, d.b) : d.a; break;
    case Distribution::Kind::kExponential: ms = rng.exponential(d.a); break;
    case Distribution::Kind::kNormal: ms = rng.normal(d.a, d.b); break;
    case Distribution::Kind::kLognormal: ms = rng.lognormal(d.a, d.b); break;
    case Distribution::Kind::kPareto: ms = rng.pareto(d.a, d.b); break;
  }
  if (!(ms > 0)) return 0;
  ms = std::min(ms, 3'600'000.0);  // a heavy-tailed draw never exceeds an hour
  return static_cast<int64_t>(std::llround(ms * 1e6));
}

std::string World::client_string(uint32_t client) const {
  const ClientState& c = clients[client];
  return config.clients[c.population].name + "-" + std::to_string(c.index);
}

NameId World::client_name(uint32_t client) {
  ClientState& c = clients[client];
  if (c.name == properties::kNoName) {
    c.name = rec.intern(client_string(client));
    const ClientPopulation& pop = config.clients[c.population];
    const uint32_t user = pop.users > 0 ? c.index % static_cast<uint32_t>(pop.users) : c.index;
    c.user = rec.intern(pop.name + "-u" + std::to_string(user));
  }
  return c.name;
}

void World::halt(std::string why) {
  ROOMSIM_ASSERT(!halted);
  halted = true;
  result.room_exception = std::move(why);
  sim.stop();
}

void World::record_feed() {
  const int64_t now = now_ns();
  for (std::string_view key : Feed::kKeys) {
    const std::string value = feed.value(key, now).dump();
    // At t = 0 every key; later only the keys whose value changed.
    if (now > 0 && feed.value(key, now - 1).dump() == value) continue;
    properties::Event e = event(EventKind::kFeedValue);
    e.text = rec.intern(key);
    e.digest = fnv1a64(value);
    rec.add(e);
  }
  const int64_t next = feed.next_change_ns(now);
  if (next >= 0) sim.schedule_at(Time::from_ns(next), [this] { record_feed(); });
}

void World::run() {
  // Run parameters for the checkers, at t = 0.
  auto config_event = [&](const std::string& key, int64_t value, NameId room) {
    properties::Event e = event(EventKind::kConfig);
    e.text = rec.intern(key);
    e.value = value;
    e.room = room;
    rec.add(e);
  };
  config_event("liveness_bound_ms", config.phases.convergence_bound_ms, properties::kNoName);
  if (config.phases.latency_p99_bound_ms) {
    config_event("latency_p99_bound_ms", *config.phases.latency_p99_bound_ms, properties::kNoName);
  }
  config_event("safety_ms", config.phases.safety_ms, properties::kNoName);
  config_event("liveness_ms", config.phases.liveness_ms, properties::kNoName);
  config_event("quiesce_ms", quiesce_ns / 1'000'000, properties::kNoName);
  config_event("max_frame_bytes", config.limits.max_frame_bytes, properties::kNoName);
  config_event("heartbeat_timeout_ms", config.limits.heartbeat_timeout_ms, properties::kNoName);
  for (const FaultSpec& f : config.faults) {
    if (f.kind == FaultKind::kRoomClockSkew) room_clock_error_ms = std::max(room_clock_error_ms, std::abs(f.skew_ms));
  }
  if (config.fault_rates.per_minute.count(FaultKind::kRoomClockSkew) != 0) {
    room_clock_error_ms = std::max(room_clock_error_ms, limits::kRoomClockSkewDrawMs);
  }
  if (room_clock_error_ms > 0) config_event("room_clock_error_ms", room_clock_error_ms, properties::kNoName);
  for (const auto& host : rooms) {
    const rooms::RoomKindInfo* kind = registry.find(host->config().kind);
    ROOMSIM_ASSERT_MSG(kind != nullptr, "simulate() validates room kinds before building a World");
    if (!kind->promises) continue;
    const rooms::RoomPromises promised = kind->promises(host->config().config);
    for (const auto& [key, value] : promised.limits) {
      const int64_t effective =
          key == "max_frame_bytes" ? std::min<int64_t>(value, config.limits.max_frame_bytes) : value;
      config_event(key, effective, host->name());
    }
    for (const std::string& property : promised.not_promised) config_event("promises." + property, 0, host->name());
  }
  for (const auto& host : rooms) {
    if (host->home < 0) continue;
    const char* policy = host->config().placement == HomePlacement::kLocationHint ? "location_hint" : "key_derived";
    rec.note(sim.now(), "room_home",
             "room=" + rec.name(host->name()) + " region=" + topology.region(static_cast<size_t>(host->home)).code +
                 " policy=" + policy);
  }
  {
    properties::Event e = event(EventKind::kPhase);
    e.text = rec.intern("safety");
    rec.add(e);
  }
  const Time liveness_at = Time::zero() + milliseconds(config.phases.safety_ms);
  const Time end_at = liveness_at + milliseconds(config.phases.liveness_ms);
  sim.schedule_at(liveness_at, [this] {
    liveness = true;
    for (size_t i = 0; i < faults.size(); ++i) end_fault(i);
    properties::Event e = event(EventKind::kPhase);
    e.text = rec.intern("liveness");
    rec.add(e);
  });
  sim.schedule_at(end_at, [this] {
    ended = true;
    properties::Event e = event(EventKind::kPhase);
    e.text = rec.intern("end");
    rec.add(e);
    sim.stop();
  });
  record_feed();
  schedule_faults();
  start_clients();

  const StopReason reason = sim.run_until(end_at);
  result.trace_hash = trace.hash_hex();
  result.trace_lines = trace.size();
  result.events_run = sim.events_run();
  result.simulated_ns = sim.now().ns();
  result.budget_exhausted = reason == StopReason::kBudgetExhausted;
  result.completed = ended && !halted;
  if (result.completed) {
    result.stop_reason = "end of liveness phase";
  } else if (halted) {
    result.stop_reason = result.room_exception;
  } else {
    result.stop_reason = std::string(to_string(reason)) + " at t=" + std::to_string(sim.now().ms()) + " ms of " +
                         std::to_string(end_at.ns() / 1'000'000) + " ms, after " + std::to_string(sim.events_run()) +
                         " events";
  }
  result.trace_lines_kept = trace.lines();
  for (uint32_t c = 0; c < clients.size(); ++c) result.client_region[client_string(c)] = topology.region(clients[c].edge).code;
  for (const auto& host : rooms) {
    if (host->home >= 0) result.room_home[host->config().kind + "/" + host->config().id] = topology.region(host->home).code;
  }
}

}  // namespace roomsim::netsim::internal
