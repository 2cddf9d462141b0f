// tests/netsim/population_options_test.cpp: the population options of
// netsim/simulation_config.hpp (late joins, resume modes, going away and
// leaving, vanishing, bursts, per-seed switches) and the client facts they
// record (kLeave, kJoinRoom value 1, kSend value, kResume on the upgrade).
// Each test runs real corrected rooms from rooms::builtin_registry().
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "netsim/simulation.hpp"
#include "tests/netsim/helpers.hpp"

namespace roomsim::netsim {
namespace {

using properties::Event;
using properties::EventKind;

SimulationConfig chat_world(const std::string& kind = "chat") {
  SimulationConfig c;
  c.name = "options";
  c.rooms.push_back(RoomInstanceConfig{kind, "lobby", nlohmann::json::object(), HomePlacement::kFirstConnect, ""});
  ClientPopulation talkers;
  talkers.name = "talkers";
  talkers.count = 3;
  talkers.send_rate_per_s = 4;
  talkers.connect_at_ms_max = 200;
  c.clients.push_back(talkers);
  c.phases.safety_ms = 8'000;
  c.phases.liveness_ms = 4'000;
  c.phases.convergence_bound_ms = 2'000;
  c.limits.heartbeat_timeout_ms = 2'000;
  return c;
}

ClientPopulation lurkers(const std::string& name, int count) {
  ClientPopulation p;
  p.name = name;
  p.count = count;
  p.behaviour = Behaviour::kLurker;
  p.connect_at_ms_max = 200;
  return p;
}

// The events of clients whose name starts with `prefix` ("slow-").
std::vector<Event> of_clients(const SimulationResult& r, const std::string& prefix, EventKind kind) {
  std::vector<Event> out;
  for (const Event& e : r.history.events()) {
    if (e.kind == kind && r.history.name(e.client).rfind(prefix, 0) == 0) out.push_back(e);
  }
  return out;
}

FaultSpec room_fault(FaultKind kind, int64_t at_ms) {
  FaultSpec f = testing::fault(kind, at_ms, 0);
  f.room = "lobby";
  return f;
}

using testing::probe;

TEST(PopulationOptions, LateClientsFirstConnectInsideTheirWindow) {
  SimulationConfig c = chat_world();
  ClientPopulation late = lurkers("late", 5);
  late.connect_at_ms_min = 3'000;
  late.connect_at_ms_max = 4'000;
  c.clients.push_back(late);
  const SimulationResult r = simulate(c, 3);
  const auto connects = of_clients(r, "late-", EventKind::kConnect);
  ASSERT_EQ(connects.size(), 5u);
  for (const Event& e : connects) {
    EXPECT_GE(e.t_ns, 3'000'000'000);
    EXPECT_LE(e.t_ns, 4'000'000'000);
  }
}

TEST(PopulationOptions, QueryResumeAsksOnTheUpgradeAndTheRoomAnswersResumed) {
  SimulationConfig c = chat_world();
  ClientPopulation q = lurkers("q", 2);
  q.resume_modes = {ResumeMode::kQuery};
  c.clients.push_back(q);
  c.faults.push_back(room_fault(FaultKind::kRoomEvict, 3'000));
  const SimulationResult r = simulate(c, 5);
  EXPECT_GT(probe(r, "agent.resume_query"), 0u);
  // Per connection of the query clients: kResume comes before the welcome, and
  // the replay that follows is the `resumed` answer (no history frame).
  std::map<uint64_t, std::vector<EventKind>> per_conn;
  for (const Event& e : r.history.events()) {
    if (r.history.name(e.client).rfind("q-", 0) != 0) continue;
    if (e.kind == EventKind::kResume || e.kind == EventKind::kWelcome || e.kind == EventKind::kReplayWindow) {
      per_conn[e.conn].push_back(e.kind);
    }
  }
  int resumed_connections = 0;
  for (const auto& [conn, kinds] : per_conn) {
    const auto resumes = std::count(kinds.begin(), kinds.end(), EventKind::kResume);
    if (resumes == 0) continue;
    EXPECT_EQ(resumes, 1) << "connection " << conn;
    ASSERT_EQ(kinds.front(), EventKind::kResume) << "connection " << conn << ": a resume after welcome";
    ++resumed_connections;
    ASSERT_EQ(kinds.size(), 3u) << "connection " << conn;  // resume, welcome, one replay (resumed)
    EXPECT_EQ(kinds[1], EventKind::kWelcome);
    EXPECT_EQ(kinds[2], EventKind::kReplayWindow);
  }
  EXPECT_EQ(resumed_connections, 2);
}

TEST(PopulationOptions, NoHistoryJoinsGetNoHistoryFrameAndResumeByFrame) {
  SimulationConfig c = chat_world();
  ClientPopulation n = lurkers("n", 2);
  n.resume_modes = {ResumeMode::kNoHistory};
  n.connect_at_ms_min = 1'500;  // after the talkers have filled the history
  n.connect_at_ms_max = 1'600;
  c.clients.push_back(n);
  c.faults.push_back(room_fault(FaultKind::kRoomEvict, 4'000));
  const SimulationResult r = simulate(c, 2);
  std::map<uint64_t, int> windows;  // replay windows per connection
  std::vector<uint64_t> order;
  for (const Event& e : of_clients(r, "n-", EventKind::kWelcome)) order.push_back(e.conn);
  for (const Event& e : of_clients(r, "n-", EventKind::kReplayWindow)) ++windows[e.conn];
  ASSERT_GE(order.size(), 4u);  // two first joins, two rejoins after the eviction
  std::set<std::string> first_seen;
  for (const Event& w : of_clients(r, "n-", EventKind::kWelcome)) {
    const std::string client = r.history.name(w.client);
    if (first_seen.insert(client).second) {
      EXPECT_EQ(windows[w.conn], 0) << client << ": a join with ?history=none got a replay";
    } else {
      EXPECT_EQ(windows[w.conn], 1) << client << ": a rejoin resumes (one resumed replay, no history)";
    }
  }
  EXPECT_GT(probe(r, "agent.join_no_history"), 0u);
  EXPECT_GT(probe(r, "agent.resume"), 0u);
}

TEST(PopulationOptions, CleanLeaversCloseWith1000AndNeverComeBack) {
  SimulationConfig c = chat_world();
  ClientPopulation l = lurkers("l", 3);
  l.away_probability = 1;
  l.away_at_ms_min = 2'000;
  l.away_at_ms_max = 3'000;
  l.away_for_good = true;
  c.clients.push_back(l);
  c.faults.push_back(room_fault(FaultKind::kRoomCrash, 5'000));
  const SimulationResult r = simulate(c, 4);
  const auto leaves = of_clients(r, "l-", EventKind::kLeave);
  ASSERT_EQ(leaves.size(), 3u);
  for (const Event& leave : leaves) {
    EXPECT_EQ(leave.value, 0);
    EXPECT_EQ(r.history.name(leave.room), "chat/lobby");
    bool closed = false;
    for (const Event& e : r.history.events()) {
      if (e.client != leave.client || e.t_ns < leave.t_ns) continue;
      if (e.kind == EventKind::kClose && !closed) {
        closed = true;
        EXPECT_EQ(e.code, 1000);
        EXPECT_EQ(e.value, 1);
      }
      EXPECT_NE(e.kind, EventKind::kConnect) << r.history.name(e.client) << " reconnected after leaving";
    }
    EXPECT_TRUE(closed);
  }
  EXPECT_EQ(probe(r, "agent.leave_clean"), 3u);
}

TEST(PopulationOptions, VanishedClientsClose1006AndTheRoomLearnsAfterTheHeartbeatTimeout) {
  SimulationConfig c = chat_world();
  c.clients[0].count = 1;
  ClientPopulation v = lurkers("v", 1);
  v.away_probability = 1;
  v.away_at_ms_min = 2'000;
  v.away_at_ms_max = 2'000;
  v.away_for_good = true;
  v.away_vanish_probability = 1;
  c.clients.push_back(v);
  const SimulationResult r = simulate(c, 6);
  const auto leaves = of_clients(r, "v-", EventKind::kLeave);
  ASSERT_EQ(leaves.size(), 1u);
  EXPECT_EQ(leaves[0].value, 1);
  const auto closes = of_clients(r, "v-", EventKind::kClose);
  ASSERT_EQ(closes.size(), 1u);
  EXPECT_EQ(closes[0].code, 1006);
  EXPECT_EQ(closes[0].t_ns, 2'000'000'000);
  // The room still counts two sessions until the heartbeat timeout.
  int64_t dropped_at = -1;
  for (const Event& e : r.history.events()) {
    if (e.kind == EventKind::kRoomSessions && e.user == properties::kNoName && e.value == 1 && e.t_ns > closes[0].t_ns) {
      dropped_at = e.t_ns;
      break;
    }
  }
  EXPECT_EQ(dropped_at, 2'000'000'000 + c.limits.heartbeat_timeout_ms * 1'000'000);
  EXPECT_EQ(probe(r, "agent.vanished_peer_timed_out"), 1u);
}

TEST(PopulationOptions, ClientsAwayPastTheHistoryBoundResumeWithAnAnnouncedGap) {
  SimulationConfig c = chat_world("persistent");
  c.rooms[0].config = {{"history_max", 5}};
  c.clients[0].burst_size = 20;
  c.clients[0].bursts_per_min = 30;
  ClientPopulation s = lurkers("s", 2);
  s.away_probability = 1;
  s.away_at_ms_min = 1'000;
  s.away_at_ms_max = 1'500;
  s.away_ms_min = 3'000;
  s.away_ms_max = 3'500;
  s.resume_modes = {ResumeMode::kFrame, ResumeMode::kQuery};
  c.clients.push_back(s);
  const SimulationResult r = simulate(c, 8);
  EXPECT_EQ(probe(r, "agent.away_clean"), 2u);
  EXPECT_GT(probe(r, "agent.burst"), 0u);
  EXPECT_EQ(of_clients(r, "s-", EventKind::kGap).size(), 2u);
  EXPECT_GT(probe(r, "agent.resume_gap"), 0u);
  EXPECT_TRUE(of_clients(r, "s-", EventKind::kLeave).empty());
}

TEST(PopulationOptions, BurstsAboveTheRateLimitAreRefused) {
  SimulationConfig c = chat_world();
  c.clients[0].count = 1;
  c.clients[0].send_rate_per_s = 0;
  c.clients[0].burst_size = 120;
  c.clients[0].bursts_per_min = 20;
  const SimulationResult r = simulate(c, 9);
  size_t limited = 0;
  for (const Event& e : of_clients(r, "talkers-", EventKind::kError)) {
    limited += r.history.name(e.text) == "rate_limited" ? 1 : 0;
  }
  EXPECT_GE(limited, 20u);
}

TEST(PopulationOptions, APopulationSwitchedOffNeverConnectsAndTheTraceSaysSo) {
  SimulationConfig c = chat_world();
  ClientPopulation off = lurkers("off", 4);
  off.enabled_probability = 0;
  c.clients.push_back(off);
  SimulationOutputs out;
  out.keep_trace_lines = 100;
  const SimulationResult r = simulate(c, 1, out);
  EXPECT_TRUE(of_clients(r, "off-", EventKind::kConnect).empty());
  EXPECT_FALSE(of_clients(r, "talkers-", EventKind::kConnect).empty());
  bool noted = false;
  for (const std::string& line : r.trace_lines_kept) noted |= line.find("population_profile disabled=off") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(PopulationOptions, ASwitchDrawsPerSeed) {
  SimulationConfig c = chat_world();
  ClientPopulation half = lurkers("half", 1);
  half.enabled_probability = 0.5;
  c.clients.push_back(half);
  int on = 0;
  for (uint64_t seed = 1; seed <= 40; ++seed) on += of_clients(simulate(c, seed), "half-", EventKind::kConnect).empty() ? 0 : 1;
  EXPECT_GT(on, 8);
  EXPECT_LT(on, 32);
}

TEST(PopulationOptions, ChangingAnotherPopulationsSwitchLeavesThisOneAlone) {
  SimulationConfig a = chat_world();
  ClientPopulation x = lurkers("x", 1), y = lurkers("y", 1);
  x.enabled_probability = 0.5;
  y.enabled_probability = 0.5;
  a.clients.push_back(x);
  a.clients.push_back(y);
  SimulationConfig b = a;
  b.clients[2].enabled_probability = 0.25;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    EXPECT_EQ(of_clients(simulate(a, seed), "x-", EventKind::kConnect).empty(),
              of_clients(simulate(b, seed), "x-", EventKind::kConnect).empty())
        << "seed " << seed;
  }
}

TEST(PopulationOptions, JoinedRoomIsRecordedAsAConfirmedJoinAndSendsCarryTheirFrameSize) {
  SimulationConfig c = chat_world();
  c.clients[0].sub_room = "team";
  const SimulationResult r = simulate(c, 2);
  int sent = 0, confirmed = 0;
  for (const Event& e : r.history.events()) {
    if (e.kind != EventKind::kJoinRoom) continue;
    EXPECT_EQ(r.history.name(e.target), "team");
    (e.value == 1 ? confirmed : sent) += 1;
  }
  EXPECT_EQ(sent, 3);
  EXPECT_EQ(confirmed, 3);
  const auto sends = of_clients(r, "talkers-", EventKind::kSend);
  ASSERT_FALSE(sends.empty());
  for (const Event& e : sends) EXPECT_GT(e.value, 80) << "a broadcast frame with a 32-byte payload";
}

}  // namespace
}  // namespace roomsim::netsim
