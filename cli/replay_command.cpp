// cli/replay_command.cpp: `roomsim replay SCENARIO --seed S`: one seed, its
// trace hash and every property's verdict; optionally the trace and history.
#include <cstdio>
#include <fstream>

#include "cli/commands.hpp"
#include "cli/scenario_cli.hpp"
#include "properties/history_jsonl.hpp"
#include "reports/run_reports.hpp"
#include "scenarios/build_info.hpp"
#include "scenarios/sweep_printer.hpp"

namespace roomsim::cli {

namespace {
struct ReplayArgs {
  std::string scenario;
  uint64_t seed = 0;
  std::string trace_file;
  std::string history_file;
  std::string report_dir;
  std::string expect_trace_hash;  // from a summary's replay command: the hash the sweep saw
  std::string expect_build;       // ... and the build that found the seed
};

// Warns when this binary is not the one that found the seed. Traces are meant
// to be identical across compilers and standard libraries at one commit
// (`make check-portability`), so the trace-hash comparison decides.
void warn_if_other_build(const ReplayArgs& args) {
  if (args.expect_build.empty() || args.expect_build == scenarios::build_id()) return;
  std::fprintf(stderr,
               "warning: seed %llu was found by build %s; this binary is build %s. Trace hashes should still match "
               "(the same commit gives the same traces with GCC or clang, libstdc++ or libc++); a different commit "
               "may not%s\n",
               static_cast<unsigned long long>(args.seed), args.expect_build.c_str(), scenarios::build_id().c_str(),
               args.expect_trace_hash.empty() ? "" : ": see the trace-hash line");
}

int replay(const ReplayArgs& args) {
  if (!args.expect_trace_hash.empty() && !scenarios::parse_hex16(args.expect_trace_hash)) {
    std::fprintf(stderr, "--expect-trace-hash: expected 16 lowercase hex digits, got \"%s\"\n",
                 args.expect_trace_hash.c_str());
    return kExitUsage;
  }
  auto scenario = load_scenario_or_report(args.scenario);
  if (!scenario) return kExitUsage;
  warn_if_other_build(args);
  std::ofstream trace;
  netsim::SimulationOutputs outputs;
  if (!args.trace_file.empty()) {
    trace.open(args.trace_file, std::ios::binary | std::ios::trunc);
    if (!trace) {
      std::fprintf(stderr, "%s: cannot open for writing\n", args.trace_file.c_str());
      return kExitUsage;
    }
    outputs.trace_jsonl = &trace;
  }
  properties::History history;
  reports::Placement placement;  // where clients and rooms were, for the report's map
  const scenarios::SeedResult r =
      scenarios::run_seed(*scenario, args.seed, reports::simulate_keeping(placement), outputs, &history);
  if (!r.config_errors.empty()) {
    for (const auto& e : r.config_errors) std::fprintf(stderr, "%s: %s\n", args.scenario.c_str(), e.c_str());
    return kExitUsage;
  }
  std::printf("scenario %s seed %llu\n", scenario->name.c_str(), static_cast<unsigned long long>(args.seed));
  const bool hash_differs = !args.expect_trace_hash.empty() && args.expect_trace_hash != r.trace_hash;
  if (args.expect_trace_hash.empty()) {
    std::printf("trace-hash: %s\n", r.trace_hash.c_str());
  } else if (!hash_differs) {
    std::printf("trace-hash: %s (the same as the run that found this seed: reproduced byte for byte)\n",
                r.trace_hash.c_str());
  } else {
    std::printf("trace-hash: %s DIFFERS from %s, the run that found this seed: this is not the same run (a "
                "different scenario file, commit, or a determinism bug; compare `--trace` files with `roomsim diff`)\n",
                r.trace_hash.c_str(), args.expect_trace_hash.c_str());
  }
  std::printf("build: %s\n", scenarios::build_id().c_str());
  std::printf("events: %llu, history: %zu observations, simulated: %s, stop: %s\n",
              static_cast<unsigned long long>(r.events_run), history.size(),
              scenarios::format_time(r.simulated_ns).c_str(), r.stop_reason.c_str());
  for (const auto& v : r.verdicts) {
    if (v.passed) {
      std::printf("PASS %s%s%s\n", v.property.c_str(), v.explanation.empty() ? "" : ": ", v.explanation.c_str());
    } else {
      std::printf("FAIL %s t=%s event=%zu: %s\n", v.property.c_str(), scenarios::format_time(v.t_ns).c_str(),
                  v.violating.empty() ? size_t{0} : v.violating.front(), v.explanation.c_str());
    }
  }
  int rc = r.passed && !hash_differs ? kExitOk : kExitViolation;
  if (trace.is_open()) {
    trace.close();
    if (!trace) {
      std::fprintf(stderr, "%s: write failed\n", args.trace_file.c_str());
      rc = kExitUsage;
    } else {
      std::printf("trace: %s\n", args.trace_file.c_str());
    }
  }
  if (!args.history_file.empty()) {
    std::ofstream out(args.history_file, std::ios::binary | std::ios::trunc);
    if (out) properties::write_history_jsonl(history, out);
    out.close();
    if (!out) {
      std::fprintf(stderr, "%s: cannot write the history\n", args.history_file.c_str());
      rc = kExitUsage;
    } else {
      std::printf("history: %s (check it again with `roomsim check-history %s`)\n", args.history_file.c_str(),
                  args.history_file.c_str());
    }
  }
  if (!args.report_dir.empty()) {
    const scenarios::SweepSummary summary = scenarios::summarize(*scenario, {r}, r.wall_seconds, scenarios::Shard{});
    const auto status = reports::write_seed_report(args.report_dir, *scenario, summary, r, history, placement);
    if (!status.ok()) {
      std::fprintf(stderr, "%s\n", status.error.c_str());
      rc = kExitUsage;
    } else {
      std::printf("HTML report: %s/index.html\n", args.report_dir.c_str());
    }
  }
  return rc;
}
}  // namespace

void register_replay(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ReplayArgs>();
  auto* cmd = app.add_subcommand(
      "replay",
      "Run one seed of a scenario; print `trace-hash: <16 hex>` (the same for the same binary, scenario and seed,\n"
      "whatever --jobs/--shard found it) and every property's verdict. Exit 1 when a property fails or the trace\n"
      "hash differs from --expect-trace-hash.");
  cmd->add_option("scenario", args->scenario, "Scenario file, or built-in name")->required();
  cmd->add_option("--seed", args->seed, "The seed to replay")->required();
  cmd->add_option("--trace", args->trace_file, "Write the full trace as JSONL (compare two with `roomsim diff`)");
  cmd->add_option("--history", args->history_file, "Write the recorded history as JSONL");
  cmd->add_option("--report", args->report_dir, "Write the HTML report of this seed into this directory");
  cmd->add_option("--expect-trace-hash", args->expect_trace_hash,
                  "The trace hash the sweep saw (a summary's replay command carries it): say whether this run is\n"
                  "the same, byte for byte");
  cmd->add_option("--expect-build", args->expect_build,
                  "The build that found the seed (a summary's replay command carries it): warn when this binary\n"
                  "is another");
  cmd->callback([args, &exit_code] { exit_code = replay(*args); });
}

}  // namespace roomsim::cli
