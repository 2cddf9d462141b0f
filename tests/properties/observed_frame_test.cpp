// tests/properties/observed_frame_test.cpp: what a client reads off a server
// frame (properties/observed_frame.hpp), including the relay kind's bare payloads.
#include <gtest/gtest.h>

#include "properties/observed_frame.hpp"

namespace roomsim::properties {
namespace {

TEST(ObservedFrame, MessageFrameGivesSenderIdDigestAndSeq) {
  History h;
  const NameId sub = h.intern("sub");
  const nlohmann::json payload = {{"b", "x"}, {"c", "c-1"}, {"m", "c-1.7"}};
  const nlohmann::json frame = {{"type", "message"}, {"seq", 4}, {"epoch", 9}, {"from", "s2"}, {"payload", payload}};
  ObservedMessage m = observe_message(frame, h, sub);
  EXPECT_EQ(m.seq, 4);
  EXPECT_EQ(m.epoch, 9);
  EXPECT_EQ(h.name(m.sender), "c-1");
  EXPECT_EQ(h.name(m.from), "s2");
  EXPECT_EQ(m.msg, fnv1a64("c-1.7"));
  EXPECT_EQ(m.digest, fnv1a64(payload.dump()));
  EXPECT_EQ(m.channel, kNoName);
}

TEST(ObservedFrame, RelayedPayloadIsRecognisedOnlyWithStringCAndMAndNoType) {
  const nlohmann::json payload = {{"b", "x"}, {"c", "c-1"}, {"m", "c-1.7"}};
  EXPECT_TRUE(is_relayed_payload(payload));
  EXPECT_FALSE(is_relayed_payload(nlohmann::json{{"type", "message"}, {"c", "c-1"}, {"m", "x"}}));
  EXPECT_FALSE(is_relayed_payload(nlohmann::json{{"c", "c-1"}}));
  EXPECT_FALSE(is_relayed_payload(nlohmann::json{{"c", 1}, {"m", "x"}}));
  EXPECT_FALSE(is_relayed_payload(nlohmann::json::array({"c", "m"})));
  History h;
  ObservedMessage m = observe_message(nlohmann::json{{"payload", payload}}, h, h.intern("sub"));
  EXPECT_EQ(h.name(m.sender), "c-1");
  EXPECT_EQ(m.msg, fnv1a64("c-1.7"));
  EXPECT_EQ(m.seq, -1);  // the relay numbers nothing
}

}  // namespace
}  // namespace roomsim::properties
