// netsim/recorder.cpp: canonical trace lines for history events.
#include "netsim/recorder.hpp"

#include <charconv>
#include <cstring>

#include "engine/assert.hpp"

namespace roomsim::netsim {

namespace {

bool needs_quotes(std::string_view v) {
  for (char ch : v) {
    if (ch == ' ' || ch == '"' || ch == '=' || ch == '\\' || static_cast<unsigned char>(ch) < 0x20) return true;
  }
  return false;
}

// Appends " key=" + rendered name at p; returns the new end. A name with a
// space, quote, '=', backslash or control character is written as a quoted,
// escaped string, so every line still splits into key=value fields at its spaces.
// REQUIRES: room for 16 + 2 x name.size() bytes (escapes at most double it).
inline char* put_name(char* p, std::string_view key, const std::string& name, bool quoted) {
  *p++ = ' ';
  std::memcpy(p, key.data(), key.size());
  p += key.size();
  *p++ = '=';
  if (!quoted) {
    std::memcpy(p, name.data(), name.size());
    return p + name.size();
  }
  *p++ = '"';
  for (char ch : name) {
    if (ch == '"' || ch == '\\') {
      *p++ = '\\';
      *p++ = ch;
    } else if (static_cast<unsigned char>(ch) < 0x20) {
      *p++ = ' ';
    } else {
      *p++ = ch;
    }
  }
  *p++ = '"';
  return p;
}

inline char* put_int(char* p, std::string_view key, int64_t v) {
  *p++ = ' ';
  std::memcpy(p, key.data(), key.size());
  p += key.size();
  *p++ = '=';
  return std::to_chars(p, p + 24, v).ptr;
}

// Lowercase hex without leading zeros: what std::to_chars(p, end, v, 16) writes.
inline char* put_hex(char* p, std::string_view key, uint64_t v) {
  *p++ = ' ';
  std::memcpy(p, key.data(), key.size());
  p += key.size();
  *p++ = '=';
  static constexpr char kDigits[] = "0123456789abcdef";
  const int digits = v == 0 ? 1 : (64 - __builtin_clzll(v) + 3) / 4;
  for (int i = digits - 1; i >= 0; --i) {
    p[i] = kDigits[v & 15];
    v >>= 4;
  }
  return p + digits;
}

}  // namespace

char* Recorder::put_time(char* p, int64_t t_ns) {
  // Times only grow and most lines share their millisecond prefix with the
  // previous one: keep that prefix's digits and write the six low digits.
  // Below 1 ms there is no prefix (no leading zeros): plain to_chars.
  const int64_t ms = t_ns / 1'000'000;
  if (ms <= 0) return std::to_chars(p, p + 24, t_ns).ptr;
  if (ms != time_ms_) {
    time_ms_ = ms;
    time_ms_digits_ = static_cast<uint8_t>(std::to_chars(time_ms_text_, time_ms_text_ + sizeof time_ms_text_, ms).ptr -
                                           time_ms_text_);
  }
  std::memcpy(p, time_ms_text_, time_ms_digits_);
  p += time_ms_digits_;
  int64_t low = t_ns % 1'000'000;
  for (int i = 5; i >= 0; --i) {
    p[i] = static_cast<char>('0' + low % 10);
    low /= 10;
  }
  return p + 6;
}

bool Recorder::quoted(properties::NameId id) {
  if (id >= quoted_.size()) quoted_.resize(static_cast<size_t>(id) + 1, kUnknown);
  uint8_t& q = quoted_[id];
  if (q == kUnknown) q = needs_quotes(history_.name(id)) ? kQuoted : kPlain;
  return q == kQuoted;
}

char* Recorder::put_tail(char* p, const properties::Event& e, const properties::NameId (&names)[8]) {
  static constexpr std::string_view kNameKeys[] = {"c", "room", "user", "session", "sender", "target", "channel", "text"};
  for (size_t i = 1; i < 8; ++i) {
    if (names[i] != properties::kNoName) p = put_name(p, kNameKeys[i], history_.name(names[i]), quoted(names[i]));
  }
  if (e.msg != 0) p = put_hex(p, "msg", e.msg);
  if (e.digest != 0) p = put_hex(p, "digest", e.digest);
  if (e.seq != -1) p = put_int(p, "seq", e.seq);
  if (e.epoch != -1) p = put_int(p, "epoch", e.epoch);
  if (e.value != 0) p = put_int(p, "value", e.value);
  if (e.code != 0) p = put_int(p, "code", e.code);
  return p;
}

void Recorder::add(const properties::Event& e) {
  ROOMSIM_ASSERT(e.t_ns >= last_t_ns_);
  last_t_ns_ = e.t_ns;
  using properties::kNoName;
  const properties::NameId names[] = {e.client, e.room, e.user, e.session, e.sender, e.target, e.channel, e.text};
  const std::string_view kind = properties::to_string(e.kind);
  // Upper bound of the line: time, kind, every name plus 16 bytes of key, and 8 numbers of at most 40 bytes.
  size_t bound = 32 + kind.size() + 8 * 40;
  for (properties::NameId id : names) bound += id == kNoName ? 0 : 2 * history_.name(id).size() + 16;
  if (line_.size() < bound) line_.resize(bound * 2);
  // The canonical line (engine/trace.hpp) is written once, here: `<t_ns> <kind>[ <fields>]\n`.
  char* const begin = line_.data();
  char* p = put_time(begin, e.t_ns);
  *p++ = ' ';
  std::memcpy(p, kind.data(), kind.size());
  p += kind.size();
  char* const fields_begin = p;
  // Field order (stable, see recorder.hpp): c conn room user session sender target channel text msg digest seq epoch value code.
  if (e.client != kNoName) p = put_name(p, "c", history_.name(e.client), quoted(e.client));
  if (e.conn != 0) p = put_int(p, "conn", static_cast<int64_t>(e.conn));
  // The fields after conn are the same for every receiver of one message: a
  // message-like event (msg or digest set) reuses their text from the memo when
  // every one of them matches, and renders them otherwise.
  TailMemo* memo = nullptr;
  if (e.msg != 0 || e.digest != 0) {
    const uint64_t mix = (e.msg ^ (e.digest * 0x9e3779b97f4a7c15ULL) ^ static_cast<uint64_t>(e.seq) ^
                          (static_cast<uint64_t>(e.room) << 32)) * 0xff51afd7ed558ccdULL;
    memo = &memo_[mix >> (64 - kMemoBits)];
    if (memo->valid && memo->room == e.room && memo->user == e.user && memo->session == e.session &&
        memo->sender == e.sender && memo->target == e.target && memo->channel == e.channel && memo->text == e.text &&
        memo->msg == e.msg && memo->digest == e.digest && memo->seq == e.seq && memo->epoch == e.epoch &&
        memo->value == e.value && memo->code == e.code) {
      std::memcpy(p, memo->rendered.data(), memo->rendered.size());
      p += memo->rendered.size();
    } else {
      char* const tail = p;
      p = put_tail(p, e, names);
      *memo = TailMemo{true, e.room, e.user, e.session, e.sender, e.target, e.channel, e.text,
                       e.msg, e.digest, e.seq, e.epoch, e.value, e.code, std::string(tail, p)};
    }
  } else {
    p = put_tail(p, e, names);
  }
  const std::string_view fields =
      p == fields_begin ? std::string_view() : std::string_view(fields_begin + 1, static_cast<size_t>(p - fields_begin - 1));
  *p++ = '\n';
  trace_.record_canonical(Time::from_ns(e.t_ns), kind, fields, std::string_view(begin, static_cast<size_t>(p - begin)));
  if (record_history_) history_.add(e);
}

}  // namespace roomsim::netsim
