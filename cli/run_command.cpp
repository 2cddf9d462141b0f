// cli/run_command.cpp: `roomsim run SCENARIO`: a seed sweep on worker threads.
#include "cli/commands.hpp"
#include "cli/scenario_cli.hpp"

namespace roomsim::cli {

void register_run(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SweepArgs>();
  auto seed = std::make_shared<uint64_t>(0);
  auto* cmd = app.add_subcommand(
      "run",
      "Run many seeds of a scenario on worker threads, check every property, print a summary by property,\n"
      "each failure with its exact replay command, and the code probes hit (naming declared ones never reached).\n"
      "A seed whose run stops early or whose room throws fails as \"simulation\".\n"
      "Exit 0 all pass, 1 a property failed, 2 usage/scenario error.");
  cmd->add_option("scenario", args->scenario, "Scenario file, or built-in name (see `roomsim list`)")->required();
  cmd->add_option("--seeds", args->seeds, "Number of seeds (default: the scenario's \"seeds\")");
  auto* seed_opt = cmd->add_option("--seed", *seed, "Run exactly this one seed");
  cmd->add_option("--first-seed", args->first_seed, "First seed of the range")->capture_default_str();
  cmd->add_option("--jobs,-j", args->jobs, "Worker threads (default: one per hardware thread)");
  cmd->add_option("--shard", args->shard,
                  "K/N: run only seeds s with s % N == K-1, so N machines cover the range once (merge with `roomsim merge`)");
  cmd->add_option("--json", args->json_file, "Write the sweep summary JSON (schema: docs/scenario.md)");
  cmd->add_option("--junit", args->junit_file, "Write JUnit XML (one test case per property)");
  cmd->add_option("--report", args->report_dir, "Write the HTML report into this directory");
  cmd->add_flag("--shrink", args->shrink, "Shrink the first failing seed into <scenario>-seed<S>-shrunk.json");
  cmd->add_flag("--check-determinism", args->check_determinism,
                "Rerun every failing seed and a sample of passing ones and compare trace hashes");
  cmd->add_flag("--quiet,-q", args->quiet, "No progress output");
  cmd->callback([args, seed, seed_opt, &exit_code] {
    if (seed_opt->count() > 0) args->seed = *seed;
    if (args->jobs < 0) {
      std::fprintf(stderr, "--jobs: expected a positive number\n");
      exit_code = kExitUsage;
      return;
    }
    exit_code = run_sweep_command(*args).exit_code;
  });
}

}  // namespace roomsim::cli
