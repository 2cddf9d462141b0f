// cli/commands.hpp: each subcommand registers itself on the CLI11 app.
//
// Exit codes (README.md): 0 ok, 1 a property was violated (or a check
// failed), 2 usage or input error. Each register_* function adds one
// subcommand and sets `exit_code` from its callback.
#pragma once

#include <cstdint>

#include <CLI/CLI.hpp>

namespace roomsim::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitViolation = 1;
inline constexpr int kExitUsage = 2;

void register_version(CLI::App& app, int& exit_code);
void register_selfcheck(CLI::App& app, int& exit_code);
// Runs the engine self-check for `seed`, prints it, returns an exit code.
int run_selfcheck(uint64_t seed);
void register_demo(CLI::App& app, int& exit_code);
// Scenario subcommands (cli/run_command.cpp, replay_, shrink_, diff_, merge_, check_, list_command.cpp).
void register_run(CLI::App& app, int& exit_code);
void register_replay(CLI::App& app, int& exit_code);
void register_shrink(CLI::App& app, int& exit_code);
void register_diff(CLI::App& app, int& exit_code);
void register_merge(CLI::App& app, int& exit_code);
void register_check(CLI::App& app, int& exit_code);
void register_check_history(CLI::App& app, int& exit_code);
void register_list(CLI::App& app, int& exit_code);
void register_serve(CLI::App& app, int& exit_code);  // live mode (cli/serve_command.cpp)
void register_token(CLI::App& app, int& exit_code);
void register_load(CLI::App& app, int& exit_code);

}  // namespace roomsim::cli
