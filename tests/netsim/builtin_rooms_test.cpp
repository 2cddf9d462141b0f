// tests/netsim/builtin_rooms_test.cpp: the client agents against every room kind
// in rooms::builtin_registry() (seed-faithful and corrected), quiet and faulty.
#include <gtest/gtest.h>

#include "rooms/api/registry.hpp"
#include "tests/netsim/helpers.hpp"

namespace roomsim::netsim::testing {
namespace {

using properties::EventKind;

SimulationConfig kind_config(const std::string& kind, bool faulty) {
  SimulationConfig c = basic_config(4, 2);
  c.rooms[0].kind = kind;
  c.clients[0].region_weights = {{"IAD", 1}, {"FRA", 1}};
  // Names are move-assigned: assigning the literal itself trips GCC 12's false
  // -Wrestrict once inlined (GCC bug 105651).
  ClientPopulation d;
  d.name = std::string("d");
  d.room = std::string("lobby");
  d.behaviour = Behaviour::kDashboard;
  d.keys = {"*"};
  d.count = 2;
  c.clients.push_back(d);
  ClientPopulation h;
  h.name = std::string("h");
  h.room = std::string("lobby");
  h.behaviour = Behaviour::kHostile;
  h.hostile = {HostileAction::kBadToken, HostileAction::kExpiredToken, HostileAction::kNoToken, HostileAction::kFlood,
               HostileAction::kMalformedJson, HostileAction::kOversizedFrame, HostileAction::kUnknownType,
               HostileAction::kTooManyConnections, HostileAction::kNotMember};
  c.clients.push_back(h);
  if (faulty) {
    for (FaultKind k : {FaultKind::kPartition, FaultKind::kRoomEvict, FaultKind::kRoomCrash, FaultKind::kStorageFail,
                        FaultKind::kEdgeRestart, FaultKind::kClientChurn}) {
      c.fault_rates.per_minute[k] = 6;
    }
    c.limits.heartbeat_timeout_ms = 2'000;
  }
  return c;
}

TEST(BuiltinRooms, AgentsSpeakTheProtocolWithEveryKind) {
  const auto& registry = rooms::builtin_registry();
  for (const std::string& kind : registry.kinds()) {
    for (bool faulty : {false, true}) {
      SCOPED_TRACE(kind + (faulty ? " faulty" : " quiet"));
      SimulationResult r = simulate(kind_config(kind, faulty), 3, {}, registry);
      ASSERT_TRUE(r.config_errors.empty()) << r.config_errors.front();
      EXPECT_FALSE(r.budget_exhausted);
      EXPECT_GT(count_of(r, EventKind::kSend), 0u);
      if (kind.find("dashboard") != std::string::npos) {
        EXPECT_GT(count_of(r, EventKind::kServiceAnswer), 0u);  // the feed reached the room
        EXPECT_GT(count_of(r, EventKind::kDataUpdate), 0u);  // and the subscribers
      } else {
        EXPECT_GT(count_of(r, EventKind::kReceive), 0u);
      }
      const auto c0 = r.history.intern("c-0");
      size_t accepted = 0;
      for (const auto& e : events_of(r, EventKind::kConnectResult)) accepted += e.client == c0 && e.code == 101;
      EXPECT_GE(accepted, 1u);
    }
  }
}

}  // namespace
}  // namespace roomsim::netsim::testing
