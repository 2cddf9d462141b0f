// tests/fuzz/history_jsonl_fuzz.cpp: libFuzzer target for the history JSONL
// reader (properties/history_jsonl), what `roomsim check-history` reads.
//
// Any bytes: no crash, no exception, no sanitizer report; an error names the
// source and a line. A history that reads round trips: written and read
// again it has the same events with the same names, and writes the same text.
// Then every property checker judges it, as `check-history` would: no crash,
// no exception, one verdict per property.
#include <sstream>

#include "properties/checker.hpp"
#include "properties/history_jsonl.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

using namespace roomsim::properties;

std::string to_text(const History& h) {
  std::ostringstream out;
  write_history_jsonl(h, out);
  return out.str();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(roomsim::fuzz::as_text(data, size)));
  auto read = read_history_jsonl(in, "fuzz.jsonl");
  if (const auto* error = std::get_if<std::string>(&read)) {
    roomsim::fuzz::check(error->rfind("fuzz.jsonl:", 0) == 0, "errors name the source");
    return 0;
  }
  const History& history = std::get<History>(read);
  const std::string text = to_text(history);
  std::istringstream again_in(text);
  auto again = read_history_jsonl(again_in, "again.jsonl");
  roomsim::fuzz::check(std::holds_alternative<History>(again), "a written history reads");
  const History& h2 = std::get<History>(again);
  roomsim::fuzz::check(h2.size() == history.size(), "the same number of events");
  for (size_t i = 0; i < history.size(); ++i) {
    const Event& a = history.events()[i];
    const Event& b = h2.events()[i];
    roomsim::fuzz::check(a.t_ns == b.t_ns && a.kind == b.kind && a.conn == b.conn && a.msg == b.msg &&
                             a.digest == b.digest && a.seq == b.seq && a.epoch == b.epoch && a.value == b.value &&
                             a.code == b.code,
                         "the same event fields");
    for (auto name : {&Event::client, &Event::room, &Event::user, &Event::session, &Event::sender, &Event::target,
                      &Event::channel, &Event::text}) {
      const bool a_set = a.*name != kNoName;
      roomsim::fuzz::check(a_set == (b.*name != kNoName), "the same names set");
      if (a_set) roomsim::fuzz::check(history.name(a.*name) == h2.name(b.*name), "the same names");
    }
  }
  roomsim::fuzz::check(to_text(h2) == text, "the same text written twice");
  roomsim::fuzz::check(check_properties(history, {}).size() == all_property_names().size(), "every property judged");
  return 0;
}
