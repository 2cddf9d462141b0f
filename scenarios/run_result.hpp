// scenarios/run_result.hpp: the result of running one seed of a scenario.
//
// `SeedResult` is what the runner produces per seed (and what `roomsim
// replay` prints). The runner folds SeedResults into a SweepSummary
// (scenarios/sweep_summary.hpp), in seed order, whatever the worker count.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "netsim/fault_pairs.hpp"
#include "properties/checker.hpp"
#include "scenarios/sweep_summary.hpp"

namespace roomsim::scenarios {

struct SeedResult {
  uint64_t seed = 0;
  std::string trace_hash;  // 16 hex digits; equal for equal (binary, scenario, seed)
  std::vector<properties::Verdict> verdicts;  // one per checked property, in check order
  bool passed = true;  // every verdict passed and the configuration was valid
  int64_t simulated_ns = 0;
  uint64_t events_run = 0;
  double wall_seconds = 0;  // not deterministic; reporting only
  std::map<std::string, uint64_t> coverage;
  std::vector<netsim::FaultKindPair> fault_pairs;  // kinds that occurred together (netsim/fault_pairs.hpp)
  std::string stop_reason;  // from the simulator ("end", "event budget", ...)
  // Non-empty: the simulator refused the configuration and nothing ran
  // (a scenario error, exit code 2, not a property failure).
  std::vector<std::string> config_errors;
};

}  // namespace roomsim::scenarios
