// tests/reports/run_reports_test.cpp: the CLI entry points on a real
// scenario: a seed-rooms sweep's report names the failing seeds and carries
// their pictures; a replayed seed's report names its seed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "reports/graphviz_render.hpp"
#include "reports/run_reports.hpp"
#include "scenarios/runner.hpp"
#include "scenarios/scenario_loader.hpp"
#include "xml_check.hpp"

namespace roomsim::reports {
namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::filesystem::path fresh_dir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(ROOMSIM_BINARY_DIR) / "tests" / "reports-out" / name;
  std::filesystem::remove_all(dir);
  return dir;
}

TEST(RunReports, SweepReportDetailsTheFailingSeeds) {
  const auto loaded = scenarios::load_scenario("seed-rooms");
  ASSERT_TRUE(loaded.ok());
  scenarios::RunOptions options;
  options.seeds = 2;
  const scenarios::SweepResult sweep = scenarios::run_sweep(*loaded.scenario, options, scenarios::default_simulate());
  ASSERT_FALSE(sweep.summary.failures.empty()) << "seed-rooms is expected to fail";
  const std::filesystem::path dir = fresh_dir("sweep");
  const WriteStatus status = write_sweep_report(dir, *loaded.scenario, sweep.summary, 1);
  ASSERT_TRUE(status.ok()) << status.error;
  const std::string html = read_file(dir / "index.html");
  ASSERT_TRUE(testing::parse_xml(html).ok());
  const scenarios::Failure& first = sweep.summary.failures.front();
  EXPECT_NE(html.find("<h2>Seed " + std::to_string(first.seed) + "</h2>"), std::string::npos);
  EXPECT_NE(html.find("<code>" + first.property + "</code> violated"), std::string::npos);
  EXPECT_EQ(html.find("not deterministic"), std::string::npos) << "re-simulation must give the sweep's trace hash";
  const std::filesystem::path sequence =
      dir / ("seed-" + std::to_string(first.seed) + "-sequence-" + first.property + ".svg");
  ASSERT_TRUE(std::filesystem::exists(sequence));
  // The re-simulation recorded frame hops: the diagram has edge lanes.
  const std::string svg = read_file(sequence);
  EXPECT_NE(svg.find(">edge "), std::string::npos) << "an edge lane header";
  EXPECT_NE(svg.find("from the run&#39;s frame&#45;hop log"), std::string::npos);  // Graphviz escapes ' and -
}

// One seed run as `roomsim replay --report DIR` runs it: simulate_keeping,
// then write_seed_report into a fresh DIR.
struct Replay {
  scenarios::Scenario scenario;
  properties::History history;
  Placement placement;
  scenarios::SeedResult result;
  std::filesystem::path dir;
  WriteStatus status;
};

Replay replay_with_report(const std::string& scenario, uint64_t seed, const std::string& dir_name) {
  Replay r;
  const auto loaded = scenarios::load_scenario(scenario);
  EXPECT_TRUE(loaded.ok());
  if (!loaded.ok()) return r;
  r.scenario = *loaded.scenario;
  r.result = scenarios::run_seed(r.scenario, seed, simulate_keeping(r.placement), {}, &r.history);
  const scenarios::SweepSummary summary = scenarios::summarize(r.scenario, {r.result}, 0.1, {});
  r.dir = fresh_dir(dir_name);
  r.status = write_seed_report(r.dir, r.scenario, summary, r.result, r.history, r.placement);
  return r;
}

TEST(RunReports, ReplayReportOfAFailingSeedHasEdgeLanes) {
  const Replay r = replay_with_report("seed-rooms", 1, "replay-failing");
  ASSERT_TRUE(r.status.ok()) << r.status.error;
  ASSERT_FALSE(r.result.passed) << "seed-rooms seed 1 is expected to fail";
  ASSERT_TRUE(r.placement.frame_hops.recorded);
  EXPECT_GT(r.placement.frame_hops.hops.size(), 100u);
  // The hop log changes nothing the run observes.
  const scenarios::SeedResult plain = scenarios::run_seed(r.scenario, 1, scenarios::default_simulate(), {});
  EXPECT_EQ(plain.trace_hash, r.result.trace_hash);

  const std::string html = read_file(r.dir / "index.html");
  ASSERT_TRUE(testing::parse_xml(html).ok());
  EXPECT_NE(html.find("<h2>Seed 1</h2>"), std::string::npos);
  const properties::Verdict* failed = nullptr;
  for (const auto& v : r.result.verdicts) {
    if (!v.passed && failed == nullptr) failed = &v;
  }
  ASSERT_NE(failed, nullptr);
  EXPECT_NE(html.find("<code>" + failed->property + "</code> violated"), std::string::npos);
  const std::string dot = read_file(r.dir / ("seed-1-sequence-" + failed->property + ".dot"));
  std::string error;
  EXPECT_TRUE(dot_parses(dot, &error)) << error;
  EXPECT_NE(dot.find("label=\"edge "), std::string::npos) << "edge lanes named by region";
  EXPECT_NE(dot.find("up\" -> \"hop"), std::string::npos) << "a frame's arrow from its edge to the room";
}

TEST(RunReports, SeedReportOfAReplay) {
  const Replay r = replay_with_report("smoke", 7, "seed");
  ASSERT_TRUE(r.status.ok()) << r.status.error;
  EXPECT_FALSE(r.placement.client_region.empty()) << "the run's placement is kept for the map";
  const std::string html = read_file(r.dir / "index.html");
  EXPECT_TRUE(testing::parse_xml(html).ok());
  EXPECT_NE(html.find("<h2>Seed 7</h2>"), std::string::npos);
  EXPECT_NE(html.find(r.result.trace_hash), std::string::npos);
  EXPECT_NE(html.find("class=\"histogram\""), std::string::npos);
}

}  // namespace
}  // namespace roomsim::reports
