// tests/netsim/world_facts_test.cpp: the host facts the simulator records
// independently of the room (properties/history.hpp): admissions with the
// host's counts, sessions counted per world user, the feed's values, service
// calls and answers, bare room starts and commits, each room's promises as
// kConfig, run completion and a room that throws.
#include <gtest/gtest.h>

#include <set>

#include "engine/rng.hpp"
#include "netsim/feed.hpp"
#include "netsim/probe_names.hpp"
#include "tests/netsim/helpers.hpp"

namespace roomsim::netsim::testing {
namespace {

using properties::EventKind;
using properties::kNoName;

// Scripted clients of population "c" connecting at `at_ms` (client i at at_ms[i]).
SimulationConfig scripted(int clients, const std::vector<int64_t>& at_ms, nlohmann::json room_config) {
  SimulationConfig c = basic_config(clients, 0);
  c.rooms[0].config = std::move(room_config);
  c.rooms[0].placement = HomePlacement::kLocationHint;
  c.rooms[0].location_hint = "IAD";
  c.clients[0].region_weights = {{"IAD", 1}};
  for (size_t i = 0; i < at_ms.size(); ++i) {
    c.actions.push_back(ClientAction{at_ms[i], "c-" + std::to_string(i), ClientAction::Kind::kConnect, ""});
  }
  return c;
}

std::string name_of(const SimulationResult& r, properties::NameId id) { return r.history.name(id); }

TEST(WorldFacts, AdmissionCarriesTheHostsCountsAndTheWorldsUser) {
  SimulationConfig c = scripted(3, {0, 300, 600}, {{"auth", true}});
  c.clients[0].users = 1;  // one user, three connections
  c.actions.push_back(ClientAction{900, "c-0", ClientAction::Kind::kHostile, "no_token"});
  c.actions.push_back(ClientAction{1'200, "c-1", ClientAction::Kind::kHostile, "bad_token"});
  const SimulationResult r = run(c, 3);
  ASSERT_TRUE(r.config_errors.empty());
  const auto admissions = events_of(r, EventKind::kAdmission);
  ASSERT_EQ(admissions.size(), 5u);
  for (int i = 0; i < 3; ++i) {
    const auto& a = admissions[static_cast<size_t>(i)];
    EXPECT_EQ(a.code, 101);
    EXPECT_EQ(name_of(r, a.room), "test/lobby");
    EXPECT_EQ(name_of(r, a.user), "c-u0");
    EXPECT_EQ(a.value, i) << "sessions open in the room just before";
    EXPECT_EQ(a.seq, i) << "sessions of the user open just before";
    EXPECT_NE(a.conn, 0u);
  }
  // No token: no world user to count; the refusal is the room's 401.
  EXPECT_EQ(admissions[3].code, 401);
  EXPECT_EQ(admissions[3].user, kNoName);
  EXPECT_EQ(admissions[3].value, 3);
  EXPECT_EQ(admissions[3].seq, -1);
  // A forged token still names the subject the world minted.
  EXPECT_EQ(admissions[4].code, 401);
  EXPECT_EQ(name_of(r, admissions[4].user), "c-u0");
  EXPECT_EQ(admissions[4].seq, 3);
  EXPECT_EQ(probe(r, probe::kTokenInvalid), 1u);
  // Every admission answers a connection the client opened.
  std::set<uint64_t> connects;
  for (const auto& e : events_of(r, EventKind::kConnect)) connects.insert(e.conn);
  for (const auto& a : admissions) EXPECT_TRUE(connects.count(a.conn)) << a.conn;
}

TEST(WorldFacts, SessionsAreCountedPerWorldUserNotPerAttachment) {
  // The room claims every session belongs to "intruder"; the world knows c-u0 and c-u1.
  const SimulationResult r = run(scripted(2, {0, 100}, {{"auth", true}, {"attachment_user", "intruder"}}), 5);
  std::map<std::string, int64_t> last;
  for (const auto& e : events_of(r, EventKind::kRoomSessions)) {
    if (e.user != kNoName) last[name_of(r, e.user)] = e.value;
  }
  EXPECT_FALSE(last.count("intruder"));
  ASSERT_TRUE(last.count("c-u0"));
  ASSERT_TRUE(last.count("c-u1"));
  EXPECT_EQ(last["c-u0"], 1);
  EXPECT_EQ(last["c-u1"], 1);
}

TEST(WorldFacts, UpgradeAnswered101WithoutAcceptIsRefusedByTheHost) {
  const SimulationResult r = run(scripted(1, {0}, {{"no_accept", true}}), 5);
  const auto admissions = events_of(r, EventKind::kAdmission);
  const auto results = events_of(r, EventKind::kConnectResult);
  ASSERT_FALSE(admissions.empty());
  ASSERT_EQ(results.size(), admissions.size());  // the client retries; every attempt is refused
  for (size_t i = 0; i < admissions.size(); ++i) {
    EXPECT_EQ(admissions[i].code, 500);
    EXPECT_EQ(results[i].code, 500);
    EXPECT_EQ(results[i].conn, admissions[i].conn);
  }
  EXPECT_EQ(probe(r, probe::kUpgradeWithoutAccept), admissions.size());
  EXPECT_EQ(count_of(r, EventKind::kRoomSessions), 0u);
}

TEST(WorldFacts, FeedValuesAreRecordedAtStartAndOnEveryChangeUntilQuiesce) {
  SimulationConfig c = basic_config(1, 0);  // no room ever polls the feed
  c.services.feed_period_ms = 1'000;
  const SimulationResult r = run(c, 1);
  const auto quiesce_ms = r.history.config("quiesce_ms", -1);
  ASSERT_GT(quiesce_ms, 0);
  const Feed feed(c.services.feed_period_ms, quiesce_ms * 1'000'000);
  std::map<std::string, uint64_t> current;
  size_t at_start = 0;
  for (const auto& e : events_of(r, EventKind::kFeedValue)) {
    EXPECT_EQ(e.room, kNoName);
    const std::string key = name_of(r, e.text);
    EXPECT_EQ(e.digest, fnv1a64(feed.value(key, e.t_ns).dump())) << key << " at " << e.t_ns;
    EXPECT_EQ(e.t_ns % 1'000'000'000, 0) << "changes only at period boundaries";
    EXPECT_LE(e.t_ns, quiesce_ms * 1'000'000);
    if (e.t_ns == 0) ++at_start;
    auto [it, fresh] = current.emplace(key, e.digest);
    if (!fresh) {
      EXPECT_NE(it->second, e.digest) << key << ": recorded without a change";
      it->second = e.digest;
    }
  }
  EXPECT_EQ(at_start, Feed::kKeys.size());
  // The history holds the feed's final value of every key, the static one included.
  for (std::string_view key : Feed::kKeys) {
    EXPECT_EQ(current[std::string(key)], fnv1a64(feed.value(key, quiesce_ms * 1'000'000).dump())) << key;
  }
  size_t region = 0;
  for (const auto& e : events_of(r, EventKind::kFeedValue)) region += name_of(r, e.text) == Feed::kStaticKey;
  EXPECT_EQ(region, 1u) << "the static key never changes";
}

TEST(WorldFacts, ServiceCallsAndAnswersAreRecorded) {
  SimulationConfig c = scripted(1, {0}, {{"fetch", "sync"}});
  c.actions.push_back(ClientAction{500, "c-0", ClientAction::Kind::kSend, "a"});
  c.actions.push_back(ClientAction{700, "c-0", ClientAction::Kind::kSend, "b"});
  SimulationResult r = run(c, 2);
  auto calls = events_of(r, EventKind::kServiceCall);
  auto answers = events_of(r, EventKind::kServiceAnswer);
  ASSERT_EQ(calls.size(), 2u);
  ASSERT_EQ(answers.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(name_of(r, calls[i].text), "sync");
    EXPECT_EQ(calls[i].value, static_cast<int64_t>(i + 1));
    EXPECT_EQ(answers[i].value, calls[i].value);
    EXPECT_EQ(answers[i].code, 200);
    EXPECT_GT(answers[i].t_ns, calls[i].t_ns);
  }
  // A failing service answers 0; a call whose instance crashed meanwhile is dropped (-1).
  c.services.failure_probability = 1.0;
  c.services.latency = Distribution{Distribution::Kind::kConstant, 100, 0};
  FaultSpec crash;
  crash.kind = FaultKind::kRoomCrash;
  crash.start_ms = 800;
  crash.duration_ms = 1;
  crash.room = "lobby";
  c.faults.push_back(crash);
  r = run(c, 2);
  answers = events_of(r, EventKind::kServiceAnswer);
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(answers[0].code, 0);
  EXPECT_EQ(answers[1].code, -1);
  EXPECT_EQ(probe(r, probe::kFetchDroppedAfterRestart), 1u);
}

TEST(WorldFacts, RoomStartAndCommitCarryNoRoomReportedSeq) {
  // The test room reports metric("seq") in on_start and its frames carry "seq":
  // neither reaches a host fact any more (a client payload could fake the text).
  SimulationConfig c = scripted(2, {0, 0}, nlohmann::json::object());
  c.actions.push_back(ClientAction{500, "c-0", ClientAction::Kind::kSend, "{\"seq\":999999}"});
  c.actions.push_back(ClientAction{900, "c-0", ClientAction::Kind::kSend, "x"});
  const SimulationResult r = run(c, 4);
  ASSERT_FALSE(events_of(r, EventKind::kRoomStart).empty());
  for (const auto& e : events_of(r, EventKind::kRoomStart)) {
    EXPECT_EQ(e.seq, -1);
    EXPECT_EQ(e.epoch, -1);
    EXPECT_EQ(e.value, 0);
  }
  const auto commits = events_of(r, EventKind::kCommit);
  ASSERT_GE(commits.size(), 2u);
  for (size_t i = 0; i < commits.size(); ++i) {
    EXPECT_EQ(commits[i].seq, -1);
    EXPECT_EQ(commits[i].value, static_cast<int64_t>(i + 1));
  }
}

TEST(WorldFacts, RoomProbesAreCountedUnderTheRoomPrefix) {
  SimulationConfig c = scripted(1, {0}, {{"probe", "test.branch"}});
  c.actions.push_back(ClientAction{500, "c-0", ClientAction::Kind::kSend, "a"});
  c.actions.push_back(ClientAction{600, "c-0", ClientAction::Kind::kSend, "b"});
  const SimulationResult r = run(c, 4);
  EXPECT_EQ(probe(r, "room.test.branch"), 2u);
}

TEST(WorldFacts, ARunCutShortIsNotComplete) {
  SimulationConfig c = basic_config(3);
  SimulationResult full = run(c, 1);
  EXPECT_TRUE(full.completed);
  EXPECT_EQ(full.stop_reason, "end of liveness phase");
  c.event_budget = 200;
  const SimulationResult cut = run(c, 1);
  EXPECT_FALSE(cut.completed);
  EXPECT_TRUE(cut.budget_exhausted);
  EXPECT_NE(cut.stop_reason.find("event budget exhausted"), std::string::npos) << cut.stop_reason;
  EXPECT_NE(cut.stop_reason.find("of 10000 ms"), std::string::npos) << cut.stop_reason;
  EXPECT_TRUE(cut.room_exception.empty());
}

TEST(WorldFacts, ARoomThatThrowsStopsTheRunAtOnceWithItsText) {
  SimulationConfig c = scripted(2, {0, 0}, {{"throw_on_message", "boom at the input gate"}});
  c.actions.push_back(ClientAction{1'000, "c-0", ClientAction::Kind::kSend, "a"});
  c.actions.push_back(ClientAction{2'000, "c-1", ClientAction::Kind::kSend, "b"});
  const SimulationResult r = run(c, 6);
  EXPECT_FALSE(r.completed);
  EXPECT_EQ(r.room_exception, "room test/lobby: on_message threw: boom at the input gate");
  EXPECT_EQ(r.stop_reason, r.room_exception);
  EXPECT_GT(r.simulated_ns, 1'000'000'000);
  EXPECT_LT(r.simulated_ns, 1'500'000'000) << "the run stops at the first throw";
  for (const auto& e : events_of(r, EventKind::kPhase)) EXPECT_NE(name_of(r, e.text), "end");
}

}  // namespace
}  // namespace roomsim::netsim::testing
