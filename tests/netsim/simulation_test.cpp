// tests/netsim/simulation_test.cpp: end-to-end runs of simulate() with the test room.
#include <gtest/gtest.h>

#include <map>

#include "tests/netsim/helpers.hpp"

namespace roomsim::netsim::testing {
namespace {

using properties::EventKind;

TEST(Simulation, QuietChatDeliversEveryMessageToEveryMember) {
  const SimulationResult r = run(basic_config(3));
  ASSERT_TRUE(r.config_errors.empty());
  EXPECT_FALSE(r.budget_exhausted);
  EXPECT_EQ(r.trace_hash.size(), 16u);
  const auto sends = events_of(r, EventKind::kSend);
  ASSERT_GT(sends.size(), 10u);
  EXPECT_EQ(count_of(r, EventKind::kAck), sends.size());
  // Every member receives every message exactly once, live.
  EXPECT_EQ(count_of(r, EventKind::kReceive), sends.size() * 3);
  EXPECT_EQ(count_of(r, EventKind::kConnectResult), 3u);
  EXPECT_EQ(count_of(r, EventKind::kCommit), sends.size());
  // Config events for the checkers come first.
  EXPECT_EQ(r.history.config("liveness_bound_ms", -1), 2000);
  EXPECT_EQ(r.history.events().front().kind, EventKind::kConfig);
  EXPECT_EQ(r.simulated_ns, 10'000'000'000);
  // Chatters fall quiet for the last min(convergence bound, liveness / 2) of the run.
  EXPECT_EQ(r.history.config("quiesce_ms", -1), 8'000);
  for (const auto& e : sends) EXPECT_LT(e.t_ns, 8'000'000'000);
}

TEST(Simulation, ReceivesCarrySenderAndDigestFromThePayload) {
  const SimulationResult r = run(basic_config(2));
  std::map<uint64_t, properties::Event> sent;
  for (const auto& e : events_of(r, EventKind::kSend)) sent[e.msg] = e;
  ASSERT_FALSE(sent.empty());
  for (const auto& e : events_of(r, EventKind::kReceive)) {
    auto it = sent.find(e.msg);
    ASSERT_NE(it, sent.end());
    EXPECT_EQ(e.digest, it->second.digest);
    EXPECT_EQ(e.sender, it->second.client);
    EXPECT_GE(e.seq, 1);
  }
}

TEST(Simulation, InvalidConfigsAreReportedAndNothingRuns) {
  SimulationConfig c = basic_config(1);
  c.rooms[0].kind = "no-such-kind";
  c.clients[0].region_weights["XXX"] = 1;
  c.faults.push_back(FaultSpec{FaultKind::kEdgeOutage, 0, 10, {}, {}, false, "", "", "", "", 1, 1, 0, 0});
  const SimulationResult r = run(c);
  ASSERT_GE(r.config_errors.size(), 3u);
  bool kind = false, region = false, weights = false;
  for (const auto& e : r.config_errors) {
    weights |= e.find("clients[0].region_weights: unknown region \"XXX\"") != std::string::npos;
    kind |= e.find("unknown room kind \"no-such-kind\"") != std::string::npos;
    region |= e.find("faults[0].region: required") != std::string::npos;
  }
  EXPECT_TRUE(weights);
  EXPECT_TRUE(kind);
  EXPECT_TRUE(region);
  EXPECT_EQ(r.history.size(), 0u);
  EXPECT_EQ(r.events_run, 0u);
}

TEST(Simulation, RoomSessionsAreCountedPerRoomAndPerUser) {
  SimulationConfig c = basic_config(1, 0);
  c.rooms[0].config = {{"auth", true}};
  ClientPopulation h;
  h.name = "h";
  h.room = "lobby";
  h.behaviour = Behaviour::kHostile;
  h.hostile = {HostileAction::kTooManyConnections};
  h.connect_at_ms_max = 0;
  c.clients.push_back(h);
  c.phases.safety_ms = 20'000;
  c.phases.liveness_ms = 0;
  SimulationResult r = run(c, 2);
  const auto user = r.history.intern("h-u0");
  int64_t max_user = 0, max_room = 0;
  for (const auto& e : events_of(r, properties::EventKind::kRoomSessions)) {
    if (e.user == user) max_user = std::max(max_user, e.value);
    if (e.user == properties::kNoName) max_room = std::max(max_room, e.value);
  }
  EXPECT_GE(max_user, 7);  // its main connection and 6 extra ones per action (the test room has no limit)
  EXPECT_EQ(max_room, max_user + 1);
}

TEST(Simulation, EventBudgetStopsARunawayRunWithAReason) {
  SimulationConfig c = basic_config(5, 50);
  c.event_budget = 500;
  const SimulationResult r = run(c);
  EXPECT_TRUE(r.budget_exhausted);
  EXPECT_EQ(r.events_run, 500u);
  EXPECT_NE(r.stop_reason.find("budget"), std::string::npos);
  EXPECT_LT(r.simulated_ns, 10'000'000'000);
}

TEST(Simulation, ClockSkewMintsExpiredTokensUntilItEnds) {
  SimulationConfig c = basic_config(2, 1);
  c.rooms[0].config = {{"auth", true}};
  FaultSpec skew;
  skew.kind = FaultKind::kClockSkew;
  skew.start_ms = 0;
  skew.duration_ms = 2'000;
  skew.client = "c-0";
  skew.skew_ms = -2 * 86'400'000;  // two days behind: exp = now - 1 day
  c.faults.push_back(skew);
  SimulationResult r = run(c, 8);
  ASSERT_TRUE(r.config_errors.empty());
  const auto c0 = r.history.intern("c-0");
  std::vector<std::pair<int64_t, int>> c0_results;  // (token valid, status)
  std::map<uint64_t, int64_t> valid;
  for (const auto& e : events_of(r, properties::EventKind::kConnect)) valid[e.conn] = e.value;
  for (const auto& e : events_of(r, properties::EventKind::kConnectResult)) {
    if (e.client == c0) c0_results.emplace_back(valid[e.conn], e.code);
    if (e.client != c0) {
      EXPECT_EQ(e.code, 101);
    }
  }
  ASSERT_GE(c0_results.size(), 2u);
  EXPECT_EQ(c0_results.front(), (std::pair<int64_t, int>{0, 401}));
  EXPECT_EQ(c0_results.back(), (std::pair<int64_t, int>{1, 101}));  // after the skew ended
}

TEST(Simulation, ReportsWhereClientsAndRoomsWere) {
  SimulationConfig c = two_sites(2, 1);
  RoomInstanceConfig unused{"test", "empty", nlohmann::json::object(), HomePlacement::kFirstConnect, ""};
  c.rooms.push_back(unused);  // no client ever connects: never placed, absent
  SimulationResult r = run(c, 2);
  ASSERT_TRUE(r.config_errors.empty());
  const std::map<std::string, std::string> clients{{"a-0", "IAD"}, {"a-1", "IAD"}, {"b-0", "SIN"}, {"b-1", "SIN"}};
  EXPECT_EQ(r.client_region, clients);
  const std::map<std::string, std::string> homes{{"test/lobby", "IAD"}};
  EXPECT_EQ(r.room_home, homes);
  // Deterministic: the same seed gives the same maps.
  SimulationResult again = run(c, 2);
  EXPECT_EQ(again.client_region, r.client_region);
  EXPECT_EQ(again.room_home, r.room_home);
}

}  // namespace
}  // namespace roomsim::netsim::testing
