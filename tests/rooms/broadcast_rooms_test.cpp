// Tests for `broadcast` (corrected, ephemeral), `seed-broadcast`, `persistent`
// and the registry's list of kinds.
#include <gtest/gtest.h>

#include "rooms/api/registry.hpp"
#include "tests/rooms/fake_room_context.hpp"

namespace roomsim::rooms::testing {
namespace {

nlohmann::json bcast(const std::string& id, nlohmann::json payload = {{"s", 1}}) {
  return {{"type", "broadcast"}, {"id", id}, {"payload", std::move(payload)}};
}

TEST(Registry, ShipsEveryKindWithSeedFlag) {
  const auto kinds = builtin_registry().kinds();
  const std::vector<std::string> expected = {"broadcast", "chat",      "dashboard",      "persistent",     "relay",
                                             "seed-broadcast", "seed-chat", "seed-dashboard", "seed-persistent"};
  EXPECT_EQ(kinds, expected);
  for (const auto& k : kinds) {
    EXPECT_EQ(builtin_registry().find(k)->seed_faithful, k.rfind("seed-", 0) == 0) << k;
    EXPECT_TRUE(std::holds_alternative<std::unique_ptr<Room>>(
        builtin_registry().create({k, "x", nlohmann::json::object()})))
        << k;
  }
  auto unknown = builtin_registry().create({"nope", "x", nlohmann::json::object()});
  ASSERT_TRUE(std::holds_alternative<std::string>(unknown));
  EXPECT_NE(std::get<std::string>(unknown).find("seed-chat"), std::string::npos);
}

TEST(BroadcastRoom, FanOutToOthersWithSeqAndAckAndNoMessageWrites) {
  FakeHost host(RoomSpec{"broadcast", "bench", nlohmann::json::object()});
  std::vector<SessionId> s;
  for (int i = 0; i < 150; ++i) {
    auto r = host.connect("", {{"user", "same"}});  // no limits by default
    ASSERT_TRUE(r.session.has_value()) << i;
    s.push_back(*r.session);
  }
  EXPECT_TRUE(host.frames(s[0], "user_joined").empty());  // no presence fan-out
  auto w = host.frames(s[1], "welcome").at(0);
  EXPECT_EQ(w["sessionId"], session_wire_id(s[1]));
  EXPECT_FALSE(w.contains("participants"));  // no list that nobody keeps current
  host.clear_frames();
  host.message(s[0], bcast("m1"));
  host.message(s[1], nlohmann::json{{"type", "broadcast"}, {"payload", {{"s", 2}}}});  // id is optional
  EXPECT_TRUE(host.frames(s[0], "message").size() == 1u);  // only the other sender's message
  auto got = host.frames(s[2], "message");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0]["seq"], 1);
  EXPECT_EQ(got[1]["seq"], 2);
  EXPECT_EQ(got[1]["id"], "");
  EXPECT_EQ(host.frames(s[0], "ack").at(0)["seq"], 1);
  // One commit, at start: the epoch's high-water mark. Messages are never written.
  EXPECT_EQ(host.ctx().fake_storage().commit_count(), 1u);
  ASSERT_EQ(host.ctx().fake_storage().committed().size(), 1u);
  EXPECT_EQ(host.ctx().fake_storage().committed().begin()->first, "meta/epoch_floor");
}

TEST(BroadcastRoom, RestartDrawsANewEpochAndResumeAnnouncesTheLoss) {
  FakeHost host(RoomSpec{"broadcast", "b", nlohmann::json::object()});
  SessionId a = *host.connect().session;
  SessionId b = *host.connect().session;
  host.message(a, bcast("m1"));
  const uint64_t epoch = host.frames(b, "message").at(0)["epoch"];
  host.message(b, nlohmann::json{{"type", "resume"}, {"after", 0}, {"epoch", epoch}});
  EXPECT_TRUE(host.frames(b, "resumed").at(0)["recovered"]);
  host.restart();
  SessionId c = *host.connect().session;
  EXPECT_NE(host.frames(c, "welcome").at(0)["epoch"], epoch);
  host.message(c, nlohmann::json{{"type", "resume"}, {"after", 1}, {"epoch", epoch}});
  EXPECT_FALSE(host.frames(c, "resumed").at(0)["recovered"]);
}

TEST(BroadcastRoom, ANewEpochIsLargerEvenOnAMachineWhoseClockIsBehind) {
  // The epoch is drawn from the clock; the new instance runs on a clock a minute behind. Before
  // the stored high-water mark its epoch came out smaller, which clients and checkers read as the
  // older history (the simulator's room-clock-skew fault found it).
  FakeHost host(RoomSpec{"broadcast", "b", nlohmann::json::object()});
  SessionId a = *host.connect().session;
  const uint64_t first = host.frames(a, "welcome").at(0)["epoch"];
  host.ctx().set_now(host.ctx().now() - RoomDuration(60'000));
  host.restart();
  SessionId b = *host.connect().session;
  const uint64_t second = host.frames(b, "welcome").at(0)["epoch"];
  EXPECT_GT(second, first);
  host.restart();
  SessionId c = *host.connect().session;
  EXPECT_GT(host.frames(c, "welcome").at(0)["epoch"].get<uint64_t>(), second);
}

TEST(BroadcastRoom, AuthIsOptionalButABadTokenIsRefusedAndLimitsAreConfigurable) {
  FakeHost host(RoomSpec{"broadcast", "b", {{"max_connections", 2}}});
  EXPECT_EQ(host.connect("bad.token.here").response.status, 401);
  auto named = host.connect(host.token("u1", "Ada"));
  EXPECT_EQ(host.frames(*named.session, "welcome").at(0)["user"]["id"], "u1");
  EXPECT_EQ(host.connect().response.status, 101);
  EXPECT_EQ(host.connect().response.status, 429);
  HttpRequest plain;
  plain.path = "/rooms/broadcast/b/info";
  EXPECT_EQ(host.request(plain).status, 400);
}

TEST(BroadcastRoom, SubRoomsAndDirect) {
  FakeHost host(RoomSpec{"broadcast", "b", nlohmann::json::object()});
  SessionId a = *host.connect().session;
  SessionId b = *host.connect().session;
  SessionId c = *host.connect().session;
  host.message(a, nlohmann::json{{"type", "join_room"}, {"roomId", "r"}});
  host.message(b, nlohmann::json{{"type", "join_room"}, {"roomId", "r"}});
  host.clear_frames();
  host.message(a, nlohmann::json{{"type", "broadcast"}, {"roomId", "r"}, {"payload", 1}});
  EXPECT_EQ(host.frames(b, "message").size(), 1u);
  EXPECT_TRUE(host.frames(c, "message").empty());
  host.message(c, nlohmann::json{{"type", "direct"}, {"targetId", session_wire_id(a)}, {"payload", 2}});
  EXPECT_EQ(host.frames(a, "direct").at(0)["from"], session_wire_id(c));
}

TEST(SeedBroadcastRoom, FlawsUntoldIdsIgnoredSubRoomsLogOnlyErrors) {
  FakeHost host(RoomSpec{"seed-broadcast", "b", nlohmann::json::object()});
  SessionId a = *host.connect().session;
  SessionId b = *host.connect().session;
  EXPECT_FALSE(host.frames(a, "welcome").at(0).contains("sessionId"));
  EXPECT_FALSE(host.frames(a, "welcome").at(0).contains("participants"));
  EXPECT_TRUE(host.frames(a, "history").empty());
  EXPECT_TRUE(host.frames(a, "user_joined").empty());
  host.message(a, nlohmann::json{{"type", "join_room"}, {"roomId", "r"}});
  host.clear_frames();
  host.message(a, nlohmann::json{{"type", "broadcast"}, {"roomId", "r"}, {"payload", 1}});
  auto got = host.frames(b, "message");
  ASSERT_EQ(got.size(), 1u);  // b never joined "r"
  EXPECT_FALSE(got[0].contains("seq"));
  EXPECT_FALSE(got[0].contains("from"));
  EXPECT_TRUE(host.frames(a, "message").empty());
  EXPECT_TRUE(host.frames(a, "ack").empty());
  host.message(a, nlohmann::json{{"type", "direct"}, {"targetId", session_wire_id(b)}, {"payload", 1}});
  host.message(a, std::string_view("{broken"));
  EXPECT_TRUE(host.frames(a).empty());  // unknown target and bad JSON: only logged
  EXPECT_TRUE(host.frames(b, "direct").empty());
  EXPECT_EQ(host.ctx().fake_storage().commit_count(), 0u);
  // Oversized frames are still refused with 1009 (the host guards too).
  host.message(a, bcast("big", std::string(70'000, 'x')));
  ASSERT_TRUE(host.ctx().session(a).closed_by_room.has_value());
  EXPECT_EQ(host.ctx().session(a).closed_by_room->first, 1009);
}

TEST(PersistentRoom, OthersOnlyAckedTokenRequiredHistoryOpen) {
  FakeHost host(RoomSpec{"persistent", "p", nlohmann::json::object()});
  EXPECT_EQ(host.connect("bad").response.status, 401);
  EXPECT_EQ(host.connect().response.status, 401);
  SessionId a = *host.join("u1");
  SessionId b = *host.connect(host.token("u2", "Bo")).session;
  EXPECT_EQ(host.frames(a, "user_joined").at(0)["userId"], "u2");
  host.clear_frames();
  host.message(a, bcast("m1"));
  EXPECT_TRUE(host.frames(a, "message").empty());
  EXPECT_EQ(host.frames(a, "ack").at(0)["seq"], 1);
  EXPECT_EQ(host.frames(b, "message").at(0)["seq"], 1);
  HttpRequest req;
  req.path = "/rooms/persistent/p/history";
  auto r = host.request(req);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(nlohmann::json::parse(r.body)["messages"].size(), 1u);
  host.restart();
  SessionId c = *host.join("u3");
  EXPECT_EQ(host.frames(c, "history").at(0)["messages"].size(), 1u);
}

}  // namespace
}  // namespace roomsim::rooms::testing
