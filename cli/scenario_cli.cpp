// cli/scenario_cli.cpp: scenario loading and the `run` sweep used by run and demo.
#include "cli/scenario_cli.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <thread>

#include "cli/commands.hpp"
#include "reports/json_summary.hpp"
#include "reports/junit.hpp"
#include "reports/run_reports.hpp"
#include "scenarios/scenario_loader.hpp"
#include "scenarios/sweep_printer.hpp"

namespace roomsim::cli {

std::optional<scenarios::Scenario> load_scenario_or_report(const std::string& name_or_path) {
  scenarios::LoadResult r = scenarios::load_scenario(name_or_path);
  if (r.ok()) return std::move(r.scenario);
  for (const auto& e : r.errors) std::fprintf(stderr, "%s\n", e.c_str());
  std::fprintf(stderr, "%zu error%s; see docs/scenario.md for the schema\n", r.errors.size(),
               r.errors.size() == 1 ? "" : "s");
  return std::nullopt;
}

int default_jobs() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

SweepOutcome run_sweep_command(const SweepArgs& args) {
  SweepOutcome outcome;
  auto scenario = load_scenario_or_report(args.scenario);
  if (!scenario) return outcome;
  scenarios::RunOptions options;
  options.seeds = args.seeds;
  options.seed = args.seed;
  options.first_seed = args.first_seed;
  options.jobs = args.jobs > 0 ? args.jobs : default_jobs();
  options.check_determinism = args.check_determinism;
  if (!args.shard.empty()) {
    std::string error;
    auto shard = scenarios::parse_shard(args.shard, error);
    if (!shard) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return outcome;
    }
    options.shard = *shard;
  }
  const scenarios::SeedRange range = scenarios::seed_range(*scenario, options);
  if (range.seeds_total > 0 && range.first_seed > std::numeric_limits<uint64_t>::max() - (range.seeds_total - 1)) {
    std::fprintf(stderr, "--first-seed/--seeds: the seed range %llu + %llu seeds passes 2^64 - 1\n",
                 static_cast<unsigned long long>(range.first_seed), static_cast<unsigned long long>(range.seeds_total));
    return outcome;
  }
  const std::vector<uint64_t> seeds = scenarios::seeds_to_run(*scenario, options);
  if (seeds.empty()) {
    std::fprintf(stderr, "warning: shard %s contains none of the requested seeds\n", options.shard.text().c_str());
  }
  if (!args.quiet) {
    std::printf("running %s: %zu seeds on %d worker thread%s%s\n", scenario->name.c_str(), seeds.size(),
                options.jobs, options.jobs == 1 ? "" : "s",
                options.shard.count > 1 ? (" (shard " + options.shard.text() + ")").c_str() : "");
    std::fflush(stdout);
  }
  scenarios::ProgressPrinter progress(stderr, isatty(fileno(stderr)) != 0, scenario->name);
  const scenarios::SweepResult result =
      scenarios::run_sweep(*scenario, options, scenarios::default_simulate(),
                           args.quiet ? scenarios::ProgressFn{} : progress.callback());
  progress.finish();
  if (!result.config_errors.empty()) {
    for (const auto& e : result.config_errors) std::fprintf(stderr, "%s: %s\n", args.scenario.c_str(), e.c_str());
    return outcome;
  }
  scenarios::print_sweep_summary(std::cout, *scenario, result);
  std::cout.flush();
  bool files_ok = true;
  if (!args.json_file.empty()) {
    const auto status = reports::write_json_summary_file(result.summary, args.json_file);
    if (!status.ok()) {
      std::fprintf(stderr, "%s\n", status.error.c_str());
      files_ok = false;
    } else if (!args.quiet) {
      std::printf("summary JSON: %s\n", args.json_file.c_str());
    }
  }
  if (!args.junit_file.empty()) {
    const auto status = reports::write_junit_file(result.summary, args.junit_file);
    if (!status.ok()) {
      std::fprintf(stderr, "%s\n", status.error.c_str());
      files_ok = false;
    } else if (!args.quiet) {
      std::printf("JUnit XML: %s\n", args.junit_file.c_str());
    }
  }
  if (!args.report_dir.empty()) {
    const auto status = reports::write_sweep_report(args.report_dir, *scenario, result.summary);
    if (!status.ok()) {
      std::fprintf(stderr, "%s\n", status.error.c_str());
      files_ok = false;
    } else if (!args.quiet) {
      std::printf("HTML report: %s/index.html\n", args.report_dir.c_str());
    }
  }
  if (args.shrink && !result.summary.failures.empty()) {
    const scenarios::Failure& first = result.summary.failures.front();
    const std::string out = scenario->name + "-seed" + std::to_string(first.seed) + "-shrunk.json";
    std::printf("\nshrinking seed %llu (%s) ...\n", static_cast<unsigned long long>(first.seed), first.property.c_str());
    const int rc = shrink_and_write(*scenario, first.seed, first.property, out, 300);
    if (rc == kExitUsage) files_ok = false;
  }
  outcome.summary = result.summary;
  if (!files_ok) {
    outcome.exit_code = kExitUsage;
  } else if (!result.summary.failures.empty() || !result.determinism_mismatches.empty()) {
    outcome.exit_code = kExitViolation;
  } else {
    outcome.exit_code = kExitOk;
  }
  return outcome;
}

}  // namespace roomsim::cli
