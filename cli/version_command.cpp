// cli/version_command.cpp: `roomsim version`.
#include <cstdio>

#include "cli/commands.hpp"
#include "scenarios/build_info.hpp"

namespace roomsim::cli {

void register_version(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "version", "Print the roomsim version and the build identifier (compiler/stdlib/build type/commit).");
  cmd->callback([&exit_code] {
    std::printf("roomsim %s\nbuild: %s\n", scenarios::roomsim_version(), scenarios::build_id().c_str());
    exit_code = kExitOk;
  });
}

}  // namespace roomsim::cli
