// cli/main.cpp: the `roomsim` executable. Only wires subcommands together;
// each lives in its own file (cli/*_command.cpp).
#include <cstdio>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "roomsim: build and test real-time WebSocket rooms (Durable Objects style) in a deterministic\n"
      "simulator of a global edge network, and run the same rooms on a live server.",
      "roomsim"};
  app.require_subcommand(1);
  app.footer("Exit codes: 0 ok, 1 a property was violated, 2 usage or input error.");
  int exit_code = roomsim::cli::kExitOk;
  roomsim::cli::register_version(app, exit_code);
  roomsim::cli::register_selfcheck(app, exit_code);
  roomsim::cli::register_run(app, exit_code);
  roomsim::cli::register_replay(app, exit_code);
  roomsim::cli::register_shrink(app, exit_code);
  roomsim::cli::register_diff(app, exit_code);
  roomsim::cli::register_merge(app, exit_code);
  roomsim::cli::register_check(app, exit_code);
  roomsim::cli::register_check_history(app, exit_code);
  roomsim::cli::register_list(app, exit_code);
  roomsim::cli::register_demo(app, exit_code);
  roomsim::cli::register_serve(app, exit_code);
  roomsim::cli::register_token(app, exit_code);
  roomsim::cli::register_load(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? roomsim::cli::kExitOk : roomsim::cli::kExitUsage;
  }
  return exit_code;
}
