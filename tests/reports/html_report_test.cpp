// tests/reports/html_report_test.cpp: the HTML report of a failing seed names
// the failing property and seed, carries its commands and pictures, is
// well-formed, and renders in headless Chromium when it is installed.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "properties/checker.hpp"
#include "reports/html_report.hpp"
#include "synthetic_history.hpp"
#include "synthetic_summary.hpp"
#include "xml_check.hpp"

namespace roomsim::reports {
namespace {

struct FailingSeed {
  properties::History history = testing::fifo_violation_history(/*filler=*/200);
  SeedDetails details;
  FailingSeed() {
    details.seed = 17;
    details.history = &history;
    details.verdicts = properties::check_properties(history, {"fifo", "no_duplicates"});
    details.trace_hash = "00ff00ff00ff00ff";
    TopologyView v;
    v.regions = {{"AMS", "Amsterdam", 52.37, 4.90, 0, {}}, {"SIN", "Singapore", 1.35, 103.82, 0, {}},
                 {"IAD", "Ashburn", 39.04, -77.49, 0, {}}};
    Placement placement;
    placement.client_region = {{"c1", "AMS"}, {"c2", "SIN"}, {"c3", "IAD"}};
    placement.room_home = {{"chat/lobby", "AMS"}};
    add_history_usage(v, history, placement);
    v.partitions = partitions_from_history(history);
    details.topology = v;
  }
};

std::filesystem::path fresh_dir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(ROOMSIM_BINARY_DIR) / "tests" / "reports-out" / name;
  std::filesystem::remove_all(dir);
  return dir;
}

TEST(HtmlReport, FailingSeedPageNamesPropertySeedAndCommands) {
  FailingSeed f;
  ASSERT_FALSE(f.details.verdicts[0].passed) << "the synthetic history must violate fifo";
  const HtmlReport r = build_html_report(testing::synthetic_summary(), {f.details});
  const auto parsed = testing::parse_xml(r.index_html);
  ASSERT_TRUE(parsed.ok()) << parsed.error;
  const std::string& html = r.index_html;
  EXPECT_NE(html.find("<h2>Seed 17</h2>"), std::string::npos);
  EXPECT_NE(html.find("<code>fifo</code> violated at 0.265s"), std::string::npos);
  EXPECT_NE(html.find("roomsim replay scenarios/builtin/chat-partition.json --seed 17"), std::string::npos);
  EXPECT_NE(html.find("roomsim shrink scenarios/builtin/chat-partition.json --seed 17 --out shrunk-seed-17.json"),
            std::string::npos);
  EXPECT_NE(html.find("id=\"ev" + std::to_string(f.details.verdicts[0].violating.front()) + "\""), std::string::npos)
      << "the sequence diagram with the violating event is inline";
  EXPECT_NE(html.find("class=\"histogram\""), std::string::npos);
  EXPECT_NE(html.find("IAD · 1 client"), std::string::npos) << "topology map inline";
  // No external resource: every src/href is a local file or an anchor.
  EXPECT_EQ(html.find(" src="), std::string::npos);
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
  std::vector<std::string> names;
  for (const auto& [name, content] : r.files) names.push_back(name);
  EXPECT_NE(std::find(names.begin(), names.end(), "seed-17-sequence-fifo.dot"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "seed-17-room.svg"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "seed-17-topology.dot"), names.end());
  // Fault kinds the sweep never injected are called out.
  EXPECT_NE(html.find("fault kinds never injected: "), std::string::npos);
  EXPECT_NE(html.find("latency_spike"), std::string::npos);
}

TEST(HtmlReport, SameInputsGiveTheSameBytes) {
  FailingSeed f;
  const HtmlReport a = build_html_report(testing::synthetic_summary(), {f.details});
  const HtmlReport b = build_html_report(testing::synthetic_summary(), {f.details});
  EXPECT_EQ(a.index_html, b.index_html);
  ASSERT_EQ(a.files.size(), b.files.size());
  for (size_t i = 0; i < a.files.size(); ++i) EXPECT_EQ(a.files[i], b.files[i]) << a.files[i].first;
}

TEST(HtmlReport, PassingSweepSaysSo) {
  scenarios::SweepSummary s;
  s.scenario_name = "smoke";
  s.properties = {"fifo"};
  s.seeds_run = 3;
  s.per_property = {{"fifo", {3, 0}}};
  const HtmlReport r = build_html_report(s);
  EXPECT_TRUE(testing::parse_xml(r.index_html).ok());
  EXPECT_NE(r.index_html.find("badge pass\">PASS"), std::string::npos);
  EXPECT_NE(r.index_html.find("No property was violated"), std::string::npos);
  EXPECT_TRUE(r.files.empty());
}

TEST(HtmlReport, PartialMergeIsNoPass) {
  const scenarios::SweepSummary s = testing::partial_merge_summary();
  const HtmlReport r = build_html_report(s);
  EXPECT_TRUE(testing::parse_xml(r.index_html).ok());
  EXPECT_EQ(r.index_html.find("badge pass"), std::string::npos);
  EXPECT_NE(r.index_html.find("badge fail\">INCOMPLETE"), std::string::npos);
  EXPECT_NE(r.index_html.find("shards 3/3 were missing, so 10 of the 30 seeds have no verdict"), std::string::npos);
}

TEST(HtmlReport, HostileTextCannotBreakThePage) {
  scenarios::SweepSummary s = testing::synthetic_summary();
  s.scenario_name = "</title><script>alert(1)</script>";
  s.failures[0].explanation = "<img src=x onerror=alert(1)> ]]> &amp;";
  const HtmlReport r = build_html_report(s);
  const auto parsed = testing::parse_xml(r.index_html);
  ASSERT_TRUE(parsed.ok()) << parsed.error;
  EXPECT_EQ(r.index_html.find("<script>"), std::string::npos);
  EXPECT_EQ(r.index_html.find("<img"), std::string::npos);
}

TEST(HtmlReport, WritesIndexAndPictureFiles) {
  FailingSeed f;
  const std::filesystem::path dir = fresh_dir("write");
  const WriteStatus status = write_html_report(dir, testing::synthetic_summary(), {f.details});
  ASSERT_TRUE(status.ok()) << status.error;
  EXPECT_TRUE(std::filesystem::exists(dir / "index.html"));
  EXPECT_TRUE(std::filesystem::exists(dir / "seed-17-sequence-fifo.svg"));
  EXPECT_TRUE(std::filesystem::exists(dir / "seed-17-topology.dot"));
}

TEST(HtmlReport, UnwritableDirectoryIsAnError) {
  const WriteStatus status = write_html_report("/proc/roomsim-report", testing::synthetic_summary());
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.error.find("/proc/roomsim-report"), std::string::npos) << status.error;
}

// Chromium parses the page as HTML (not XML) and runs its layout: the DOM it
// dumps must still hold the failing seed and property.
TEST(HtmlReport, RendersInHeadlessChromium) {
  const char* chromium = "/usr/bin/chromium";
  if (!std::filesystem::exists(chromium)) GTEST_SKIP() << "chromium is not installed";
  FailingSeed f;
  const std::filesystem::path dir = fresh_dir("chromium");
  ASSERT_TRUE(write_html_report(dir, testing::synthetic_summary(), {f.details}).ok());
  const std::filesystem::path profile = dir / "profile";
  const std::string command = std::string("timeout 90 ") + chromium +
                              " --headless --no-sandbox --disable-gpu --disable-background-networking"
                              " --disable-component-update --disable-sync --no-first-run --user-data-dir=" +
                              profile.string() + " --dump-dom file://" + (dir / "index.html").string() +
                              " 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string dom;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) dom.append(buf.data(), n);
  const int rc = pclose(pipe);
  if (dom.empty()) GTEST_SKIP() << "chromium produced no DOM (exit " << rc << "); cannot run headless here";
  EXPECT_NE(dom.find("Seed 17"), std::string::npos);
  EXPECT_NE(dom.find("<code>fifo</code> violated"), std::string::npos);
  EXPECT_NE(dom.find("<svg"), std::string::npos);
}

}  // namespace
}  // namespace roomsim::reports
