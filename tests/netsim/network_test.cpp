// tests/netsim/network_test.cpp: simulated connections: FIFO under jitter,
// partitions (queue and heal in order; heartbeat close 1006), frame size limit
// (1009), bounded queues (1008).
#include <gtest/gtest.h>

#include <map>

#include "tests/netsim/helpers.hpp"

namespace roomsim::netsim::testing {
namespace {

using properties::EventKind;

FaultSpec partition(int64_t start_ms, int64_t duration_ms) {
  FaultSpec f;
  f.kind = FaultKind::kPartition;
  f.start_ms = start_ms;
  f.duration_ms = duration_ms;
  f.regions_a = {"IAD"};
  f.regions_b = {"SIN"};
  return f;
}

// Per connection, the seqs a client receives live must strictly increase.
void expect_fifo_receives(const SimulationResult& r) {
  std::map<uint64_t, int64_t> last;
  size_t n = 0;
  for (const auto& e : events_of(r, EventKind::kReceive)) {
    if (e.value != 0) continue;
    auto [it, fresh] = last.emplace(e.conn, e.seq);
    if (!fresh) {
      EXPECT_GT(e.seq, it->second) << "conn " << e.conn << " at t=" << e.t_ns;
      it->second = e.seq;
    }
    ++n;
  }
  EXPECT_GT(n, 0u);
}

TEST(Network, FramesNeverOvertakeUnderHeavyJitter) {
  SimulationConfig c = two_sites(3, 20);
  c.topology.jitter = Distribution{Distribution::Kind::kPareto, 5, 1.1};  // heavy tail, mean huge
  SimulationResult r = run(c, 7);
  ASSERT_TRUE(r.config_errors.empty());
  expect_fifo_receives(r);
  // Client -> room FIFO: each sender's acks come back with seqs in send order.
  std::map<uint64_t, int64_t> seq_of;
  for (const auto& e : events_of(r, EventKind::kAck)) seq_of[e.msg] = e.seq;
  std::map<properties::NameId, int64_t> last;
  size_t checked = 0;
  for (const auto& e : events_of(r, EventKind::kSend)) {
    auto it = seq_of.find(e.msg);
    if (it == seq_of.end()) continue;
    auto [l, fresh] = last.emplace(e.client, it->second);
    if (!fresh) {
      EXPECT_GT(it->second, l->second);
      l->second = it->second;
      ++checked;
    }
  }
  EXPECT_GT(checked, 100u);
}

TEST(Network, PartitionQueuesFramesAndDeliversThemInOrderOnHeal) {
  SimulationConfig c = two_sites(2, 5);
  c.faults.push_back(partition(2'000, 3'000));  // shorter than the 30 s heartbeat timeout
  SimulationResult r = run(c, 3);
  ASSERT_TRUE(r.config_errors.empty());
  EXPECT_EQ(count_of(r, EventKind::kClose), 0u);
  EXPECT_GT(probe(r, "net.frame_stalled_by_partition"), 0u);
  expect_fifo_receives(r);
  // Nothing crosses the partition while it lasts (frames sent just before it may still land).
  const auto b0 = r.history.intern("b-0");
  size_t during = 0, after = 0;
  for (const auto& e : events_of(r, EventKind::kReceive)) {
    if (e.client != b0) continue;
    if (e.t_ns > 2'500'000'000 && e.t_ns < 5'000'000'000) ++during;
    if (e.t_ns >= 5'000'000'000 && e.t_ns < 5'300'000'000) ++after;
  }
  EXPECT_EQ(during, 0u);
  EXPECT_GT(after, 5u);  // the backlog flows on heal
  // No loss: every message reaches all 4 members.
  EXPECT_EQ(count_of(r, EventKind::kReceive), count_of(r, EventKind::kSend) * 4);
  EXPECT_EQ(count_of(r, EventKind::kAck), count_of(r, EventKind::kSend));
}

TEST(Network, PartitionLongerThanHeartbeatClosesBothEnds1006) {
  SimulationConfig c = two_sites(2, 1);
  c.limits.heartbeat_timeout_ms = 3'000;
  c.faults.push_back(partition(2'000, 8'000));
  SimulationResult r = run(c, 3);
  ASSERT_TRUE(r.config_errors.empty());
  const auto b0 = r.history.intern("b-0");
  const auto a0 = r.history.intern("a-0");
  bool b_closed = false;
  for (const auto& e : events_of(r, EventKind::kClose)) {
    EXPECT_NE(e.client, a0);  // the IAD clients are not behind the partition
    if (e.client == b0 && !b_closed) {
      EXPECT_EQ(e.code, 1006);
      EXPECT_EQ(r.history.name(e.text), "heartbeat timeout");
      EXPECT_EQ(e.t_ns, 5'000'000'000);
      b_closed = true;
    }
  }
  EXPECT_TRUE(b_closed);
  // The room saw both SIN sessions go at the same instant.
  bool room_saw = false;
  for (const auto& e : events_of(r, EventKind::kRoomSessions)) {
    if (e.t_ns == 5'000'000'000 && e.value == 2) room_saw = true;
  }
  EXPECT_TRUE(room_saw);
  // 2 at 5 s, then again for reconnect attempts stuck behind the partition.
  EXPECT_GE(probe(r, "fault.partition_heartbeat_timeout"), 2u);
  // The b clients reconnect (and stay refused or stalled until the heal).
  size_t b_connects = 0;
  for (const auto& e : events_of(r, EventKind::kConnect)) b_connects += e.client == b0;
  EXPECT_GE(b_connects, 2u);
}

TEST(Network, OversizedFrameGetsErrorThenClose1009) {
  SimulationConfig c = basic_config(1, 1);
  c.limits.max_frame_bytes = 1'000;
  ClientPopulation h;
  h.name = "h";
  h.room = "lobby";
  h.behaviour = Behaviour::kHostile;
  h.hostile = {HostileAction::kOversizedFrame};
  h.reconnect = false;
  h.connect_at_ms_max = 10;
  c.clients.push_back(h);
  SimulationResult r = run(c, 5);
  ASSERT_TRUE(r.config_errors.empty());
  const auto h0 = r.history.intern("h-0");
  bool error = false, closed = false;
  for (const auto& e : r.history.events()) {
    if (e.client != h0) continue;
    if (e.kind == EventKind::kError) {
      EXPECT_EQ(r.history.name(e.text), "frame_too_large");
      EXPECT_FALSE(closed);  // error first, then the close
      error = true;
    }
    if (e.kind == EventKind::kClose) {
      EXPECT_EQ(e.code, 1009);
      closed = true;
    }
  }
  EXPECT_TRUE(error);
  EXPECT_TRUE(closed);
  EXPECT_EQ(probe(r, "conn.frame_too_large"), 1u);
}

TEST(Network, FullSendQueueClosesTheConnection1008) {
  SimulationConfig c = two_sites(1, 20);
  c.limits.send_queue_max_frames = 5;
  c.faults.push_back(partition(2'000, 3'000));
  SimulationResult r = run(c, 9);
  ASSERT_TRUE(r.config_errors.empty());
  bool closed = false;
  for (const auto& e : events_of(r, EventKind::kClose)) {
    if (e.code == 1008 && !closed) {
      EXPECT_EQ(r.history.name(e.text), "slow consumer");
      closed = true;
      // The room dropped the session at the same instant (both ends closed).
      bool room_side = false;
      for (const auto& s : events_of(r, EventKind::kRoomSessions)) room_side |= s.t_ns == e.t_ns;
      EXPECT_TRUE(room_side);
    }
  }
  EXPECT_TRUE(closed);
  EXPECT_GT(probe(r, "conn.closed_1008_slow_consumer"), 0u);
}

}  // namespace
}  // namespace roomsim::netsim::testing
