// cli/demo_command.cpp: `roomsim demo`, the main job run by `make demo`.
// Until the scenario runner lands it runs the engine self-check.
#include <cstdio>

#include "cli/commands.hpp"

namespace roomsim::cli {

void register_demo(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("demo", "Run the default job (engine self-check until the runner lands).");
  cmd->callback([&exit_code] {
    std::printf("roomsim demo: engine self-check\n");
    exit_code = run_selfcheck(42);
  });
}

}  // namespace roomsim::cli
