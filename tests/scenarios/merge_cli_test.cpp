// tests/scenarios/merge_cli_test.cpp: `roomsim merge` refuses what must not
// be merged, through the built binary, as a CI user would meet it: the same
// shard twice, a missing shard (and --allow-partial, which never passes),
// shards of two scenario files that share a name, of different seed totals,
// of different builds, and tampered summaries. Also the replay command a
// summary carries: it reproduces the seed and says so, and warns about
// another build.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/labels.hpp"
#include "cli_process.hpp"

namespace {

namespace fs = std::filesystem;
using namespace roomsim::testing;

// A scenario named "gap" whose seed-faithful broadcast room loses messages
// across an eviction (seed flaw 6), with `users` clients.
std::string gap_scenario(int users) {
  return R"({"name": "gap", "properties": ["recovery", "fifo"],
      "rooms": [{"kind": "seed-broadcast", "id": "news"}],
      "clients": [{"name": "users", "count": )" +
         std::to_string(users) + R"(, "room": "news", "send_rate_per_s": 2}],
      "faults": [{"kind": "room-evict", "start_ms": 2000, "room": "news"}],
      "phases": {"safety_ms": 4000, "liveness_ms": 5000, "convergence_bound_ms": 4000}})";
}

class MergeCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(roomsim_binary())) GTEST_SKIP() << roomsim_binary() << " not built (build the roomsim target)";
    dir_.emplace("merge_cli_test");
    gap_ = dir_->write("gap.json", gap_scenario(4));
    quiet_ = dir_->write("quiet.json", R"({"name": "quiet", "properties": ["fifo"],
      "rooms": [{"kind": "chat", "id": "lobby"}],
      "clients": [{"name": "lurkers", "count": 2, "room": "lobby", "behaviour": "lurker"}],
      "phases": {"safety_ms": 1000, "liveness_ms": 1000, "convergence_bound_ms": 1000}})");
  }
  std::string path(const std::string& name) const { return dir_->file(name); }

  // Runs shard k/n of `scenario` with `seeds` seeds into <name>.json and returns that path.
  std::string shard(const std::string& scenario, int k, int n, int seeds, const std::string& name) {
    const std::string out = path(name + ".json");
    const CliRun r = run_roomsim("run " + scenario + " --seeds " + std::to_string(seeds) + " -q --shard " +
                             std::to_string(k) + "/" + std::to_string(n) + " --json " + out);
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.output;
    return out;
  }

  static nlohmann::json load(const std::string& file) { return nlohmann::json::parse(read_file(file)); }
  void save(const std::string& file, const nlohmann::json& j) { dir_->write(fs::path(file).filename(), j.dump(2)); }

  std::optional<roomsim::testing::TempDir> dir_;
  std::string gap_;
  std::string quiet_;
};

TEST_F(MergeCli, TheSameShardTwiceIsRefused) {
  const std::string p1 = shard(gap_, 1, 3, 9, "p1");
  const std::string p2 = shard(gap_, 2, 3, 9, "p2");
  const std::string p3 = shard(gap_, 3, 3, 9, "p3");
  fs::copy_file(p1, path("p1-again.json"));
  const CliRun r = run_roomsim("merge " + p1 + " " + p2 + " " + p3 + " " + path("p1-again.json"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("merge: " + p1 + " and " + path("p1-again.json") + " are both shard 1/3"), std::string::npos)
      << r.output;
  // Without the copy the same files merge.
  EXPECT_EQ(run_roomsim("merge " + p1 + " " + p2 + " " + p3).exit_code, 1);
}

TEST_F(MergeCli, SeedsFailingSeveralPropertiesMergeToOneUnshardedRun) {
  // seed-rooms fails several properties on one seed, recorded in check order.
  const CliRun one = run_roomsim("run seed-rooms --seeds 6 -q --json " + path("all.json"));
  ASSERT_EQ(one.exit_code, 1) << one.output;
  std::string parts;
  for (int k = 1; k <= 3; ++k) parts.append(" ").append(shard("seed-rooms", k, 3, 6, roomsim::testing::label("p", k)));
  const CliRun m = run_roomsim("merge" + parts + " --json " + path("merged.json"));
  EXPECT_EQ(m.exit_code, 1) << m.output;
  nlohmann::json all = load(path("all.json"));
  nlohmann::json merged = load(path("merged.json"));
  std::set<uint64_t> seeds_failing_twice;
  std::map<uint64_t, int> per_seed;
  for (const auto& f : all["failures"]) {
    if (++per_seed[f["seed"].get<uint64_t>()] == 2) seeds_failing_twice.insert(f["seed"].get<uint64_t>());
  }
  EXPECT_FALSE(seeds_failing_twice.empty()) << "no seed fails two properties; the test lost its point";
  for (auto* j : {&all, &merged}) {
    for (const char* k : {"wall_seconds", "seeds_per_s", "sim_wall_ratio"}) j->erase(k);
  }
  EXPECT_EQ(all, merged);
}

TEST_F(MergeCli, AMissingShardIsRefusedAndAllowPartialNeverPasses) {
  const std::string p1 = shard(quiet_, 1, 3, 12, "p1");
  const std::string p2 = shard(quiet_, 2, 3, 12, "p2");
  const std::string p3 = shard(quiet_, 3, 3, 12, "p3");
  ASSERT_EQ(run_roomsim("merge " + p1 + " " + p2 + " " + p3).exit_code, 0);
  const CliRun refused = run_roomsim("merge " + p1 + " " + p2 + " --json " + path("m.json"));
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_NE(refused.output.find("merge: missing shard 3/3 of 3: 4 of the 12 seeds 1..12 did not run"),
            std::string::npos)
      << refused.output;
  EXPECT_FALSE(fs::exists(path("m.json")));

  const CliRun partial =
      run_roomsim("merge " + p1 + " " + p2 + " --allow-partial --json " + path("m.json") + " --junit " + path("j.xml"));
  EXPECT_EQ(partial.exit_code, 1) << partial.output;  // every seed that ran passed, and still not a pass
  EXPECT_NE(partial.output.find("missing shards: 3/3: 4 of the 12 seeds did not run"), std::string::npos)
      << partial.output;
  EXPECT_NE(partial.output.find("INCOMPLETE: 0 of 8 seeds"), std::string::npos) << partial.output;
  const nlohmann::json m = load(path("m.json"));
  EXPECT_EQ(m["missing_shards"], nlohmann::json::array({"3/3"}));
  EXPECT_EQ(m["seeds_missing"], 4);
  EXPECT_EQ(m["seeds_run"], 8);
  EXPECT_NE(read_file(path("j.xml")).find("<error type=\"MissingShards\" message=\"4 of 12 seeds did not run: "
                                          "missing shards 3/3\""),
            std::string::npos);
  // A partial merge is no shard: merging it again is refused.
  const CliRun again = run_roomsim("merge " + path("m.json") + " " + p3);
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.output.find("this is a partial merge (missing 3/3)"), std::string::npos) << again.output;
}

TEST_F(MergeCli, ScenariosThatShareANameButNotTheirContentAreRefused) {
  const std::string more = dir_->write("gap-more.json", gap_scenario(9));  // five more clients, same name
  const std::string p1 = shard(gap_, 1, 2, 6, "p1");
  const std::string p2 = shard(more, 2, 2, 6, "p2");
  const CliRun r = run_roomsim("merge " + p1 + " " + p2);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("merge: " + p1 + " and " + p2 + " differ in scenario_hash (\""), std::string::npos)
      << r.output;
}

TEST_F(MergeCli, DifferentSeedTotalsAreRefused) {
  const std::string p1 = shard(quiet_, 1, 2, 8, "p1");
  const std::string p2 = shard(quiet_, 2, 2, 10, "p2");
  const CliRun r = run_roomsim("merge " + p1 + " " + p2);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("differ in seeds_total (\"8\" vs \"10\")"), std::string::npos) << r.output;
  const CliRun first = run_roomsim("run " + quiet_ + " --seeds 8 --first-seed 5 -q --shard 2/2 --json " + path("p3.json"));
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(run_roomsim("merge " + p1 + " " + path("p3.json")).output.find("differ in first_seed (\"1\" vs \"5\")"),
            std::string::npos);
  const std::string q1 = shard(quiet_, 1, 3, 8, "q1");
  EXPECT_NE(run_roomsim("merge " + p1 + " " + q1).output.find("differ in shard count (\"1/2\" vs \"1/3\")"),
            std::string::npos);
}

TEST_F(MergeCli, DifferentBuildsOrPropertiesAreRefused) {
  const std::string p1 = shard(quiet_, 1, 2, 6, "p1");
  const std::string p2 = shard(quiet_, 2, 2, 6, "p2");
  nlohmann::json j = load(p2);
  j["build"] = "clang-14.0.6/libc++/Release/0123456789ab";
  save(p2, j);
  CliRun r = run_roomsim("merge " + p1 + " " + p2);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("differ in build (\""), std::string::npos) << r.output;
  j = load(p1);
  j["version"] = "0.0.9";
  save(p2, j);
  EXPECT_NE(run_roomsim("merge " + p1 + " " + p2).output.find("differ in version"), std::string::npos);
  j = load(p1);
  j["shard"] = "2/2";
  j["properties"] = {"fifo", "no_duplicates"};
  j["per_property"]["no_duplicates"] = {{"pass", 3}, {"fail", 0}};
  save(p2, j);
  r = run_roomsim("merge " + p1 + " " + p2);
  EXPECT_NE(r.output.find("differ in properties (\"fifo\" vs \"fifo, no_duplicates\")"), std::string::npos)
      << r.output;
}

TEST_F(MergeCli, SummariesThatContradictThemselvesAreRefused) {
  const std::string p1 = shard(gap_, 1, 2, 10, "p1");
  const std::string p2 = shard(gap_, 2, 2, 10, "p2");
  const std::string original = read_file(p2);
  nlohmann::json j = load(p2);
  ASSERT_FALSE(j["failures"].empty()) << "the gap scenario should fail on some seed of shard 2/2";
  j["failures"][0]["replay_command"] = "roomsim replay gap.json --seed 1; rm -rf ~";
  save(p2, j);
  CliRun r = run_roomsim("merge " + p1 + " " + p2);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find(p2 + ": /failures/0/replay_command: expected \"roomsim replay "), std::string::npos)
      << r.output;
  dir_->write("p2.json", original);
  j = load(p1);
  j["seeds_run"] = 4;  // shard 1/2 of 1..10 holds 5 seeds
  save(p1, j);
  r = run_roomsim("merge " + p1 + " " + p2);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find(p1 + ": seeds_run: 4, but shard 1/2 holds 5 (seeds s with s % 2 == 0 in 1..10)"),
            std::string::npos)
      << r.output;
  dir_->write("deep.json", std::string(100, '[') + std::string(100, ']'));
  r = run_roomsim("merge " + path("deep.json"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("nested deeper than 16 levels"), std::string::npos) << r.output;
  dir_->write("twice.json", R"({"schema": "roomsim.sweep-summary/2", "schema": "roomsim.sweep-summary/2"})");
  r = run_roomsim("merge " + path("twice.json"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("twice.json: /schema: duplicate key \"schema\""), std::string::npos) << r.output;
  dir_->write("v1.json", R"({"schema": "roomsim.sweep-summary/1"})");
  EXPECT_NE(run_roomsim("merge " + path("v1.json")).output.find("/schema: expected \"roomsim.sweep-summary/2\""),
            std::string::npos);
}

TEST_F(MergeCli, TheReplayCommandOfAFailureReproducesItAndNamesItsBuild) {
  ASSERT_EQ(run_roomsim("run " + gap_ + " --seeds 10 -q --json " + path("all.json")).exit_code, 1);
  const nlohmann::json all = load(path("all.json"));
  ASSERT_FALSE(all["failures"].empty());
  const nlohmann::json& f = all["failures"][0];
  const std::string command = f["replay_command"];
  const std::string build = all["build"];
  EXPECT_EQ(command, "roomsim replay " + gap_ + " --seed " + std::to_string(f["seed"].get<uint64_t>()) +
                         " --expect-trace-hash " + f["trace_hash"].get<std::string>() + " --expect-build " + build);
  EXPECT_EQ(run_roomsim("version").output, "roomsim 0.1.0\nbuild: " + build + "\n");

  const std::string args = command.substr(std::string("roomsim ").size());
  CliRun r = run_roomsim(args);
  EXPECT_EQ(r.exit_code, 1) << r.output;  // the property fails again
  EXPECT_NE(r.output.find("(the same as the run that found this seed: reproduced byte for byte)"), std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("warning:"), std::string::npos) << r.output;

  const std::string other = args.substr(0, args.find(" --expect-build ")) + " --expect-build clang-14.0.6/libc++/Release/x";
  r = run_roomsim(other);
  EXPECT_NE(r.output.find("warning: seed " + std::to_string(f["seed"].get<uint64_t>()) +
                          " was found by build clang-14.0.6/libc++/Release/x; this binary is build " + build),
            std::string::npos)
      << r.output;

  r = run_roomsim("replay " + gap_ + " --seed " + std::to_string(f["seed"].get<uint64_t>()) +
              " --expect-trace-hash 0000000000000000");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("DIFFERS from 0000000000000000"), std::string::npos) << r.output;
  EXPECT_EQ(run_roomsim("replay " + quiet_ + " --seed 1 --expect-trace-hash nothex").exit_code, 2);
}

}  // namespace
