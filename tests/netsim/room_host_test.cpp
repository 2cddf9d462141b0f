// tests/netsim/room_host_test.cpp: Durable Object semantics of the simulated
// room host: output gate vs crash, restart close codes, alarm at-least-once,
// home placement policies.
#include <gtest/gtest.h>

#include <set>

#include "auth/jwt.hpp"
#include "engine/rng.hpp"
#include "netsim/topology.hpp"
#include "netsim/world.hpp"
#include "tests/netsim/helpers.hpp"

namespace roomsim::netsim::testing {
namespace {

using properties::EventKind;

FaultSpec room_fault(FaultKind kind, int64_t start_ms) {
  FaultSpec f;
  f.kind = kind;
  f.start_ms = start_ms;
  f.duration_ms = 1;
  f.room = "lobby";
  return f;
}

// Two scripted clients (s-0 sends, s-1 watches), commits take exactly 200 ms.
SimulationConfig scripted_gate_config() {
  SimulationConfig c = basic_config(2, 0);
  c.clients[0].name = "s";
  c.clients[0].region_weights = {{"IAD", 1}};
  c.clients[0].backoff_base_ms = 50;
  c.clients[0].backoff_max_ms = 100;
  c.storage.commit_latency = Distribution{Distribution::Kind::kConstant, 200, 0};
  c.topology.jitter = Distribution{};
  c.actions.push_back(ClientAction{0, "s-0", ClientAction::Kind::kConnect, ""});
  c.actions.push_back(ClientAction{0, "s-1", ClientAction::Kind::kConnect, ""});
  c.actions.push_back(ClientAction{1'000, "s-0", ClientAction::Kind::kSend, "first"});
  c.actions.push_back(ClientAction{3'000, "s-0", ClientAction::Kind::kSend, "second"});
  return c;
}

TEST(RoomHost, CrashBeforeDurabilityLosesTheWriteAndItsHeldFramesTogether) {
  SimulationConfig c = scripted_gate_config();
  // The message reaches the room at ~1000 ms + last mile; its commit is durable 200 ms later.
  c.faults.push_back(room_fault(FaultKind::kRoomCrash, 1'100));
  SimulationResult r = run(c, 11);
  ASSERT_TRUE(r.config_errors.empty());
  const auto sends = events_of(r, EventKind::kSend);
  ASSERT_EQ(sends.size(), 2u);
  for (const auto& e : events_of(r, EventKind::kReceive)) {
    EXPECT_NE(e.msg, sends[0].msg) << "a client saw a message the crash forgot";
  }
  for (const auto& e : events_of(r, EventKind::kAck)) EXPECT_NE(e.msg, sends[0].msg);
  // The second message reuses seq 1: the room restarted from durable storage without the first.
  size_t second = 0;
  for (const auto& e : events_of(r, EventKind::kReceive)) {
    if (e.msg == sends[1].msg) {
      EXPECT_EQ(e.seq, 1);
      ++second;
    }
  }
  EXPECT_EQ(second, 2u);
  EXPECT_EQ(count_of(r, EventKind::kRoomCrash), 1u);
  EXPECT_EQ(count_of(r, EventKind::kRoomStart), 2u);
  EXPECT_EQ(probe(r, "room.crash_lost_pending_commit"), 1u);
  EXPECT_EQ(probe(r, "room.crash_lost_held_frames"), 1u);
  for (const auto& e : events_of(r, EventKind::kClose)) EXPECT_EQ(e.code, 1006);
}

TEST(RoomHost, CrashAfterDurabilityKeepsTheWrite) {
  SimulationConfig c = scripted_gate_config();
  c.faults.push_back(room_fault(FaultKind::kRoomCrash, 1'500));
  SimulationResult r = run(c, 11);
  const auto sends = events_of(r, EventKind::kSend);
  ASSERT_EQ(sends.size(), 2u);
  std::map<uint64_t, std::vector<int64_t>> seqs;
  for (const auto& e : events_of(r, EventKind::kReceive)) {
    if (e.value == 0) seqs[e.msg].push_back(e.seq);
  }
  EXPECT_EQ(seqs[sends[0].msg], (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(seqs[sends[1].msg], (std::vector<int64_t>{2, 2}));
  // The frames were held until the commit was durable: receive >= commit time
  // (the test room writes only when it broadcasts: the first commit is the first message's).
  const auto commits = events_of(r, EventKind::kCommit);
  ASSERT_FALSE(commits.empty());
  EXPECT_EQ(commits[0].value, 1);
  const int64_t commit_t = commits[0].t_ns;
  ASSERT_GT(commit_t, 0);
  for (const auto& e : events_of(r, EventKind::kReceive)) {
    if (e.msg == sends[0].msg) {
      EXPECT_GT(e.t_ns, commit_t);
    }
  }
}

TEST(RoomHost, RestartsCloseWithTheirCodes) {
  {
    SimulationConfig c = basic_config(3, 1);
    c.faults.push_back(room_fault(FaultKind::kRoomEvict, 2'000));
    SimulationResult r = run(c, 2);
    const auto closes = events_of(r, EventKind::kClose);
    ASSERT_EQ(closes.size(), 3u);
    for (const auto& e : closes) EXPECT_EQ(e.code, 1001);
    EXPECT_EQ(count_of(r, EventKind::kRoomEvict), 1u);
    EXPECT_EQ(count_of(r, EventKind::kRoomStart), 2u);  // re-created by the reconnects
  }
  {
    SimulationConfig c = basic_config(3, 1);
    c.faults.push_back(room_fault(FaultKind::kRoomCrash, 2'000));
    SimulationResult r = run(c, 2);
    const auto closes = events_of(r, EventKind::kClose);
    ASSERT_EQ(closes.size(), 3u);
    for (const auto& e : closes) EXPECT_EQ(e.code, 1006);
  }
  {
    // Edge restart at SIN: only the clients attached there drop.
    SimulationConfig c = two_sites(2, 1);
    FaultSpec f;
    f.kind = FaultKind::kEdgeRestart;
    f.start_ms = 2'000;
    f.duration_ms = 1;
    f.region = "SIN";
    c.faults.push_back(f);
    SimulationResult r = run(c, 2);
    const auto closes = events_of(r, EventKind::kClose);
    ASSERT_EQ(closes.size(), 2u);
    for (const auto& e : closes) {
      EXPECT_EQ(e.code, 1006);
      EXPECT_EQ(r.history.name(e.client).substr(0, 2), "b-");
      EXPECT_EQ(e.t_ns, 2'000'000'000);
    }
    EXPECT_EQ(count_of(r, EventKind::kRoomStart), 1u);  // the room itself kept running
  }
}

TEST(RoomHost, FailedCommitResetsTheRoomWith1011) {
  SimulationConfig c = basic_config(2, 2);
  FaultSpec f = room_fault(FaultKind::kStorageFail, 1'000);
  f.duration_ms = 2'000;
  f.probability = 1.0;
  c.faults.push_back(f);
  SimulationResult r = run(c, 4);
  EXPECT_GT(count_of(r, EventKind::kCommitFailed), 0u);
  bool saw_1011 = false;
  for (const auto& e : events_of(r, EventKind::kClose)) saw_1011 |= e.code == 1011;
  EXPECT_TRUE(saw_1011);
  // Nothing whose commit failed was ever delivered: the test room writes seq s in
  // one commit per broadcast and restarts from the durable seq, so a receive of
  // seq s needs at least s durable commits before it.
  int64_t durable_commits = 0;
  for (const auto& e : r.history.events()) {
    if (e.kind == EventKind::kCommit) ++durable_commits;
    if (e.kind == EventKind::kReceive) {
      EXPECT_LE(e.seq, durable_commits);
    }
  }
}

TEST(RoomHost, AlarmWhoseHandlerCrashesFiresAgain) {
  SimulationConfig c = basic_config(1, 0);
  c.rooms[0].config = {{"alarm_ms", 1'000}};
  c.storage.commit_latency = Distribution{Distribution::Kind::kConstant, 300, 0};
  c.topology.jitter = Distribution{};
  c.topology.last_mile = Distribution{Distribution::Kind::kConstant, 5, 0};
  c.clients[0].region_weights = {{"IAD", 1}};
  c.clients[0].connect_at_ms_max = 0;
  c.clients[0].reconnect = false;
  // The room starts at 5 ms (first request); on_start's alarm is itself a commit, durable
  // at 305 ms. The alarm fires at 1005 ms; its handler's commit (the firing, the count and
  // the next alarm) would be durable at 1305 ms: crash in between.
  c.faults.push_back(room_fault(FaultKind::kRoomCrash, 1'100));
  SimulationResult r = run(c, 1);
  EXPECT_EQ(probe(r, "alarm.refire_after_crash"), 1u);
  const auto starts = events_of(r, EventKind::kRoomStart);
  ASSERT_EQ(starts.size(), 2u);
  EXPECT_EQ(starts[1].t_ns, 1'100'000'000);  // the alarm itself re-created the room
  const auto commits = events_of(r, EventKind::kCommit);
  ASSERT_GE(commits.size(), 2u);
  EXPECT_EQ(commits[0].t_ns, 305'000'000);    // on_start's set_alarm
  EXPECT_EQ(commits[1].t_ns, 1'400'000'000);  // the re-fired alarm's (the crashed one never became durable)
}

TEST(RoomHost, AnAlarmIsLostWithTheCommitOfTheHandlerThatSetIt) {
  // As in the live host: set_alarm is a storage write. on_start sets the alarm at 5 ms; its
  // commit would be durable at 305 ms; a crash at 100 ms loses it, so nothing ever fires and
  // nothing re-creates the room (before, the alarm outlived the crash and started it at 1005 ms).
  SimulationConfig c = basic_config(1, 0);
  c.rooms[0].config = {{"alarm_ms", 1'000}};
  c.storage.commit_latency = Distribution{Distribution::Kind::kConstant, 300, 0};
  c.topology.jitter = Distribution{};
  c.topology.last_mile = Distribution{Distribution::Kind::kConstant, 5, 0};
  c.clients[0].region_weights = {{"IAD", 1}};
  c.clients[0].connect_at_ms_max = 0;
  c.clients[0].reconnect = false;
  c.faults.push_back(room_fault(FaultKind::kRoomCrash, 100));
  SimulationResult r = run(c, 1);
  EXPECT_EQ(count_of(r, EventKind::kRoomStart), 1u);
  EXPECT_EQ(count_of(r, EventKind::kCommit), 0u);
  EXPECT_EQ(probe(r, "alarm.refire_after_crash"), 0u);
}

TEST(RoomHost, AFullOutputGateClosesTheNextSender1013AsLiveDoes) {
  // Commits take 5 s, so every broadcast's frames (the message to both clients and the ack)
  // wait behind the gate: 3 held after the first message (below held_frames_max 4), 6 after the
  // second, so the third finds the room at the bound: it is not handled and s-0 is closed 1013.
  SimulationConfig c = scripted_gate_config();
  c.storage.commit_latency = Distribution{Distribution::Kind::kConstant, 5'000, 0};
  c.limits.held_frames_max = 4;
  c.clients[0].reconnect = false;
  c.actions = {ClientAction{0, "s-0", ClientAction::Kind::kConnect, ""},
               ClientAction{0, "s-1", ClientAction::Kind::kConnect, ""},
               ClientAction{1'000, "s-0", ClientAction::Kind::kSend, "first"},
               ClientAction{1'100, "s-0", ClientAction::Kind::kSend, "second"},
               ClientAction{1'200, "s-0", ClientAction::Kind::kSend, "third"}};
  SimulationResult r = run(c, 3);
  ASSERT_TRUE(r.config_errors.empty());
  EXPECT_EQ(probe(r, "room.held_full_sender_closed"), 1u);
  const auto sends = events_of(r, EventKind::kSend);
  ASSERT_EQ(sends.size(), 3u);
  size_t closes_1013 = 0;
  for (const auto& e : events_of(r, EventKind::kClose)) closes_1013 += e.code == 1013;
  EXPECT_EQ(closes_1013, 1u);
  for (const auto& e : events_of(r, EventKind::kReceive)) EXPECT_NE(e.msg, sends[2].msg) << "the refused message ran";
  for (const auto& e : events_of(r, EventKind::kAck)) EXPECT_NE(e.msg, sends[2].msg);
  // What was accepted still reaches the watcher, in order, once the commits are durable.
  std::vector<uint64_t> watched;
  for (const auto& e : events_of(r, EventKind::kReceive)) {
    if (r.history.name(e.client) == "s-1") watched.push_back(e.msg);
  }
  EXPECT_EQ(watched, (std::vector<uint64_t>{sends[0].msg, sends[1].msg}));

  c.limits.held_frames_max = 100'000;  // the default: nothing is refused
  SimulationResult unbounded = run(c, 3);
  EXPECT_EQ(probe(unbounded, "room.held_full_sender_closed"), 0u);
}

TEST(RoomHost, AReadFailureResetsTheInstanceAndTheAlarmRetries) {
  // storage-read-fail with probability 1 over [500, 3000) ms. The test room reads storage in
  // on_start ("seq") and on_alarm ("alarms"). Its alarm (set at start, durable at ~200 ms) fires
  // at ~1000 ms: the read throws, the instance is reset (s-0 closed 1011), the alarm is the durable
  // one again and waits 1 s; upgrades meanwhile fail in on_start and are answered 500 by the
  // platform, with no kAdmission (the room decided nothing). After the window all of it works.
  SimulationConfig c = scripted_gate_config();
  c.rooms[0].config = {{"alarm_ms", 1'000}};
  c.actions = {ClientAction{0, "s-0", ClientAction::Kind::kConnect, ""},
               ClientAction{1'500, "s-1", ClientAction::Kind::kConnect, ""}};
  FaultSpec f = room_fault(FaultKind::kStorageReadFail, 500);
  f.duration_ms = 2'500;
  f.probability = 1.0;
  c.faults.push_back(f);
  SimulationResult r = run(c, 5);
  ASSERT_TRUE(r.config_errors.empty());
  EXPECT_GE(probe(r, "storage.read_failed"), 2u);
  size_t closes_1011 = 0;
  for (const auto& e : events_of(r, EventKind::kClose)) closes_1011 += e.code == 1011;
  EXPECT_GE(closes_1011, 1u);
  std::set<uint64_t> admitted;
  for (const auto& e : events_of(r, EventKind::kAdmission)) admitted.insert(e.conn);
  size_t refused_500 = 0;
  for (const auto& e : events_of(r, EventKind::kConnectResult)) {
    if (e.code != 500) continue;
    ++refused_500;
    EXPECT_EQ(admitted.count(e.conn), 0u) << "a platform failure recorded as the room's decision";
    EXPECT_GE(e.t_ns, 500'000'000);
    EXPECT_LT(e.t_ns, 3'500'000'000);
  }
  EXPECT_GE(refused_500, 1u);
  bool alarm_committed_after = false;
  for (const auto& e : events_of(r, EventKind::kCommit)) alarm_committed_after |= e.t_ns > 3'000'000'000;
  EXPECT_TRUE(alarm_committed_after) << "the alarm fired again once reads worked";
  EXPECT_TRUE(r.completed);
}

// The test room sets its alarm 1000 ms ahead by its own clock. On a machine 20 s behind (or
// ahead), that alarm is still due 1000 ms later in true time: the host schedules it by the
// machine's clock. (Scheduled by the true clock, 20 s behind meant firing 21 s later, and 20 s
// ahead at once.) The run records room_clock_error_ms for the checkers.
TEST(RoomHost, ARoomOnASkewedClockKeepsItsAlarmsOnTime) {
  for (const int64_t skew_ms : {int64_t{-20'000}, int64_t{20'000}}) {
    SimulationConfig c = basic_config(1, 0);
    c.rooms[0].config = {{"alarm_ms", 1'000}};
    c.storage.commit_latency = Distribution{Distribution::Kind::kConstant, 100, 0};
    c.topology.jitter = Distribution{};
    c.topology.last_mile = Distribution{Distribution::Kind::kConstant, 5, 0};
    c.clients[0].region_weights = {{"IAD", 1}};
    c.clients[0].connect_at_ms_max = 0;
    FaultSpec f = room_fault(FaultKind::kRoomClockSkew, 0);
    f.duration_ms = 4'000;
    f.skew_ms = skew_ms;
    c.faults.push_back(f);
    SimulationResult r = run(c, 1);
    ASSERT_TRUE(r.config_errors.empty());
    // Commits: on_start's alarm (at ~5 ms, durable ~105 ms), then the alarm handler's.
    const auto commits = events_of(r, EventKind::kCommit);
    ASSERT_GE(commits.size(), 2u) << skew_ms;
    EXPECT_GT(commits[1].t_ns, 1'000'000'000) << skew_ms;
    EXPECT_LT(commits[1].t_ns, 1'200'000'000) << skew_ms;
    int64_t recorded = 0;
    for (const auto& e : events_of(r, EventKind::kConfig)) {
      if (r.history.name(e.text) == "room_clock_error_ms") recorded = e.value;
    }
    EXPECT_EQ(recorded, 20'000);
    EXPECT_GE(probe(r, "room.clock_moved"), 1u) << "moved back at the end of the fault";
  }
}

std::string home_line(const SimulationResult& r) {
  for (const auto& line : r.trace_lines_kept) {
    if (line.find(" room_home ") != std::string::npos) return line;
  }
  return "";
}

TEST(RoomHost, HomePlacementPolicies) {
  SimulationConfig c = basic_config(1, 0);
  c.clients[0].region_weights = {{"GRU", 1}};
  SimulationResult first = run(c, 1, 1000);
  EXPECT_NE(home_line(first).find("region=GRU policy=first_connect"), std::string::npos) << home_line(first);

  c.rooms[0].placement = HomePlacement::kLocationHint;
  c.rooms[0].location_hint = "NRT";
  SimulationResult hint = run(c, 1, 1000);
  EXPECT_NE(home_line(hint).find("region=NRT policy=location_hint"), std::string::npos) << home_line(hint);

  c.rooms[0].placement = HomePlacement::kKeyDerived;
  SimulationResult key = run(c, 1, 1000);
  const auto regions = *builtin_topology_regions("small");
  const std::string expected = regions[fnv1a64("lobby") % regions.size()].code;
  EXPECT_NE(home_line(key).find("region=" + expected + " policy=key_derived"), std::string::npos) << home_line(key);
}

// RoomContext::send_many is send() per listed session: a room broadcasting
// with it (its list holding a closed-then-unknown and a 0 id too) produces the
// same trace, byte for byte, as the same room calling send() in a loop, with
// the output gate (storage) and without.
TEST(RoomHost, SendManyIsTheSameAsSendingToEachSession) {
  for (const bool storage : {true, false}) {
    SimulationConfig loop = basic_config(6, 3.0);
    loop.rooms[0].config = {{"no_storage", !storage}};
    loop.faults.push_back(room_fault(FaultKind::kRoomCrash, 2'000));
    SimulationConfig many = loop;
    many.rooms[0].config["send_many"] = true;
    const SimulationResult a = run(loop, 5);
    const SimulationResult b = run(many, 5);
    ASSERT_TRUE(a.config_errors.empty());
    EXPECT_GT(count_of(a, EventKind::kReceive), 100u);
    EXPECT_EQ(a.trace_hash, b.trace_hash) << "storage=" << storage;
    EXPECT_EQ(a.trace_lines, b.trace_lines);
  }
}

// The simulated host checks a token's room scope (claim "room") with the same
// auth::verify_for_room the live host calls: valid in test/lobby only.
TEST(RoomHost, VerifyTokenHonoursTheRoomScope) {
  const SimulationConfig c = basic_config(1, 0);
  SimulationResult result;
  internal::World world(c, 1, SimulationOutputs{}, test_registry(), result);
  internal::RoomHost& host = *world.rooms.at(0);
  const int64_t now_s = rooms::to_unix_ms(host.now()) / 1000;
  auth::TokenClaims claims{"u1", "Ann", now_s + 60};
  EXPECT_TRUE(host.verify_token(auth::mint_hs256("k", claims), "k")) << "unscoped tokens keep working";
  claims.room = "test/lobby";
  const auto user = host.verify_token(auth::mint_hs256("k", claims), "k");
  ASSERT_TRUE(user);
  EXPECT_EQ(user->id, "u1");
  claims.room = "test/other";
  EXPECT_FALSE(host.verify_token(auth::mint_hs256("k", claims), "k"));
  claims.room = "chat/lobby";
  EXPECT_FALSE(host.verify_token(auth::mint_hs256("k", claims), "k"));
  claims.room = "";
  claims.nbf = now_s + 10;
  EXPECT_FALSE(host.verify_token(auth::mint_hs256("k", claims), "k")) << "not valid before its nbf";
}

}  // namespace
}  // namespace roomsim::netsim::testing
