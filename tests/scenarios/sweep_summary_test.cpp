// tests/scenarios/sweep_summary_test.cpp: JSON round trip, schema errors and
// shard merging of SweepSummary (the `roomsim merge` input).
#include <gtest/gtest.h>

#include <stdexcept>

#include "scenarios/sweep_summary.hpp"

namespace roomsim::scenarios {
namespace {

SweepSummary make_shard(const std::string& shard, uint64_t seed, bool fail) {
  SweepSummary s;
  s.scenario_name = "chat-partition";
  s.scenario_path = "chat-partition";
  s.properties = {"fifo", "no-loss"};
  s.seeds_run = 10;
  s.per_property["fifo"] = {10, 0};
  s.per_property["no-loss"] = {fail ? 9u : 10u, fail ? 1u : 0u};
  if (fail) {
    s.failures.push_back(Failure{seed, "no-loss", 1'500'000, 42, "message m3 acked but never delivered",
                                 "roomsim replay chat-partition --seed " + std::to_string(seed), "0123456789abcdef"});
  }
  s.wall_seconds = 2.0;
  s.seeds_per_s = 5.0;
  s.sim_wall_ratio = 100.0;
  s.coverage["partition.heal"] = 3;
  s.version = "0.1.0";
  s.shard = shard;
  return s;
}

TEST(SweepSummary, JsonRoundTripKeepsEveryField) {
  const SweepSummary s = make_shard("2/3", 7, true);
  const nlohmann::json j = s;
  EXPECT_EQ(j.at("schema"), kSweepSummarySchema);
  const SweepSummary back = j.get<SweepSummary>();
  EXPECT_EQ(nlohmann::json(back), j);
  ASSERT_EQ(back.failures.size(), 1u);
  EXPECT_EQ(back.failures[0].event_index, 42u);
  EXPECT_EQ(back.failed_checks(), 1u);
  EXPECT_FALSE(back.passed());
}

TEST(SweepSummary, BadJsonNamesThePathAndExpectation) {
  nlohmann::json j = make_shard("", 7, true);
  j["failures"][0]["seed"] = "seven";
  try {
    (void)j.get<SweepSummary>();
    FAIL() << "accepted a string seed";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "/failures/0/seed: expected an unsigned integer, got \"seven\"");
  }
  nlohmann::json k = make_shard("", 7, false);
  k.erase("seeds_run");
  EXPECT_THROW((void)k.get<SweepSummary>(), std::invalid_argument);
  nlohmann::json w = make_shard("", 7, false);
  w["schema"] = "something-else";
  EXPECT_THROW((void)w.get<SweepSummary>(), std::invalid_argument);
}

TEST(SweepSummary, MergeSumsShardsAndOrdersFailuresBySeed) {
  const MergeResult m = merge_summaries({make_shard("1/2", 9, true), make_shard("2/2", 4, true)});
  ASSERT_TRUE(m.error.empty()) << m.error;
  EXPECT_EQ(m.summary.seeds_run, 20u);
  EXPECT_EQ(m.summary.per_property.at("no-loss"), (std::pair<uint64_t, uint64_t>{18, 2}));
  ASSERT_EQ(m.summary.failures.size(), 2u);
  EXPECT_EQ(m.summary.failures[0].seed, 4u);
  EXPECT_EQ(m.summary.failures[1].seed, 9u);
  EXPECT_EQ(m.summary.coverage.at("partition.heal"), 6u);
  EXPECT_DOUBLE_EQ(m.summary.wall_seconds, 4.0);
  EXPECT_DOUBLE_EQ(m.summary.seeds_per_s, 5.0);
  EXPECT_EQ(m.summary.shard, "");
}

TEST(SweepSummary, MergeRefusesDifferentScenarios) {
  SweepSummary other = make_shard("2/2", 4, false);
  other.scenario_name = "smoke";
  const MergeResult m = merge_summaries({make_shard("1/2", 9, false), other});
  EXPECT_EQ(m.error, "part 2 is scenario \"smoke\", part 1 is \"chat-partition\"");
  EXPECT_FALSE(merge_summaries({}).error.empty());
}

}  // namespace
}  // namespace roomsim::scenarios
