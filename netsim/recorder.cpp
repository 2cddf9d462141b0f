// netsim/recorder.cpp: canonical trace lines for history events.
#include "netsim/recorder.hpp"

#include <charconv>

#include "engine/assert.hpp"

namespace roomsim::netsim {

namespace {

void put_int(std::string& out, std::string_view key, int64_t v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out += ' ';
  out += key;
  out += '=';
  out.append(buf, res.ptr);
}

void put_hex(std::string& out, std::string_view key, uint64_t v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v, 16);
  out += ' ';
  out += key;
  out += '=';
  out.append(buf, res.ptr);
}

}  // namespace

void Recorder::add(const properties::Event& e) {
  ROOMSIM_ASSERT(e.t_ns >= last_t_ns_);
  last_t_ns_ = e.t_ns;
  line_.clear();
  auto name_field = [&](std::string_view key, properties::NameId id) {
    if (id == properties::kNoName) return;
    line_ += ' ';
    line_ += key;
    line_ += '=';
    line_ += history_.name(id);
  };
  name_field("c", e.client);
  if (e.conn != 0) put_int(line_, "conn", static_cast<int64_t>(e.conn));
  name_field("room", e.room);
  name_field("user", e.user);
  name_field("session", e.session);
  name_field("sender", e.sender);
  name_field("target", e.target);
  name_field("channel", e.channel);
  name_field("text", e.text);
  if (e.msg != 0) put_hex(line_, "msg", e.msg);
  if (e.digest != 0) put_hex(line_, "digest", e.digest);
  if (e.seq != -1) put_int(line_, "seq", e.seq);
  if (e.epoch != -1) put_int(line_, "epoch", e.epoch);
  if (e.value != 0) put_int(line_, "value", e.value);
  if (e.code != 0) put_int(line_, "code", e.code);
  trace_.record(Time::from_ns(e.t_ns), properties::to_string(e.kind),
                std::string_view(line_).substr(line_.empty() ? 0 : 1));
  if (record_history_) history_.add(e);
}

}  // namespace roomsim::netsim
