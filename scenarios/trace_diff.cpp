// scenarios/trace_diff.cpp: first differing line of two traces.
#include "scenarios/trace_diff.hpp"

#include <deque>

#include <nlohmann/json.hpp>

#include "rooms/protocol/json_limits.hpp"

namespace roomsim::scenarios {

TraceDiff diff_traces(std::istream& a, std::istream& b, size_t context_lines) {
  TraceDiff d;
  std::deque<std::string> recent;
  std::string la;
  std::string lb;
  for (uint64_t i = 0;; ++i) {
    const bool got_a = static_cast<bool>(std::getline(a, la));
    const bool got_b = static_cast<bool>(std::getline(b, lb));
    d.lines_a += got_a;
    d.lines_b += got_b;
    if (!got_a && !got_b) break;
    if (got_a && got_b && la == lb) {
      recent.push_back(la);
      if (recent.size() > context_lines) recent.pop_front();
      continue;
    }
    d.identical = false;
    d.first_difference = i;
    d.a_ended = !got_a;
    d.b_ended = !got_b;
    d.line_a = got_a ? la : "";
    d.line_b = got_b ? lb : "";
    d.context.assign(recent.begin(), recent.end());
    break;
  }
  return d;
}

namespace {
// A JSONL trace line as "<i> t=<ns> <kind> <fields>", or the raw line.
std::string pretty(const std::string& line) {
  // Too deep to print safely (dump() recurses per level): shown raw.
  if (!rooms::protocol::json_text_depth_within(line)) return line;
  const auto j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("kind")) return line;
  std::string out;
  // Appended piece by piece: `"#" + j.dump()` draws GCC 12's false -Wrestrict (GCC bug 105651).
  if (j.contains("i")) {
    out += '#';
    out += j["i"].dump();
    out += ' ';
  }
  if (j.contains("t_ns")) {
    out += "t_ns=";
    out += j["t_ns"].dump();
    out += ' ';
  }
  out += j["kind"].is_string() ? j["kind"].get<std::string>() : j["kind"].dump();
  if (j.contains("fields")) {
    out += ' ';
    out += j["fields"].is_string() ? j["fields"].get<std::string>() : j["fields"].dump();
  }
  return out;
}
}  // namespace

std::string format_trace_diff(const TraceDiff& d, const std::string& name_a, const std::string& name_b) {
  if (d.identical) {
    return "traces identical: " + std::to_string(d.lines_a) + " lines\n";
  }
  std::string out = "traces differ at line " + std::to_string(d.first_difference + 1) + " (after " +
                    std::to_string(d.first_difference) + " identical lines)\n";
  if (!d.context.empty()) {
    out += "context (identical in both):\n";
    for (const auto& l : d.context) out += "    " + pretty(l) + "\n";
  }
  out += "  A " + name_a + ": " + (d.a_ended ? "<end of trace>" : pretty(d.line_a)) + "\n";
  out += "  B " + name_b + ": " + (d.b_ended ? "<end of trace>" : pretty(d.line_b)) + "\n";
  return out;
}

}  // namespace roomsim::scenarios
