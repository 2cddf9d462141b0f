// scenarios/trace_diff.cpp: first differing line of two traces.
#include "scenarios/trace_diff.hpp"

#include <deque>

#include <nlohmann/json.hpp>

#include "rooms/protocol/json_limits.hpp"

namespace roomsim::scenarios {

namespace {
// One line of `in` into `line` (without the '\n'). False at the end of input,
// on a read error, or when the line is longer than kTraceLineBytesMax (then
// `too_long` is set): a trace line is short, and /dev/zero must not grow
// memory until the process dies.
bool read_bounded_line(std::istream& in, std::string& line, bool& too_long) {
  line.clear();
  std::streambuf* buf = in.rdbuf();
  if (buf == nullptr || !in.good()) return false;
  try {
    while (true) {
      const int c = buf->sbumpc();
      if (c == std::char_traits<char>::eof()) {
        in.setstate(std::ios::eofbit);
        if (line.empty()) in.setstate(std::ios::failbit);
        return !line.empty();
      }
      if (c == '\n') return true;
      if (line.size() >= kTraceLineBytesMax) {
        too_long = true;
        in.setstate(std::ios::failbit);
        return false;
      }
      line.push_back(static_cast<char>(c));
    }
  } catch (...) {  // filebuf reports read errors (EIO) by throwing
    in.setstate(std::ios::badbit);
    return false;
  }
}
}  // namespace

TraceDiff diff_traces(std::istream& a, std::istream& b, size_t context_lines) {
  TraceDiff d;
  std::deque<std::string> recent;
  std::string la;
  std::string lb;
  for (uint64_t i = 0;; ++i) {
    bool a_too_long = false;
    bool b_too_long = false;
    const bool got_a = read_bounded_line(a, la, a_too_long);
    const bool got_b = read_bounded_line(b, lb, b_too_long);
    if (a_too_long || b_too_long || a.bad() || b.bad()) {
      const bool in_a = a_too_long || a.bad();
      d.identical = false;
      d.error_in_b = !in_a;
      d.error = "line " + std::to_string((in_a ? d.lines_a : d.lines_b) + 1) + ": " +
                ((in_a ? a_too_long : b_too_long) ? "longer than " + std::to_string(kTraceLineBytesMax) +
                                                         " bytes: not a trace"
                                                   : std::string("read error"));
      return d;
    }
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
