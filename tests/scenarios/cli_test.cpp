// tests/scenarios/cli_test.cpp: the roomsim scenario subcommands end to end,
// through the built binary: exit codes (0 ok, 1 property violated, 2 usage
// or scenario error), the FAIL line and replay command, replay's trace hash
// matching the sweep's, shard + merge, diff, check-history and shrink.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <string>

#include <nlohmann/json.hpp>

#include "cli_process.hpp"

namespace {

namespace fs = std::filesystem;
using roomsim::testing::CliRun;
using roomsim::testing::run_roomsim;
using roomsim::testing::roomsim_binary;

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(roomsim_binary())) GTEST_SKIP() << roomsim_binary() << " not built (build the roomsim target)";
    dir_.emplace("cli_test");
  }
  void TearDown() override { dir_.reset(); }
  std::string write(const std::string& name, const std::string& text) { return dir_->write(name, text); }
  std::string path(const std::string& name) const { return dir_->file(name); }

  // Passes: two lurkers in a corrected chat room, judged on fifo only.
  std::string passing() {
    return write("quiet.json", R"({"name": "quiet", "properties": ["fifo", "no_duplicates"],
      "rooms": [{"kind": "chat", "id": "lobby"}],
      "clients": [{"name": "lurkers", "count": 2, "room": "lobby", "behaviour": "lurker"}],
      "phases": {"safety_ms": 1000, "liveness_ms": 1000, "convergence_bound_ms": 1000}})");
  }
  // Fails: seed-broadcast has no resume; an eviction makes clients miss messages (seed flaw 6).
  std::string failing() {
    return write("gap.json", R"({"name": "gap", "properties": ["recovery"],
      "rooms": [{"kind": "seed-broadcast", "id": "news"}],
      "clients": [{"name": "users", "count": 4, "room": "news", "send_rate_per_s": 2}],
      "faults": [{"kind": "room-evict", "start_ms": 2000, "room": "news"}],
      "phases": {"safety_ms": 4000, "liveness_ms": 5000, "convergence_bound_ms": 4000}})");
  }

  std::optional<roomsim::testing::TempDir> dir_;
};

TEST_F(Cli, RunExitCodes) {
  EXPECT_EQ(run_roomsim("run " + passing() + " --seeds 3 -q").exit_code, 0);
  const CliRun fail = run_roomsim("run " + failing() + " --seeds 10 -j 2 -q");
  EXPECT_EQ(fail.exit_code, 1) << fail.output;
  EXPECT_TRUE(std::regex_search(fail.output, std::regex("FAIL seed=[0-9]+ property=recovery t=[0-9]+\\.[0-9]{3}s event=[0-9]+: ")))
      << fail.output;
  EXPECT_NE(fail.output.find("  replay: roomsim replay " + path("gap.json") + " --seed "), std::string::npos);
  const CliRun missing = run_roomsim("run /nonexistent/x.json");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("/nonexistent/x.json: no such file, and not a built-in scenario"), std::string::npos);
  EXPECT_EQ(run_roomsim("run " + passing() + " --shard 3/2").exit_code, 2);
  EXPECT_EQ(run_roomsim("run " + passing() + " --no-such-flag").exit_code, 2);
}

TEST_F(Cli, CheckReportsEveryErrorWithPathAndExitsTwo) {
  EXPECT_EQ(run_roomsim("check smoke swarm " + passing()).exit_code, 0);
  const std::string bad = write("bad.json", R"({"name": "bad", "rooms": [{"kind": "chat", "id": "lobby"}],
      "clients": [{"name": "users", "count": 0, "room": "lobby"}],
      "faults": [{"kind": "partition", "start_ms": 0, "duration_ms": "10s", "client": "users-0"}]})");
  const CliRun r = run_roomsim("check " + bad);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("bad.json: /clients/0/count: expected an integer in [1, 1000000], got 0"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("bad.json: /faults/0/duration_ms: expected an integer in [1, 10000000000], got \"10s\""), std::string::npos);
  EXPECT_NE(r.output.find("2 errors"), std::string::npos);
}

TEST_F(Cli, ReplayHashMatchesTheSweepAndWritesTraceAndHistory) {
  const std::string gap = failing();
  ASSERT_EQ(run_roomsim("run " + gap + " --seeds 10 -j 2 -q --json " + path("sum.json")).exit_code, 1);
  std::ifstream in(path("sum.json"));
  const auto summary = nlohmann::json::parse(in);
  ASSERT_FALSE(summary["failures"].empty());
  const uint64_t seed = summary["failures"][0]["seed"];
  const std::string hash = summary["failures"][0]["trace_hash"];
  const CliRun replay = run_roomsim("replay " + gap + " --seed " + std::to_string(seed) + " --trace " + path("a.jsonl") +
                             " --history " + path("h.jsonl"));
  EXPECT_EQ(replay.exit_code, 1);
  EXPECT_NE(replay.output.find("trace-hash: " + hash + "\n"), std::string::npos) << replay.output;
  EXPECT_NE(replay.output.find("FAIL recovery t="), std::string::npos);
  // The recorded history judged again gives the same verdict.
  EXPECT_EQ(run_roomsim("check-history " + path("h.jsonl") + " -p recovery").exit_code, 1);
  EXPECT_EQ(run_roomsim("check-history " + path("h.jsonl") + " -p fifo").exit_code, 0);
  EXPECT_EQ(run_roomsim("check-history " + path("missing.jsonl")).exit_code, 2);
  EXPECT_EQ(run_roomsim("check-history " + path("h.jsonl") + " -p speed").exit_code, 2);
  {  // An empty history passes every property vacuously, and each says why.
    std::ofstream(path("empty.jsonl")) << "{\"history\":1,\"events\":0}\n";
    const CliRun empty = run_roomsim("check-history " + path("empty.jsonl"));
    EXPECT_EQ(empty.exit_code, 0);
    EXPECT_NE(empty.output.find("PASS authorization: no auth_required recorded for any room: tokens not judged\n"),
              std::string::npos)
        << empty.output;
    EXPECT_NE(empty.output.find("PASS liveness: no liveness phase in the history\n"), std::string::npos);
  }
  // Same seed twice: identical traces; another seed: a difference.
  ASSERT_EQ(run_roomsim("replay " + gap + " --seed " + std::to_string(seed) + " --trace " + path("b.jsonl")).exit_code, 1);
  EXPECT_EQ(run_roomsim("diff " + path("a.jsonl") + " " + path("b.jsonl")).exit_code, 0);
  run_roomsim("replay " + gap + " --seed " + std::to_string(seed + 1) + " --trace " + path("c.jsonl"));
  const CliRun d = run_roomsim("diff " + path("a.jsonl") + " " + path("c.jsonl"));
  EXPECT_EQ(d.exit_code, 1);
  EXPECT_NE(d.output.find("traces differ at line "), std::string::npos);
  EXPECT_EQ(run_roomsim("diff " + path("a.jsonl") + " " + path("none.jsonl")).exit_code, 2);
}

TEST_F(Cli, ShardsMergeIntoTheUnshardedSummary) {
  const std::string gap = failing();
  run_roomsim("run " + gap + " --seeds 9 -q --json " + path("all.json"));
  for (int k = 1; k <= 3; ++k) {
    run_roomsim("run " + gap + " --seeds 9 -q --shard " + std::to_string(k) + "/3 --json " + path("p" + std::to_string(k) + ".json"));
  }
  const CliRun m = run_roomsim("merge " + path("p1.json") + " " + path("p2.json") + " " + path("p3.json") + " --json " +
                        path("merged.json"));
  std::ifstream a(path("all.json"));
  std::ifstream b(path("merged.json"));
  auto all = nlohmann::json::parse(a);
  auto merged = nlohmann::json::parse(b);
  for (auto* j : {&all, &merged}) {
    for (const char* k : {"wall_seconds", "seeds_per_s", "sim_wall_ratio"}) j->erase(k);
  }
  EXPECT_EQ(all, merged);
  EXPECT_EQ(m.exit_code, all["failures"].empty() ? 0 : 1) << m.output;
  write("junk.json", "{}");
  EXPECT_EQ(run_roomsim("merge " + path("junk.json")).exit_code, 2);
}

TEST_F(Cli, ShrinkWritesAScenarioThatReplaysTheFailure) {
  const std::string gap = failing();
  ASSERT_EQ(run_roomsim("run " + gap + " --seeds 10 -q --json " + path("s.json")).exit_code, 1);
  std::ifstream in(path("s.json"));
  const uint64_t seed = nlohmann::json::parse(in)["failures"][0]["seed"];
  const CliRun shrink = run_roomsim("shrink " + gap + " --seed " + std::to_string(seed) + " --out " + path("min.json") +
                             " --max-runs 60");
  ASSERT_EQ(shrink.exit_code, 0) << shrink.output;
  EXPECT_NE(shrink.output.find("before: "), std::string::npos);
  EXPECT_NE(shrink.output.find("after:  "), std::string::npos);
  const CliRun replay = run_roomsim("replay " + path("min.json") + " --seed " + std::to_string(seed));
  EXPECT_EQ(replay.exit_code, 1) << replay.output;
  EXPECT_NE(replay.output.find("FAIL recovery"), std::string::npos);
  EXPECT_EQ(run_roomsim("shrink " + passing() + " --seed 1 --out " + path("none.json")).exit_code, 1);
}

// Issue 15: hostile input files end in exit 2 with a message, never a signal.
TEST_F(Cli, DeeplyNestedFilesAreRefusedNotCrashedOn) {
  // About 200 KB nested 70,000 deep: recursive dump()/copies used to overflow the stack (SIGSEGV).
  const std::string deep = std::string(70'000, '[') + std::string(70'000, ']');
  const std::string scenario = write("deep.json", deep);
  const std::string in_config = write("deep-config.json", R"({"name": "d", "rooms": [{"kind": "chat", "config": {"host": )" +
                                                              deep + R"(}}], "clients": []})");
  for (const std::string& file : {scenario, in_config}) {
    for (const char* cmd : {"check ", "replay --seed 1 ", "run -q --seeds 1 "}) {
      const CliRun r = run_roomsim(cmd + file);
      EXPECT_EQ(r.exit_code, 2) << cmd << file << ": " << r.output;
      EXPECT_NE(r.output.find("nested deeper than 64 levels"), std::string::npos) << cmd << file << ": " << r.output;
    }
  }
  const std::string history = write("deep.jsonl", "{\"t_ns\":0,\"kind\":\"send\",\"text\":" + deep + "}\n");
  const CliRun h = run_roomsim("check-history " + history);
  EXPECT_EQ(h.exit_code, 2) << h.output;
  EXPECT_NE(h.output.find("deep.jsonl:1: /text/0/0/0/"), std::string::npos) << h.output.substr(0, 300);
  // diff prints the differing lines: a deep one is shown raw instead of pretty-printed.
  const std::string other = write("other.jsonl", "{\"kind\":\"x\",\"fields\":" + deep + "}\n");
  const std::string plain = write("plain.jsonl", "{\"kind\":\"x\",\"fields\":1}\n");
  const CliRun d = run_roomsim("diff " + other + " " + plain);
  EXPECT_EQ(d.exit_code, 1) << d.output.substr(0, 300);
  EXPECT_NE(d.output.find("B " + plain + ": x 1"), std::string::npos) << d.output.substr(0, 300);
}

TEST_F(Cli, DirectoriesAreNotReadAsEmptyFiles) {
  fs::create_directories(path("d1"));
  fs::create_directories(path("d2"));
  const CliRun diff = run_roomsim("diff " + path("d1") + " " + path("d2"));
  EXPECT_EQ(diff.exit_code, 2) << diff.output;
  EXPECT_NE(diff.output.find(path("d1") + ": is a directory, expected a JSONL trace file"), std::string::npos);
  const CliRun check = run_roomsim("check " + path("d1"));
  EXPECT_EQ(check.exit_code, 2) << check.output;
  EXPECT_NE(check.output.find(path("d1") + ": is a directory, expected a scenario file"), std::string::npos);
  const CliRun history = run_roomsim("check-history " + path("d1"));
  EXPECT_EQ(history.exit_code, 2) << history.output;
  EXPECT_NE(history.output.find(path("d1") + ": is a directory, expected a history JSONL file"), std::string::npos);
}

// An unreadable input or one that is not line-shaped is an error (exit 2), never
// "identical": /proc/self/mem fails every read (EIO) and /dev/zero is one endless
// line (it grew memory until the process died). Both once exited 0.
TEST_F(Cli, DiffRefusesUnreadableAndEndlessInputs) {
  const std::string ok = write("ok.jsonl", "{\"i\":0}\n");
  const CliRun mem = run_roomsim("diff /proc/self/mem " + ok);
  EXPECT_EQ(mem.exit_code, 2) << mem.output;
  EXPECT_NE(mem.output.find("/proc/self/mem: line 1: read error"), std::string::npos) << mem.output;
  const CliRun zero = run_roomsim("diff " + ok + " /dev/zero");
  EXPECT_EQ(zero.exit_code, 2) << zero.output;
  EXPECT_NE(zero.output.find("/dev/zero: line 1: longer than"), std::string::npos) << zero.output;
}

TEST_F(Cli, TokenRefusesScopesNoUrlCanMatchAndExpiriesPastInt64) {
  EXPECT_EQ(run_roomsim("token --user u --room chat/lobby").exit_code, 0);
  for (const char* room : {"'chat/a b'", "nonsense", "chat/", "/lobby", "chat/a/b"}) {
    const CliRun r = run_roomsim(std::string("token --user u --room ") + room);
    EXPECT_EQ(r.exit_code, 2) << room;
    EXPECT_NE(r.output.find("--room must be KIND/ID"), std::string::npos) << r.output;
  }
  const CliRun far = run_roomsim("token --user u --ttl-s 9223372036854775807");
  EXPECT_EQ(far.exit_code, 2) << far.output;
  EXPECT_NE(far.output.find("--ttl-s is too large"), std::string::npos) << far.output;
}

TEST_F(Cli, ADuplicatedKeyIsAnErrorWithItsPath) {
  const std::string twice = write("twice.json", R"({"name": "twice", "rooms": [{"kind": "chat", "id": "lobby"}],
      "clients": [{"name": "users", "count": 2, "room": "lobby"}],
      "faults": [{"kind": "room-evict", "start_ms": 10, "room": "lobby"}],
      "faults": []})");
  const CliRun r = run_roomsim("check " + twice);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("twice.json: /faults: duplicate key \"faults\""), std::string::npos) << r.output;
  const std::string history = write("twice.jsonl", "{\"t_ns\":0,\"kind\":\"send\",\"conn\":1,\"conn\":2}\n");
  const CliRun h = run_roomsim("check-history " + history);
  EXPECT_EQ(h.exit_code, 2) << h.output;
  EXPECT_NE(h.output.find("twice.jsonl:1: /conn: duplicate key \"conn\""), std::string::npos) << h.output;
}

TEST_F(Cli, ListAndHelp) {
  const CliRun list = run_roomsim("list");
  EXPECT_EQ(list.exit_code, 0) << list.output;
  for (const char* s : {"room kinds:", "seed-chat", "properties:", "fifo", "built-in scenarios", "smoke", "swarm",
                        "seed-rooms", "topologies:", "small"}) {
    EXPECT_NE(list.output.find(s), std::string::npos) << s;
  }
  for (const char* cmd : {"run", "replay", "shrink", "diff", "merge", "check", "check-history", "list", "demo"}) {
    EXPECT_EQ(run_roomsim(std::string(cmd) + " --help").exit_code, 0) << cmd;
  }
}

}  // namespace
