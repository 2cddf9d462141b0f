// tests/live/chat_test.cpp: the shipped `chat` kind on the live host, end to
// end: ack after durability, resume after a reconnect, join_room sub-rooms,
// the per-user rate limit and connection limit (429). Skipped with a message
// while the kind is not registered.
#include <gtest/gtest.h>

#include "tests/labels.hpp"
#include "tests/live/live_fixture.hpp"

namespace roomsim::live::testing {
namespace {

constexpr const char* kHost = "127.0.0.1";
constexpr const char* kChatSecret = "roomsim-dev-secret";

std::string chat_path(const std::string& room, const std::string& user) {
  auth::TokenClaims c;
  c.sub = user;
  c.name = user;
  c.exp = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() +
          600;
  return "/rooms/chat/" + room + "?token=" + auth::mint_hs256(kChatSecret, c);
}

std::string broadcast(const std::string& id, const std::string& text, const std::string& sub_room = "") {
  nlohmann::json j = {{"type", "broadcast"}, {"id", id}, {"payload", {{"text", text}}}};
  if (!sub_room.empty()) j["roomId"] = sub_room;
  return j.dump();
}

class LiveChat : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!rooms::builtin_registry().has("chat")) GTEST_SKIP() << "room kind \"chat\" is not registered yet";
    ServerOptions o = LiveServer::defaults(fresh_dir("chat"));
    o.room_config["chat"] = {{"rate_limit_per_min", 5}, {"max_connections_per_user", 2}};
    server_ = std::make_unique<LiveServer>(o, rooms::builtin_registry());
  }
  uint16_t port() const { return server_->port(); }
  std::unique_ptr<LiveServer> server_;
};

TEST_F(LiveChat, AckThenResumeRecoversWhatAReconnectingClientMissed) {
  BlockingWsClient a, b;
  ASSERT_EQ(a.connect(kHost, port(), chat_path("r", "alice")), 101);
  ASSERT_EQ(b.connect(kHost, port(), chat_path("r", "bob")), 101);
  auto wb = receive_type(b, "welcome");
  ASSERT_TRUE(wb);
  ASSERT_TRUE(a.send(broadcast("m1", "one")));
  auto ack = receive_type(a, "ack");
  ASSERT_TRUE(ack);
  EXPECT_EQ((*ack)["id"], "m1");
  const int64_t seq1 = (*ack)["seq"];
  auto m = receive_type(b, "message");
  ASSERT_TRUE(m);
  EXPECT_EQ((*m)["seq"], seq1);
  const int64_t epoch = (*m)["epoch"];
  b.close();
  ASSERT_TRUE(a.send(broadcast("m2", "two")));
  ASSERT_TRUE(a.send(broadcast("m3", "three")));
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(receive_type(a, "ack"));

  BlockingWsClient b2;
  ASSERT_EQ(b2.connect(kHost, port(), chat_path("r", "bob")), 101);
  ASSERT_TRUE(receive_type(b2, "welcome"));
  ASSERT_TRUE(b2.send(nlohmann::json{{"type", "resume"}, {"after", seq1}, {"epoch", epoch}}.dump()));
  auto resumed = receive_type(b2, "resumed");
  ASSERT_TRUE(resumed);
  EXPECT_EQ((*resumed)["recovered"], true);
  ASSERT_EQ((*resumed)["messages"].size(), 2u);
  EXPECT_EQ((*resumed)["messages"][0]["payload"]["text"], "two");
  EXPECT_EQ((*resumed)["messages"][1]["seq"], seq1 + 2);
}

TEST_F(LiveChat, JoinRoomLimitsBroadcastToMembers) {
  BlockingWsClient a, b;
  ASSERT_EQ(a.connect(kHost, port(), chat_path("s", "alice")), 101);
  ASSERT_EQ(b.connect(kHost, port(), chat_path("s", "bob")), 101);
  ASSERT_TRUE(receive_type(b, "welcome"));
  ASSERT_TRUE(a.send(R"({"type":"join_room","roomId":"side"})"));
  auto joined = receive_type(a, "joined_room");
  ASSERT_TRUE(joined);
  EXPECT_EQ((*joined)["roomId"], "side");
  ASSERT_TRUE(a.send(broadcast("p1", "private", "side")));
  auto sub = receive_type(a, "message");
  ASSERT_TRUE(sub);
  EXPECT_EQ((*sub)["roomId"], "side");
  ASSERT_TRUE(a.send(broadcast("p2", "public")));
  // bob, not a member, sees the public message and never the private one.
  auto m = receive_type(b, "message");
  ASSERT_TRUE(m);
  EXPECT_EQ((*m)["payload"]["text"], "public");
}

TEST_F(LiveChat, RateLimitAndPerUserConnectionLimit) {
  BlockingWsClient a;
  ASSERT_EQ(a.connect(kHost, port(), chat_path("l", "alice")), 101);
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(a.send(broadcast(roomsim::testing::label("r", i), "x")));
  auto err = receive_type(a, "error");
  ASSERT_TRUE(err);
  EXPECT_EQ((*err)["code"], "rate_limited");

  BlockingWsClient second, third;
  ASSERT_EQ(second.connect(kHost, port(), chat_path("l", "alice")), 101);
  EXPECT_EQ(third.connect(kHost, port(), chat_path("l", "alice")), 429) << "max_connections_per_user is 2";
  EXPECT_NE(third.refusal_body().find("too_many_connections"), std::string::npos) << third.refusal_body();
}

}  // namespace
}  // namespace roomsim::live::testing
