// tests/reports/junit_test.cpp: JUnit XML structure, escaping and golden file;
// JSON summary golden file and round trip.
#include <gtest/gtest.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include "golden.hpp"
#include "reports/json_summary.hpp"
#include "reports/junit.hpp"
#include "synthetic_summary.hpp"
#include "xml_check.hpp"

namespace roomsim::reports {
namespace {

std::string junit_text(const std::vector<scenarios::SweepSummary>& s) {
  std::ostringstream out;
  write_junit(s, out);
  return out.str();
}

TEST(Junit, OneSuitePerScenarioOneCasePerProperty) {
  scenarios::SweepSummary passing;
  passing.scenario_name = "smoke";
  passing.properties = {"fifo", "liveness"};
  passing.seeds_run = 10;
  passing.per_property = {{"fifo", {10, 0}}, {"liveness", {10, 0}}};
  const auto parsed = testing::parse_xml(junit_text({testing::synthetic_summary(), passing}));
  ASSERT_TRUE(parsed.ok()) << parsed.error;
  EXPECT_EQ(parsed.root.name, "testsuites");
  EXPECT_EQ(parsed.root.attributes.at("tests"), "6");
  EXPECT_EQ(parsed.root.attributes.at("failures"), "2");
  const auto suites = parsed.root.children_named("testsuite");
  ASSERT_EQ(suites.size(), 2u);
  EXPECT_EQ(suites[0]->attributes.at("name"), "chat-partition");
  EXPECT_EQ(suites[0]->attributes.at("failures"), "2");
  EXPECT_EQ(suites[0]->attributes.at("skipped"), "1");
  EXPECT_EQ(suites[1]->attributes.at("name"), "smoke");
  EXPECT_EQ(suites[1]->attributes.at("failures"), "0");

  const auto cases = suites[0]->children_named("testcase");
  ASSERT_EQ(cases.size(), 4u);
  EXPECT_EQ(cases[0]->attributes.at("name"), "fifo");
  EXPECT_EQ(cases[0]->attributes.at("classname"), "roomsim.chat-partition");
  const auto fifo_failure = cases[0]->children_named("failure");
  ASSERT_EQ(fifo_failure.size(), 1u);
  EXPECT_NE(fifo_failure[0]->attributes.at("message").find("violated in 2 of 200 seeds"), std::string::npos);
  EXPECT_NE(fifo_failure[0]->text.find("seed=17 property=fifo t=12.503s event=4211"), std::string::npos);
  EXPECT_NE(fifo_failure[0]->text.find("roomsim replay scenarios/builtin/chat-partition.json --seed 123"),
            std::string::npos);
  EXPECT_TRUE(cases[1]->children.empty()) << "total_order passed";
  // The hostile explanation comes back byte for byte after XML decoding.
  const auto durability_failure = cases[2]->children_named("failure");
  ASSERT_EQ(durability_failure.size(), 1u);
  EXPECT_NE(durability_failure[0]->text.find("\"hello <world> & 'friends'\""), std::string::npos);
  EXPECT_EQ(cases[3]->children_named("skipped").size(), 1u);
  std::vector<const testing::XmlElement*> props;
  suites[0]->collect("property", props);
  ASSERT_EQ(props.size(), 8u);
  EXPECT_EQ(props[3]->attributes.at("name"), "seeds_run");
  EXPECT_EQ(props[3]->attributes.at("value"), "200");
  EXPECT_EQ(props[5]->attributes.at("name"), "build");
  EXPECT_EQ(props[5]->attributes.at("value"), "gcc-12.2.0/libstdc++/Release/81f5986abcde");
}

TEST(Junit, APartialMergeIsAnErrorCase) {
  const scenarios::SweepSummary s = testing::partial_merge_summary();
  const auto parsed = testing::parse_xml(junit_text({s}));
  ASSERT_TRUE(parsed.ok()) << parsed.error;
  EXPECT_EQ(parsed.root.attributes.at("errors"), "1");
  EXPECT_EQ(parsed.root.attributes.at("tests"), "2");
  const auto suites = parsed.root.children_named("testsuite");
  ASSERT_EQ(suites.size(), 1u);
  EXPECT_EQ(suites[0]->attributes.at("errors"), "1");
  const auto cases = suites[0]->children_named("testcase");
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0]->attributes.at("name"), "all seeds ran");
  const auto error = cases[0]->children_named("error");
  ASSERT_EQ(error.size(), 1u);
  EXPECT_EQ(error[0]->attributes.at("message"), "10 of 30 seeds did not run: missing shards 3/3");
}

TEST(Junit, CapsTheListedSeedsAndSaysSo) {
  scenarios::SweepSummary s;
  s.scenario_name = "many";
  s.properties = {"fifo"};
  s.seeds_run = 1000;
  s.per_property = {{"fifo", {0, 1000}}};
  for (uint64_t seed = 0; seed < 1000; ++seed) {
    scenarios::Failure f;
    f.seed = seed;
    f.property = "fifo";
    s.failures.push_back(f);
  }
  const auto parsed = testing::parse_xml(junit_text({s}));
  ASSERT_TRUE(parsed.ok()) << parsed.error;
  std::vector<const testing::XmlElement*> failures;
  parsed.root.collect("failure", failures);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_NE(failures[0]->text.find("seed=49 "), std::string::npos);
  EXPECT_EQ(failures[0]->text.find("seed=50 "), std::string::npos);
  EXPECT_NE(failures[0]->text.find("and 950 more failing seeds"), std::string::npos);
}

TEST(Junit, HostileScenarioNameStaysWellFormed) {
  scenarios::SweepSummary s;
  s.scenario_name = "a\"<b>&c\x01";
  s.properties = {"x<y"};
  s.per_property = {{"x<y", {0, 1}}};
  const auto parsed = testing::parse_xml(junit_text({s}));
  ASSERT_TRUE(parsed.ok()) << parsed.error;
  EXPECT_EQ(parsed.root.children_named("testsuite")[0]->attributes.at("name"), "a\"<b>&c\xEF\xBF\xBD");
}

TEST(Junit, MatchesGolden) { testing::expect_matches_golden("junit.xml", junit_text({testing::synthetic_summary()})); }

TEST(JsonSummary, MatchesGoldenAndRoundTrips) {
  const scenarios::SweepSummary s = testing::synthetic_summary();
  const std::string text = json_summary_text(s);
  testing::expect_matches_golden("summary.json", text);
  scenarios::SweepSummary back;
  from_json(nlohmann::json::parse(text), back);
  EXPECT_EQ(json_summary_text(back), text);
}

TEST(JsonSummary, FileWriterReportsUnwritablePaths) {
  const WriteStatus status = write_json_summary_file(testing::synthetic_summary(), "/proc/roomsim-no/x.json");
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.error.find("/proc/roomsim-no"), std::string::npos) << status.error;
}

}  // namespace
}  // namespace roomsim::reports
