// cli/diff_command.cpp: `roomsim diff TRACE_A TRACE_B`: first differing trace line.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli/commands.hpp"
#include "scenarios/trace_diff.hpp"

namespace roomsim::cli {

void register_diff(CLI::App& app, int& exit_code) {
  struct Args {
    std::string a;
    std::string b;
    size_t context = 5;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "diff",
      "Compare two JSONL traces (from `roomsim replay --trace`) and show the first differing event with context.\n"
      "Exit 0 identical, 1 different, 2 unreadable.");
  cmd->add_option("trace_a", args->a, "First trace")->required();
  cmd->add_option("trace_b", args->b, "Second trace")->required();
  cmd->add_option("--context", args->context, "Identical lines shown before the difference")->capture_default_str();
  cmd->callback([args, &exit_code] {
    std::ifstream a(args->a, std::ios::binary);
    std::ifstream b(args->b, std::ios::binary);
    for (const auto* f : {&args->a, &args->b}) {
      std::error_code ec;
      // A directory opens like a file on Linux and reads as empty: two would compare "identical".
      if (std::filesystem::is_directory(*f, ec)) {
        std::fprintf(stderr, "%s: is a directory, expected a JSONL trace file\n", f->c_str());
        exit_code = kExitUsage;
        return;
      }
      if (!(f == &args->a ? static_cast<bool>(a) : static_cast<bool>(b))) {
        std::fprintf(stderr, "%s: cannot open\n", f->c_str());
        exit_code = kExitUsage;
        return;
      }
    }
    const scenarios::TraceDiff d = scenarios::diff_traces(a, b, args->context);
    if (!d.error.empty()) {
      std::fprintf(stderr, "%s: %s\n", (d.error_in_b ? args->b : args->a).c_str(), d.error.c_str());
      exit_code = kExitUsage;
      return;
    }
    std::fputs(scenarios::format_trace_diff(d, args->a, args->b).c_str(), stdout);
    exit_code = d.identical ? kExitOk : kExitViolation;
  });
}

}  // namespace roomsim::cli
