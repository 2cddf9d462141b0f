// cli/merge_command.cpp: `roomsim merge RESULT.json...`: combine shard summaries.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>

#include "cli/commands.hpp"
#include "reports/json_summary.hpp"
#include "reports/junit.hpp"
#include "rooms/protocol/json_limits.hpp"
#include "scenarios/sweep_printer.hpp"

namespace roomsim::cli {

void register_merge(CLI::App& app, int& exit_code) {
  struct Args {
    std::vector<std::string> files;
    std::string json_file;
    std::string junit_file;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "merge",
      "Combine the --json summaries of shards (`roomsim run ... --shard K/N --json part-K.json`) into one summary,\n"
      "e.g. from a CI matrix or a Kubernetes Indexed Job. Exit 0 all pass, 1 any failure, 2 unreadable input.");
  cmd->add_option("results", args->files, "Summary JSON files")->required();
  cmd->add_option("--json", args->json_file, "Write the merged summary JSON");
  cmd->add_option("--junit", args->junit_file, "Write JUnit XML of the merged summary");
  cmd->callback([args, &exit_code] {
    std::vector<scenarios::SweepSummary> parts;
    for (const auto& file : args->files) {
      std::ifstream in(file, std::ios::binary);
      if (!in) {
        std::fprintf(stderr, "%s: cannot open\n", file.c_str());
        exit_code = kExitUsage;
        return;
      }
      std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
      auto parsed = rooms::protocol::parse_json_strict(text);
      if (const auto* bad = std::get_if<rooms::protocol::JsonError>(&parsed)) {
        std::fprintf(stderr, "%s: %s%s%s\n", file.c_str(), bad->path.c_str(), bad->path.empty() ? "" : ": ",
                     bad->message.c_str());
        exit_code = kExitUsage;
        return;
      }
      try {
        parts.push_back(std::get<nlohmann::json>(parsed).get<scenarios::SweepSummary>());
      } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", file.c_str(), e.what());
        exit_code = kExitUsage;
        return;
      }
    }
    const scenarios::MergeResult m = scenarios::merge_summaries(parts);
    if (!m.error.empty()) {
      std::fprintf(stderr, "merge: %s\n", m.error.c_str());
      exit_code = kExitUsage;
      return;
    }
    std::printf("merged %zu summaries\n", parts.size());
    scenarios::print_summary_table(std::cout, m.summary);
    std::cout.flush();
    exit_code = m.summary.failures.empty() ? kExitOk : kExitViolation;
    if (!args->json_file.empty()) {
      const auto s = reports::write_json_summary_file(m.summary, args->json_file);
      if (!s.ok()) std::fprintf(stderr, "%s\n", s.error.c_str()), exit_code = kExitUsage;
    }
    if (!args->junit_file.empty()) {
      const auto s = reports::write_junit_file(m.summary, args->junit_file);
      if (!s.ok()) std::fprintf(stderr, "%s\n", s.error.c_str()), exit_code = kExitUsage;
    }
  });
}

}  // namespace roomsim::cli
