// tests/netsim/determinism_test.cpp: a run is a pure function of (config, seed).
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "tests/netsim/helpers.hpp"

namespace roomsim::netsim::testing {
namespace {

// Chatters in two regions, a hostile population, every random fault kind on.
SimulationConfig busy_faulty_config() {
  SimulationConfig c = basic_config(6, 3);
  c.clients[0].region_weights = {{"IAD", 1}, {"FRA", 1}, {"SIN", 1}};
  ClientPopulation h;
  h.name = "h";
  h.room = "lobby";
  h.behaviour = Behaviour::kHostile;
  h.hostile = {HostileAction::kFlood, HostileAction::kMalformedJson, HostileAction::kUnknownType,
               HostileAction::kBadToken, HostileAction::kTooManyConnections};
  c.clients.push_back(h);
  c.topology.jitter = Distribution{Distribution::Kind::kLognormal, 1.0, 1.0};
  c.limits.heartbeat_timeout_ms = 2'000;
  for (FaultKind k : {FaultKind::kPartition, FaultKind::kLatencySpike, FaultKind::kEdgeOutage, FaultKind::kEdgeRestart,
                      FaultKind::kRoomEvict, FaultKind::kRoomCrash, FaultKind::kStorageSlow, FaultKind::kStorageFail,
                      FaultKind::kClockSkew, FaultKind::kClientChurn}) {
    c.fault_rates.per_minute[k] = 12;
  }
  c.fault_rates.duration_ms_mean = 1'500;
  c.phases.safety_ms = 10'000;
  return c;
}

TEST(Determinism, SameSeedSameTraceHashDifferentSeedDifferentHash) {
  const SimulationConfig c = busy_faulty_config();
  std::ostringstream jsonl_a, jsonl_b;
  SimulationOutputs out_a, out_b;
  out_a.trace_jsonl = &jsonl_a;
  out_b.trace_jsonl = &jsonl_b;
  const SimulationResult a = simulate(c, 42, out_a, test_registry());
  const SimulationResult b = simulate(c, 42, out_b, test_registry());
  const SimulationResult other = simulate(c, 43, {}, test_registry());
  ASSERT_TRUE(a.config_errors.empty());
  EXPECT_GT(a.history.size(), 500u);
  EXPECT_GT(a.coverage.size(), 10u);  // the run really was busy and faulty
  EXPECT_EQ(a.trace_hash, b.trace_hash);
  EXPECT_EQ(a.trace_lines, b.trace_lines);
  EXPECT_EQ(a.events_run, b.events_run);
  EXPECT_EQ(a.coverage, b.coverage);
  EXPECT_EQ(jsonl_a.str(), jsonl_b.str());
  EXPECT_NE(a.trace_hash, other.trace_hash);
}

TEST(Determinism, SwarmModeEnablesADifferentSubsetPerSeed) {
  SimulationConfig c = busy_faulty_config();
  c.fault_rates.swarm = true;
  std::set<std::string> profiles;
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    const SimulationResult r = run(c, seed, 100);
    for (const auto& line : r.trace_lines_kept) {
      if (line.find("fault_profile") != std::string::npos) profiles.insert(line);
    }
  }
  EXPECT_GE(profiles.size(), 3u);
}

TEST(Determinism, HistoryTimesNeverGoBackwards) {
  const SimulationResult r = run(busy_faulty_config(), 5);
  int64_t last = 0;
  for (const auto& e : r.history.events()) {
    ASSERT_GE(e.t_ns, last);
    last = e.t_ns;
  }
  // Phases in order at their times.
  std::vector<std::string> phases;
  for (const auto& e : events_of(r, properties::EventKind::kPhase)) phases.push_back(r.history.name(e.text));
  EXPECT_EQ(phases, (std::vector<std::string>{"safety", "liveness", "end"}));
  // Every fault that began also ended, by the liveness phase.
  EXPECT_EQ(count_of(r, properties::EventKind::kFaultBegin), count_of(r, properties::EventKind::kFaultEnd));
}

}  // namespace
}  // namespace roomsim::netsim::testing
