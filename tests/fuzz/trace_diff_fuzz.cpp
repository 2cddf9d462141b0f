// tests/fuzz/trace_diff_fuzz.cpp: libFuzzer target for the trace reader of
// `roomsim diff` (scenarios/trace_diff).
//
// Input: two traces separated by the first NUL byte (without one, the input
// against itself with its last line dropped). No crash, no exception, no
// sanitizer report; the report is printable for any difference; a trace is
// identical to itself; two traces are identical exactly when their lines are.
#include <sstream>

#include "scenarios/trace_diff.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

using namespace roomsim::scenarios;

TraceDiff diff(const std::string& a, const std::string& b) {
  std::istringstream ia(a);
  std::istringstream ib(b);
  return diff_traces(ia, ib, 3);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(roomsim::fuzz::as_text(data, size));
  const size_t nul = input.find('\0');
  const std::string a = nul == std::string::npos ? input : input.substr(0, nul);
  const std::string b = nul == std::string::npos ? input.substr(0, input.rfind('\n') == std::string::npos
                                                                       ? 0
                                                                       : input.rfind('\n'))
                                                 : input.substr(nul + 1);
  const TraceDiff d = diff(a, b);
  roomsim::fuzz::check(d.identical == (lines_of(a) == lines_of(b)), "identical exactly when the lines are");
  roomsim::fuzz::check(!format_trace_diff(d, "a.jsonl", "b.jsonl").empty(), "a report");
  if (!d.identical) {
    roomsim::fuzz::check(d.context.size() <= 3, "at most the asked context");
    roomsim::fuzz::check(d.first_difference <= std::max(d.lines_a, d.lines_b), "the difference is within the traces");
  }
  roomsim::fuzz::check(diff(a, a).identical, "a trace is identical to itself");
  return 0;
}
