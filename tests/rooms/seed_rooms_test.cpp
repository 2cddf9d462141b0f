// Tests for seed-chat and seed-persistent: the seed's behaviour is there, and
// each kept flaw (docs/rooms.md, "Seed flaws") is demonstrably present.
#include <gtest/gtest.h>

#include "tests/rooms/fake_room_context.hpp"

namespace roomsim::rooms::testing {
namespace {

nlohmann::json bcast(const std::string& id, nlohmann::json payload = "hi") {
  return {{"type", "broadcast"}, {"id", id}, {"payload", std::move(payload)}};
}

class SeedChatTest : public ::testing::Test {
 protected:
  SeedChatTest() : host_(RoomSpec{"seed-chat", "lobby", nlohmann::json::object()}) { host_.fire_alarm(); }  // let the deferred load run

  SessionId join(const std::string& user) {
    auto r = host_.connect(host_.token(user, "Name " + user));
    EXPECT_EQ(r.response.status, 101) << r.response.body;
    return r.session.value_or(0);
  }

  FakeHost host_;
};

TEST_F(SeedChatTest, AuthAndLimitsLikeTheSeed) {
  EXPECT_EQ(host_.connect("").response.status, 401);
  EXPECT_EQ(host_.connect(host_.token("u", "U", -1)).response.status, 401);
  for (int i = 0; i < 5; ++i) join("same");
  EXPECT_EQ(host_.connect(host_.token("same", "S")).response.status, 429);
}

TEST_F(SeedChatTest, BroadcastReachesEveryoneWithoutSeqEpochOrAck) {
  SessionId a = join("u1");
  SessionId b = join("u2");
  host_.message(a, bcast("m1"));
  auto got = host_.frames(b, "message");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["payload"], "hi");
  EXPECT_EQ(got[0]["userId"], "u1");
  EXPECT_FALSE(got[0].contains("seq"));
  EXPECT_FALSE(got[0].contains("epoch"));
  EXPECT_EQ(host_.frames(a, "message").size(), 1u);
  EXPECT_TRUE(host_.frames(a, "ack").empty());
}

TEST_F(SeedChatTest, FlawSessionIdNeverToldSoDirectIsUnusable) {
  SessionId a = join("u1");
  SessionId b = join("u2");
  host_.message(a, bcast("m1"));
  EXPECT_FALSE(host_.frames(b, "welcome").at(0).contains("sessionId"));
  EXPECT_FALSE(host_.frames(b, "message").at(0).contains("from"));
  const nlohmann::json participants = host_.frames(a, "user_joined").at(0)["participants"];
  ASSERT_EQ(participants.size(), 2u);
  for (const auto& p : participants) EXPECT_FALSE(p.contains("sessionId"));
  const std::string internal = host_.ctx().session(b).attachment.extra["seedId"];
  for (SessionId s : {a, b}) {
    for (const auto& f : host_.ctx().session(s).sent) EXPECT_EQ(f.text.find(internal), std::string::npos) << f.text;
  }
  host_.message(a, nlohmann::json{{"type", "direct"}, {"targetId", session_wire_id(b)}, {"payload", 1}});
  EXPECT_EQ(host_.frames(a, "error").at(0)["code"], "unknown_target");
  EXPECT_TRUE(host_.frames(b, "direct").empty());
  // Only a client that somehow knew the internal id could reach b.
  host_.message(a, nlohmann::json{{"type", "direct"}, {"targetId", internal}, {"payload", 1}});
  EXPECT_EQ(host_.frames(b, "direct").size(), 1u);
}

TEST_F(SeedChatTest, FlawJoinRoomIgnoredByBroadcast) {
  SessionId a = join("u1");
  SessionId outsider = join("u2");
  host_.message(a, nlohmann::json{{"type", "join_room"}, {"roomId", "side"}});
  EXPECT_EQ(host_.frames(a, "joined_room").size(), 1u);
  host_.message(a, nlohmann::json{{"type", "broadcast"}, {"roomId", "side"}, {"payload", "secret"}});
  ASSERT_EQ(host_.frames(outsider, "message").size(), 1u);
  EXPECT_EQ(host_.frames(outsider, "message").at(0)["roomId"], "side");  // a sub-room message to a non-member
}

TEST_F(SeedChatTest, FlawRateLimitLetsThe101stThrough) {
  SessionId a = join("u1");
  for (int i = 1; i <= 102; ++i) {
    host_.message(a, bcast(label("m", i)));
    host_.fire_alarm();  // the seed's delayed counter write lands between messages
  }
  EXPECT_EQ(host_.frames(a, "message").size(), 101u);
  EXPECT_EQ(host_.frames(a, "error").at(0)["code"], "rate_limited");
}

TEST_F(SeedChatTest, FlawRateCounterRestartsWithEveryNewSession) {
  SessionId a = join("u1");
  for (int i = 1; i <= 102; ++i) {
    host_.message(a, bcast(label("m", i)));
    host_.fire_alarm();
  }
  ASSERT_EQ(host_.frames(a, "error").size(), 1u);
  host_.client_close(a);
  SessionId again = join("u1");  // same user, same minute
  host_.message(again, bcast("more"));
  EXPECT_TRUE(host_.frames(again, "error").empty());
  EXPECT_EQ(host_.frames(again, "message").size(), 1u);
}

TEST_F(SeedChatTest, FlawNonAtomicRateCountingLosesUpdates) {
  SessionId a = join("u1");
  for (int i = 1; i <= 150; ++i) host_.message(a, bcast(label("m", i)));  // no handler in between writes the count
  EXPECT_EQ(host_.frames(a, "message").size(), 150u);
  EXPECT_TRUE(host_.frames(a, "error").empty());
  host_.fire_alarm();
  const std::string internal = host_.ctx().session(a).attachment.extra["seedId"];
  EXPECT_EQ(host_.ctx().fake_storage().committed().at("rate/" + internal), "1");
}

TEST_F(SeedChatTest, FlawNoSequenceNumbersSoResumeIsUnknown) {
  SessionId a = join("u1");
  host_.message(a, nlohmann::json{{"type", "resume"}, {"after", 0}, {"epoch", 0}});
  EXPECT_EQ(host_.frames(a, "error").at(0)["code"], "unknown_type");
  EXPECT_TRUE(host_.frames(a, "resumed").empty());
  EXPECT_FALSE(host_.frames(a, "welcome").at(0).contains("seq"));
}

TEST_F(SeedChatTest, FlawHistoryLoadDoesNotBlockEarlyEvents) {
  SessionId a = join("u1");
  for (int i = 1; i <= 20; ++i) host_.message(a, bcast(label("old", i)));
  host_.restart();  // on_start only schedules the load
  SessionId early = join("u2");
  EXPECT_TRUE(host_.frames(early, "history").at(0)["messages"].empty());
  host_.message(early, bcast("first-after-restart"));
  host_.fire_alarm();  // the load runs now, reading what the early message overwrote
  SessionId late = join("u3");
  auto h = host_.frames(late, "history").at(0)["messages"];
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0]["id"], "first-after-restart");  // the 20 stored messages are gone
}

TEST_F(SeedChatTest, FlawSyncCountsHttp500AsSuccess) {
  SessionId a = join("u1");
  host_.message(a, nlohmann::json{{"type", "sync"}});
  ASSERT_EQ(host_.ctx().fetches().size(), 1u);
  host_.answer_fetch(host_.ctx().fetches()[0].id, {500, "internal error", ""});
  EXPECT_EQ(host_.frames(a, "sync_complete").size(), 1u);
  EXPECT_TRUE(host_.frames(a, "sync_error").empty());
  host_.message(a, nlohmann::json{{"type", "sync"}});
  host_.answer_fetch(host_.ctx().fetches()[0].id, {0, "", "connection refused"});
  EXPECT_EQ(host_.frames(a, "sync_error").at(0)["error"], "connection refused");
}

TEST_F(SeedChatTest, HttpEndpointsAnswerWithoutToken) {
  SessionId a = join("u1");
  host_.message(a, bcast("m1"));
  HttpRequest req;
  req.path = "/rooms/seed-chat/lobby/history";
  auto r = host_.request(req);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(nlohmann::json::parse(r.body)["messages"].size(), 1u);
  req.path = "/rooms/seed-chat/lobby";
  EXPECT_EQ(host_.request(req).status, 400);
}

TEST(SeedChatMetricsTest, FlawFailedMetricUploadIsDroppedWithOnlyALog) {
  FakeHost host(RoomSpec{"seed-chat", "m", {{"metrics_batch", 2}}});
  host.fire_alarm();
  SessionId a = *host.connect(host.token("u1", "A")).session;
  host.message(a, bcast("m1"));
  host.message(a, bcast("m2"));
  ASSERT_EQ(host.ctx().fetches().size(), 1u);
  host.answer_fetch(host.ctx().fetches()[0].id, {503, "", ""});
  size_t buffered = 0;
  for (const auto& [k, _] : host.ctx().fake_storage().committed()) buffered += k.rfind("metrics/", 0) == 0;
  EXPECT_EQ(buffered, 0u);  // the two events are gone
  bool logged = false;
  for (const auto& [level, text] : host.ctx().logs()) logged |= level == LogLevel::kError && text.find("metrics") != std::string::npos;
  EXPECT_TRUE(logged);
}

TEST(SeedPersistentTest, NoAuthBroadcastToOthersAndErrorsOnlyLogged) {
  FakeHost host(RoomSpec{"seed-persistent", "p", nlohmann::json::object()});
  host.fire_alarm();
  auto bad_token = host.connect("this-is-not-a-token");
  ASSERT_TRUE(bad_token.session.has_value());  // the seed never looks at tokens
  SessionId a = *bad_token.session;
  SessionId b = *host.connect().session;
  host.message(a, bcast("m1"));
  EXPECT_EQ(host.frames(b, "message").size(), 1u);
  EXPECT_TRUE(host.frames(a, "message").empty());  // others only
  host.clear_frames();
  host.message(a, std::string_view("{not json"));
  host.message(a, std::string_view(R"({"type":"nope"})"));
  EXPECT_TRUE(host.frames(a).empty());  // flaw: no error frame
  EXPECT_GE(host.ctx().logs().size(), 2u);
  EXPECT_TRUE(host.ctx().session(a).open);
}

TEST(SeedPersistentTest, RoomDataIsOneStoredValueLoadedOnStart) {
  FakeHost host(RoomSpec{"seed-persistent", "p", {{"history_max", 3}}});
  host.fire_alarm();
  SessionId a = *host.connect().session;
  for (int i = 1; i <= 5; ++i) host.message(a, bcast(label("m", i)));
  auto data = nlohmann::json::parse(host.ctx().fake_storage().committed().at("roomData"));
  ASSERT_EQ(data["messages"].size(), 3u);
  EXPECT_EQ(data["messages"][0]["id"], "m3");
  EXPECT_TRUE(data.contains("participants"));
  EXPECT_TRUE(data.contains("metadata"));
  host.restart();
  host.fire_alarm();
  SessionId b = *host.connect().session;
  EXPECT_EQ(host.frames(b, "history").at(0)["messages"].size(), 3u);
}

}  // namespace
}  // namespace roomsim::rooms::testing
