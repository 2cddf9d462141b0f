// Tests for `dashboard` and `seed-dashboard`: snapshot on subscribe, diffs
// only for changed keys, polling through the alarm, bad feed answers, and the
// seed's missing snapshot.
#include <gtest/gtest.h>

#include "tests/rooms/fake_room_context.hpp"

namespace roomsim::rooms::testing {
namespace {

nlohmann::json sub(std::vector<std::string> keys) { return {{"type", "subscribe"}, {"keys", std::move(keys)}}; }

// Answers the one pending feed poll with `data`.
void feed(FakeHost& host, const nlohmann::json& data, int status = 200) {
  ASSERT_EQ(host.ctx().fetches().size(), 1u);
  auto f = host.ctx().fetches()[0];
  EXPECT_EQ(f.service, "feed");
  EXPECT_EQ(f.request.path, "/data");
  host.answer_fetch(f.id, {status, data.dump(), ""});
}

TEST(DashboardRoom, SnapshotThenDiffsOfChangedKeysOnly) {
  FakeHost host(RoomSpec{"dashboard", "d", nlohmann::json::object()});
  SessionId all = *host.join("u1");
  SessionId only_a = *host.join("u2");
  EXPECT_EQ(host.frames(all, "welcome").at(0)["sessionId"], session_wire_id(all));
  EXPECT_EQ(host.frames(all, "user_joined").at(0)["participants"].size(), 2u);  // presence kept current
  EXPECT_EQ(host.frames(only_a, "welcome").at(0)["participants"].size(), 2u);
  host.fire_alarm();  // first poll right after the first join
  feed(host, {{"a", 1}, {"b", 2}});
  host.message(all, sub({"*"}));
  host.message(only_a, sub({"a"}));
  auto snap = host.frames(all, "snapshot");
  ASSERT_EQ(snap.size(), 1u);
  EXPECT_EQ(snap[0]["data"], (nlohmann::json{{"a", 1}, {"b", 2}}));
  EXPECT_EQ(host.frames(only_a, "snapshot").at(0)["data"], (nlohmann::json{{"a", 1}}));
  host.clear_frames();
  host.advance_ms(5000);
  feed(host, {{"a", 1}, {"b", 3}, {"c", "new"}});
  auto updates = host.frames(all, "data_update");
  ASSERT_EQ(updates.size(), 2u);
  EXPECT_EQ(updates[0]["key"], "b");
  EXPECT_EQ(updates[0]["value"], 3);
  EXPECT_EQ(updates[1]["key"], "c");
  EXPECT_TRUE(host.frames(only_a, "data_update").empty());
  host.advance_ms(5000);
  feed(host, {{"a", 7}});
  EXPECT_EQ(host.frames(only_a, "data_update").at(0)["value"], 7);
  host.message(only_a, nlohmann::json{{"type", "unsubscribe"}, {"keys", {"a"}}});
  host.clear_frames();
  host.advance_ms(5000);
  feed(host, {{"a", 8}});
  EXPECT_TRUE(host.frames(only_a, "data_update").empty());
  EXPECT_EQ(host.frames(all, "data_update").size(), 1u);
}

TEST(DashboardRoom, CacheSurvivesRestartSoSnapshotsStayCurrent) {
  FakeHost host(RoomSpec{"dashboard", "d", nlohmann::json::object()});
  host.join("u3");
  host.fire_alarm();
  feed(host, {{"temp", 21.5}});
  host.restart();
  SessionId s = *host.join("u4");
  host.message(s, sub({"temp"}));
  EXPECT_EQ(host.frames(s, "snapshot").at(0)["data"]["temp"], 21.5);
}

TEST(DashboardRoom, BadFeedAnswersChangeNothingAndPollingGoesOn) {
  FakeHost host(RoomSpec{"dashboard", "d", nlohmann::json::object()});
  SessionId s = *host.join("u5");
  host.message(s, sub({"*"}));
  host.fire_alarm();
  feed(host, {{"x", 1}}, 500);
  host.advance_ms(5000);
  ASSERT_EQ(host.ctx().fetches().size(), 1u);
  host.answer_fetch(host.ctx().fetches()[0].id, {200, "[1,2]", ""});
  host.advance_ms(5000);
  feed(host, {{"x", 1}});
  EXPECT_EQ(host.frames(s, "data_update").size(), 1u);
  EXPECT_GE(host.ctx().metrics().size(), 2u);
}

TEST(DashboardRoom, UnansweredPollIsReplacedAfterThreeIntervals) {
  FakeHost host(RoomSpec{"dashboard", "d", nlohmann::json::object()});
  host.join("u6");
  host.fire_alarm();
  ASSERT_EQ(host.ctx().fetches().size(), 1u);
  const uint64_t lost = host.ctx().fetches()[0].id;
  host.advance_ms(10'000);
  EXPECT_EQ(host.ctx().fetches().size(), 1u);  // still waiting
  host.advance_ms(5000);
  ASSERT_EQ(host.ctx().fetches().size(), 2u);
  host.answer_fetch(lost, {200, R"({"a":1})", ""});  // the late answer is dropped
  host.answer_fetch(host.ctx().fetches()[0].id, {200, R"({"a":2})", ""});
  SessionId s = *host.join("u7");
  host.message(s, sub({"a"}));
  EXPECT_EQ(host.frames(s, "snapshot").at(0)["data"]["a"], 2);
}

TEST(DashboardRoom, NeedsAValidToken) {
  FakeHost host(RoomSpec{"dashboard", "d", nlohmann::json::object()});
  EXPECT_EQ(host.connect().response.status, 401);
  EXPECT_EQ(host.connect("forged").response.status, 401);
  EXPECT_TRUE(host.join("u1").has_value());
}

TEST(DashboardRoom, MalformedInputGetsErrorFrames) {
  FakeHost host(RoomSpec{"dashboard", "d", nlohmann::json::object()});
  SessionId s = *host.join("u8");
  host.message(s, std::string_view("nope"));
  host.message(s, nlohmann::json{{"type", "subscribe"}, {"keys", "a"}});
  host.message(s, nlohmann::json{{"type", "broadcast"}, {"payload", 1}});
  auto errors = host.frames(s, "error");
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0]["code"], "bad_json");
  EXPECT_EQ(errors[1]["code"], "bad_field");
  EXPECT_EQ(errors[2]["code"], "unknown_type");
}

TEST(SeedDashboardRoom, FlawNewSubscriberSeesNothingUntilTheNextChange) {
  FakeHost host(RoomSpec{"seed-dashboard", "d", nlohmann::json::object()});
  SessionId first = *host.connect().session;
  EXPECT_FALSE(host.frames(first, "welcome").at(0).contains("participants"));
  host.message(first, sub({"*"}));
  host.fire_alarm();
  feed(host, {{"a", 1}});
  EXPECT_EQ(host.frames(first, "data_update").size(), 1u);
  SessionId late = *host.connect().session;
  host.message(late, sub({"a"}));
  EXPECT_TRUE(host.frames(late, "snapshot").empty());
  host.advance_ms(5000);
  feed(host, {{"a", 1}});  // unchanged: still nothing for the late subscriber
  EXPECT_TRUE(host.frames(late, "data_update").empty());
  host.advance_ms(5000);
  feed(host, {{"a", 2}});
  EXPECT_EQ(host.frames(late, "data_update").size(), 1u);
  host.message(late, std::string_view("{bad"));
  EXPECT_TRUE(host.frames(late, "error").empty());  // only logged
  EXPECT_TRUE(host.ctx().fake_storage().committed().empty());
}

}  // namespace
}  // namespace roomsim::rooms::testing
