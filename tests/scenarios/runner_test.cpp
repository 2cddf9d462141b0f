// tests/scenarios/runner_test.cpp: seed selection, sharding, ordering by seed
// whatever --jobs, failure records with replay commands, determinism reruns,
// and the printed summary; against an injected fake world.
#include <gtest/gtest.h>

#include <atomic>
#include <sstream>

#include "scenarios/build_info.hpp"
#include "scenarios/runner.hpp"
#include "scenarios/scenario_hash.hpp"
#include "scenarios/scenario_loader.hpp"
#include "scenarios/sweep_printer.hpp"
#include "tests/scenarios/fake_world.hpp"
#include "tests/scenarios/test_catalog.hpp"

namespace roomsim::scenarios {
namespace {

Scenario fifo_scenario() {
  const LoadResult r = load_scenario_json(nlohmann::json::parse(R"({
    "name": "fake", "seeds": 12, "properties": ["fifo"],
    "rooms": [{"kind": "chat", "id": "lobby"}],
    "clients": [{"name": "users", "count": 2, "room": "lobby"}]
  })"), "fake.json", "fake.json", testing::test_catalog());
  EXPECT_TRUE(r.ok()) << ::testing::PrintToString(r.errors);
  return *r.scenario;
}

bool every_third(uint64_t seed) { return seed % 3 == 0; }

TEST(Runner, SeedRangesAndShardsPartitionTheRange) {
  const Scenario s = fifo_scenario();
  RunOptions o;
  EXPECT_EQ(seeds_to_run(s, o).size(), 12u);
  o.seeds = 10;
  o.first_seed = 100;
  std::vector<uint64_t> all;
  for (uint32_t k = 1; k <= 3; ++k) {
    o.shard = Shard{k, 3};
    for (uint64_t seed : seeds_to_run(s, o)) {
      EXPECT_EQ(seed % 3, k - 1);
      all.push_back(seed);
    }
  }
  std::sort(all.begin(), all.end());
  std::vector<uint64_t> expected;
  for (uint64_t i = 100; i < 110; ++i) expected.push_back(i);
  EXPECT_EQ(all, expected);
  o.shard = Shard{};
  o.seed = 7;
  EXPECT_EQ(seeds_to_run(s, o), std::vector<uint64_t>{7});
}

TEST(Runner, ParseShardRejectsBadText) {
  std::string error;
  ASSERT_TRUE(parse_shard("2/8", error).has_value());
  EXPECT_EQ(parse_shard("2/8", error)->text(), "2/8");
  for (const char* bad : {"0/3", "4/3", "3", "a/b", "1/0", "/2", "-1/2"}) {
    EXPECT_FALSE(parse_shard(bad, error).has_value()) << bad;
  }
  EXPECT_EQ(error, "--shard: expected K/N with 1 <= K <= N (e.g. 2/8), got \"-1/2\"");
}

TEST(Runner, ResultsAreOrderedBySeedWhateverTheJobCount) {
  const Scenario s = fifo_scenario();
  RunOptions one;
  RunOptions four;
  four.jobs = 4;
  const SweepResult a = run_sweep(s, one, testing::fake_simulate_fn(every_third));
  const SweepResult b = run_sweep(s, four, testing::fake_simulate_fn(every_third));
  ASSERT_EQ(a.seeds.size(), 12u);
  ASSERT_EQ(b.seeds.size(), 12u);
  for (size_t i = 0; i < 12; ++i) {
    EXPECT_EQ(a.seeds[i].seed, i + 1);
    EXPECT_EQ(b.seeds[i].seed, i + 1);
    EXPECT_EQ(a.seeds[i].trace_hash, b.seeds[i].trace_hash);
    EXPECT_EQ(a.seeds[i].passed, b.seeds[i].passed);
  }
  nlohmann::json ja = a.summary;
  nlohmann::json jb = b.summary;
  for (auto* j : {&ja, &jb}) {
    for (const char* k : {"wall_seconds", "seeds_per_s", "sim_wall_ratio"}) j->erase(k);
  }
  EXPECT_EQ(ja, jb);
}

TEST(Runner, FailuresNameSeedPropertyEventAndReplayCommand) {
  const Scenario s = fifo_scenario();
  const SweepResult r = run_sweep(s, RunOptions{}, testing::fake_simulate_fn(every_third));
  EXPECT_EQ(r.summary.seeds_run, 12u);
  EXPECT_EQ(r.summary.per_property.at("fifo"), (std::pair<uint64_t, uint64_t>{8, 4}));
  ASSERT_EQ(r.summary.failures.size(), 4u);
  const Failure& f = r.summary.failures[0];
  EXPECT_EQ(f.seed, 3u);
  EXPECT_EQ(f.property, "fifo");
  EXPECT_EQ(f.event_index, 3u);
  EXPECT_EQ(f.t_ns, 310'000'000);
  EXPECT_EQ(f.replay_command, "roomsim replay fake.json --seed 3 --expect-trace-hash " + f.trace_hash +
                                  " --expect-build " + build_id());
  EXPECT_EQ(f.trace_hash, r.seeds[2].trace_hash);
  EXPECT_EQ(fail_line(f).rfind("FAIL seed=3 property=fifo t=0.310s event=3: ", 0), 0u) << fail_line(f);
  EXPECT_EQ(r.summary.coverage.at("fake.seeds"), 12u);
  EXPECT_FALSE(r.summary.passed());
}

TEST(Runner, StopAtFirstFailureFindsTheSmallestFailingSeedWhateverTheJobCount) {
  const Scenario s = fifo_scenario();
  for (int jobs : {1, 2, 4}) {
    RunOptions o;
    o.jobs = jobs;
    o.stop_at_first_failure = true;
    const SweepResult r = run_sweep(s, o, testing::fake_simulate_fn(every_third));
    ASSERT_EQ(r.seeds.size(), 3u) << jobs << " jobs";  // seeds 1, 2 pass; 3 fails; nothing after it
    EXPECT_EQ(r.seeds.back().seed, 3u);
    ASSERT_EQ(r.summary.failures.size(), 1u);
    EXPECT_EQ(r.summary.failures[0].seed, 3u);
    EXPECT_EQ(r.summary.seeds_run, 3u);
  }
  RunOptions all;
  all.stop_at_first_failure = true;
  const SweepResult none = run_sweep(s, all, testing::fake_simulate_fn([](uint64_t) { return false; }));
  EXPECT_EQ(none.seeds.size(), 12u);  // no failure: every seed runs
}

TEST(Runner, SummaryNamesWhatMakesShardsComparable) {
  Scenario s = fifo_scenario();
  RunOptions o;
  o.seeds = 10;
  o.first_seed = 100;
  o.shard = Shard{2, 3};
  const SweepSummary a = run_sweep(s, o, testing::fake_simulate_fn(every_third)).summary;
  EXPECT_EQ(a.first_seed, 100u);
  EXPECT_EQ(a.seeds_total, 10u);
  EXPECT_EQ(a.shard, "2/3");
  EXPECT_EQ(a.seeds_run, 4u);  // 2/3 takes s % 3 == 1: 100, 103, 106 and 109
  EXPECT_EQ(a.build, build_id());
  EXPECT_EQ(a.scenario_hash, scenario_content_hash(s));
  EXPECT_TRUE(check_summary(a).empty()) << check_summary(a);
  // The content hash follows the content, not the name or the path.
  Scenario renamed_path = s;
  renamed_path.source = "elsewhere/fake.json";
  EXPECT_EQ(scenario_content_hash(renamed_path), a.scenario_hash);
  Scenario more = s;
  more.config.clients[0].count += 5;
  EXPECT_NE(scenario_content_hash(more), a.scenario_hash);
  o.seed = 104;
  const SweepSummary one = run_sweep(s, o, testing::fake_simulate_fn(every_third)).summary;
  EXPECT_EQ(one.first_seed, 104u);
  EXPECT_EQ(one.seeds_total, 1u);
}

TEST(Runner, DeterminismCheckRerunsFailingAndSampledSeedsAndCatchesChanges) {
  const Scenario s = fifo_scenario();
  RunOptions o;
  o.check_determinism = true;
  o.determinism_sample = 2;
  const SweepResult steady = run_sweep(s, o, testing::fake_simulate_fn(every_third));
  EXPECT_EQ(steady.determinism_rerun, 6u);  // 4 failing + 2 passing
  EXPECT_TRUE(steady.determinism_mismatches.empty());
  // A world whose hash changes between runs of the same seed.
  auto calls = std::make_shared<std::atomic<uint64_t>>(0);
  SimulateFn flaky = [calls](const netsim::SimulationConfig& c, uint64_t seed, const netsim::SimulationOutputs&) {
    auto r = testing::fake_simulate(c, seed, every_third);
    r.trace_hash = hex16(seed * 1000 + calls->fetch_add(1));
    return r;
  };
  const SweepResult flaky_run = run_sweep(s, o, flaky);
  EXPECT_EQ(flaky_run.determinism_mismatches.size(), 6u);
  std::ostringstream text;
  print_sweep_summary(text, s, flaky_run);
  EXPECT_NE(text.str().find("NONDETERMINISTIC seed=3: trace-hash "), std::string::npos) << text.str();
}

TEST(Runner, ConfigErrorsStopTheSweepAsScenarioErrors) {
  const Scenario s = fifo_scenario();
  SimulateFn refusing = [](const netsim::SimulationConfig&, uint64_t, const netsim::SimulationOutputs&) {
    netsim::SimulationResult r;
    r.config_errors = {"clients[0]: unknown region XYZ"};
    return r;
  };
  const SweepResult r = run_sweep(s, RunOptions{}, refusing);
  ASSERT_EQ(r.config_errors.size(), 1u);
  EXPECT_FALSE(r.seeds[0].passed);
  EXPECT_TRUE(r.seeds[0].verdicts.empty());
}

TEST(Runner, SummaryTableAndProgressLines) {
  const Scenario s = fifo_scenario();
  const SweepResult r = run_sweep(s, RunOptions{}, testing::fake_simulate_fn(every_third));
  std::ostringstream text;
  print_sweep_summary(text, s, r, 2);
  const std::string out = text.str();
  EXPECT_NE(out.find("scenario fake: 12 seeds"), std::string::npos);
  EXPECT_NE(out.find("  fifo            8        4  <-"), std::string::npos) << out;
  EXPECT_NE(out.find("  replay: roomsim replay fake.json --seed 3 --expect-trace-hash "), std::string::npos);
  EXPECT_NE(out.find("... and 2 more failures"), std::string::npos);
  EXPECT_NE(out.find("FAIL: 4 of 12 seeds violated a property"), std::string::npos);
  EXPECT_EQ(format_time(12'503'000'001), "12.503s");

  std::FILE* f = std::tmpfile();
  ProgressPrinter plain(f, false, "fake", 0.0);
  const SweepResult again = run_sweep(s, RunOptions{}, testing::fake_simulate_fn(every_third), plain.callback());
  plain.finish();
  std::rewind(f);
  char buf[4096] = {};
  const size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  const std::string progress(buf, n);
  EXPECT_NE(progress.find("fake: 12/12 seeds, "), std::string::npos) << progress;
  EXPECT_NE(progress.find(", 4 failing\n"), std::string::npos) << progress;
}

}  // namespace
}  // namespace roomsim::scenarios
