// Tests for the corrected `chat` room: auth, limits, rate limit, history,
// resume, ack-after-persist, presence, heartbeat, endpoints, sync, metrics.
#include <gtest/gtest.h>

#include "rooms/api/registry.hpp"
#include "rooms/common/probe_names.hpp"
#include "tests/rooms/fake_room_context.hpp"

namespace roomsim::rooms::testing {
namespace {

nlohmann::json bcast(const std::string& id, nlohmann::json payload = {{"text", "hi"}}) {
  return {{"type", "broadcast"}, {"id", id}, {"payload", std::move(payload)}};
}

class ChatRoomTest : public ::testing::Test {
 protected:
  explicit ChatRoomTest(nlohmann::json config = nlohmann::json::object())
      : host_(RoomSpec{"chat", "lobby", std::move(config)}) {}

  SessionId join(const std::string& user, const std::map<std::string, std::string>& query = {}) {
    auto r = host_.connect(host_.token(user, "Name " + user), query);
    EXPECT_EQ(r.response.status, 101) << r.response.body;
    return r.session.value_or(0);
  }

  FakeHost host_;
};

TEST_F(ChatRoomTest, AuthAcceptsValidTokenAndRefusesMissingBadExpiredMalformed) {
  EXPECT_EQ(host_.connect(host_.token("u1", "Ada")).response.status, 101);
  EXPECT_EQ(host_.connect("").response.status, 401);
  EXPECT_EQ(host_.connect(host_.token("u1", "Ada", 3600, "wrong-secret")).response.status, 401);
  EXPECT_EQ(host_.connect(host_.token("u1", "Ada", -10)).response.status, 401);
  EXPECT_EQ(host_.connect("not.a.token").response.status, 401);
  EXPECT_EQ(host_.connect("garbage").response.body, "Unauthorized");
  EXPECT_EQ(host_.ctx().sessions().size(), 1u);
}

TEST_F(ChatRoomTest, NonUpgradeRequestIs400) {
  HttpRequest req;
  req.path = "/rooms/chat/lobby";
  auto r = host_.request(req);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, "Expected websocket");
}

// Requests a room refuses write nothing: a stranger's 5,000 GETs left 5,000 meta/epoch rows
// and 5,000 fsyncs in the live server (issue 15 review). The epoch is stored with the first
// accepted session, in the commit that releases its welcome, and survives a restart from then on.
TEST_F(ChatRoomTest, RefusedRequestsWriteNothingAndTheEpochIsStoredWithTheFirstWelcome) {
  HttpRequest plain;
  plain.path = "/rooms/chat/lobby";
  EXPECT_EQ(host_.request(plain).status, 400);
  EXPECT_EQ(host_.connect("").response.status, 401);
  EXPECT_EQ(host_.connect("not.a.token").response.status, 401);
  EXPECT_TRUE(host_.ctx().fake_storage().committed().empty());
  const SessionId a = join("u1");
  const auto stored = host_.ctx().fake_storage().committed();
  ASSERT_EQ(stored.count("meta/epoch"), 1u);
  const auto frames = host_.frames(a);
  ASSERT_FALSE(frames.empty());
  EXPECT_EQ(frames[0]["epoch"].dump(), stored.at("meta/epoch"));
  host_.restart();
  const SessionId b = join("u2");
  EXPECT_EQ(host_.frames(b)[0]["epoch"], frames[0]["epoch"]) << "the epoch a client saw survives a restart";
}

TEST_F(ChatRoomTest, WelcomeThenHistoryThenUserJoinedToOthers) {
  SessionId a = join("u1");
  host_.message(a, bcast("m1"));
  SessionId b = join("u2");
  auto frames = host_.frames(b);
  ASSERT_GE(frames.size(), 2u);
  EXPECT_EQ(frames[0]["type"], "welcome");
  EXPECT_EQ(frames[0]["sessionId"], session_wire_id(b));
  EXPECT_EQ(frames[0]["seq"], 1);
  EXPECT_EQ(frames[0]["user"]["id"], "u2");
  EXPECT_EQ(frames[0]["participants"].size(), 2u);
  EXPECT_EQ(frames[1]["type"], "history");
  ASSERT_EQ(frames[1]["messages"].size(), 1u);
  EXPECT_EQ(frames[1]["messages"][0]["id"], "m1");
  EXPECT_EQ(frames[1]["messages"][0]["epoch"], frames[0]["epoch"]);
  auto joined = host_.frames(a, "user_joined");
  ASSERT_EQ(joined.size(), 1u);
  EXPECT_EQ(joined[0]["sessionId"], session_wire_id(b));
  EXPECT_EQ(joined[0]["participants"].size(), 2u);
  EXPECT_TRUE(host_.frames(b, "user_joined").empty());
  // "?history=none" skips the history frame (for clients that resume instead).
  SessionId c = join("u3", {{"history", "none"}});
  EXPECT_TRUE(host_.frames(c, "history").empty());
}

TEST_F(ChatRoomTest, BroadcastIsSequencedPersistedBeforeSendAndAcked) {
  SessionId a = join("u1");
  SessionId b = join("u2");
  host_.clear_frames();
  host_.message(a, bcast("m1", {{"text", "one"}}));
  host_.message(a, bcast("m2", {{"text", "two"}}));
  auto got = host_.frames(b, "message");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0]["seq"], 1);
  EXPECT_EQ(got[1]["seq"], 2);
  EXPECT_EQ(got[0]["from"], session_wire_id(a));
  EXPECT_EQ(got[0]["userId"], "u1");
  EXPECT_EQ(got[0]["payload"]["text"], "one");
  auto echo = host_.frames(a, "message");
  EXPECT_EQ(echo.size(), 2u);  // chat: the sender receives its own message too
  auto acks = host_.frames(a, "ack");
  ASSERT_EQ(acks.size(), 2u);
  EXPECT_EQ(acks[1]["id"], "m2");
  EXPECT_EQ(acks[1]["seq"], 2);
  EXPECT_EQ(acks[1]["epoch"], got[1]["epoch"]);
  // Output gate: every message and ack was sent while its write was uncommitted.
  for (const auto& f : host_.ctx().session(a).sent) EXPECT_TRUE(f.held_behind_commit) << f.text;
  auto stored = host_.ctx().fake_storage().committed();
  EXPECT_EQ(stored.at("meta/seq"), "2");
  EXPECT_EQ(stored.count("msg/00000000000000000002"), 1u);
}

TEST_F(ChatRoomTest, EpochAndSeqSurviveRestart) {
  SessionId a = join("u1");
  host_.message(a, bcast("m1"));
  const auto epoch = host_.frames(a, "ack").at(0)["epoch"];
  host_.restart();
  SessionId b = join("u1");
  auto w = host_.frames(b, "welcome").at(0);
  EXPECT_EQ(w["epoch"], epoch);
  EXPECT_EQ(w["seq"], 1);
  EXPECT_EQ(host_.frames(b, "history").at(0)["messages"].size(), 1u);
  host_.message(b, bcast("m2"));
  EXPECT_EQ(host_.frames(b, "ack").at(0)["seq"], 2);
}

TEST_F(ChatRoomTest, HistoryKeepsTheLast100) {
  // Several users so the rate limit is not reached.
  std::vector<SessionId> senders;
  for (int u = 0; u < 3; ++u) senders.push_back(join(label("u", u)));
  for (int i = 1; i <= 130; ++i) host_.message(senders[i % 3], bcast(label("m", i)));
  SessionId late = join("late");
  auto h = host_.frames(late, "history").at(0)["messages"];
  ASSERT_EQ(h.size(), 100u);
  EXPECT_EQ(h.front()["seq"], 31);
  EXPECT_EQ(h.back()["seq"], 130);
  size_t stored = 0;
  for (const auto& [k, _] : host_.ctx().fake_storage().committed()) stored += k.rfind("msg/", 0) == 0;
  EXPECT_EQ(stored, 100u);
}

TEST_F(ChatRoomTest, ResumeWithoutGapWithGapAndWithForeignEpoch) {
  std::vector<SessionId> senders;
  for (int u = 0; u < 3; ++u) senders.push_back(join(label("u", u)));
  for (int i = 1; i <= 120; ++i) host_.message(senders[i % 3], bcast(label("m", i)));
  const uint64_t epoch = host_.frames(senders[0], "ack").at(0)["epoch"];
  SessionId r = join("r", {{"history", "none"}});

  host_.message(r, nlohmann::json{{"type", "resume"}, {"after", 115}, {"epoch", epoch}});
  auto ok = host_.frames(r, "resumed").at(0);
  EXPECT_TRUE(ok["recovered"]);
  ASSERT_EQ(ok["messages"].size(), 5u);
  EXPECT_EQ(ok["messages"][0]["seq"], 116);
  EXPECT_FALSE(ok.contains("missedFrom"));

  host_.clear_frames();
  host_.message(r, nlohmann::json{{"type", "resume"}, {"after", 5}, {"epoch", epoch}});
  auto gap = host_.frames(r, "resumed").at(0);
  EXPECT_FALSE(gap["recovered"]);
  EXPECT_EQ(gap["missedFrom"], 6);
  EXPECT_EQ(gap["missedTo"], 20);  // 21..120 are kept
  EXPECT_EQ(gap["messages"].size(), 100u);

  host_.clear_frames();
  host_.message(r, nlohmann::json{{"type", "resume"}, {"after", 119}, {"epoch", epoch + 1}});
  auto foreign = host_.frames(r, "resumed").at(0);
  EXPECT_FALSE(foreign["recovered"]);
  EXPECT_EQ(foreign["epoch"], epoch);
  EXPECT_EQ(foreign["missedEpoch"], epoch + 1);
  EXPECT_EQ(foreign["missedFrom"], 120);
  EXPECT_EQ(foreign["missedTo"], (int64_t{1} << 53) - 1);
  EXPECT_EQ(foreign["messages"].size(), 100u);

  // A client that saw seqs the room never had: announced as lost.
  host_.clear_frames();
  host_.message(r, nlohmann::json{{"type", "resume"}, {"after", 500}, {"epoch", epoch}});
  auto behind = host_.frames(r, "resumed").at(0);
  EXPECT_FALSE(behind["recovered"]);
  EXPECT_EQ(behind["missedFrom"], 121);
  EXPECT_EQ(behind["missedTo"], 500);

  // Each case has its own code probe (rooms/common/probe_names.hpp).
  EXPECT_EQ(host_.ctx().probes(probe::kResumeRecovered), 1);
  EXPECT_EQ(host_.ctx().probes(probe::kResumeGapTrimmed), 1);
  EXPECT_EQ(host_.ctx().probes(probe::kResumeGapOtherEpoch), 1);
  EXPECT_EQ(host_.ctx().probes(probe::kResumeGapRoomBehind), 1);
  EXPECT_EQ(host_.ctx().probes(probe::kHistoryNone), 1);
  EXPECT_EQ(host_.ctx().probes(probe::kHistoryTrimmed), 20);
}

TEST_F(ChatRoomTest, ResumeOnConnectAnswersInTheJoinHandler) {
  SessionId a = join("u1");
  for (int i = 1; i <= 5; ++i) host_.message(a, bcast(label("m", i)));
  const uint64_t epoch = host_.frames(a, "ack").at(0)["epoch"];
  SessionId r = join("u2", {{"after", "3"}, {"epoch", std::to_string(epoch)}});
  auto frames = host_.frames(r);
  ASSERT_GE(frames.size(), 2u);
  EXPECT_EQ(frames[0]["type"], "welcome");
  EXPECT_EQ(frames[1]["type"], "resumed");
  EXPECT_TRUE(frames[1]["recovered"]);
  EXPECT_EQ(frames[1]["messages"].size(), 2u);
  EXPECT_TRUE(host_.frames(r, "history").empty());
  for (auto bad : {std::map<std::string, std::string>{{"after", "x"}, {"epoch", "1"}},
                   std::map<std::string, std::string>{{"after", "3"}}, std::map<std::string, std::string>{{"after", "-1"}, {"epoch", "1"}}}) {
    auto refused = host_.connect(host_.token("u3", "U"), bad);
    EXPECT_EQ(refused.response.status, 400);
    EXPECT_FALSE(refused.session.has_value());
  }
}

TEST_F(ChatRoomTest, ConnectionLimitsExactly100PerRoomAnd5PerUser) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(host_.connect(host_.token("same", "S")).response.status, 101);
  auto sixth = host_.connect(host_.token("same", "S"));
  EXPECT_EQ(sixth.response.status, 429);
  EXPECT_EQ(sixth.response.body, R"({"error":"too_many_connections"})");
  for (int i = 5; i < 100; ++i) EXPECT_EQ(host_.connect(host_.token(label("u", i), "U")).response.status, 101);
  EXPECT_EQ(host_.ctx().sessions().size(), 100u);
  auto full = host_.connect(host_.token("another", "A"));
  EXPECT_EQ(full.response.status, 429);
  EXPECT_EQ(full.response.body, R"({"error":"room_full"})");
  // A departure frees a place.
  host_.client_close(host_.ctx().sessions().front());
  EXPECT_EQ(host_.connect(host_.token("another", "A")).response.status, 101);
}

TEST_F(ChatRoomTest, RateLimitExactly100PerMinuteThen101stRefusedThenWindowReopens) {
  SessionId a = join("u1");
  for (int i = 0; i < 100; ++i) {
    host_.message(a, bcast(label("m", i)));
    host_.ctx().advance_ms(100);  // 100 messages within 10 s
  }
  EXPECT_EQ(host_.frames(a, "ack").size(), 100u);
  host_.message(a, bcast("m100"));
  auto errors = host_.frames(a, "error");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0]["code"], "rate_limited");
  EXPECT_EQ(host_.frames(a, "ack").size(), 100u);
  // Counted per user, not per connection: a second connection shares the budget.
  SessionId a2 = join("u1");
  host_.message(a2, bcast("other"));
  EXPECT_EQ(host_.frames(a2, "error").at(0)["code"], "rate_limited");
  // 60 s after the first message, its slot frees up.
  host_.ctx().advance_ms(60'000 - 100 * 100 + 1);
  host_.message(a, bcast("again"));
  EXPECT_EQ(host_.frames(a, "ack").size(), 101u);
}

TEST_F(ChatRoomTest, DirectUsesWireSessionIdAndUnknownTargetIsAnError) {
  SessionId a = join("u1");
  SessionId b = join("u2");
  SessionId c = join("u3");
  host_.clear_frames();
  host_.message(a, nlohmann::json{{"type", "direct"}, {"targetId", session_wire_id(b)}, {"id", "d1"}, {"payload", 5}});
  auto d = host_.frames(b, "direct");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0]["from"], session_wire_id(a));
  EXPECT_EQ(d[0]["payload"], 5);
  EXPECT_TRUE(host_.frames(c).empty());
  EXPECT_EQ(host_.frames(a, "ack").at(0)["seq"], -1);
  host_.message(a, nlohmann::json{{"type", "direct"}, {"targetId", "s999"}, {"payload", 5}});
  EXPECT_EQ(host_.frames(a, "error").at(0)["code"], "unknown_target");
}

TEST_F(ChatRoomTest, SubRoomBroadcastReachesOnlyMembers) {
  SessionId a = join("u1");
  SessionId b = join("u2");
  SessionId c = join("u3");
  host_.message(a, nlohmann::json{{"type", "broadcast"}, {"roomId", "side"}, {"payload", 1}});
  EXPECT_EQ(host_.frames(a, "error").at(0)["code"], "not_member");
  host_.message(a, nlohmann::json{{"type", "join_room"}, {"roomId", "side"}});
  host_.message(b, nlohmann::json{{"type", "join_room"}, {"roomId", "side"}});
  EXPECT_EQ(host_.frames(a, "joined_room").at(0)["roomId"], "side");
  host_.clear_frames();
  host_.message(a, nlohmann::json{{"type", "broadcast"}, {"roomId", "side"}, {"id", "x"}, {"payload", 1}});
  EXPECT_EQ(host_.frames(b, "message").size(), 1u);
  EXPECT_EQ(host_.frames(b, "message").at(0)["roomId"], "side");
  EXPECT_FALSE(host_.frames(b, "message").at(0).contains("seq"));
  EXPECT_TRUE(host_.frames(c, "message").empty());
  host_.message(b, nlohmann::json{{"type", "leave_room"}, {"roomId", "side"}});
  EXPECT_EQ(host_.frames(b, "left_room").size(), 1u);
  host_.message(b, nlohmann::json{{"type", "leave_room"}, {"roomId", "side"}});
  EXPECT_EQ(host_.frames(b, "error").at(0)["code"], "not_member");
}

TEST_F(ChatRoomTest, UserLeftCarriesRemainingParticipants) {
  SessionId a = join("u1");
  SessionId b = join("u2");
  host_.client_close(b);
  auto left = host_.frames(a, "user_left");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0]["userId"], "u2");
  EXPECT_EQ(left[0]["participants"].size(), 1u);
}

TEST_F(ChatRoomTest, HeartbeatPingsAndClosesSilentSession) {
  SessionId quiet = join("u1");
  SessionId chatty = join("u2");
  host_.advance_ms(30'000);
  EXPECT_EQ(host_.frames(quiet, "ping").size(), 1u);
  host_.message(chatty, nlohmann::json{{"type", "pong"}});
  host_.advance_ms(30'000);
  host_.message(chatty, nlohmann::json{{"type", "pong"}});
  EXPECT_TRUE(host_.ctx().session(quiet).open);  // silent for exactly 2 intervals: still open
  host_.advance_ms(30'000);
  ASSERT_TRUE(host_.ctx().session(quiet).closed_by_room.has_value());
  EXPECT_EQ(host_.ctx().session(quiet).closed_by_room->first, 1008);
  EXPECT_TRUE(host_.ctx().session(chatty).open);
  EXPECT_EQ(host_.frames(chatty, "user_left").size(), 1u);
  // The heartbeat stops once the room is empty.
  host_.client_close(chatty);
  EXPECT_FALSE(host_.ctx().alarm().has_value());
}

TEST_F(ChatRoomTest, TokenExpiryAndSessionTimeoutClose) {
  auto r = host_.connect(host_.token("u1", "Ada", 45));
  SessionId s = *r.session;
  host_.advance_ms(30'000);
  host_.message(s, nlohmann::json{{"type", "pong"}});
  host_.advance_ms(30'000);
  ASSERT_TRUE(host_.ctx().session(s).closed_by_room.has_value());
  EXPECT_EQ(host_.ctx().session(s).closed_by_room->second, "token expired");
}

TEST_F(ChatRoomTest, EveryMalformedInputGetsAnErrorAndChangesNothing) {
  SessionId a = join("u1");
  SessionId b = join("u2");
  host_.clear_frames();
  const auto before = host_.ctx().fake_storage().committed();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{oops", "bad_json"},
      {"[]", "bad_frame"},
      {"42", "bad_frame"},
      {R"({"payload":1})", "bad_frame"},
      {R"({"type":"teleport"})", "unknown_type"},
      {R"({"type":"subscribe","keys":["*"]})", "unknown_type"},
      {R"({"type":"broadcast"})", "bad_field"},
      {R"({"type":"broadcast","payload":1,"id":3})", "bad_field"},
      {R"({"type":"direct","payload":1})", "bad_field"},
      {R"({"type":"resume","after":"x","epoch":1})", "bad_field"},
      {R"({"type":"join_room"})", "bad_field"},
  };
  for (const auto& [text, code] : cases) host_.message(a, std::string_view(text));
  auto errors = host_.frames(a, "error");
  ASSERT_EQ(errors.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) EXPECT_EQ(errors[i]["code"], cases[i].second) << cases[i].first;
  EXPECT_EQ(host_.frames(a).size(), cases.size());
  EXPECT_TRUE(host_.frames(b).empty());
  EXPECT_TRUE(host_.ctx().session(a).open);
  // Only the bounded error log changed in storage.
  auto after = host_.ctx().fake_storage().committed();
  for (const auto& [k, v] : before) EXPECT_EQ(after.at(k), v) << k;
  for (const auto& [k, _] : after) {
    if (before.count(k) == 0) {
      EXPECT_EQ(k.rfind("errors/", 0), 0u) << k;
    }
  }
  host_.message(a, bcast("fine"));
  EXPECT_EQ(host_.frames(b, "message").at(0)["seq"], 1);
}

TEST_F(ChatRoomTest, OversizedFrameIsRefusedWith1009) {
  SessionId a = join("u1");
  SessionId b = join("u2");
  host_.message(a, bcast("big", std::string(70'000, 'x')));
  EXPECT_EQ(host_.frames(a, "error").at(0)["code"], "frame_too_large");
  ASSERT_TRUE(host_.ctx().session(a).closed_by_room.has_value());
  EXPECT_EQ(host_.ctx().session(a).closed_by_room->first, 1009);
  EXPECT_TRUE(host_.frames(b, "message").empty());
  EXPECT_EQ(host_.frames(b, "user_left").size(), 1u);
}

TEST_F(ChatRoomTest, InfoAndHistoryEndpointsNeedAToken) {
  SessionId a = join("u1");
  host_.message(a, bcast("m1"));
  HttpRequest req;
  req.path = "/rooms/chat/lobby/history";
  EXPECT_EQ(host_.request(req).status, 401);
  req.query["token"] = host_.token("u9", "Reader");
  auto h = host_.request(req);
  ASSERT_EQ(h.status, 200);
  auto body = nlohmann::json::parse(h.body);
  EXPECT_EQ(body["messages"].size(), 1u);
  EXPECT_EQ(body["seq"], 1);
  req.path = "/rooms/chat/lobby/info";
  req.query.clear();
  req.headers["authorization"] = "Bearer " + host_.token("u9", "Reader");
  auto info = nlohmann::json::parse(host_.request(req).body);
  EXPECT_EQ(info["roomId"], "lobby");
  EXPECT_EQ(info["connections"], 1);
  req.method = "POST";
  EXPECT_EQ(host_.request(req).status, 405);
}

TEST_F(ChatRoomTest, SyncPostsRoomDataAndReportsOutcome) {
  SessionId a = join("u1");
  SessionId b = join("u2");
  host_.message(a, bcast("m1"));
  host_.message(a, nlohmann::json{{"type", "sync"}});
  ASSERT_EQ(host_.ctx().fetches().size(), 1u);
  auto f = host_.ctx().fetches()[0];
  EXPECT_EQ(f.service, "sync");
  EXPECT_EQ(f.request.method, "POST");
  EXPECT_EQ(nlohmann::json::parse(f.request.body)["messages"].size(), 1u);
  host_.answer_fetch(f.id, {200, "{}", ""});
  EXPECT_EQ(host_.frames(b, "sync_complete").size(), 1u);
  host_.message(a, nlohmann::json{{"type", "sync"}});
  host_.answer_fetch(host_.ctx().fetches().at(0).id, {500, "boom", ""});
  auto err = host_.frames(b, "sync_error");
  ASSERT_EQ(err.size(), 1u);
  EXPECT_NE(err[0]["error"].get<std::string>().find("500"), std::string::npos);
}

class ChatRoomConfigured : public ChatRoomTest {
 protected:
  ChatRoomConfigured()
      : ChatRoomTest({{"metrics_batch", 3}, {"sync_interval_ms", 10'000}, {"permissions", {{"sync", {"admin"}}}}}) {}
};

TEST_F(ChatRoomConfigured, PermissionsPeriodicSyncAndMetricBatches) {
  SessionId a = join("u1");
  host_.message(a, nlohmann::json{{"type", "sync"}});
  EXPECT_EQ(host_.frames(a, "error").at(0)["code"], "forbidden");
  host_.advance_ms(10'000);
  ASSERT_EQ(host_.ctx().fetches().size(), 1u);
  EXPECT_EQ(host_.ctx().fetches()[0].service, "sync");
  host_.answer_fetch(host_.ctx().fetches()[0].id, {204, "", ""});
  for (int i = 0; i < 3; ++i) host_.message(a, bcast(label("m", i)));
  ASSERT_EQ(host_.ctx().fetches().size(), 1u);
  auto upload = host_.ctx().fetches()[0];
  EXPECT_EQ(upload.service, "metrics");
  EXPECT_EQ(nlohmann::json::parse(upload.request.body).size(), 3u);
  // A failed upload keeps the events; they go again with the next batch.
  host_.answer_fetch(upload.id, {0, "", "connection refused"});
  size_t buffered = 0;
  for (const auto& [k, _] : host_.ctx().fake_storage().committed()) buffered += k.rfind("metrics/", 0) == 0;
  EXPECT_EQ(buffered, 3u);
  host_.message(a, bcast("m3"));
  ASSERT_EQ(host_.ctx().fetches().size(), 1u);
  host_.answer_fetch(host_.ctx().fetches()[0].id, {200, "", ""});
  buffered = 0;
  for (const auto& [k, _] : host_.ctx().fake_storage().committed()) buffered += k.rfind("metrics/", 0) == 0;
  EXPECT_EQ(buffered, 1u);
}

TEST(ChatRoomRegistry, BadConfigIsAnErrorNamingTheKey) {
  auto bad = builtin_registry().create({"chat", "x", {{"history_max", "lots"}}});
  ASSERT_TRUE(std::holds_alternative<std::string>(bad));
  EXPECT_NE(std::get<std::string>(bad).find("history_max"), std::string::npos);
  auto typo = builtin_registry().create({"chat", "x", {{"histroy_max", 5}}});
  ASSERT_TRUE(std::holds_alternative<std::string>(typo));
  EXPECT_NE(std::get<std::string>(typo).find("histroy_max"), std::string::npos);
  auto perm = builtin_registry().create({"chat", "x", {{"permissions", {{"fly", {"*"}}}}}});
  EXPECT_TRUE(std::holds_alternative<std::string>(perm));
  auto host_keys = builtin_registry().create({"chat", "x", {{"host", {{"anything", 1}}}, {"history_max", 5}}});
  EXPECT_TRUE(std::holds_alternative<std::unique_ptr<Room>>(host_keys));
}

}  // namespace
}  // namespace roomsim::rooms::testing
