// cli/scenario_cli.hpp: helpers shared by the scenario subcommands (run,
// replay, shrink, check, demo): loading a scenario argument with its errors
// printed, and one sweep with its console output and report files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "scenarios/runner.hpp"
#include "scenarios/scenario.hpp"

namespace roomsim::cli {

// Loads a path or built-in name; on failure prints every error to stderr.
std::optional<scenarios::Scenario> load_scenario_or_report(const std::string& name_or_path);

struct SweepArgs {
  std::string scenario;
  uint64_t seeds = 0;
  std::optional<uint64_t> seed;
  uint64_t first_seed = 1;
  int jobs = 0;  // 0: one per hardware thread
  std::string shard;
  std::string json_file;
  std::string junit_file;
  std::string report_dir;
  bool shrink = false;
  bool quiet = false;
  bool check_determinism = false;
};

struct SweepOutcome {
  int exit_code = 2;
  std::optional<scenarios::SweepSummary> summary;
};

// Runs one sweep as `roomsim run` does: progress on stderr, summary on
// stdout, report files, optional shrink of the first failure.
SweepOutcome run_sweep_command(const SweepArgs& args);

// Worker threads for --jobs 0.
int default_jobs();

// Shrinks (scenario, seed) for `property` (empty: first failing), writes the
// minimal scenario JSON to `out_file`, prints before/after sizes. Returns an
// exit code: 0 written, 1 the seed does not fail, 2 input/output error.
int shrink_and_write(const scenarios::Scenario& scenario, uint64_t seed, const std::string& property,
                     const std::string& out_file, size_t max_runs);

}  // namespace roomsim::cli
