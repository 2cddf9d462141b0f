// tests/scenarios/golden_trace_test.cpp: pinned trace hashes of busy, faulty runs.
//
// Every built-in scenario (scenarios/builtin/*.json) for two fixed seeds, and a
// small copy of bench/netsim_bench's chat workload (several rooms on the mid
// topology, jitter, periodic partitions, crashes, evictions and edge restarts)
// for the "chat" and "broadcast" kinds. The trace hash covers every observation
// of a run (netsim/recorder.hpp), so a pinned hash proves that a change left
// the simulated world's behaviour byte for byte the same.
//
// A PURE OPTIMISATION (netsim, rooms, engine) MUST NOT CHANGE ANY HASH HERE.
// If one changes, the change altered behaviour: find out why before anything else.
//
// Refreshing, only when a behaviour change is intended (a new trace line, a
// changed room rule, a different random draw): run
//   ./build/tests/roomsim_tests_scenarios --gtest_filter='GoldenTrace*'
// copy each "actual" hash the failures print into the tables below, and say in
// the commit message which behaviour changed and why the hashes moved.
// (The scenarios/ tests run here because built-in scenarios are loaded by
// scenarios/; the run itself is netsim::simulate.)
#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "netsim/chat_workload.hpp"
#include "netsim/simulation.hpp"
#include "scenarios/scenario_loader.hpp"

namespace roomsim::scenarios {
namespace {

struct GoldenRun {
  const char* scenario;  // built-in scenario name
  uint64_t seed;
  const char* trace_hash;
};

const GoldenRun kBuiltinRuns[] = {
    {"chat-partition", 1, "13ecf73ffc76c19c"},
    {"chat-partition", 7, "42bfd967b2db0fab"},
    {"chat-restarts", 1, "4555a05ae25ba86f"},
    {"chat-restarts", 7, "ddd4d20433a64e5c"},
    {"dashboard-global", 1, "edda626bfedf6776"},
    {"dashboard-global", 7, "ac2b4718699be753"},
    {"hostile-clients", 1, "afd22a7b277c48c0"},
    {"hostile-clients", 7, "65454e46b4e6871c"},
    {"seed-rooms", 1, "6581b2c43c086391"},
    {"seed-rooms", 7, "55b1293c0c379e2a"},
    {"smoke", 1, "e308245e14497cd5"},
    {"smoke", 7, "eac2019e626aa38d"},
    {"swarm", 1, "66cbc3584d57487d"},
    {"swarm", 7, "39e80df6872ab447"},
    {"swarm", 808, "56f979355e3f761b"},
};

// Readable test names in failures instead of the struct's bytes.
void PrintTo(const GoldenRun& g, std::ostream* os) { *os << g.scenario << " seed " << g.seed; }

class GoldenTraceBuiltin : public ::testing::TestWithParam<GoldenRun> {};

TEST_P(GoldenTraceBuiltin, TraceHashIsPinned) {
  const GoldenRun& g = GetParam();
  const LoadResult loaded = load_scenario(g.scenario);
  ASSERT_TRUE(loaded.ok()) << loaded.errors.front();
  const netsim::SimulationResult r = netsim::simulate(loaded.scenario->config, g.seed);
  ASSERT_TRUE(r.config_errors.empty()) << r.config_errors.front();
  EXPECT_GT(r.history.size(), 200u);  // a busy run, not an empty one
  EXPECT_EQ(r.trace_hash, g.trace_hash) << g.scenario << " seed " << g.seed << ": actual " << r.trace_hash;
}

INSTANTIATE_TEST_SUITE_P(Builtin, GoldenTraceBuiltin, ::testing::ValuesIn(kBuiltinRuns),
                         [](const ::testing::TestParamInfo<GoldenRun>& info) {
                           std::string name = std::string(info.param.scenario) + "_" + std::to_string(info.param.seed);
                           for (char& ch : name) {
                             if (ch == '-') ch = '_';
                           }
                           return name;
                         });

// bench/netsim_bench's BM_ChatWorkload (netsim/chat_workload.hpp), small: `rooms` rooms of
// `per_room` chatters on the mid topology, exponential jitter, a fault every
// 10 s (partition, crash, eviction, edge restart in turn), 60 simulated seconds.
netsim::SimulationConfig mini_bench_config(const std::string& kind, int rooms, int per_room) {
  netsim::ChatWorkload w;
  w.name = "golden-mini-bench";
  w.kind = kind;
  w.rooms = rooms;
  w.clients = rooms * per_room;
  w.send_rate_per_s = 0.5;
  w.connect_at_ms_max = 5'000;
  w.total_ms = 60'000;
  w.fault_every_ms = 10'000;
  w.fault_duration_ms = 3'000;
  return netsim::chat_workload_config(w);
}

TEST(GoldenTraceMiniBench, ChatAndBroadcastHashesArePinnedWithAndWithoutHistory) {
  struct Case {
    const char* kind;
    uint64_t seed;
    const char* trace_hash;
  };
  const Case cases[] = {{"chat", 1, "8fd47af6cdda0655"}, {"chat", 2, "0d243f09f92bf529"}, {"broadcast", 1, "f20f287824bce7bb"}};
  for (const Case& k : cases) {
    const netsim::SimulationConfig config = mini_bench_config(k.kind, 4, 30);
    const netsim::SimulationResult with_history = netsim::simulate(config, k.seed);
    ASSERT_TRUE(with_history.config_errors.empty()) << with_history.config_errors.front();
    EXPECT_GT(with_history.deliveries, 50'000u);
    EXPECT_EQ(with_history.trace_hash, k.trace_hash) << k.kind << " seed " << k.seed << ": actual "
                                                     << with_history.trace_hash;
    // The bench runs without a History: that switch must not change the trace.
    netsim::SimulationOutputs no_history;
    no_history.record_history = false;
    const netsim::SimulationResult bare = netsim::simulate(config, k.seed, no_history);
    EXPECT_EQ(bare.trace_hash, with_history.trace_hash) << k.kind << " seed " << k.seed;
    EXPECT_EQ(bare.deliveries, with_history.deliveries);
  }
}

}  // namespace
}  // namespace roomsim::scenarios
