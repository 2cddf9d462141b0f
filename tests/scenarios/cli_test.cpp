// tests/scenarios/cli_test.cpp: the roomsim scenario subcommands end to end,
// through the built binary: exit codes (0 ok, 1 property violated, 2 usage
// or scenario error), the FAIL line and replay command, replay's trace hash
// matching the sweep's, shard + merge, diff, check-history and shrink.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;

struct CliRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

const std::string& binary() {
  static const std::string path = std::string(ROOMSIM_BINARY_DIR) + "/cli/roomsim";
  return path;
}

CliRun roomsim(const std::string& args) {
  CliRun r;
  const std::string cmd = binary() + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(binary())) GTEST_SKIP() << binary() << " not built (build the roomsim target)";
    dir_ = fs::temp_directory_path() / ("roomsim_cli_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

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

  fs::path dir_;
};

TEST_F(Cli, RunExitCodes) {
  EXPECT_EQ(roomsim("run " + passing() + " --seeds 3 -q").exit_code, 0);
  const CliRun fail = roomsim("run " + failing() + " --seeds 10 -j 2 -q");
  EXPECT_EQ(fail.exit_code, 1) << fail.output;
  EXPECT_TRUE(std::regex_search(fail.output, std::regex("FAIL seed=[0-9]+ property=recovery t=[0-9]+\\.[0-9]{3}s event=[0-9]+: ")))
      << fail.output;
  EXPECT_NE(fail.output.find("  replay: roomsim replay " + path("gap.json") + " --seed "), std::string::npos);
  const CliRun missing = roomsim("run /nonexistent/x.json");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("/nonexistent/x.json: no such file, and not a built-in scenario"), std::string::npos);
  EXPECT_EQ(roomsim("run " + passing() + " --shard 3/2").exit_code, 2);
  EXPECT_EQ(roomsim("run " + passing() + " --no-such-flag").exit_code, 2);
}

TEST_F(Cli, CheckReportsEveryErrorWithPathAndExitsTwo) {
  EXPECT_EQ(roomsim("check smoke swarm " + passing()).exit_code, 0);
  const std::string bad = write("bad.json", R"({"name": "bad", "rooms": [{"kind": "chat", "id": "lobby"}],
      "clients": [{"name": "users", "count": 0, "room": "lobby"}],
      "faults": [{"kind": "partition", "start_ms": 0, "duration_ms": "10s", "client": "users-0"}]})");
  const CliRun r = roomsim("check " + bad);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("bad.json: /clients/0/count: expected a positive integer, got 0"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("bad.json: /faults/0/duration_ms: expected a positive integer, got \"10s\""), std::string::npos);
  EXPECT_NE(r.output.find("2 errors"), std::string::npos);
}

TEST_F(Cli, ReplayHashMatchesTheSweepAndWritesTraceAndHistory) {
  const std::string gap = failing();
  ASSERT_EQ(roomsim("run " + gap + " --seeds 10 -j 2 -q --json " + path("sum.json")).exit_code, 1);
  std::ifstream in(path("sum.json"));
  const auto summary = nlohmann::json::parse(in);
  ASSERT_FALSE(summary["failures"].empty());
  const uint64_t seed = summary["failures"][0]["seed"];
  const std::string hash = summary["failures"][0]["trace_hash"];
  const CliRun replay = roomsim("replay " + gap + " --seed " + std::to_string(seed) + " --trace " + path("a.jsonl") +
                             " --history " + path("h.jsonl"));
  EXPECT_EQ(replay.exit_code, 1);
  EXPECT_NE(replay.output.find("trace-hash: " + hash + "\n"), std::string::npos) << replay.output;
  EXPECT_NE(replay.output.find("FAIL recovery t="), std::string::npos);
  // The recorded history judged again gives the same verdict.
  EXPECT_EQ(roomsim("check-history " + path("h.jsonl") + " -p recovery").exit_code, 1);
  EXPECT_EQ(roomsim("check-history " + path("h.jsonl") + " -p fifo").exit_code, 0);
  EXPECT_EQ(roomsim("check-history " + path("missing.jsonl")).exit_code, 2);
  EXPECT_EQ(roomsim("check-history " + path("h.jsonl") + " -p speed").exit_code, 2);
  {  // An empty history passes every property vacuously, and each says why.
    std::ofstream(path("empty.jsonl")) << "{\"history\":1,\"events\":0}\n";
    const CliRun empty = roomsim("check-history " + path("empty.jsonl"));
    EXPECT_EQ(empty.exit_code, 0);
    EXPECT_NE(empty.output.find("PASS authorization: no auth_required recorded for any room: tokens not judged\n"),
              std::string::npos)
        << empty.output;
    EXPECT_NE(empty.output.find("PASS liveness: no liveness phase in the history\n"), std::string::npos);
  }
  // Same seed twice: identical traces; another seed: a difference.
  ASSERT_EQ(roomsim("replay " + gap + " --seed " + std::to_string(seed) + " --trace " + path("b.jsonl")).exit_code, 1);
  EXPECT_EQ(roomsim("diff " + path("a.jsonl") + " " + path("b.jsonl")).exit_code, 0);
  roomsim("replay " + gap + " --seed " + std::to_string(seed + 1) + " --trace " + path("c.jsonl"));
  const CliRun d = roomsim("diff " + path("a.jsonl") + " " + path("c.jsonl"));
  EXPECT_EQ(d.exit_code, 1);
  EXPECT_NE(d.output.find("traces differ at line "), std::string::npos);
  EXPECT_EQ(roomsim("diff " + path("a.jsonl") + " " + path("none.jsonl")).exit_code, 2);
}

TEST_F(Cli, ShardsMergeIntoTheUnshardedSummary) {
  const std::string gap = failing();
  roomsim("run " + gap + " --seeds 9 -q --json " + path("all.json"));
  for (int k = 1; k <= 3; ++k) {
    roomsim("run " + gap + " --seeds 9 -q --shard " + std::to_string(k) + "/3 --json " + path("p" + std::to_string(k) + ".json"));
  }
  const CliRun m = roomsim("merge " + path("p1.json") + " " + path("p2.json") + " " + path("p3.json") + " --json " +
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
  EXPECT_EQ(roomsim("merge " + path("junk.json")).exit_code, 2);
}

TEST_F(Cli, ShrinkWritesAScenarioThatReplaysTheFailure) {
  const std::string gap = failing();
  ASSERT_EQ(roomsim("run " + gap + " --seeds 10 -q --json " + path("s.json")).exit_code, 1);
  std::ifstream in(path("s.json"));
  const uint64_t seed = nlohmann::json::parse(in)["failures"][0]["seed"];
  const CliRun shrink = roomsim("shrink " + gap + " --seed " + std::to_string(seed) + " --out " + path("min.json") +
                             " --max-runs 60");
  ASSERT_EQ(shrink.exit_code, 0) << shrink.output;
  EXPECT_NE(shrink.output.find("before: "), std::string::npos);
  EXPECT_NE(shrink.output.find("after:  "), std::string::npos);
  const CliRun replay = roomsim("replay " + path("min.json") + " --seed " + std::to_string(seed));
  EXPECT_EQ(replay.exit_code, 1) << replay.output;
  EXPECT_NE(replay.output.find("FAIL recovery"), std::string::npos);
  EXPECT_EQ(roomsim("shrink " + passing() + " --seed 1 --out " + path("none.json")).exit_code, 1);
}

TEST_F(Cli, ListAndHelp) {
  const CliRun list = roomsim("list");
  EXPECT_EQ(list.exit_code, 0) << list.output;
  for (const char* s : {"room kinds:", "seed-chat", "properties:", "fifo", "built-in scenarios", "smoke", "swarm",
                        "seed-rooms", "topologies:", "small"}) {
    EXPECT_NE(list.output.find(s), std::string::npos) << s;
  }
  for (const char* cmd : {"run", "replay", "shrink", "diff", "merge", "check", "check-history", "list", "demo"}) {
    EXPECT_EQ(roomsim(std::string(cmd) + " --help").exit_code, 0) << cmd;
  }
}

}  // namespace
