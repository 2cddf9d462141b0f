// RapidCheck properties: a generated valid history passes every checker, and
// each kind of damage (drop, duplicate, swap, corrupt) makes the checker that
// guards against it fail. This is what shows the checkers can fail.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "engine/rng.hpp"
#include "properties/history_jsonl.hpp"
#include "tests/properties/check_helpers.hpp"
#include "tests/labels.hpp"
#include "tests/properties/history_builder.hpp"

namespace roomsim::properties {
namespace {

using testing::HistoryBuilder;
using testing::run;

constexpr int64_t kRefreshMs = 1'000;
constexpr int64_t kPollUs = kRefreshMs * 1000;

struct Shape {
  int clients;
  int messages;
  int cut;  // c0 leaves after message `cut` and comes back at the end
  uint64_t seed;
};

struct Generated {
  History history;
  std::vector<size_t> live_receives;    // indices
  std::vector<size_t> replay_receives;  // c0's replay after it came back, seq 1..M in order
  std::vector<size_t> connects;         // kConnect events
  std::vector<size_t> presences;        // final participant lists
  std::vector<size_t> updates;          // final data updates
  size_t busiest_last_ack = 0;          // the last ack of the connection with the most acks
  size_t rewelcome = 0;                 // c0's welcome when it came back
  size_t window = 0;                    // its replay window
  int64_t c0_had = 0;                   // highest seq c0 had before it left
};

// A corrected chat room that every property accepts: clients c0..cN-1
// (users u0..), connected and subscribed; acked messages with seqs 1..M that
// every other member receives in seq order after random delays; c0 leaves
// after message `cut` and comes back at the end with a replay of everything;
// final participant lists and dashboard values match.
Generated generate(const Shape& s) {
  Rng rng(s.seed);
  struct Timed {
    int64_t t_us;
    Event e;
  };
  Generated g;
  History& h = g.history;
  std::vector<Timed> timed;
  auto push = [&](int64_t t_us, Event e) { timed.push_back(Timed{t_us, e}); };
  const NameId room = h.intern("chat/r");
  const NameId topic = h.intern("topic");
  const NameId star = h.intern("*");
  const uint64_t topic_value = 77;
  auto client = [&](int c) { return h.intern(roomsim::testing::label("c", c)); };
  auto user = [&](int c) { return h.intern(roomsim::testing::label("u", c)); };
  // `open` sessions are open in the room just before this one is admitted.
  auto join = [&](int64_t t_us, int c, uint64_t conn, int64_t seq, int64_t open) {
    Event e;
    e.client = client(c);
    e.conn = conn;
    e.room = room;
    e.kind = EventKind::kConnect;
    e.user = user(c);
    e.value = 1;
    push(t_us, e);
    e.kind = EventKind::kAdmission;  // the host's decision and counts
    e.client = kNoName;
    e.code = 101;
    e.value = open;
    e.seq = 0;
    push(t_us, e);
    e.client = client(c);
    e.seq = -1;
    e.value = 0;
    e.user = kNoName;
    e.kind = EventKind::kConnectResult;
    e.code = 101;
    push(t_us, e);
    e.code = 0;
    e.kind = EventKind::kWelcome;
    e.seq = seq;
    e.epoch = 1;
    push(t_us, e);
    e.seq = -1;
    e.epoch = -1;
    e.kind = EventKind::kSubscribe;
    e.text = star;
    push(t_us, e);
  };
  for (int c = 0; c < s.clients; ++c) join(0, c, static_cast<uint64_t>(c + 1), 0, c);
  Event value;
  value.kind = EventKind::kFeedValue;
  value.room = room;
  value.text = topic;
  value.digest = topic_value;
  push(1, value);

  std::vector<int64_t> ready_us(static_cast<size_t>(s.clients), 0);
  int64_t c0_last_us = 0;
  int64_t t_us = 1000;
  for (int m = 1; m <= s.messages; ++m) {
    t_us += static_cast<int64_t>(rng.uniform_below(5000));
    const bool c0_gone = m > s.cut;
    const int lo = c0_gone ? 1 : 0;
    const int from = lo + static_cast<int>(rng.uniform_below(static_cast<uint64_t>(s.clients - lo)));
    Event send;
    send.kind = EventKind::kSend;
    send.client = client(from);
    send.conn = static_cast<uint64_t>(from + 1);
    send.room = room;
    send.msg = fnv1a64(roomsim::testing::label("m", m));
    send.digest = fnv1a64("payload" + std::to_string(m));
    push(t_us, send);
    Event ack = send;
    ack.kind = EventKind::kAck;
    ack.digest = 0;
    ack.seq = m;
    ack.epoch = 1;
    push(t_us + 500, ack);
    if (from == 0) {
      c0_last_us = std::max(c0_last_us, t_us + 500);
      g.c0_had = m;
    }
    for (int r = 0; r < s.clients; ++r) {
      if (r == from || (r == 0 && c0_gone)) continue;
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
      if (r == 0) {
        c0_last_us = std::max(c0_last_us, ready);
        g.c0_had = m;
      }
    }
  }
  Event close;
  close.kind = EventKind::kClose;
  close.client = client(0);
  close.conn = 1;
  close.room = room;
  close.code = 1006;
  push(c0_last_us + 1, close);
  // The room polls the feed every refresh interval.
  const NameId feed = h.intern("feed");
  auto poll = [&](int64_t t_us) {
    Event call;
    call.kind = EventKind::kServiceCall;
    call.room = room;
    call.text = feed;
    call.value = t_us / kPollUs;
    return call;
  };
  int64_t last_us = 0;
  for (const Timed& t : timed) last_us = std::max(last_us, t.t_us);
  for (int64_t t = 0; t <= last_us; t += kPollUs) push(t, poll(t));
  std::stable_sort(timed.begin(), timed.end(), [](const Timed& a, const Timed& b) { return a.t_us < b.t_us; });

  auto add = [&](int64_t t_us, Event e) {
    e.t_ns = t_us * 1000;
    h.add(e);
    return h.size() - 1;
  };
  // Limits the valid history just meets.
  std::map<uint64_t, std::vector<size_t>> acks_of;  // conn -> positions in `timed`
  for (size_t k = 0; k < timed.size(); ++k) {
    if (timed[k].e.kind == EventKind::kAck) acks_of[timed[k].e.conn].push_back(k);
  }
  size_t most = 0;
  size_t busiest_last = 0;
  for (const auto& [conn, list] : acks_of) {
    if (list.size() > most) {
      most = list.size();
      busiest_last = list.back();
    }
  }
  auto config = [&](std::string_view key, int64_t v) {
    Event e;
    e.kind = EventKind::kConfig;
    e.text = h.intern(key);
    e.value = v;
    add(0, e);
  };
  config("latency_p99_bound_ms", 10'000);  // receives queue behind each other: up to 25 x 100 ms
  config("liveness_bound_ms", 10'000);
  config("history_max", 100);
  config("auth_required", 1);
  config("max_connections", s.clients);
  config("max_connections_per_user", 1);
  config("rate_limit_per_min", static_cast<int64_t>(most));
  config("max_frame_bytes", 65'536);
  config("heartbeat_timeout_ms", 30'000);
  config("refresh_interval_ms", kRefreshMs);
  Event phase;
  phase.kind = EventKind::kPhase;
  phase.text = h.intern("liveness");
  add(0, phase);
  for (size_t k = 0; k < timed.size(); ++k) {
    const size_t i = add(timed[k].t_us, timed[k].e);
    if (timed[k].e.kind == EventKind::kReceive) g.live_receives.push_back(i);
    if (timed[k].e.kind == EventKind::kConnect) g.connects.push_back(i);
    if (k == busiest_last) g.busiest_last_ack = i;
  }

  // c0 comes back and gets everything replayed.
  const int64_t back_us = timed.back().t_us + 200'000;  // after everything above
  timed.clear();
  join(back_us, 0, 1000, s.messages, s.clients - 1);
  for (const Timed& t : timed) {
    const size_t i = add(t.t_us, t.e);
    if (t.e.kind == EventKind::kConnect) g.connects.push_back(i);
    if (t.e.kind == EventKind::kWelcome) g.rewelcome = i;
  }
  Event window;
  window.kind = EventKind::kReplayWindow;
  window.client = client(0);
  window.conn = 1000;
  window.room = room;
  window.value = 1;
  window.seq = s.messages;
  window.code = s.messages;
  window.epoch = 1;
  g.window = add(back_us, window);
  for (size_t k = 0; k < h.size(); ++k) {
    const Event& a = h.events()[k];
    if (a.kind != EventKind::kAck) continue;
    Event recv = a;
    recv.kind = EventKind::kReceive;
    recv.client = client(0);
    recv.conn = 1000;
    recv.sender = a.client;
    recv.digest = 0;
    recv.value = 1;
    for (const Event& sent : h.events()) {
      if (sent.kind == EventKind::kSend && sent.msg == a.msg) recv.digest = sent.digest;
    }
    g.replay_receives.push_back(h.size());
    add(back_us, recv);
  }
  std::sort(g.replay_receives.begin(), g.replay_receives.end(),
            [&](size_t x, size_t y) { return h.events()[x].seq < h.events()[y].seq; });

  // Final lists and values, then the end.
  std::string everyone;
  for (int c = 0; c < s.clients; ++c) {
    if (c > 0) everyone += ',';
    everyone += roomsim::testing::label("u", c);
  }
  for (int c = 0; c < s.clients; ++c) {
    Event e;
    e.client = client(c);
    e.conn = c == 0 ? 1000 : static_cast<uint64_t>(c + 1);
    e.room = room;
    e.kind = EventKind::kPresence;
    e.text = h.intern(everyone);
    g.presences.push_back(add(back_us + 1000, e));
    e.kind = EventKind::kDataUpdate;
    e.text = topic;
    e.digest = topic_value;
    g.updates.push_back(add(back_us + 1000, e));
  }
  // The room keeps polling the feed until the end.
  const int64_t end_us = back_us + 60'000'000;
  for (int64_t t = (back_us + 1000) / kPollUs * kPollUs + kPollUs; t < end_us; t += kPollUs) add(t, poll(t));
  phase.text = h.intern("end");
  add(end_us, phase);
  return g;
}

rc::Gen<Shape> shapes() {
  // (clients - 1) x messages <= 100 live receives, so one slow receive moves the p99.
  return rc::gen::mapcat(rc::gen::pair(rc::gen::inRange(2, 6), rc::gen::inRange(4, 21)), [](std::pair<int, int> cm) {
    return rc::gen::build<Shape>(rc::gen::set(&Shape::clients, rc::gen::just(cm.first)),
                                 rc::gen::set(&Shape::messages, rc::gen::just(cm.second)),
                                 rc::gen::set(&Shape::cut, rc::gen::inRange(cm.second / 2, cm.second + 1)),
                                 rc::gen::set(&Shape::seed, rc::gen::arbitrary<uint64_t>()));
  });
}

// Live receives on connections that stay open to the end (not c0's first one).
std::vector<size_t> staying_receives(const Generated& g) {
  std::vector<size_t> out;
  for (size_t i : g.live_receives) {
    if (g.history.events()[i].conn != 1) out.push_back(i);
  }
  RC_PRE(!out.empty());
  return out;
}

void erase_event(History& h, size_t index) { h.mutable_events().erase(h.mutable_events().begin() + index); }

RC_GTEST_PROP(PropertyCheckers, ValidHistoriesPassEveryProperty, ()) {
  const Generated g = generate(*shapes());
  for (const Verdict& v : check_properties(g.history, {})) {
    RC_LOG() << v.property << ": " << v.explanation << "\n";
    RC_ASSERT(v.passed);
  }
}

// A history is input from a file (check-history): any field may hold any value
// of its type. Every checker judges it without throwing, aborting or sizing
// memory by a value (a bitmap indexed by seq 2^63-1 once aborted the process).
RC_GTEST_PROP(PropertyCheckers, ExtremeFieldValuesAreJudgedWithoutACrash, ()) {
  Generated g = generate(*shapes());
  const auto extreme_i64 = rc::gen::element<int64_t>(INT64_MAX, INT64_MIN, INT64_MAX - 1, -1, 0, 1, int64_t{1} << 40,
                                                     int64_t{4'000'000'000});
  const int edits = *rc::gen::inRange(1, 6);
  auto& events = g.history.mutable_events();
  for (int k = 0; k < edits; ++k) {
    Event& e = events[*rc::gen::inRange<size_t>(0, events.size())];
    switch (*rc::gen::inRange(0, 5)) {
      case 0: e.seq = *extreme_i64; break;
      case 1: e.epoch = *extreme_i64; break;
      case 2: e.value = *extreme_i64; break;
      case 3: e.code = *rc::gen::element<int32_t>(INT32_MAX, INT32_MIN, -1, 0, 101); break;
      default: e.conn = *rc::gen::element<uint64_t>(UINT64_MAX, 0, 1u << 31); break;
    }
  }
  const std::vector<Verdict> verdicts = check_properties(g.history, {});
  RC_ASSERT(verdicts.size() == all_property_names().size());
}

RC_GTEST_PROP(PropertyCheckers, DroppingALiveReceiveBreaksLivenessAndRecovery, ()) {
  Generated g = generate(*shapes());
  const size_t victim = *rc::gen::elementOf(staying_receives(g));
  erase_event(g.history, victim);
  RC_ASSERT_FALSE(run("liveness", g.history).passed);
  // Silent loss on a connection that never reconnects is recovery's too.
  const Verdict recovery = run("recovery", g.history);
  RC_ASSERT_FALSE(recovery.passed);
  RC_ASSERT(recovery.rule == "recovery.live_hole" || recovery.rule == "recovery.not_caught_up");
  RC_ASSERT(run("fifo", g.history).passed);  // a gap is not reordering
}

RC_GTEST_PROP(PropertyCheckers, DuplicatingALiveReceiveBreaksNoDuplicates, ()) {
  Generated g = generate(*shapes());
  const size_t victim = *rc::gen::elementOf(staying_receives(g));
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
  const size_t first = *rc::gen::elementOf(staying_receives(g));
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
  RC_ASSERT(v.violating == std::vector<size_t>{g.window});
}

RC_GTEST_PROP(PropertyCheckers, DroppingAMissedMessageFromTheComebackReplayBreaksRecovery, ()) {
  const Shape shape = *shapes();
  Generated g = generate(shape);
  RC_PRE(g.c0_had < shape.messages);
  const auto seq = *rc::gen::inRange<int64_t>(g.c0_had + 1, shape.messages + 1);
  erase_event(g.history, g.replay_receives[static_cast<size_t>(seq - 1)]);
  const Verdict v = run("recovery", g.history);
  RC_ASSERT(v.violating == std::vector<size_t>{g.rewelcome});
}

RC_GTEST_PROP(PropertyCheckers, DroppingAnAlreadySeenMessageFromTheReplayIsNotARecoveryFailure, ()) {
  Generated g = generate(*shapes());
  RC_PRE(g.c0_had >= 1);
  const auto seq = *rc::gen::inRange<int64_t>(1, g.c0_had + 1);
  erase_event(g.history, g.replay_receives[static_cast<size_t>(seq - 1)]);
  RC_ASSERT(run("recovery", g.history).passed);
  RC_ASSERT_FALSE(run("durability", g.history).passed);
}

RC_GTEST_PROP(PropertyCheckers, ASecondConnectionOfOneUserBreaksConnectionLimits, ()) {
  Generated g = generate(*shapes());
  const size_t comeback = g.connects.back();  // c0 (u0) coming back; make it claim u1
  g.history.mutable_events()[comeback].user = *g.history.find("u1");
  const Verdict v = run("connection_limits", g.history);
  RC_ASSERT(v.violating == std::vector<size_t>{comeback + 2});  // its connect_result, after the host's kAdmission
}

RC_GTEST_PROP(PropertyCheckers, DuplicatingAnAckOfTheBusiestConnectionBreaksRateLimit, ()) {
  Generated g = generate(*shapes());
  auto& events = g.history.mutable_events();
  const size_t copy_at = g.busiest_last_ack + 1;
  events.insert(events.begin() + static_cast<ptrdiff_t>(copy_at), events[g.busiest_last_ack]);
  const Verdict v = run("rate_limit", g.history);
  RC_ASSERT(v.violating == std::vector<size_t>{copy_at});
}

RC_GTEST_PROP(PropertyCheckers, ATokenlessConnectBreaksAuthorization, ()) {
  Generated g = generate(*shapes());
  const size_t victim = *rc::gen::elementOf(g.connects);
  g.history.mutable_events()[victim].value = 0;
  const Verdict v = run("authorization", g.history);
  RC_ASSERT_FALSE(v.passed);
  RC_ASSERT(v.violating.front() == victim + 2);  // its connect_result 101 (after kAdmission), then its traffic
}

RC_GTEST_PROP(PropertyCheckers, AReplayEndingBeforeTheLatestBreaksHistoryBound, ()) {
  Generated g = generate(*shapes());
  g.history.mutable_events()[g.window].seq -= 1;
  RC_ASSERT(run("history_bound", g.history).violating == std::vector<size_t>{g.window});
}

RC_GTEST_PROP(PropertyCheckers, ACorruptFinalUpdateBreaksDashboardConvergence, ()) {
  Generated g = generate(*shapes());
  const size_t victim = *rc::gen::elementOf(g.updates);
  g.history.mutable_events()[victim].digest ^= 1;
  const Verdict v = run("dashboard_convergence", g.history);
  // The final value is wrong ("stale_at_end" at the update); it may also have
  // been the value held when the feed's change came due ("stale_value" at
  // the feed change).
  RC_ASSERT(std::find(v.violating.begin(), v.violating.end(), victim) != v.violating.end());
  for (size_t i : v.violating) RC_ASSERT(i == victim || g.history.events()[i].kind == EventKind::kFeedValue);
}

RC_GTEST_PROP(PropertyCheckers, AStaleParticipantListBreaksPresenceConvergence, ()) {
  Generated g = generate(*shapes());
  const size_t victim = *rc::gen::elementOf(g.presences);
  std::string list = g.history.name(g.history.events()[victim].text);
  list = list.substr(0, list.rfind(','));  // someone is missing
  g.history.mutable_events()[victim].text = g.history.intern(list);
  RC_ASSERT(run("presence_convergence", g.history).violating == std::vector<size_t>{victim});
}

RC_GTEST_PROP(PropertyCheckers, ADelayedReceiveBreaksTheLatencySlo, ()) {
  Generated g = generate(*shapes());
  const size_t victim = *rc::gen::elementOf(staying_receives(g));
  auto& events = g.history.mutable_events();
  Event late = events[victim];
  late.t_ns = events.back().t_ns;  // the end phase, a minute later
  events.erase(events.begin() + static_cast<ptrdiff_t>(victim));
  events.insert(events.end() - 1, late);
  const Verdict v = run("latency_slo", g.history);
  RC_ASSERT(v.violating == std::vector<size_t>{events.size() - 2});
}

RC_GTEST_PROP(PropertyCheckers, JsonlRoundTripKeepsEveryVerdict, ()) {
  Generated g = generate(*shapes());
  g.history.mutable_events()[*rc::gen::elementOf(g.live_receives)].digest ^= 1;  // some verdict fails
  std::stringstream text;
  write_history_jsonl(g.history, text);
  auto back = read_history_jsonl(text, "generated.jsonl");
  if (auto* err = std::get_if<std::string>(&back)) RC_FAIL(*err);
  const auto before = check_properties(g.history, {});
  const auto after = check_properties(std::get<History>(back), {});
  RC_ASSERT(before.size() == after.size());
  for (size_t k = 0; k < before.size(); ++k) {
    RC_ASSERT(before[k].passed == after[k].passed);
    RC_ASSERT(before[k].violating == after[k].violating);
    RC_ASSERT(before[k].explanation == after[k].explanation);
  }
}

}  // namespace
}  // namespace roomsim::properties
