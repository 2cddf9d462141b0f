// scenarios/trace_diff.hpp: `roomsim diff`: the first difference between two
// JSONL traces (as written by `roomsim replay --trace`), with context.
//
// Used to chase determinism bugs between commits or builds: the same
// (scenario, seed) must give identical traces, so the first differing line
// is where the runs diverged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace roomsim::scenarios {

struct TraceDiff {
  bool identical = true;
  uint64_t lines_a = 0;  // lines read (all of A when identical)
  uint64_t lines_b = 0;
  uint64_t first_difference = 0;  // 0-based line index of the first difference
  std::vector<std::string> context;  // up to `context_lines` equal lines before it
  std::string line_a;  // "" when A ended first
  std::string line_b;  // "" when B ended first
  bool a_ended = false;
  bool b_ended = false;
  // Non-empty: an input could not be read as a trace ("line 3: read error",
  // "line 1: longer than 1048576 bytes: not a trace"), in B when error_in_b,
  // else in A; identical is false and nothing else is meaningful. `roomsim diff`
  // exits 2.
  std::string error;
  bool error_in_b = false;
};

// Longest trace line read, in bytes (trace lines are a few hundred bytes).
inline constexpr size_t kTraceLineBytesMax = size_t{1} << 20;

TraceDiff diff_traces(std::istream& a, std::istream& b, size_t context_lines = 5);

// Human-readable report of `d` (names are the file names shown).
std::string format_trace_diff(const TraceDiff& d, const std::string& name_a, const std::string& name_b);

}  // namespace roomsim::scenarios
