// cli/merge_command.cpp: `roomsim merge RESULT.json...`: combine shard
// summaries after checking that they are the shards of one sweep.
#include <cstdio>
#include <iostream>
#include <iterator>

#include "cli/commands.hpp"
#include "reports/html_report.hpp"
#include "reports/json_summary.hpp"
#include "reports/junit.hpp"
#include "reports/run_reports.hpp"
#include "scenarios/scenario_hash.hpp"
#include "scenarios/scenario_loader.hpp"
#include "scenarios/sweep_printer.hpp"

namespace roomsim::cli {

namespace {

struct MergeArgs {
  std::vector<std::string> files;
  std::string json_file;
  std::string junit_file;
  std::string report_dir;
  bool allow_partial = false;
};

// The HTML report re-simulates the first failing seeds when this machine has
// the very scenario the shards ran (same content hash); otherwise it shows
// the summary alone and says why.
reports::WriteStatus write_report(const std::string& dir, const scenarios::SweepSummary& summary) {
  const std::string source = summary.scenario_path.empty() ? summary.scenario_name : summary.scenario_path;
  scenarios::LoadResult loaded = scenarios::load_scenario(source);
  std::string why;
  if (!loaded.ok()) {
    why = "scenario " + source + " cannot be loaded here";
  } else if (scenarios::scenario_content_hash(*loaded.scenario) != summary.scenario_hash) {
    why = "scenario " + source + " here is not the one the shards ran (content hash " +
          scenarios::scenario_content_hash(*loaded.scenario) + ", shards " + summary.scenario_hash + ")";
  }
  if (why.empty()) return reports::write_sweep_report(dir, *loaded.scenario, summary);
  if (!summary.failures.empty()) std::fprintf(stderr, "note: the HTML report has no seed pictures: %s\n", why.c_str());
  return reports::write_html_report(dir, summary, {});
}

int merge(const MergeArgs& args) {
  std::vector<scenarios::SummaryPart> parts;
  for (const auto& file : args.files) {
    scenarios::SummaryReadResult read = scenarios::read_summary_file(file);
    if (!read.summary) {
      std::fprintf(stderr, "merge: %s\n", read.error.c_str());
      return kExitUsage;
    }
    parts.push_back({file, std::move(*read.summary)});
  }
  scenarios::MergeOptions options;
  options.allow_partial = args.allow_partial;
  const scenarios::MergeResult m = scenarios::merge_summaries(parts, options);
  if (!m.error.empty()) {
    std::fprintf(stderr, "merge: %s\n", m.error.c_str());
    return kExitUsage;
  }
  std::printf("merged %zu summar%s (build %s)\n", parts.size(), parts.size() == 1 ? "y" : "ies",
              m.summary.build.c_str());
  scenarios::print_summary_table(std::cout, m.summary);
  std::cout.flush();
  int exit_code = m.summary.passed() ? kExitOk : kExitViolation;
  auto report = [&exit_code](const reports::WriteStatus& s, const char* what, const std::string& where) {
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.error.c_str());
      exit_code = kExitUsage;
    } else {
      std::printf("%s: %s\n", what, where.c_str());
    }
  };
  if (!args.json_file.empty()) {
    report(reports::write_json_summary_file(m.summary, args.json_file), "summary JSON", args.json_file);
  }
  if (!args.junit_file.empty()) {
    report(reports::write_junit_file(m.summary, args.junit_file), "JUnit XML", args.junit_file);
  }
  if (!args.report_dir.empty()) {
    report(write_report(args.report_dir, m.summary), "HTML report", args.report_dir + "/index.html");
  }
  return exit_code;
}

}  // namespace

void register_merge(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<MergeArgs>();
  auto* cmd = app.add_subcommand(
      "merge",
      "Combine the --json summaries of the shards of one sweep (`roomsim run ... --shard K/N --json part-K.json`,\n"
      "e.g. from a CI matrix or a Kubernetes Indexed Job) into one summary. Refuses (exit 2) summaries of different\n"
      "scenario contents, seed ranges, properties or builds, a shard given twice, and missing shards (unless\n"
      "--allow-partial). Exit 0 every seed ran and passed, 1 a property failed or shards are missing, 2 refused.");
  cmd->add_option("results", args->files, "Summary JSON files, one per shard")->required();
  cmd->add_option("--json", args->json_file, "Write the merged summary JSON");
  cmd->add_option("--junit", args->junit_file, "Write JUnit XML of the merged summary");
  cmd->add_option("--report", args->report_dir,
                  "Write the HTML report into this directory (re-simulates the first failing seeds when the\n"
                  "scenario is available here with the same content hash)");
  cmd->add_flag("--allow-partial", args->allow_partial,
                "Merge even when shards are missing: the result names the seeds that did not run and exits 1,\n"
                "never 0");
  cmd->callback([args, &exit_code] { exit_code = merge(*args); });
}

}  // namespace roomsim::cli
