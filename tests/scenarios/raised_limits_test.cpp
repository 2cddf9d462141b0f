// tests/scenarios/raised_limits_test.cpp: no false alarm on a correct room
// whose limits are raised or absent (issue 13 item 8). A chat room configured
// with max_connections 200 and rate_limit_per_min 1000, and a default
// (unlimited) broadcast room, each get more than 100 sessions and senders
// above 100 messages a minute; connection_limits and rate_limit must pass,
// because each room is judged by the limits it promised (kConfig per room).
#include <gtest/gtest.h>

#include <deque>
#include <map>

#include "netsim/simulation.hpp"
#include "properties/checker.hpp"

namespace roomsim::scenarios {
namespace {

using properties::EventKind;

netsim::SimulationConfig crowded(const std::string& kind, nlohmann::json room_config) {
  netsim::SimulationConfig c;
  c.name = "crowded-" + kind;
  c.rooms.push_back(netsim::RoomInstanceConfig{kind, "lobby", std::move(room_config), netsim::HomePlacement::kLocationHint,
                                               "IAD"});
  netsim::ClientPopulation talkers;
  talkers.name = "talkers";
  talkers.count = 5;
  talkers.send_rate_per_s = 2.0;  // ~120 a minute each
  talkers.region_weights = {{"IAD", 1}, {"FRA", 1}};
  c.clients.push_back(talkers);
  netsim::ClientPopulation crowd;
  crowd.name = "crowd";
  crowd.count = 100;
  crowd.users = 20;  // five sessions per user
  crowd.behaviour = netsim::Behaviour::kLurker;
  c.clients.push_back(crowd);
  c.phases.safety_ms = 70'000;
  c.phases.liveness_ms = 10'000;
  c.phases.convergence_bound_ms = 5'000;
  return c;
}

// The most acks one connection got for messages in any 60 s window.
size_t most_acks_in_a_minute(const properties::History& h) {
  std::map<uint64_t, std::deque<int64_t>> acks;
  size_t most = 0;
  for (const auto& e : h.events()) {
    if (e.kind != EventKind::kAck) continue;
    auto& window = acks[e.conn];
    window.push_back(e.t_ns);
    while (window.front() <= e.t_ns - 60'000'000'000) window.pop_front();
    most = std::max(most, window.size());
  }
  return most;
}

void expect_no_false_alarm(const netsim::SimulationConfig& config) {
  SCOPED_TRACE(config.name);
  const netsim::SimulationResult r = netsim::simulate(config, 1);
  ASSERT_TRUE(r.config_errors.empty()) << r.config_errors.front();
  ASSERT_TRUE(r.completed) << r.stop_reason;
  // The run really goes beyond the old global defaults (100 sessions, 100 messages a minute).
  int64_t sessions = 0;
  for (const auto& e : r.history.events()) {
    if (e.kind == EventKind::kRoomSessions && e.user == properties::kNoName) sessions = std::max(sessions, e.value);
  }
  EXPECT_EQ(sessions, 105);
  EXPECT_GT(most_acks_in_a_minute(r.history), 100u);
  for (const auto& v : properties::check_properties(r.history, {"connection_limits", "rate_limit"})) {
    EXPECT_TRUE(v.passed) << v.property << ": " << v.explanation;
  }
}

TEST(RaisedLimits, ChatWithRaisedLimitsIsJudgedByThem) {
  expect_no_false_alarm(crowded("chat", {{"max_connections", 200}, {"rate_limit_per_min", 1000}}));
}

TEST(RaisedLimits, DefaultBroadcastIsNotHeldToLimitsItNeverPromised) {
  expect_no_false_alarm(crowded("broadcast", nlohmann::json::object()));
}

}  // namespace
}  // namespace roomsim::scenarios
