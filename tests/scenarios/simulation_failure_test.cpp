// tests/scenarios/simulation_failure_test.cpp: a seed passes only if its run
// went to the end. A run stopped by its event budget, a room handler that
// throws, or an exception out of the simulator fails that seed with a
// "simulation" verdict and its replay command, and the sweep goes on with
// the other seeds (issue 13 items 5 and 6). Also: the summary shows the
// declared probes a sweep never reached.
#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>

#include "netsim/probe_names.hpp"
#include "scenarios/runner.hpp"
#include "scenarios/scenario_loader.hpp"
#include "scenarios/sweep_printer.hpp"
#include "tests/netsim/test_room.hpp"
#include "tests/scenarios/fake_world.hpp"
#include "tests/scenarios/test_catalog.hpp"

namespace roomsim::scenarios {
namespace {

Scenario chat_scenario(uint64_t event_budget) {
  nlohmann::json j = nlohmann::json::parse(R"({
    "name": "budget", "seeds": 4, "properties": ["fifo", "liveness"],
    "rooms": [{"kind": "chat", "id": "lobby"}],
    "clients": [{"name": "users", "count": 3, "room": "lobby", "send_rate_per_s": 2}],
    "phases": {"safety_ms": 3000, "liveness_ms": 3000, "convergence_bound_ms": 1000}
  })");
  j["event_budget"] = event_budget;
  const LoadResult r = load_scenario_json(j, "budget.json", "budget.json", testing::test_catalog());
  EXPECT_TRUE(r.ok()) << ::testing::PrintToString(r.errors);
  return *r.scenario;
}

TEST(SimulationFailure, ARunStoppedByItsEventBudgetFailsWithItsStopReason) {
  RunOptions o;
  o.jobs = 2;
  const SweepResult full = run_sweep(chat_scenario(200'000'000), o, default_simulate());
  EXPECT_TRUE(full.summary.passed()) << full.summary.failures.front().explanation;
  for (const SeedResult& seed : full.seeds) EXPECT_GT(seed.events_run, 100u) << "the budget below must cut the run";
  const SweepResult cut = run_sweep(chat_scenario(100), o, default_simulate());
  ASSERT_EQ(cut.seeds.size(), 4u);
  ASSERT_EQ(cut.summary.failures.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    const SeedResult& seed = cut.seeds[i];
    EXPECT_FALSE(seed.passed);
    ASSERT_EQ(seed.verdicts.size(), 1u) << "the properties are not judged on a cut history";
    EXPECT_EQ(seed.verdicts[0].property, "simulation");
    EXPECT_EQ(seed.verdicts[0].rule, "simulation.incomplete");
    const Failure& f = cut.summary.failures[i];
    EXPECT_EQ(f.seed, i + 1);
    EXPECT_EQ(f.property, "simulation");
    EXPECT_NE(f.explanation.find("event budget exhausted"), std::string::npos) << f.explanation;
    EXPECT_EQ(f.replay_command, replay_command("budget.json", i + 1, f.trace_hash, cut.summary.build));
  }
  EXPECT_EQ(cut.summary.per_property.at("simulation"), (std::pair<uint64_t, uint64_t>{0, 4}));
  std::ostringstream text;
  print_sweep_summary(text, chat_scenario(100), cut);
  EXPECT_NE(text.str().find("  simulation        0        4  <-"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("FAIL seed=1 property=simulation "), std::string::npos) << text.str();
}

Scenario thrower_scenario() {
  Scenario s;
  s.name = "thrower";
  s.source = "thrower.json";
  s.default_seeds = 6;
  s.properties = {"fifo"};
  s.config.rooms.push_back(netsim::RoomInstanceConfig{"test", "lobby", nlohmann::json::object(),
                                                      netsim::HomePlacement::kFirstConnect, ""});
  netsim::ClientPopulation p;
  p.count = 2;
  p.send_rate_per_s = 1;
  s.config.clients.push_back(p);
  s.config.phases.safety_ms = 3'000;
  s.config.phases.liveness_ms = 3'000;
  s.config.phases.convergence_bound_ms = 1'000;
  return s;
}

TEST(SimulationFailure, ARoomThatThrowsFailsItsSeedAndTheSweepGoesOn) {
  // Seeds 1 and 4 run a correct room, 2 and 5 one whose on_message throws a
  // std::exception, 3 and 6 one that throws an int (tests/netsim/test_room.hpp).
  const SimulateFn simulate = [](const netsim::SimulationConfig& config, uint64_t seed,
                                 const netsim::SimulationOutputs& outputs) {
    netsim::SimulationConfig c = config;
    if (seed % 3 == 2) c.rooms[0].config["throw_on_message"] = "message index out of range";
    if (seed % 3 == 0) c.rooms[0].config["throw_on_message"] = 42;
    return netsim::simulate(c, seed, outputs, netsim::testing::test_registry());
  };
  RunOptions o;
  o.jobs = 2;
  const SweepResult r = run_sweep(thrower_scenario(), o, simulate);
  ASSERT_EQ(r.seeds.size(), 6u);
  for (const SeedResult& seed : r.seeds) {
    SCOPED_TRACE("seed " + std::to_string(seed.seed));
    if (seed.seed % 3 == 1) {
      EXPECT_TRUE(seed.passed);
      continue;
    }
    EXPECT_FALSE(seed.passed);
    ASSERT_EQ(seed.verdicts.size(), 1u);
    EXPECT_EQ(seed.verdicts[0].rule, "simulation.room_exception");
    const std::string what = seed.seed % 3 == 2 ? "message index out of range" : "not a std::exception";
    EXPECT_NE(seed.verdicts[0].explanation.find("room test/lobby: on_message threw: "), std::string::npos)
        << seed.verdicts[0].explanation;
    EXPECT_NE(seed.verdicts[0].explanation.find(what), std::string::npos) << seed.verdicts[0].explanation;
    EXPECT_LT(seed.simulated_ns, 6'000'000'000) << "stopped at the throw";
  }
  ASSERT_EQ(r.summary.failures.size(), 4u);
  EXPECT_EQ(r.summary.failures[0].replay_command,
            replay_command("thrower.json", 2, r.summary.failures[0].trace_hash, r.summary.build));
  EXPECT_EQ(r.summary.failures[0].property, "simulation");
}

TEST(SimulationFailure, AnExceptionOutOfTheSimulatorFailsOnlyThatSeed) {
  const Scenario s = thrower_scenario();
  const SimulateFn simulate = [](const netsim::SimulationConfig& c, uint64_t seed, const netsim::SimulationOutputs&) {
    if (seed == 3) throw std::runtime_error("world exploded");
    return testing::fake_simulate(c, seed, [](uint64_t) { return false; });
  };
  RunOptions o;
  o.jobs = 2;
  const SweepResult r = run_sweep(s, o, simulate);
  ASSERT_EQ(r.seeds.size(), 6u);
  for (const SeedResult& seed : r.seeds) EXPECT_EQ(seed.passed, seed.seed != 3) << seed.seed;
  ASSERT_EQ(r.summary.failures.size(), 1u);
  EXPECT_EQ(r.seeds[2].verdicts.at(0).rule, "simulation.exception");
  EXPECT_EQ(r.summary.failures[0].explanation, "the simulation threw: world exploded");
  EXPECT_EQ(r.summary.failures[0].replay_command,
            replay_command("thrower.json", 3, r.summary.failures[0].trace_hash, r.summary.build));
}

TEST(SimulationFailure, TheSummaryListsDeclaredProbesNoSeedReached) {
  const Scenario s = thrower_scenario();
  const SweepResult r = run_sweep(s, RunOptions{}, testing::fake_simulate_fn([](uint64_t) { return false; }));
  const std::vector<std::string> declared = netsim::probe::sweep_required_probes();
  ASSERT_FALSE(declared.empty());
  for (const std::string& probe : declared) {
    ASSERT_TRUE(r.summary.coverage.count(probe)) << probe;
    EXPECT_EQ(r.summary.coverage.at(probe), 0u) << probe;
  }
  EXPECT_EQ(r.summary.coverage.at("fake.seeds"), 6u);
  std::ostringstream text;
  print_sweep_summary(text, s, r);
  const std::string out = text.str();
  EXPECT_NE(out.find("probes (hits over all seeds):"), std::string::npos) << out;
  EXPECT_NE(out.find("fake.seeds"), std::string::npos) << out;
  EXPECT_NE(out.find("never reached (" + std::to_string(declared.size()) + " declared probes): "), std::string::npos)
      << out;
  EXPECT_NE(out.find(" room.resume.gap_trimmed"), std::string::npos) << out;
  // The JSON summary carries every count, the zeros included.
  const nlohmann::json j = r.summary;
  EXPECT_EQ(j.at("coverage").at("room.resume.gap_trimmed"), 0);
}

}  // namespace
}  // namespace roomsim::scenarios
