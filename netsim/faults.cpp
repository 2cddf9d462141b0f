// netsim/faults.cpp: the fault schedule, per-seed random faults (swarm mode),
// and what each fault does while it is active. Every fault begins and ends
// with a history event; all faults end when the liveness phase starts.
#include <algorithm>
#include <cmath>

#include "engine/assert.hpp"
#include "netsim/fault_pairs.hpp"
#include "netsim/names.hpp"
#include "netsim/world.hpp"

namespace roomsim::netsim::internal {

namespace {

constexpr size_t kRandomFaultsMax = 10'000;  // a limit, not an accident: more are dropped and counted

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += ',';
    out += s;
  }
  return out;
}

std::string describe(const FaultSpec& f, size_t index) {
  std::string d = std::string(fault_kind_name(f.kind)) + "#" + std::to_string(index);
  if (!f.regions_a.empty()) d += " a=" + join(f.regions_a);
  if (!f.regions_b.empty()) d += " b=" + join(f.regions_b);
  if (f.one_way) d += " one_way";
  if (!f.region.empty()) d += " region=" + f.region;
  if (!f.client.empty()) d += " client=" + f.client;
  if (!f.room.empty()) d += " room=" + f.room;
  if (!f.population.empty()) d += " population=" + f.population;
  if (f.kind == FaultKind::kLatencySpike || f.kind == FaultKind::kStorageSlow) d += " factor=" + std::to_string(f.factor);
  if (f.kind == FaultKind::kStorageFail || f.kind == FaultKind::kStorageReadFail) {
    d += " p=" + std::to_string(f.probability);
  }
  if (f.kind == FaultKind::kClientChurn) d += " rate_per_s=" + std::to_string(f.rate_per_s);
  if (f.kind == FaultKind::kClockSkew || f.kind == FaultKind::kRoomClockSkew) d += " skew_ms=" + std::to_string(f.skew_ms);
  d += " ms=" + std::to_string(f.start_ms) + "+" + std::to_string(f.duration_ms);
  return d;
}

}  // namespace

// Where a drawn fault aims. A storm draws one set for all its faults, so
// that they hit the same room, edge and client together.
struct FaultTargets {
  std::string room;
  std::string edge;
  std::string client;
  std::string population;
};

FaultTargets World::draw_fault_targets(Rng& r, const std::vector<std::string>& edges) {
  FaultTargets t;
  if (!config.rooms.empty()) t.room = config.rooms[r.uniform_below(config.rooms.size())].id;
  t.edge = edges[r.uniform_below(edges.size())];
  if (!clients.empty()) t.client = client_string(static_cast<uint32_t>(r.uniform_below(clients.size())));
  if (!config.clients.empty()) t.population = config.clients[r.uniform_below(config.clients.size())].name;
  return t;
}

bool World::draw_fault(FaultSpec& f, Rng& r, const std::vector<std::string>& edges, const FaultTargets* storm) {
  // Without a storm each target is drawn when the kind needs it (in this
  // order), so a kind's draws do not depend on the other kinds.
  auto pick_edge = [&] { return storm ? storm->edge : edges[r.uniform_below(edges.size())]; };
  auto pick_client = [&]() -> std::string {
    if (storm) return storm->client;
    if (clients.empty()) return {};
    return client_string(static_cast<uint32_t>(r.uniform_below(clients.size())));
  };
  switch (f.kind) {
    case FaultKind::kPartition: {
      const uint64_t shape = r.uniform_below(4);
      if (shape == 0 && !clients.empty()) {
        f.client = pick_client();
      } else if (shape == 1) {
        f.region = pick_edge();
      } else {
        for (const RegionSpec& region : topology.regions()) {
          (r.bernoulli(0.5) ? f.regions_a : f.regions_b).push_back(region.code);
        }
        // Both sides non-empty (a one-region topology cannot be split: isolate it instead).
        if (f.regions_a.empty()) {
          f.regions_a.push_back(f.regions_b.back());
          f.regions_b.pop_back();
        }
        if (f.regions_b.empty() && f.regions_a.size() > 1) {
          f.regions_b.push_back(f.regions_a.back());
          f.regions_a.pop_back();
        }
        if (f.regions_b.empty()) {
          f.regions_a.clear();
          f.region = pick_edge();
        }
        f.one_way = shape == 3 && r.bernoulli(0.5);
      }
      return true;
    }
    case FaultKind::kLatencySpike:
      f.region = pick_edge();
      f.factor = r.uniform_real(2, 10);
      return true;
    case FaultKind::kEdgeOutage:
    case FaultKind::kEdgeRestart:
      f.region = pick_edge();
      return true;
    case FaultKind::kRoomEvict:
    case FaultKind::kRoomCrash:
    case FaultKind::kStorageSlow:
    case FaultKind::kStorageFail:
    case FaultKind::kStorageReadFail:
      if (config.rooms.empty()) return false;
      f.room = storm ? storm->room : config.rooms[r.uniform_below(config.rooms.size())].id;
      f.factor = r.uniform_real(2, 20);
      f.probability = r.uniform_real(0.05, 0.5);
      return true;
    case FaultKind::kClockSkew: {
      f.client = pick_client();
      if (f.client.empty()) return false;
      const double ttl_ms = static_cast<double>(config.clients[clients[client_by_name(f.client)].population].token_ttl_s) * 1000.0;
      f.skew_ms = static_cast<int64_t>(r.uniform_real(-2 * ttl_ms, 2 * ttl_ms));
      return true;
    }
    case FaultKind::kRoomClockSkew:
      if (config.rooms.empty()) return false;
      f.room = storm ? storm->room : config.rooms[r.uniform_below(config.rooms.size())].id;
      f.skew_ms = static_cast<int64_t>(r.uniform_real(-static_cast<double>(limits::kRoomClockSkewDrawMs),
                                                      static_cast<double>(limits::kRoomClockSkewDrawMs)));
      return true;
    case FaultKind::kClientChurn:
      if (config.clients.empty()) return false;
      f.population = storm ? storm->population : config.clients[r.uniform_below(config.clients.size())].name;
      f.rate_per_s = r.uniform_real(0.1, 2.0);
      return true;
  }
  return false;
}

void World::schedule_faults() {
  std::vector<FaultSpec> specs = config.faults;

  // Random faults: Poisson arrivals per kind over the safety phase.
  const FaultRates& rates = config.fault_rates;
  if (!rates.per_minute.empty() && config.phases.safety_ms > 0) {
    Rng swarm_rng = fault_rng.fork("swarm");
    std::vector<std::string> edges;  // regions that have clients, where faults matter
    for (const ClientState& c : clients) edges.push_back(topology.region(c.edge).code);
    std::sort(edges.begin(), edges.end());
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
    if (edges.empty()) edges.push_back(topology.region(0).code);
    const auto duration_ms = [&](Rng& r) {
      return std::max<int64_t>(1, std::llround(r.exponential(static_cast<double>(rates.duration_ms_mean))));
    };
    const auto room_for_more = [&] {
      if (specs.size() - config.faults.size() < kRandomFaultsMax) return true;
      probe("fault.random_limit_reached");
      return false;
    };
    std::string enabled;
    for (const auto& [kind, rate] : rates.per_minute) {
      if (rates.swarm && !swarm_rng.bernoulli(0.5)) continue;
      if (!enabled.empty()) enabled += ',';
      enabled += fault_kind_name(kind);
      if (!(rate > 0)) continue;
      Rng r = fault_rng.fork(fault_kind_name(kind));
      double t_ms = 0;
      while (true) {
        t_ms += r.exponential(60'000.0 / rate);
        if (t_ms >= static_cast<double>(config.phases.safety_ms)) break;
        if (!room_for_more()) break;
        FaultSpec f;
        f.kind = kind;
        f.start_ms = static_cast<int64_t>(t_ms);
        f.duration_ms = duration_ms(r);
        if (draw_fault(f, r, edges, nullptr)) specs.push_back(std::move(f));
      }
    }
    // Storms: in swarm mode a switch of their own, drawn after the kinds'.
    const StormRates& storms = rates.storms;
    if (storms.per_minute > 0 && (!rates.swarm || swarm_rng.bernoulli(0.5))) {
      enabled += enabled.empty() ? "storms" : ",storms";
      std::vector<FaultKind> kinds;
      for (const auto& [kind, rate] : rates.per_minute) kinds.push_back(kind);
      Rng r = fault_rng.fork("storms");
      double t_ms = 0;
      while (true) {
        t_ms += r.exponential(60'000.0 / storms.per_minute);
        if (t_ms >= static_cast<double>(config.phases.safety_ms)) break;
        if (!room_for_more()) break;
        const FaultTargets targets = draw_fault_targets(r, edges);
        const int most = std::min<int>(storms.kinds_max, static_cast<int>(kinds.size()));
        const int least = std::min(storms.kinds_min, most);
        const int count = least + static_cast<int>(r.uniform_below(static_cast<uint64_t>(most - least + 1)));
        std::vector<FaultKind> pool = kinds;
        probe("fault.storm");
        for (int k = 0; k < count && room_for_more(); ++k) {
          const size_t pick = r.uniform_below(pool.size());
          FaultSpec f;
          f.kind = pool[pick];
          pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(pick));
          f.start_ms = static_cast<int64_t>(t_ms) + static_cast<int64_t>(r.uniform_below(static_cast<uint64_t>(storms.window_ms)));
          f.duration_ms = duration_ms(r);
          if (draw_fault(f, r, edges, &targets)) specs.push_back(std::move(f));
        }
      }
    }
    rec.note(sim.now(), "fault_profile", "enabled=" + (enabled.empty() ? std::string("none") : enabled));
  }
  result.fault_pairs = fault_pairs_together(specs, config.phases.safety_ms);

  for (size_t i = 0; i < specs.size(); ++i) {
    ActiveFault a;
    a.index = i;
    a.spec = std::move(specs[i]);
    const FaultSpec& f = a.spec;
    a.description = rec.intern(describe(f, i));
    a.in_a.assign(topology.size(), 0);
    a.in_b.assign(topology.size(), 0);
    for (const auto& code : f.regions_a) a.in_a[static_cast<size_t>(topology.index_of(code))] = 1;
    for (const auto& code : f.regions_b) a.in_b[static_cast<size_t>(topology.index_of(code))] = 1;
    if (!f.region.empty()) a.region = topology.index_of(f.region);
    if (!f.client.empty()) a.client = client_by_name(f.client);
    if (!f.room.empty()) a.room = static_cast<int>(room_index.at(f.room));
    for (uint32_t p = 0; p < config.clients.size(); ++p) {
      if (config.clients[p].name == f.population) a.population = static_cast<int>(p);
    }
    faults.push_back(std::move(a));
  }
  for (size_t i = 0; i < faults.size(); ++i) {
    const FaultSpec& f = faults[i].spec;
    if (f.start_ms >= config.phases.safety_ms) {
      probe("fault.skipped_after_safety_phase");
      continue;
    }
    sim.schedule_at(Time::zero() + milliseconds(f.start_ms), [this, i] { begin_fault(i); });
    const int64_t end_ms = std::min(f.start_ms + f.duration_ms, config.phases.safety_ms);
    sim.schedule_at(Time::zero() + milliseconds(end_ms), [this, i] { end_fault(i); });
  }
}

void World::begin_fault(size_t i) {
  if (liveness || ended) return;
  ActiveFault& a = faults[i];
  ROOMSIM_ASSERT(!a.active);
  a.active = true;
  const FaultSpec& f = a.spec;
  properties::Event e = event(EventKind::kFaultBegin);
  e.text = a.description;
  e.value = static_cast<int64_t>(i);
  rec.add(e);
  probe(std::string("fault.") + fault_kind_name(f.kind));
  auto each_room = [&](auto&& fn) {
    for (size_t r = 0; r < rooms.size(); ++r) {
      if (a.room < 0 || static_cast<size_t>(a.room) == r) fn(*rooms[r]);
    }
  };
  auto drop_edge = [&](const char* reason) {
    for (uint64_t id = 1; id <= conns.size(); ++id) {
      const Connection& c = conn(id);
      if (c.edge != a.region) continue;
      if (!c.client_open && c.room_side != RoomSide::kOpen) continue;
      drop_connection(id, rooms::close_code::kAbnormal, reason, "conn.dropped_by_edge");
    }
  };
  switch (f.kind) {
    case FaultKind::kPartition: {
      ++active_partitions;
      // Heartbeats: a connection blocked for longer than the timeout is closed 1006 at both ends.
      const int64_t timeout_ms = config.limits.heartbeat_timeout_ms;
      auto check_fn = [this, i, timeout_ms](auto& self) -> void {
        if (!faults[i].active) return;
        for (uint64_t id = 1; id <= conns.size(); ++id) {
          const Connection& c = conn(id);
          if (!c.client_open && c.room_side != RoomSide::kOpen) continue;
          if (!blocked(c, true) && !blocked(c, false)) continue;
          drop_connection(id, rooms::close_code::kAbnormal, "heartbeat timeout", "fault.partition_heartbeat_timeout");
        }
        sim.schedule_after(milliseconds(timeout_ms), [self]() mutable { self(self); });
      };
      sim.schedule_after(milliseconds(timeout_ms), [check_fn]() mutable { check_fn(check_fn); });
      break;
    }
    case FaultKind::kLatencySpike: ++active_spikes; break;
    case FaultKind::kEdgeOutage: drop_edge("edge outage"); break;
    case FaultKind::kEdgeRestart: drop_edge("edge restart"); break;
    case FaultKind::kRoomEvict: each_room([](RoomHost& r) { r.evict(); }); break;
    case FaultKind::kRoomCrash: each_room([](RoomHost& r) { r.crash(); }); break;
    case FaultKind::kStorageSlow:
      each_room([&](RoomHost& r) { r.storage_slow_factor_x1000 = std::llround(f.factor * 1000); });
      break;
    case FaultKind::kStorageFail: each_room([&](RoomHost& r) { r.storage_fail_probability = f.probability; }); break;
    case FaultKind::kStorageReadFail:
      each_room([&](RoomHost& r) { r.storage_read_fail_probability = f.probability; });
      break;
    case FaultKind::kClockSkew:
      for (uint32_t c = 0; c < clients.size(); ++c) {
        if (a.client == c || (a.population >= 0 && clients[c].population == static_cast<uint32_t>(a.population))) {
          clients[c].skew_ms = f.skew_ms;
        }
      }
      break;
    case FaultKind::kRoomClockSkew:
      // The room moves to a machine whose clock is off: evicted now, its next instance runs there.
      each_room([&](RoomHost& r) { r.move_to_clock(f.skew_ms); });
      break;
    case FaultKind::kClientChurn: {
      auto churn_fn = [this, i](auto& self) -> void {
        ActiveFault& fa = faults[i];
        if (!fa.active || ended) return;
        const uint32_t first = fa.population >= 0 ? population_first[static_cast<size_t>(fa.population)] : 0;
        const uint32_t count = fa.population >= 0
                                   ? static_cast<uint32_t>(config.clients[static_cast<size_t>(fa.population)].count)
                                   : static_cast<uint32_t>(clients.size());
        if (count > 0) {
          const uint32_t client = first + static_cast<uint32_t>(fault_rng.uniform_below(count));
          if (clients[client].phase == ClientPhase::kOpen) {
            probe("fault.churn_close");
            client_close(client, rooms::close_code::kNormal, "churn");
            schedule_reconnect(client);
          }
        }
        const double gap_ms = fault_rng.exponential(1000.0 / fa.spec.rate_per_s);
        sim.schedule_after(Duration::delay_ns(gap_ms * 1e6), [self]() mutable { self(self); });
      };
      churn_fn(churn_fn);
      break;
    }
  }
}

void World::end_fault(size_t i) {
  ActiveFault& a = faults[i];
  if (!a.active) return;
  a.active = false;
  properties::Event e = event(EventKind::kFaultEnd);
  e.text = a.description;
  e.value = static_cast<int64_t>(i);
  rec.add(e);
  switch (a.spec.kind) {
    case FaultKind::kPartition:
      ROOMSIM_ASSERT(active_partitions > 0);
      --active_partitions;
      heal_stalled();
      break;
    case FaultKind::kLatencySpike:
      ROOMSIM_ASSERT(active_spikes > 0);
      --active_spikes;
      break;
    case FaultKind::kRoomClockSkew:
      // Back to the clock of the latest room-clock-skew still active for the room, else a true one.
      for (size_t r = 0; r < rooms.size(); ++r) {
        if (a.room >= 0 && static_cast<size_t>(a.room) != r) continue;
        int64_t skew_ms = 0;
        for (const ActiveFault& o : faults) {
          if (o.active && o.spec.kind == FaultKind::kRoomClockSkew && (o.room < 0 || static_cast<size_t>(o.room) == r)) {
            skew_ms = o.spec.skew_ms;
          }
        }
        rooms[r]->move_to_clock(skew_ms);
      }
      break;
    case FaultKind::kStorageSlow:
    case FaultKind::kStorageFail:
    case FaultKind::kStorageReadFail:
    case FaultKind::kClockSkew:
      // Recompute from the faults still active (they may overlap).
      for (auto& r : rooms) {
        r->storage_slow_factor_x1000 = 1000;
        r->storage_fail_probability = 0;
        r->storage_read_fail_probability = 0;
      }
      for (ClientState& c : clients) c.skew_ms = 0;
      for (const ActiveFault& o : faults) {
        if (!o.active) continue;
        for (size_t r = 0; r < rooms.size(); ++r) {
          if (o.room >= 0 && static_cast<size_t>(o.room) != r) continue;
          if (o.spec.kind == FaultKind::kStorageSlow) rooms[r]->storage_slow_factor_x1000 = std::llround(o.spec.factor * 1000);
          if (o.spec.kind == FaultKind::kStorageFail) rooms[r]->storage_fail_probability = o.spec.probability;
          if (o.spec.kind == FaultKind::kStorageReadFail) rooms[r]->storage_read_fail_probability = o.spec.probability;
        }
        if (o.spec.kind == FaultKind::kClockSkew) {
          for (uint32_t c = 0; c < clients.size(); ++c) {
            if (o.client == c || (o.population >= 0 && clients[c].population == static_cast<uint32_t>(o.population))) {
              clients[c].skew_ms = o.spec.skew_ms;
            }
          }
        }
      }
      break;
    default: break;
  }
}

double World::spike_factor(uint16_t x, uint16_t y) const {
  double factor = 1.0;
  if (active_spikes == 0) return factor;
  for (const ActiveFault& f : faults) {
    if (!f.active || f.spec.kind != FaultKind::kLatencySpike) continue;
    bool applies;
    if (f.region >= 0) {
      applies = x == f.region || y == f.region;
    } else if (f.spec.regions_a.empty() && f.spec.regions_b.empty()) {
      applies = true;
    } else if (f.spec.regions_b.empty()) {
      applies = f.in_a[x] || f.in_a[y];
    } else if (f.spec.regions_a.empty()) {
      applies = f.in_b[x] || f.in_b[y];
    } else {
      applies = (f.in_a[x] && f.in_b[y]) || (f.in_b[x] && f.in_a[y]);
    }
    // Overlapping spikes on one link do not compound: the worst one applies.
    if (applies) factor = std::max(factor, f.spec.factor);
  }
  return factor;
}

bool World::edge_down(uint16_t region) const {
  for (const ActiveFault& f : faults) {
    if (f.active && f.spec.kind == FaultKind::kEdgeOutage && f.region == region) return true;
  }
  return false;
}

}  // namespace roomsim::netsim::internal
