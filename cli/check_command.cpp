// cli/check_command.cpp: `roomsim check SCENARIO...` (validate only) and
// `roomsim check-history FILE` (the property checkers on a recorded history).
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/scenario_cli.hpp"
#include "netsim/simulation.hpp"
#include "properties/checker.hpp"
#include "properties/history_jsonl.hpp"
#include "scenarios/runner.hpp"
#include "scenarios/sweep_printer.hpp"

namespace roomsim::cli {

void register_check(CLI::App& app, int& exit_code) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto* cmd = app.add_subcommand(
      "check",
      "Validate scenario files (or built-in names) without running them: every error with file, JSON path and\n"
      "what was expected. Exit 0 valid, 2 invalid.");
  cmd->add_option("scenarios", *files, "Scenario files or built-in names")->required();
  cmd->callback([files, &exit_code] {
    exit_code = kExitOk;
    for (const auto& file : *files) {
      auto scenario = load_scenario_or_report(file);
      if (!scenario) {
        exit_code = kExitUsage;
        continue;
      }
      const auto errors = netsim::validate(scenario->config, rooms::builtin_registry());
      if (!errors.empty()) {
        for (const auto& e : errors) std::fprintf(stderr, "%s: %s\n", file.c_str(), e.c_str());
        exit_code = kExitUsage;
        continue;
      }
      int clients = 0;
      for (const auto& p : scenario->config.clients) clients += p.count;
      std::printf("ok: %s (%s): %zu rooms, %d clients, %zu scheduled faults%s, %zu actions, %llu default seeds, "
                  "%zu properties\n",
                  file.c_str(), scenario->name.c_str(), scenario->config.rooms.size(), clients,
                  scenario->config.faults.size(),
                  scenario->config.fault_rates.per_minute.empty()
                      ? ""
                      : (scenario->config.fault_rates.swarm ? " + swarm fault rates" : " + random fault rates"),
                  scenario->config.actions.size(), static_cast<unsigned long long>(scenario->default_seeds),
                  scenarios::properties_to_check(*scenario).size());
    }
  });
}

void register_check_history(CLI::App& app, int& exit_code) {
  struct Args {
    std::string file;
    std::vector<std::string> properties;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "check-history",
      "Run the property checkers on a recorded JSONL history (from `roomsim replay --history` or a live run).\n"
      "Exit 0 all hold, 1 a property is violated, 2 unreadable history or unknown property.");
  cmd->add_option("history", args->file, "History JSONL file")->required();
  cmd->add_option("--property,-p", args->properties, "Check only these properties (repeatable; default: all)");
  cmd->callback([args, &exit_code] {
    for (const auto& p : args->properties) {
      if (properties::describe_property(p).empty()) {
        std::string known;
        for (const auto& n : properties::all_property_names()) known += (known.empty() ? "" : ", ") + n;
        std::fprintf(stderr, "--property: unknown property \"%s\" (known: %s)\n", p.c_str(), known.c_str());
        exit_code = kExitUsage;
        return;
      }
    }
    auto read = properties::read_history_jsonl(args->file);
    if (const auto* error = std::get_if<std::string>(&read)) {
      std::fprintf(stderr, "%s\n", error->c_str());
      exit_code = kExitUsage;
      return;
    }
    const auto& history = std::get<properties::History>(read);
    std::printf("%s: %zu observations\n", args->file.c_str(), history.size());
    exit_code = kExitOk;
    for (const auto& v : properties::check_properties(history, args->properties)) {
      if (v.passed) {
        // A pass says what it did not judge (vacuous: why it judged nothing), as `replay` does.
        std::printf("PASS %s%s%s\n", v.property.c_str(), v.explanation.empty() ? "" : ": ", v.explanation.c_str());
      } else {
        std::printf("FAIL %s t=%s event=%zu: %s\n", v.property.c_str(), scenarios::format_time(v.t_ns).c_str(),
                    v.violating.empty() ? size_t{0} : v.violating.front(), v.explanation.c_str());
        exit_code = kExitViolation;
      }
    }
  });
}

}  // namespace roomsim::cli
