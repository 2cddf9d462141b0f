// netsim/recorder.hpp: one door for observations.
//
// Recorder::add appends an Event to the History (unless history recording is
// off) and writes its canonical trace line to the engine Trace: the event kind,
// then only the fields that differ from their defaults, always in the same
// order (c conn room user session sender target channel text msg digest seq
// epoch value code), names written as text (quoted and escaped when they hold a
// space, quote, '=' or control character). So every observation reaches the
// trace hash, and the hash depends only on what was observed.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "engine/time.hpp"
#include "engine/trace.hpp"
#include "properties/history.hpp"

namespace roomsim::netsim {

class Recorder {
 public:
  Recorder(properties::History& history, Trace& trace, bool record_history)
      : history_(history), trace_(trace), record_history_(record_history) {}

  properties::NameId intern(std::string_view name) { return history_.intern(name); }
  const std::string& name(properties::NameId id) const { return history_.name(id); }

  // REQUIRES: e.t_ns is not earlier than the previous event's.
  void add(const properties::Event& e);
  // A trace-only line (not an observation for the checkers), e.g. a config echo.
  void note(Time t, std::string_view kind, std::string_view fields) { trace_.record(t, kind, fields); }

 private:
  properties::History& history_;
  Trace& trace_;
  bool record_history_;
  // Whether a name is written quoted (it holds a space, quote, '=', backslash
  // or control character); decided once per name.
  bool quoted(properties::NameId id);

  // Writes the fields after conn (room .. code) at p; returns the new end.
  char* put_tail(char* p, const properties::Event& e, const properties::NameId (&names)[8]);

  // The rendered fields after conn of a recent message-like event, with the
  // field values they were rendered from (a hit must match all of them).
  struct TailMemo {
    bool valid = false;
    properties::NameId room = 0, user = 0, session = 0, sender = 0, target = 0, channel = 0, text = 0;
    uint64_t msg = 0, digest = 0;
    int64_t seq = 0, epoch = 0, value = 0;
    int32_t code = 0;
    std::string rendered;
  };
  static constexpr int kMemoBits = 8;

  // Writes t_ns in decimal (what std::to_chars writes) at p; returns the new end.
  char* put_time(char* p, int64_t t_ns);

  int64_t last_t_ns_ = 0;
  int64_t time_ms_ = -1;        // the millisecond whose digits time_ms_text_ holds
  char time_ms_text_[24] = {};
  uint8_t time_ms_digits_ = 0;
  std::string line_;
  std::array<TailMemo, size_t{1} << kMemoBits> memo_;
  static constexpr uint8_t kUnknown = 0, kPlain = 1, kQuoted = 2;
  std::vector<uint8_t> quoted_;  // by NameId
};

}  // namespace roomsim::netsim
