// tests/reports/synthetic_summary.cpp: the fixed summary behind the goldens.
#include "synthetic_summary.hpp"

namespace roomsim::reports::testing {

scenarios::SweepSummary synthetic_summary() {
  scenarios::SweepSummary s;
  s.scenario_name = "chat-partition";
  s.scenario_path = "scenarios/builtin/chat-partition.json";
  s.scenario_hash = "5ca1ab1e00c0ffee";
  s.first_seed = 1;
  s.seeds_total = 800;
  s.properties = {"fifo", "total_order", "durability", "presence_convergence"};
  s.seeds_run = 200;
  s.per_property = {{"fifo", {198, 2}},
                    {"total_order", {200, 0}},
                    {"durability", {199, 1}},
                    {"presence_convergence", {0, 0}}};
  auto failure = [](uint64_t seed, const char* property, int64_t t_ns, size_t index, const char* explanation) {
    scenarios::Failure f;
    f.seed = seed;
    f.property = property;
    f.t_ns = t_ns;
    f.event_index = index;
    f.explanation = explanation;
    f.trace_hash = seed == 17 ? "00ff00ff00ff00ff" : "0123456789abcdef";
    f.replay_command = scenarios::replay_command("scenarios/builtin/chat-partition.json", seed, f.trace_hash,
                                                 "gcc-12.2.0/libstdc++/Release/81f5986abcde");
    return f;
  };
  s.failures = {
      failure(17, "fifo", 12'503'000'000, 4211, "client c17 received seq 42 before seq 41 in room chat/r3 at t=12.503s"),
      failure(17, "durability", 20'000'000'000, 5000,
              "acked message \"hello <world> & 'friends'\" lost after crash of room chat/lobby"),
      failure(123, "fifo", 1'000'000, 3, "client c1 received seq 7 before seq 6 in room chat/lobby at t=0.001s"),
  };
  s.wall_seconds = 4.25;
  s.seeds_per_s = 47.0588;
  s.sim_wall_ratio = 2352.9;
  s.coverage = {{"fault.partition", 120}, {"fault.room_crash", 31}, {"room.resume_gap", 0}};
  s.version = "0.1.0";
  s.build = "gcc-12.2.0/libstdc++/Release/81f5986abcde";
  s.shard = "1/4";
  s.sweep_trace_hash = "0f1e2d3c4b5a6978";
  return s;
}

scenarios::SweepSummary partial_merge_summary() {
  scenarios::SweepSummary s;
  s.scenario_name = "smoke";
  s.properties = {"fifo"};
  s.seeds_total = 30;
  s.seeds_run = 20;
  s.per_property = {{"fifo", {20, 0}}};
  s.missing_shards = {"3/3"};
  s.seeds_missing = 10;
  return s;
}

}  // namespace roomsim::reports::testing
