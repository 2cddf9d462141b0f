// engine/self_check.hpp: a small deterministic workload that exercises the
// Simulator, Rng streams and Trace together. Used by `roomsim selfcheck` and
// the tests: the same seed must always give the same trace hash.
#pragma once

#include <cstdint>
#include <string>

namespace roomsim {

struct SelfCheckResult {
  uint64_t seed = 0;
  uint64_t events_run = 0;
  uint64_t trace_lines = 0;
  std::string trace_hash;     // 16 hex digits
  int64_t final_time_ns = 0;
};

// Simulates `workers` ping-pong chains with exponential think times and random
// cancellations for `duration_s` virtual seconds. Pure function of its inputs.
SelfCheckResult run_engine_self_check(uint64_t seed, int workers = 64, int duration_s = 60);

}  // namespace roomsim
