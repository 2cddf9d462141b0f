// Tests for `relay`: the benchmark kit's protocol (payload JSON to the others,
// keys in the order sent), directs by wire id, and an error frame for each
// kind of bad input with nothing relayed.
#include <gtest/gtest.h>

#include "rooms/api/registry.hpp"
#include "tests/rooms/fake_room_context.hpp"

namespace roomsim::rooms::testing {
namespace {

// Raw texts sent to `session` after its welcome frame.
std::vector<std::string> texts_after_welcome(FakeHost& host, SessionId session) {
  std::vector<std::string> out;
  const auto& sent = host.ctx().session(session).sent;
  for (size_t i = 1; i < sent.size(); ++i) out.push_back(sent[i].text);
  return out;
}

TEST(RelayRoom, BroadcastSendsThePayloadTextToEveryOtherSessionKeysInSentOrder) {
  FakeHost host(RoomSpec{"relay", "bench", nlohmann::json::object()});
  std::vector<SessionId> s;
  for (int i = 0; i < 3; ++i) s.push_back(*host.connect().session);
  EXPECT_EQ(host.frames(s[1], "welcome").at(0)["sessionId"], session_wire_id(s[1]));
  host.message(s[0], std::string_view(R"({"type":"broadcast","payload":{"s":0,"q":1,"t":99,"p":"x"}})"));
  EXPECT_TRUE(texts_after_welcome(host, s[0]).empty());  // never echoed to the sender
  for (int i = 1; i < 3; ++i) {
    EXPECT_EQ(texts_after_welcome(host, s[i]), std::vector<std::string>{R"({"s":0,"q":1,"t":99,"p":"x"})"}) << i;
  }
  EXPECT_EQ(host.ctx().fake_storage().commit_count(), 0u);
}

TEST(RelayRoom, DirectGoesToTheNamedSessionOnly) {
  FakeHost host(RoomSpec{"relay", "d", nlohmann::json::object()});
  SessionId a = *host.connect().session;
  SessionId b = *host.connect().session;
  SessionId c = *host.connect().session;
  host.message(a, nlohmann::json{{"type", "direct"}, {"targetId", session_wire_id(c)}, {"payload", 7}});
  EXPECT_TRUE(texts_after_welcome(host, b).empty());
  EXPECT_EQ(texts_after_welcome(host, c), std::vector<std::string>{"7"});
}

TEST(RelayRoom, EachBadFrameGetsOneErrorAndRelaysNothing) {
  FakeHost host(RoomSpec{"relay", "bad", nlohmann::json::object()});
  SessionId a = *host.connect().session;
  SessionId b = *host.connect().session;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{not json", "bad_json"},
      {"[1,2]", "bad_frame"},
      {R"({"payload":1})", "bad_frame"},
      {R"({"type":"resume","payload":1})", "unknown_type"},
      {R"({"type":"broadcast"})", "bad_field"},
      {R"({"type":"direct","payload":1})", "bad_field"},
      {R"({"type":"direct","targetId":"s999","payload":1})", "unknown_target"},
  };
  for (const auto& [text, code] : cases) {
    host.clear_frames();
    host.message(a, std::string_view(text));
    auto errors = host.frames(a, "error");
    ASSERT_EQ(errors.size(), 1u) << text;
    EXPECT_EQ(errors[0]["code"], code) << text;
    EXPECT_TRUE(host.frames(b).empty()) << text;
  }
  host.message(a, nlohmann::json{{"type", "direct"}, {"targetId", session_wire_id(a)}, {"payload", 1}});
  EXPECT_EQ(host.frames(a, "error").back()["code"], "unknown_target");  // not to itself
}

TEST(RelayRoom, LimitsAndTokensComeFromTheConfig) {
  FakeHost host(RoomSpec{"relay", "lim", {{"max_connections", 2}, {"rate_limit_per_min", 2}}});
  EXPECT_EQ(host.connect("bad.token.here").response.status, 401);
  SessionId a = *host.connect().session;
  SessionId b = *host.connect().session;
  EXPECT_EQ(host.connect().response.status, 429);
  for (int i = 0; i < 3; ++i) host.message(a, nlohmann::json{{"type", "broadcast"}, {"payload", i}});
  EXPECT_EQ(texts_after_welcome(host, b), (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(host.frames(a, "error").at(0)["code"], "rate_limited");
  HttpRequest plain;
  plain.path = "/rooms/relay/lim";
  EXPECT_EQ(host.request(plain).status, 400);
}

}  // namespace
}  // namespace roomsim::rooms::testing
