// tests/netsim/dead_peer_test.cpp: a client whose server end is gone learns it.
// A room crash during a partition isolating the client reaches the client as
// 1006 when the partition heals, even while overlapping latency spikes hit its
// region (they do not compound); the client reconnects and liveness holds.
// A path slower than the heartbeat timeout closes the connection 1006.
#include <gtest/gtest.h>

#include "properties/checker.hpp"
#include "rooms/api/registry.hpp"
#include "tests/netsim/helpers.hpp"

namespace roomsim::netsim::testing {
namespace {

using properties::EventKind;

// A chat room at IAD; "a" chatters at IAD, one "b" chatter at SIN.
SimulationConfig sin_client() {
  SimulationConfig c = two_sites(2, 2);
  c.rooms[0].kind = "chat";
  c.clients[1].count = 1;
  c.phases.safety_ms = 8'000;
  c.phases.liveness_ms = 8'000;
  c.phases.convergence_bound_ms = 4'000;
  return c;
}

TEST(DeadPeer, CrashDuringPartitionReachesTheClientAsClose1006OnHeal) {
  SimulationConfig c = sin_client();
  FaultSpec cut = fault(FaultKind::kPartition, 2'000, 1'500);
  cut.region = "SIN";
  c.faults.push_back(cut);
  FaultSpec crash = fault(FaultKind::kRoomCrash, 2'500, 100);
  crash.room = "lobby";
  c.faults.push_back(crash);
  for (int64_t start : {2'200, 2'300, 2'400}) {  // three overlapping x8 spikes on SIN: still x8, not x512
    FaultSpec spike = fault(FaultKind::kLatencySpike, start, 3'000);
    spike.region = "SIN";
    spike.factor = 8;
    c.faults.push_back(spike);
  }
  SimulationResult r = simulate(c, 5, {}, rooms::builtin_registry());
  ASSERT_TRUE(r.config_errors.empty());
  const auto b0 = r.history.intern("b-0");
  int64_t closed_at = -1;
  for (const auto& e : events_of(r, EventKind::kClose)) {
    if (e.client != b0 || closed_at >= 0) continue;
    EXPECT_EQ(e.code, 1006);
    closed_at = e.t_ns;
  }
  // Not before the heal at 3.5 s; within a few x8 one-way trips after it.
  EXPECT_GE(closed_at, 3'500'000'000);
  EXPECT_LT(closed_at, 7'000'000'000);
  size_t reopened = 0;
  for (const auto& e : events_of(r, EventKind::kConnectResult)) {
    if (e.client == b0 && e.code == 101 && e.t_ns > closed_at) ++reopened;
  }
  EXPECT_GE(reopened, 1u);
  for (const char* name : {"liveness", "presence_convergence"}) {
    auto v = properties::check_property(name, r.history);
    ASSERT_TRUE(v.has_value());
    EXPECT_TRUE(v->passed) << name << ": " << v->explanation;
  }
}

TEST(DeadPeer, PathSlowerThanTheHeartbeatTimeoutCloses1006) {
  SimulationConfig c = sin_client();
  c.limits.heartbeat_timeout_ms = 2'000;
  FaultSpec spike = fault(FaultKind::kLatencySpike, 2'000, 3'000);
  spike.region = "SIN";
  spike.factor = 100;  // about 10 s one way IAD-SIN
  c.faults.push_back(spike);
  SimulationResult r = simulate(c, 5, {}, rooms::builtin_registry());
  ASSERT_TRUE(r.config_errors.empty());
  EXPECT_GT(probe(r, "net.heartbeat_timeout_slow_path"), 0u);
  const auto b0 = r.history.intern("b-0");
  size_t timeouts = 0;
  for (const auto& e : events_of(r, EventKind::kClose)) {
    if (e.client != b0) continue;
    EXPECT_EQ(e.code, 1006);
    timeouts += r.history.name(e.text) == "heartbeat timeout";
    EXPECT_LE(e.t_ns, 5'000'000'000 + 2'000'000'000);  // by the end of the spike plus one timeout
  }
  EXPECT_GE(timeouts, 1u);
  auto v = properties::check_property("liveness", r.history);
  ASSERT_TRUE(v.has_value());
  EXPECT_TRUE(v->passed) << v->explanation;
}

}  // namespace
}  // namespace roomsim::netsim::testing
