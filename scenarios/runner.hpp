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

// The pseudo-property of a seed whose simulation itself failed. Its rules:
// "simulation.incomplete" (the run stopped before the end of its liveness
// phase, e.g. on its event budget), "simulation.room_exception" (a room
// handler threw), "simulation.exception" (simulate() threw).
// kSimulationProperty ("simulation") is declared in scenarios/sweep_summary.hpp.

// The failing "simulation" verdict of a run that did not run to its end
// (explanation: the stop reason or the room's exception), or nullopt for a
// complete run. REQUIRES: sim.config_errors is empty.
std::optional<properties::Verdict> simulation_verdict(const netsim::SimulationResult& sim);

// Runs one seed and checks the properties. Pure in (scenario, seed, simulate)
// except for wall_seconds. `outputs` is passed to the simulator (trace JSONL,
// kept lines); when `history_out` is set it receives the recorded history.
// A seed passes only if its run completed: an incomplete run, a room that
// threw, or an exception out of `simulate` fails it with a single
// "simulation" verdict (the properties are not judged on a cut history).
// Never throws what `simulate` throws.
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
// Coverage holds every probe of
// netsim::probe::sweep_required_probes(), with 0 hits when no seed reached it.
SweepSummary summarize(const Scenario& scenario, const std::vector<SeedResult>& seeds, double wall_seconds,
                       const Shard& shard, std::optional<SeedRange> range = std::nullopt);

}  // namespace roomsim::scenarios
