// RapidCheck properties: a generated valid history passes every checker, and
// each kind of damage (drop, duplicate, swap, corrupt) makes the checker that
// guards against it fail. This is what shows the checkers can fail.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/rng.hpp"
#include "tests/properties/check_helpers.hpp"
#include "tests/properties/history_builder.hpp"

namespace roomsim::properties {
namespace {

using testing::HistoryBuilder;
using testing::run;

struct Shape {
  int clients;
  int messages;
  uint64_t seed;
};

struct Generated {
  History history;
  std::vector<size_t> live_receives;    // indices
  std::vector<size_t> replay_receives;  // the late joiner's replay
};

// A corrected chat room: clients c0..cN-1 join, send acked messages with
// seqs 1..M that every other client receives in seq order after random
// delays, then "late" joins and gets the whole history replayed.
Generated generate(const Shape& s) {
  Rng rng(s.seed);
  struct Timed {
    int64_t t_us;
    size_t order;
    Event e;
  };
  HistoryBuilder names;  // interns names; events are collected with times below
  History& h = names.history();
  std::vector<Timed> events;
  auto push = [&](int64_t t_us, Event e) {
    e.t_ns = t_us * 1000;
    events.push_back(Timed{t_us, events.size(), e});
  };
  const NameId room = h.intern("chat/r");
  auto client = [&](int c) { return h.intern("c" + std::to_string(c)); };
  for (int c = 0; c < s.clients; ++c) {
    Event e;
    e.kind = EventKind::kWelcome;
    e.client = client(c);
    e.conn = static_cast<uint64_t>(c + 1);
    e.room = room;
    e.seq = 0;
    e.epoch = 1;
    push(0, e);
  }
  std::vector<int64_t> ready_us(static_cast<size_t>(s.clients), 0);
  int64_t t_us = 1000;
  for (int m = 1; m <= s.messages; ++m) {
    t_us += static_cast<int64_t>(rng.uniform_below(5000));
    const int from = static_cast<int>(rng.uniform_below(static_cast<uint64_t>(s.clients)));
    Event send;
    send.kind = EventKind::kSend;
    send.client = client(from);
    send.conn = static_cast<uint64_t>(from + 1);
    send.room = room;
    send.msg = fnv1a64("m" + std::to_string(m));
    send.digest = fnv1a64("payload" + std::to_string(m));
    push(t_us, send);
    Event ack = send;
    ack.kind = EventKind::kAck;
    ack.digest = 0;
    ack.seq = m;
    ack.epoch = 1;
    push(t_us + 500, ack);
    for (int r = 0; r < s.clients; ++r) {
      if (r == from) continue;
      int64_t& ready = ready_us[static_cast<size_t>(r)];
      ready = std::max(ready, t_us + 600) + static_cast<int64_t>(rng.uniform_below(100'000));
      Event recv = send;
      recv.kind = EventKind::kReceive;
      recv.client = client(r);
      recv.conn = static_cast<uint64_t>(r + 1);
      recv.sender = client(from);
      recv.seq = m;
      recv.epoch = 1;
      push(ready, recv);
    }
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const Timed& a, const Timed& b) { return a.t_us < b.t_us; });

  Generated g;
  g.history = h;  // names only so far
  g.history.mutable_events().clear();
  Event cfg;
  cfg.kind = EventKind::kConfig;
  cfg.text = g.history.intern("latency_p99_bound_ms");
  cfg.value = 10'000;  // receives queue behind each other: up to 25 x 100 ms
  g.history.add(cfg);
  Event phase;
  phase.kind = EventKind::kPhase;
  phase.text = g.history.intern("liveness");
  g.history.add(phase);
  for (const Timed& t : events) {
    if (t.e.kind == EventKind::kReceive) g.live_receives.push_back(g.history.size());
    g.history.add(t.e);
  }
  // The late joiner.
  const int64_t late_ns = (events.back().t_us + 1000) * 1000;
  Event welcome;
  welcome.kind = EventKind::kWelcome;
  welcome.t_ns = late_ns;
  welcome.client = g.history.intern("late");
  welcome.conn = 1000;
  welcome.room = room;
  welcome.seq = s.messages;
  welcome.epoch = 1;
  g.history.add(welcome);
  Event window = welcome;
  window.kind = EventKind::kReplayWindow;
  window.value = std::max(1, s.messages - 99);
  window.seq = s.messages;
  window.code = s.messages - static_cast<int32_t>(window.value) + 1;
  g.history.add(window);
  for (const Timed& t : events) {
    if (t.e.kind != EventKind::kSend || t.e.msg == 0) continue;
    const auto seq = static_cast<int64_t>(std::find_if(events.begin(), events.end(), [&](const Timed& a) {
                                            return a.e.kind == EventKind::kAck && a.e.msg == t.e.msg;
                                          })->e.seq);
    if (seq < window.value) continue;
    Event recv = t.e;
    recv.kind = EventKind::kReceive;
    recv.t_ns = late_ns;
    recv.sender = t.e.client;
    recv.client = welcome.client;
    recv.conn = welcome.conn;
    recv.seq = seq;
    recv.epoch = 1;
    recv.value = 1;
    g.replay_receives.push_back(g.history.size());
    g.history.add(recv);
  }
  phase.text = g.history.intern("end");
  phase.t_ns = late_ns + 60'000'000'000;
  g.history.add(phase);
  return g;
}

rc::Gen<Shape> shapes() {
  return rc::gen::build<Shape>(rc::gen::set(&Shape::clients, rc::gen::inRange(2, 6)),
                               rc::gen::set(&Shape::messages, rc::gen::inRange(2, 25)),
                               rc::gen::set(&Shape::seed, rc::gen::arbitrary<uint64_t>()));
}

void erase_event(History& h, size_t index) { h.mutable_events().erase(h.mutable_events().begin() + index); }

RC_GTEST_PROP(PropertyCheckers, ValidHistoriesPassEveryProperty, ()) {
  const Generated g = generate(*shapes());
  for (const Verdict& v : check_properties(g.history, {})) {
    RC_LOG() << v.property << ": " << v.explanation << "\n";
    RC_ASSERT(v.passed);
  }
}

RC_GTEST_PROP(PropertyCheckers, DroppingALiveReceiveBreaksLiveness, ()) {
  Generated g = generate(*shapes());
  const size_t victim = *rc::gen::elementOf(g.live_receives);
  erase_event(g.history, victim);
  RC_ASSERT_FALSE(run("liveness", g.history).passed);
  RC_ASSERT(run("fifo", g.history).passed);  // a gap is not reordering
}

RC_GTEST_PROP(PropertyCheckers, DuplicatingALiveReceiveBreaksNoDuplicates, ()) {
  Generated g = generate(*shapes());
  const size_t victim = *rc::gen::elementOf(g.live_receives);
  auto& events = g.history.mutable_events();
  events.insert(events.begin() + static_cast<ptrdiff_t>(victim) + 1, events[victim]);
  const Verdict v = run("no_duplicates", g.history);
  RC_ASSERT_FALSE(v.passed);
  RC_ASSERT(v.violating == std::vector<size_t>{victim + 1});
  RC_ASSERT(run("no_phantoms", g.history).passed);
}

RC_GTEST_PROP(PropertyCheckers, SwappingTwoReceivesOfOneConnectionBreaksOrder, ()) {
  Generated g = generate(*shapes());
  auto& events = g.history.mutable_events();
  // Pick a receiver connection with at least two live receives.
  const size_t first = *rc::gen::elementOf(g.live_receives);
  size_t second = 0;
  for (size_t i : g.live_receives) {
    if (i > first && events[i].conn == events[first].conn) {
      second = i;
      break;
    }
  }
  RC_PRE(second != 0);
  const bool same_sender = events[first].sender == events[second].sender;
  std::swap(events[first], events[second]);
  std::swap(events[first].t_ns, events[second].t_ns);  // keep time order
  RC_ASSERT_FALSE(run("total_order", g.history).passed);
  RC_PRE(run("no_phantoms", g.history).passed);  // the moved receive must still follow its send
  RC_ASSERT(run("fifo", g.history).passed == !same_sender);
}

RC_GTEST_PROP(PropertyCheckers, CorruptingADigestBreaksNoPhantoms, ()) {
  Generated g = generate(*shapes());
  std::vector<size_t> receives = g.live_receives;
  receives.insert(receives.end(), g.replay_receives.begin(), g.replay_receives.end());
  const size_t victim = *rc::gen::elementOf(receives);
  g.history.mutable_events()[victim].digest ^= 1ULL << *rc::gen::inRange(0, 64);
  const Verdict v = run("no_phantoms", g.history);
  RC_ASSERT(v.violating == std::vector<size_t>{victim});
}

RC_GTEST_PROP(PropertyCheckers, DroppingAMessageFromALaterReplayBreaksDurability, ()) {
  Generated g = generate(*shapes());
  const size_t victim = *rc::gen::elementOf(g.replay_receives);
  erase_event(g.history, victim);
  const Verdict v = run("durability", g.history);
  RC_ASSERT_FALSE(v.passed);
  RC_ASSERT(v.violating == std::vector<size_t>{g.replay_receives.front() - 1});  // the replay window
}

}  // namespace
}  // namespace roomsim::properties
