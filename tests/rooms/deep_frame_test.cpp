// tests/rooms/deep_frame_test.cpp: a frame nested deeper than kJsonDepthMax
// is refused by every room kind with `bad_json` before anything copies or
// dumps it (issue 15: dump() and copies recurse once per level, so a 64 KB
// frame nested 32,000 deep could overflow the stack of the thread running the
// room). Nothing reaches the other session; frames at the limit still work.
#include <gtest/gtest.h>

#include "rooms/api/registry.hpp"
#include "rooms/protocol/json_limits.hpp"
#include "tests/rooms/fake_room_context.hpp"

namespace roomsim::rooms::testing {
namespace {

// A broadcast whose payload is `levels` nested arrays (the frame object adds one).
std::string broadcast_nested(size_t levels) {
  std::string out = R"({"type":"broadcast","id":"m1","payload":)";
  out.append(levels, '[').append(levels, ']').append("}");
  return out;
}

TEST(DeepFrames, EveryRoomKindRefusesThemWithBadJson) {
  const std::string deep = broadcast_nested(32'000);
  ASSERT_LE(deep.size(), 65'536u);  // within the default frame size limit
  for (const std::string& kind : builtin_registry().kinds()) {
    FakeHost host(RoomSpec{kind, "deep", nlohmann::json::object()});
    host.fire_alarm();  // seed rooms load their history first
    auto a = host.join("u1");
    auto b = host.join("u2");
    ASSERT_TRUE(a && b) << kind;
    host.clear_frames();
    const size_t logs_before = host.ctx().logs().size();
    host.message(*a, std::string_view(deep));
    const auto errors = host.frames(*a, "error");
    if (errors.empty()) {  // the seed-faithful rooms only log bad frames (a flaw kept on purpose)
      ASSERT_EQ(host.ctx().logs().size(), logs_before + 1) << kind;
      const std::string& log = host.ctx().logs().back().second;
      EXPECT_NE(log.find("bad_json: frame nests arrays and objects deeper than 64 levels"), std::string::npos)
          << kind << ": " << log;
    } else {
      ASSERT_EQ(errors.size(), 1u) << kind;
      EXPECT_EQ(errors[0]["code"], "bad_json") << kind;
      EXPECT_NE(errors[0]["message"].get<std::string>().find("deeper than 64 levels"), std::string::npos) << kind;
    }
    EXPECT_TRUE(host.frames(*b).empty()) << kind;
  }
}

TEST(DeepFrames, AFrameAtTheLimitIsStillAMessage) {
  FakeHost host(RoomSpec{"relay", "limit", nlohmann::json::object()});
  SessionId a = *host.connect().session;
  SessionId b = *host.connect().session;
  host.clear_frames();
  host.message(a, std::string_view(broadcast_nested(protocol::kJsonDepthMax - 1)));
  EXPECT_TRUE(host.frames(a, "error").empty());
  EXPECT_EQ(host.ctx().session(b).sent.size(), 1u);
  host.message(a, std::string_view(broadcast_nested(protocol::kJsonDepthMax)));
  EXPECT_EQ(host.frames(a, "error").size(), 1u);
}

}  // namespace
}  // namespace roomsim::rooms::testing
