// cli/shrink_command.cpp: `roomsim shrink SCENARIO --seed S --out FILE`.
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/scenario_cli.hpp"
#include "reports/write_status.hpp"
#include "scenarios/scenario_writer.hpp"
#include "scenarios/shrinker.hpp"

namespace roomsim::cli {

int shrink_and_write(const scenarios::Scenario& scenario, uint64_t seed, const std::string& property,
                     const std::string& out_file, size_t max_runs) {
  scenarios::ShrinkOptions options;
  options.property = property;
  options.max_runs = max_runs;
  const scenarios::ShrinkResult r = scenarios::shrink_scenario(scenario, seed, options, scenarios::default_simulate());
  if (!r.ok()) {
    std::fprintf(stderr, "shrink: %s\n", r.error.c_str());
    return r.error.find("nothing to shrink") != std::string::npos ? kExitViolation : kExitUsage;
  }
  std::printf("property: %s (seed %llu)\n", r.property.c_str(), static_cast<unsigned long long>(seed));
  std::printf("violation kept: %s at a %s event\n", r.rule.c_str(), r.event_kind.c_str());
  std::printf("before: %s\n", r.before.text().c_str());
  std::printf("after:  %s\n", r.after.text().c_str());
  for (const auto& note : r.notes) std::printf("  %s\n", note.c_str());
  std::printf("simulations run: %zu\n", r.runs);
  scenarios::Scenario minimal = r.minimal;
  const auto status = reports::write_text_file(out_file, scenarios::scenario_to_json(minimal).dump(2) + "\n");
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.error.c_str());
    return kExitUsage;
  }
  std::printf("wrote %s\nreplay: roomsim replay %s --seed %llu\n", out_file.c_str(), out_file.c_str(),
              static_cast<unsigned long long>(seed));
  return kExitOk;
}

void register_shrink(CLI::App& app, int& exit_code) {
  struct Args {
    std::string scenario;
    uint64_t seed = 0;
    std::string out;
    std::string property;
    size_t max_runs = scenarios::ShrinkOptions{}.max_runs;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "shrink",
      "Turn a failing seed into an explicit scenario (faults and client actions with their times) and remove\n"
      "faults, clients and actions while the same violation remains (the same property, rule and kind of\n"
      "first violating event; delta debugging); write the minimal scenario, which `roomsim replay FILE --seed S`\n"
      "fails the same way. Exit 1 if the seed does not fail.");
  cmd->add_option("scenario", args->scenario, "Scenario file, or built-in name")->required();
  cmd->add_option("--seed", args->seed, "The failing seed")->required();
  cmd->add_option("--out,-o", args->out, "Where to write the minimal scenario JSON")->required();
  cmd->add_option("--property", args->property, "Property to keep failing (default: the first one the seed fails)");
  cmd->add_option("--max-runs", args->max_runs, "Upper bound on simulations while shrinking")->capture_default_str();
  cmd->callback([args, &exit_code] {
    auto scenario = load_scenario_or_report(args->scenario);
    if (!scenario) {
      exit_code = kExitUsage;
      return;
    }
    exit_code = shrink_and_write(*scenario, args->seed, args->property, args->out, args->max_runs);
  });
}

}  // namespace roomsim::cli
