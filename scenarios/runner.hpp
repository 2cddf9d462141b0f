// scenarios/runner.hpp: runs seeds of a scenario and folds them into a
// SweepSummary.
//
// Seeds: the sweep covers first_seed .. first_seed + seeds - 1 (or the single
// seed `seed`). Sharding: with shard K/N only seeds s with s % N == K - 1 run,
// so N machines running the same command with shards 1/N .. N/N cover the
// range exactly once and `roomsim merge` combines their summaries.
//
// Parallelism: `jobs` worker std::threads pull seeds from a shared counter;
// each simulation is single-threaded and shares nothing with the others. The
// results are stored by seed position, so results, summary, failures and
// printed output are ordered by seed whatever `jobs` is, and every trace hash
// is the same as a single-threaded replay of that seed.
//
// The simulator and the checkers are reached through `SimulateFn`, which
// defaults to netsim::simulate, so tests can inject a fake world.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "netsim/simulation.hpp"
#include "scenarios/run_result.hpp"
#include "scenarios/scenario.hpp"
#include "scenarios/shard.hpp"

namespace roomsim::scenarios {

using SimulateFn = std::function<netsim::SimulationResult(const netsim::SimulationConfig&, uint64_t seed,
                                                          const netsim::SimulationOutputs&)>;

// netsim::simulate against rooms::builtin_registry().
SimulateFn default_simulate();

struct RunOptions {
  uint64_t seeds = 0;  // 0: the scenario's default seed count
  uint64_t first_seed = 1;
  std::optional<uint64_t> seed;  // run exactly this seed
  int jobs = 1;
  Shard shard;
  // Reruns every failing seed and `determinism_sample` passing ones (evenly
  // spread) and compares trace hashes.
  bool check_determinism = false;
  size_t determinism_sample = 8;
  // Stop at the first failing seed: no seed above the smallest failing one
  // is started, and every seed below it still runs, so the sweep's first
  // failure is the same whatever `jobs` is. Seeds not run are absent from
  // the results.
  bool stop_at_first_failure = false;
};

// The seeds a sweep runs, ascending.
std::vector<uint64_t> seeds_to_run(const Scenario& scenario, const RunOptions& options);

// Properties checked for this scenario, in order: the scenario's list, or
// default_properties() (scenarios/property_defaults.hpp).
std::vector<std::string> properties_to_check(const Scenario& scenario);

// Runs one seed and checks the properties. Pure in (scenario, seed, simulate)
// except for wall_seconds. `outputs` is passed to the simulator (trace JSONL,
// kept lines); when `history_out` is set it receives the recorded history.
SeedResult run_seed(const Scenario& scenario, uint64_t seed, const SimulateFn& simulate,
                    const netsim::SimulationOutputs& outputs = {}, properties::History* history_out = nullptr);

// Called after each finished seed, from worker threads but serialized by the
// runner (never concurrently). Arguments: seeds done, seeds total, failing seeds so far.
using ProgressFn = std::function<void(uint64_t done, uint64_t total, uint64_t failing, const SeedResult& last)>;

struct DeterminismMismatch {
  uint64_t seed = 0;
  std::string first_hash;
  std::string second_hash;
};

struct SweepResult {
  std::vector<SeedResult> seeds;  // ordered by seed
  SweepSummary summary;
  std::vector<std::string> config_errors;  // non-empty: the simulator refused the scenario; exit 2
  uint64_t determinism_rerun = 0;          // seeds rerun by check_determinism
  std::vector<DeterminismMismatch> determinism_mismatches;
};

SweepResult run_sweep(const Scenario& scenario, const RunOptions& options, const SimulateFn& simulate,
                      const ProgressFn& progress = {});

// The seed range a sweep was asked for, before sharding.
struct SeedRange {
  uint64_t first_seed = 1;
  uint64_t seeds_total = 0;
};
SeedRange seed_range(const Scenario& scenario, const RunOptions& options);

// The replay command of one seed of this scenario (scenarios/sweep_summary.hpp),
// naming this binary's build.
std::string replay_command(const Scenario& scenario, uint64_t seed, const std::string& trace_hash);

// Folds seed results (in seed order) into a summary. Wall-clock fields come
// from `wall_seconds`. `range` defaults to the seeds given (first seed, count).
SweepSummary summarize(const Scenario& scenario, const std::vector<SeedResult>& seeds, double wall_seconds,
                       const Shard& shard, std::optional<SeedRange> range = std::nullopt);

}  // namespace roomsim::scenarios
