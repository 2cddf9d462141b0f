// tests/rooms/session_tools_test.cpp: RoomContext::send_many's default (one
// send() per listed session) and send_to_all built on it.
#include <gtest/gtest.h>

#include "rooms/common/session_tools.hpp"
#include "tests/rooms/fake_room_context.hpp"

namespace roomsim::rooms::testing {
namespace {

std::vector<std::string> texts(FakeRoomContext& ctx, SessionId s) {
  std::vector<std::string> out;
  for (const SentFrame& f : ctx.session(s).sent) out.push_back(f.text);
  return out;
}

TEST(SendMany, SendsToEachListedOpenSessionInOrderAndSkipsClosedAndUnknownOnes) {
  FakeRoomContext ctx("chat", "lobby", 1);
  ctx.set_in_request(true);
  const SessionId a = ctx.accept_websocket({});
  const SessionId b = ctx.accept_websocket({});
  const SessionId c = ctx.accept_websocket({});
  ctx.set_in_request(false);
  ctx.client_closed(b);
  EXPECT_EQ(ctx.send_many({c, b, 999, a, c}, "x"), 3u);
  EXPECT_EQ(texts(ctx, a), (std::vector<std::string>{"x"}));
  EXPECT_TRUE(texts(ctx, b).empty());
  EXPECT_EQ(texts(ctx, c), (std::vector<std::string>{"x", "x"}));
  EXPECT_EQ(ctx.send_many({}, "y"), 0u);
}

TEST(SendToAll, ReachesEveryOpenSessionButTheExceptedOne) {
  FakeRoomContext ctx("chat", "lobby", 1);
  ctx.set_in_request(true);
  const SessionId a = ctx.accept_websocket({});
  const SessionId b = ctx.accept_websocket({});
  ctx.set_in_request(false);
  send_to_all(ctx, "one", a);
  send_to_all(ctx, "two");
  EXPECT_EQ(texts(ctx, a), (std::vector<std::string>{"two"}));
  EXPECT_EQ(texts(ctx, b), (std::vector<std::string>{"one", "two"}));
}

}  // namespace
}  // namespace roomsim::rooms::testing
