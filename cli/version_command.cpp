// cli/version_command.cpp: `roomsim version`.
#include <cstdio>

#include "cli/commands.hpp"

namespace roomsim::cli {

void register_version(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("version", "Print the roomsim version.");
  cmd->callback([&exit_code] {
    std::printf("roomsim %s\n", ROOMSIM_VERSION);
    exit_code = kExitOk;
  });
}

}  // namespace roomsim::cli
