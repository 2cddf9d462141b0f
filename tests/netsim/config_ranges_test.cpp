// tests/netsim/config_ranges_test.cpp: netsim::validate refuses every value
// outside the ranges of netsim/simulation_config.hpp (limits::) in configs
// built in code, and values inside them run without overflowing (issue 15).
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <limits>

#include "tests/netsim/helpers.hpp"

namespace roomsim::netsim::testing {
namespace {

using properties::EventKind;

// The errors validate() gives for basic_config(2) changed by `change`.
std::vector<std::string> errors_after(const std::function<void(SimulationConfig&)>& change) {
  SimulationConfig c = basic_config(2);
  change(c);
  return validate(c, test_registry());
}

bool mentions(const std::vector<std::string>& errors, const std::string& text) {
  for (const auto& e : errors) {
    if (e.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(ConfigRanges, ValuesThatOverflowedAtRunTimeAreRefused) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  struct Case {
    const char* field;
    std::function<void(SimulationConfig&)> change;
  };
  const std::vector<Case> cases = {
      {"phases.safety_ms: expected a value in [0, 10000000000], got 10000000000000",
       [](SimulationConfig& c) { c.phases.safety_ms = 10'000'000'000'000; }},
      {"limits.heartbeat_timeout_ms", [&](SimulationConfig& c) { c.limits.heartbeat_timeout_ms = kMax; }},
      {"faults[0].factor", [](SimulationConfig& c) {
         c.faults.push_back(FaultSpec{FaultKind::kLatencySpike, 0, 10, {}, {}, false, "", "", "", "", 1e300, 1, 0, 0});
       }},
      {"faults[0].start_ms", [&](SimulationConfig& c) {
         c.faults.push_back(FaultSpec{FaultKind::kRoomEvict, kMax, 1, {}, {}, false, "", "", "lobby", "", 1, 1, 0, 0});
       }},
      {"phases.convergence_bound_ms", [&](SimulationConfig& c) { c.phases.convergence_bound_ms = kMax - 1; }},
      {"phases.latency_p99_bound_ms", [&](SimulationConfig& c) { c.phases.latency_p99_bound_ms = kMax; }},
      {"clients[0].connect_at_ms_max", [](SimulationConfig& c) { c.clients[0].connect_at_ms_max = 1e300; }},
      {"clients[0].token_ttl_s", [&](SimulationConfig& c) { c.clients[0].token_ttl_s = kMax; }},
      {"clients[0].payload_bytes", [](SimulationConfig& c) { c.clients[0].payload_bytes = 1 << 30; }},
      {"clients (total count)", [](SimulationConfig& c) {
         c.clients[0].count = 1'000'000;
         c.clients.push_back(c.clients[0]);
         c.clients[1].name = "d";
       }},
      {"topology.jitter.a", [](SimulationConfig& c) { c.topology.jitter = {Distribution::Kind::kConstant, 1e300, 0}; }},
      {"storage.commit_latency.b", [](SimulationConfig& c) {
         c.storage.commit_latency = {Distribution::Kind::kUniform, 1, 1e300};
       }},
      {"event_budget", [](SimulationConfig& c) { c.event_budget = std::numeric_limits<uint64_t>::max(); }},
      {"fault_rates.per_minute.partition", [](SimulationConfig& c) { c.fault_rates.per_minute[FaultKind::kPartition] = 1e300; }},
      {"services.feed_period_ms", [&](SimulationConfig& c) { c.services.feed_period_ms = kMax; }},
      {"actions[0].at_ms", [&](SimulationConfig& c) {
         c.actions.push_back(ClientAction{kMax, "c-0", ClientAction::Kind::kSend, "x"});
       }},
  };
  for (const Case& c : cases) {
    const auto errors = errors_after(c.change);
    EXPECT_TRUE(mentions(errors, c.field)) << c.field << ": " << ::testing::PrintToString(errors);
  }
  EXPECT_TRUE(errors_after([](SimulationConfig&) {}).empty());
}

// A send rate so small that the draw is infinite used to become a zero delay (llround of infinity): the chatter
// then sent in a tight loop until the event budget ran out. Now the delay saturates and it never sends.
TEST(ConfigRanges, AnInfiniteRandomDelayNeverFiresInsteadOfFiringAtOnce) {
  SimulationConfig c = basic_config(2, 1e-300);
  c.event_budget = 1'000'000;
  const SimulationResult r = run(c);
  ASSERT_TRUE(r.config_errors.empty()) << ::testing::PrintToString(r.config_errors);
  EXPECT_FALSE(r.budget_exhausted);
  EXPECT_EQ(count_of(r, EventKind::kSend), 0u);
}

// The largest times, factors and latencies that validate accepts run to the end without an assertion.
TEST(ConfigRanges, TheLargestAcceptedValuesRun) {
  SimulationConfig c = basic_config(2);
  c.phases.safety_ms = limits::kTimeMsMax;
  c.phases.liveness_ms = limits::kTimeMsMax;
  c.phases.convergence_bound_ms = limits::kTimeMsMax;
  c.limits.heartbeat_timeout_ms = limits::kTimeMsMax;
  c.topology.jitter = {Distribution::Kind::kConstant, limits::kLatencyMsMax, 0};
  c.storage.commit_latency = {Distribution::Kind::kConstant, limits::kLatencyMsMax, 0};
  c.clients[0].token_ttl_s = limits::kTokenTtlSMax;
  c.faults.push_back(FaultSpec{FaultKind::kLatencySpike, 0, limits::kTimeMsMax, {}, {}, false, "", "", "", "",
                               limits::kFactorMax, 1, 0, 0});
  c.faults.push_back(FaultSpec{FaultKind::kStorageSlow, 0, limits::kTimeMsMax, {}, {}, false, "", "", "lobby", "",
                               limits::kFactorMax, 1, 0, 0});
  c.faults.push_back(FaultSpec{FaultKind::kPartition, limits::kTimeMsMax - 1, 1, {}, {}, false, "", "c-0", "", "", 1, 1,
                               0, 0});
  c.event_budget = 200'000;
  ASSERT_TRUE(validate(c, test_registry()).empty()) << ::testing::PrintToString(validate(c, test_registry()));
  const SimulationResult r = run(c);
  EXPECT_TRUE(r.config_errors.empty());
  EXPECT_GT(r.events_run, 0u);
}

}  // namespace
}  // namespace roomsim::netsim::testing
