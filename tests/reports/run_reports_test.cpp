// tests/reports/run_reports_test.cpp: the CLI entry points on a real
// scenario: a seed-rooms sweep's report names the failing seeds and carries
// their pictures; a replayed seed's report names its seed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

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
  EXPECT_TRUE(std::filesystem::exists(dir / ("seed-" + std::to_string(first.seed) + "-sequence-" + first.property + ".svg")));
}

TEST(RunReports, SeedReportOfAReplay) {
  const auto loaded = scenarios::load_scenario("smoke");
  ASSERT_TRUE(loaded.ok());
  properties::History history;
  Placement placement;
  const scenarios::SeedResult result =
      scenarios::run_seed(*loaded.scenario, 7, simulate_keeping(placement), {}, &history);
  EXPECT_FALSE(placement.client_region.empty()) << "the run's placement is kept for the map";
  const scenarios::SweepSummary summary = scenarios::summarize(*loaded.scenario, {result}, 0.1, {});
  const std::filesystem::path dir = fresh_dir("seed");
  const WriteStatus status = write_seed_report(dir, *loaded.scenario, summary, result, history, placement);
  ASSERT_TRUE(status.ok()) << status.error;
  const std::string html = read_file(dir / "index.html");
  EXPECT_TRUE(testing::parse_xml(html).ok());
  EXPECT_NE(html.find("<h2>Seed 7</h2>"), std::string::npos);
  EXPECT_NE(html.find(result.trace_hash), std::string::npos);
  EXPECT_NE(html.find("class=\"histogram\""), std::string::npos);
}

}  // namespace
}  // namespace roomsim::reports
