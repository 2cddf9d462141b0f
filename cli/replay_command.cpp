// cli/replay_command.cpp: `roomsim replay SCENARIO --seed S`: one seed, its
// trace hash and every property's verdict; optionally the trace and history.
#include <cstdio>
#include <fstream>

#include "cli/commands.hpp"
#include "cli/scenario_cli.hpp"
#include "properties/history_jsonl.hpp"
#include "reports/run_reports.hpp"
#include "scenarios/sweep_printer.hpp"

namespace roomsim::cli {

namespace {
struct ReplayArgs {
  std::string scenario;
  uint64_t seed = 0;
  std::string trace_file;
  std::string history_file;
  std::string report_dir;
};

int replay(const ReplayArgs& args) {
  auto scenario = load_scenario_or_report(args.scenario);
  if (!scenario) return kExitUsage;
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
  std::printf("trace-hash: %s\n", r.trace_hash.c_str());
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
  int rc = r.passed ? kExitOk : kExitViolation;
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
      "whatever --jobs/--shard found it) and every property's verdict. Exit 1 when a property fails.");
  cmd->add_option("scenario", args->scenario, "Scenario file, or built-in name")->required();
  cmd->add_option("--seed", args->seed, "The seed to replay")->required();
  cmd->add_option("--trace", args->trace_file, "Write the full trace as JSONL (compare two with `roomsim diff`)");
  cmd->add_option("--history", args->history_file, "Write the recorded history as JSONL");
  cmd->add_option("--report", args->report_dir, "Write the HTML report of this seed into this directory");
  cmd->callback([args, &exit_code] { exit_code = replay(*args); });
}

}  // namespace roomsim::cli
