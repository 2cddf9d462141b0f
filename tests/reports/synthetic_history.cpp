// tests/reports/synthetic_history.cpp: a scripted chat history with a fifo bug.
#include "synthetic_history.hpp"

#include <map>
#include <string>
#include <utility>

#include "tests/labels.hpp"

namespace roomsim::reports::testing {

namespace {

using properties::Event;
using properties::EventKind;

class Script {
 public:
  explicit Script(properties::History& h) : h_(h), room_(h.intern("chat/lobby")) {}

  Event base(int64_t t_ms, EventKind kind, const std::string& client = "") {
    Event e;
    e.t_ns = t_ms * 1'000'000;
    e.kind = kind;
    e.room = room_;
    if (!client.empty()) e.client = h_.intern(client);
    return e;
  }
  void connect(int64_t t_ms, const std::string& c, uint64_t conn) {
    Event e = base(t_ms, EventKind::kConnect, c);
    e.conn = conn;
    e.user = h_.intern("u-" + c);
    e.value = 1;
    h_.add(e);
    e.kind = EventKind::kConnectResult;
    e.code = 101;
    e.value = 0;
    h_.add(e);
  }
  void send(int64_t t_ms, const std::string& c, uint64_t conn, uint64_t msg) {
    Event e = base(t_ms, EventKind::kSend, c);
    e.conn = conn;
    e.msg = msg;
    e.digest = msg * 31;
    h_.add(e);
  }
  void receive(int64_t t_ms, const std::string& c, uint64_t conn, const std::string& sender, uint64_t msg,
               int64_t seq) {
    Event e = base(t_ms, EventKind::kReceive, c);
    e.conn = conn;
    e.sender = h_.intern(sender);
    e.msg = msg;
    e.digest = msg * 31;
    e.seq = seq;
    e.epoch = 1;
    h_.add(e);
  }
  void room(int64_t t_ms, EventKind kind, int64_t seq = -1, int64_t value = 0) {
    Event e = base(t_ms, kind);
    e.seq = seq;
    e.value = value;
    e.epoch = 1;
    h_.add(e);
  }
  void fault(int64_t t_ms, EventKind kind, const std::string& text) {
    Event e = base(t_ms, kind);
    e.room = properties::kNoName;
    e.text = h_.intern(text);
    h_.add(e);
  }

 private:
  properties::History& h_;
  properties::NameId room_;
};

}  // namespace

properties::History fifo_violation_history(size_t filler, size_t extra_clients) {
  properties::History h;
  Script s(h);
  s.room(0, EventKind::kRoomStart, 0, 0);
  s.connect(10, "c1", 1);
  s.connect(12, "c2", 2);
  s.connect(15, "c3", 3);
  auto extra = [](size_t i) { return roomsim::testing::label("x", static_cast<int64_t>(i)); };
  for (size_t i = 0; i < extra_clients; ++i) s.connect(16, extra(i), 100 + i);
  s.send(100, "c1", 1, 0x1111);
  s.send(110, "c1", 1, 0x2222);
  s.room(120, EventKind::kCommit, 2, 1);
  s.receive(140, "c1", 1, "c1", 0x1111, 1);
  s.receive(150, "c1", 1, "c1", 0x2222, 2);
  s.fault(200, EventKind::kFaultBegin, "partition#0 a=AMS b=SIN ms=200+200");
  s.receive(260, "c2", 2, "c1", 0x2222, 2);
  s.receive(265, "c2", 2, "c1", 0x1111, 1);  // out of order: the fifo violation
  s.receive(270, "c3", 3, "c1", 0x1111, 1);
  s.receive(275, "c3", 3, "c1", 0x2222, 2);
  for (size_t i = 0; i < extra_clients; ++i) s.receive(280, extra(i), 100 + i, "c1", 0x1111, 1);
  s.room(300, EventKind::kRoomCrash);
  s.room(350, EventKind::kRoomStart, 2, 2);
  s.fault(400, EventKind::kFaultEnd, "partition#0 a=AMS b=SIN ms=200+200");
  for (size_t i = 0; i < filler; ++i) {
    const auto t = static_cast<int64_t>(500 + i);
    s.send(t, "c3", 3, 0x10000 + i);
    s.receive(t + 20, "c3", 3, "c3", 0x10000 + i, static_cast<int64_t>(3 + i));
  }
  return h;
}

netsim::FrameHopLog synthetic_hops(const properties::History& h) {
  netsim::FrameHopLog log;
  log.recorded = true;
  log.region_codes = {"AMS", "SIN"};
  std::map<std::pair<uint64_t, bool>, uint32_t> ordinal;
  const auto& events = h.events();
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (e.kind != EventKind::kSend && e.kind != EventKind::kReceive) continue;
    const std::string& client = h.name(e.client);
    netsim::FrameHop f;
    f.conn = e.conn;
    f.up = e.kind == EventKind::kSend;
    f.ordinal = ordinal[{f.conn, f.up}]++;
    f.edge = client == "c2" || client[0] == 'x' ? 1 : 0;
    f.home = 0;
    if (f.up) {
      f.sent_ns = e.t_ns;
      f.edge_ns = e.t_ns + 5'000'000;
      f.arrived_ns = e.t_ns + 15'000'000;
      f.events_before_send = i + 1;
      f.first_event = i + 1;
    } else {
      f.sent_ns = e.t_ns <= 300'000'000 ? 120'000'000 : e.t_ns - 10'000'000;
      while (f.events_before_send < events.size() && events[f.events_before_send].t_ns <= f.sent_ns) {
        ++f.events_before_send;  // the room queued it after everything recorded until then
      }
      f.edge_ns = e.t_ns - 4'000'000;
      f.arrived_ns = e.t_ns;
      f.first_event = i;
      f.event_count = 1;
      if (client == "c2") f.retimed_ns = 240'000'000;
    }
    log.hops.push_back(f);
  }
  return log;
}

}  // namespace roomsim::reports::testing
