// tests/netsim/helpers.hpp: small builders and history queries for netsim tests.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "netsim/simulation.hpp"
#include "tests/netsim/test_room.hpp"

namespace roomsim::netsim::testing {

// A quiet world: the small topology, one test room, `chatters` chatters.
inline SimulationConfig basic_config(int chatters, double rate_per_s = 2.0) {
  SimulationConfig c;
  c.name = "test";
  c.rooms.push_back(RoomInstanceConfig{"test", "lobby", nlohmann::json::object(), HomePlacement::kFirstConnect, ""});
  ClientPopulation p;
  p.name = "c";
  p.count = chatters;
  p.room = "lobby";
  p.send_rate_per_s = rate_per_s;
  p.connect_at_ms_max = 100;
  c.clients.push_back(p);
  c.phases.safety_ms = 5'000;
  c.phases.liveness_ms = 5'000;
  c.phases.convergence_bound_ms = 2'000;
  return c;
}

// Room at IAD; population "a" at IAD and "b" at SIN.
inline SimulationConfig two_sites(int per_site, double rate_per_s) {
  SimulationConfig c = basic_config(per_site, rate_per_s);
  c.rooms[0].placement = HomePlacement::kLocationHint;
  c.rooms[0].location_hint = "IAD";
  c.clients[0].name = "a";
  c.clients[0].region_weights = {{"IAD", 1}};
  ClientPopulation b = c.clients[0];
  b.name = "b";
  b.region_weights = {{"SIN", 1}};
  c.clients.push_back(b);
  c.phases.safety_ms = 10'000;
  c.phases.liveness_ms = 10'000;
  return c;
}

// A fault of `kind` over [start_ms, start_ms + duration_ms); targets left empty.
inline FaultSpec fault(FaultKind kind, int64_t start_ms, int64_t duration_ms) {
  FaultSpec f;
  f.kind = kind;
  f.start_ms = start_ms;
  f.duration_ms = duration_ms;
  return f;
}

inline SimulationResult run(const SimulationConfig& c, uint64_t seed = 1, size_t keep_lines = 0) {
  SimulationOutputs out;
  out.keep_trace_lines = keep_lines;
  return simulate(c, seed, out, test_registry());
}

inline std::vector<properties::Event> events_of(const SimulationResult& r, properties::EventKind kind) {
  std::vector<properties::Event> out;
  for (const auto& e : r.history.events()) {
    if (e.kind == kind) out.push_back(e);
  }
  return out;
}

inline size_t count_of(const SimulationResult& r, properties::EventKind kind) { return events_of(r, kind).size(); }

inline uint64_t probe(const SimulationResult& r, const std::string& name) {
  auto it = r.coverage.find(name);
  return it == r.coverage.end() ? 0 : it->second;
}

}  // namespace roomsim::netsim::testing
