// bench/properties_bench.cpp: how fast the property checkers judge a large
// history. A synthetic, deterministic 10-million-event history (100 chat rooms
// of 20 clients, acked broadcasts with seqs received by every other member,
// periodic reconnects with resume replays, presence, liveness and end phases)
// is built once, with every room's promised limits recorded so that every
// checker judges; the benchmarks time check_properties over all properties
// and each property alone, and report events/s.
//   ./build/bench/properties_bench --benchmark_filter=All
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "engine/rng.hpp"
#include "properties/checker.hpp"

namespace {

using roomsim::Rng;
using roomsim::properties::Event;
using roomsim::properties::EventKind;
using roomsim::properties::History;
using roomsim::properties::NameId;

constexpr size_t kTargetEvents = 10'000'000;
constexpr int kRooms = 100;
constexpr int kClientsPerRoom = 20;

struct Builder {
  History h;
  int64_t t_ns = 0;
  void add(Event e) {
    e.t_ns = t_ns;
    h.add(e);
  }
};

History build_history() {
  Builder b;
  b.h.reserve(kTargetEvents + 1000);
  Rng rng(2026);
  const NameId user_key = b.h.intern("liveness_bound_ms");
  Event cfg;
  cfg.kind = EventKind::kConfig;
  cfg.text = user_key;
  cfg.value = 10'000;
  b.add(cfg);
  cfg.text = b.h.intern("latency_p99_bound_ms");
  cfg.value = 500;
  b.add(cfg);
  cfg.text = b.h.intern("rate_limit_per_min");
  cfg.value = 1'000'000;  // the synthetic clients send far faster than people
  b.add(cfg);
  // Every room's promises, so every checker judges (an absent limit is not judged).
  for (const auto& [key, value] : {std::pair<const char*, int64_t>{"history_max", 100},
                                   {"max_connections", 100},
                                   {"max_connections_per_user", 5},
                                   {"auth_required", 1}}) {
    cfg.text = b.h.intern(key);
    cfg.value = value;
    b.add(cfg);
  }
  Event phase;
  phase.kind = EventKind::kPhase;
  phase.text = b.h.intern("liveness");
  b.add(phase);

  std::vector<NameId> rooms;
  std::vector<std::vector<NameId>> clients(kRooms), users(kRooms);
  std::vector<std::vector<uint64_t>> conns(kRooms);
  std::vector<int64_t> room_seq(kRooms, 0);
  uint64_t next_conn = 1;
  // Client c of room r opens a new connection: connect, accept, welcome.
  auto join = [&](int r, int c) {
    Event e;
    e.room = rooms[r];
    e.client = clients[r][c];
    e.user = users[r][c];
    e.conn = conns[r][c] = next_conn++;
    e.kind = EventKind::kConnect;
    e.value = 1;
    b.add(e);
    e.kind = EventKind::kConnectResult;
    e.value = 0;
    e.code = 101;
    b.add(e);
    e.code = 0;
    e.kind = EventKind::kWelcome;
    e.seq = room_seq[r];
    e.epoch = 1;
    b.add(e);
  };
  // "<prefix><r>-<c>", appended piece by piece: `"c" + std::to_string(r)` draws
  // GCC 12's false -Wrestrict (GCC bug 105651).
  auto name = [](const char* prefix, int r, int c) {
    std::string out = prefix;
    out += std::to_string(r);
    out += '-';
    out += std::to_string(c);
    return out;
  };
  for (int r = 0; r < kRooms; ++r) {
    rooms.push_back(b.h.intern("chat/r" + std::to_string(r)));
    for (int c = 0; c < kClientsPerRoom; ++c) {
      clients[r].push_back(b.h.intern(name("c", r, c)));
      users[r].push_back(b.h.intern(name("u", r, c)));
    }
    conns[r].assign(kClientsPerRoom, 0);
    for (int c = 0; c < kClientsPerRoom; ++c) join(r, c);
  }
  uint64_t msg_no = 0;
  while (b.h.size() < kTargetEvents) {
    b.t_ns += 1'000'000;  // 1 ms
    const int r = static_cast<int>(rng.uniform_below(kRooms));
    const int from = static_cast<int>(rng.uniform_below(kClientsPerRoom));
    Event send;
    send.kind = EventKind::kSend;
    send.room = rooms[r];
    send.client = clients[r][from];
    send.conn = conns[r][from];
    send.msg = roomsim::fnv1a64("m" + std::to_string(++msg_no));
    send.digest = rng.next_u64();
    b.add(send);
    const int64_t seq = ++room_seq[r];
    Event ack = send;
    ack.kind = EventKind::kAck;
    ack.digest = 0;
    ack.seq = seq;
    ack.epoch = 1;
    b.t_ns += 20'000;
    b.add(ack);
    for (int c = 0; c < kClientsPerRoom; ++c) {
      if (c == from) continue;
      Event recv = send;
      recv.kind = EventKind::kReceive;
      recv.client = clients[r][c];
      recv.conn = conns[r][c];
      recv.sender = send.client;
      recv.seq = seq;
      recv.epoch = 1;
      b.t_ns += 1'000;
      b.add(recv);
    }
    if (msg_no % 997 == 0) {  // a client drops and resumes with a replay of nothing missed
      const int c = static_cast<int>(rng.uniform_below(kClientsPerRoom));
      Event e;
      e.room = rooms[r];
      e.client = clients[r][c];
      e.conn = conns[r][c];
      e.kind = EventKind::kClose;
      e.code = 1006;
      b.add(e);
      join(r, c);
      e.conn = conns[r][c];
      e.code = 0;
      e.kind = EventKind::kResume;
      e.value = room_seq[r];
      b.add(e);
      e.kind = EventKind::kReplayWindow;
      e.value = -1;
      e.seq = -1;
      b.add(e);
    }
  }
  b.t_ns += 20'000'000'000;
  for (int r = 0; r < kRooms; ++r) {  // everyone's final participant list
    std::string present;
    for (int c = 0; c < kClientsPerRoom; ++c) {
      if (c > 0) present += ',';
      present += b.h.name(users[r][c]);
    }
    for (int c = 0; c < kClientsPerRoom; ++c) {
      Event e;
      e.kind = EventKind::kPresence;
      e.room = rooms[r];
      e.client = clients[r][c];
      e.conn = conns[r][c];
      e.text = b.h.intern(present);
      b.add(e);
    }
  }
  phase.text = b.h.intern("end");
  b.add(phase);
  return b.h;
}

const History& history() {
  static const History h = build_history();
  return h;
}

void report(benchmark::State& state) {
  state.counters["events"] = static_cast<double>(history().size());
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(history().size()), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_CheckAllProperties(benchmark::State& state) {
  const History& h = history();
  size_t failed = 0;
  for (auto _ : state) {
    const auto verdicts = roomsim::properties::check_properties(h, {});
    failed = 0;
    for (const auto& v : verdicts) {
      if (v.passed) continue;
      ++failed;
      state.SetLabel(v.property + ": " + v.explanation);  // a generator bug: the history should be valid
    }
    benchmark::DoNotOptimize(verdicts.data());
  }
  state.counters["failed_properties"] = static_cast<double>(failed);  // the synthetic history is valid: 0
  report(state);
}
BENCHMARK(BM_CheckAllProperties)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();

void BM_CheckOneProperty(benchmark::State& state) {
  const std::string& name = roomsim::properties::all_property_names()[static_cast<size_t>(state.range(0))];
  state.SetLabel(name);
  const History& h = history();
  for (auto _ : state) {
    auto v = roomsim::properties::check_property(name, h);
    benchmark::DoNotOptimize(v);
  }
  report(state);
}
BENCHMARK(BM_CheckOneProperty)
    ->DenseRange(0, static_cast<int64_t>(roomsim::properties::all_property_names().size()) - 1)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
