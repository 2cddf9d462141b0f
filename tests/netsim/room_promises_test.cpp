// tests/netsim/room_promises_test.cpp: each room's promises (its kind's
// declared, effective limits) are recorded per room as kConfig at t = 0, and
// no global default limit is made up for a room (issue 13 item 8).
#include <gtest/gtest.h>

#include "tests/netsim/helpers.hpp"

namespace roomsim::netsim::testing {
namespace {

using properties::EventKind;
using properties::kNoName;

// key -> value of the kConfig events of `room` ("" = run-wide).
std::map<std::string, int64_t> config_of(const SimulationResult& r, const std::string& room) {
  std::map<std::string, int64_t> out;
  for (const auto& e : events_of(r, EventKind::kConfig)) {
    EXPECT_EQ(e.t_ns, 0);
    if ((e.room == kNoName ? std::string() : r.history.name(e.room)) == room) out[r.history.name(e.text)] = e.value;
  }
  return out;
}

SimulationConfig two_rooms() {
  SimulationConfig c;
  c.rooms.push_back(RoomInstanceConfig{"broadcast", "open", nlohmann::json::object(), HomePlacement::kFirstConnect, ""});
  c.rooms.push_back(RoomInstanceConfig{"chat", "big",
                                       {{"max_connections", 200}, {"rate_limit_per_min", 1000}, {"max_frame_bytes", 1 << 20}},
                                       HomePlacement::kFirstConnect, ""});
  for (const char* room : {"open", "big"}) {
    ClientPopulation p;
    p.name = std::string(room) + "-users";
    p.room = room;
    p.count = 101;
    p.users = 21;
    p.send_rate_per_s = 0;
    c.clients.push_back(p);
  }
  c.phases.safety_ms = 2'000;
  c.phases.liveness_ms = 2'000;
  c.phases.convergence_bound_ms = 1'000;
  c.limits.max_frame_bytes = 65'536;
  return c;
}

TEST(RoomPromises, EachRoomRecordsItsOwnEffectiveLimits) {
  const SimulationResult r = simulate(two_rooms(), 1);
  ASSERT_TRUE(r.config_errors.empty()) << r.config_errors.front();
  const auto broadcast = config_of(r, "broadcast/open");
  const std::map<std::string, int64_t> broadcast_expected = {
      {"max_connections", 0},   {"max_connections_per_user", 0}, {"rate_limit_per_min", 0},
      {"rate_limit_per_user", 1}, {"history_max", 100},          {"auth_required", 0},
      {"max_frame_bytes", 65'536}, {"promises.durability", 0}, {"promises.recovery", 0}};
  EXPECT_EQ(broadcast, broadcast_expected);
  const auto chat = config_of(r, "chat/big");
  const std::map<std::string, int64_t> chat_expected = {
      {"max_connections", 200},   {"max_connections_per_user", 5}, {"rate_limit_per_min", 1000},
      {"rate_limit_per_user", 1}, {"history_max", 100},            {"auth_required", 1},
      // The room allows 1 MiB frames, the host refuses more than 64 KiB first.
      {"max_frame_bytes", 65'536}};
  EXPECT_EQ(chat, chat_expected);
  // Run-wide: the run's parameters and the host's frame limit, never a made-up room default.
  const auto run_wide = config_of(r, "");
  for (const char* key : {"liveness_bound_ms", "safety_ms", "liveness_ms", "quiesce_ms", "max_frame_bytes"}) {
    EXPECT_TRUE(run_wide.count(key)) << key;
  }
  for (const char* key : {"max_connections", "max_connections_per_user", "rate_limit_per_min", "history_max",
                          "auth_required", "rate_limit_per_user"}) {
    EXPECT_FALSE(run_wide.count(key)) << key << " recorded for every room";
  }
  // Both rooms really hold 101 sessions: the limits above are what judges them.
  int64_t most = 0;
  for (const auto& e : events_of(r, EventKind::kRoomSessions)) {
    if (e.user == kNoName && r.history.name(e.room) == "broadcast/open") most = std::max(most, e.value);
  }
  EXPECT_EQ(most, 101);
}

TEST(RoomPromises, AKindWithoutPromisesGetsNoPerRoomKeys) {
  const SimulationResult r = run(basic_config(2), 1);
  EXPECT_TRUE(config_of(r, "test/lobby").empty());
}

}  // namespace
}  // namespace roomsim::netsim::testing
