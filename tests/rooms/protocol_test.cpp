// Tests for rooms/protocol: client frame validation (every error code, field
// named) and server frame shapes (docs/protocol.md).
#include <gtest/gtest.h>

#include "rooms/protocol/client_frame.hpp"
#include "rooms/protocol/server_frames.hpp"

namespace roomsim::rooms::protocol {
namespace {

const std::vector<std::string_view> kAll(std::begin(kClientTypes), std::end(kClientTypes));

FrameError error_of(std::string_view text, size_t max = 65536) {
  auto r = parse_client_frame(text, kAll, max);
  EXPECT_TRUE(std::holds_alternative<FrameError>(r)) << "accepted: " << text;
  return std::holds_alternative<FrameError>(r) ? std::get<FrameError>(r) : FrameError{};
}

TEST(ClientFrame, AcceptsEveryValidType) {
  for (const char* ok : {R"({"type":"broadcast","payload":{"a":1}})", R"({"type":"broadcast","payload":1,"id":"m1","roomId":"x"})",
                         R"({"type":"direct","targetId":"s1","payload":"hi","id":"m2"})", R"({"type":"join_room","roomId":"r"})",
                         R"({"type":"leave_room","roomId":"r"})", R"({"type":"resume","after":0,"epoch":123})",
                         R"({"type":"subscribe","keys":["*"]})", R"({"type":"unsubscribe","keys":[]})",
                         R"({"type":"pong"})", R"({"type":"pong","timestamp":5})", R"({"type":"sync"})"}) {
    auto r = parse_client_frame(ok, kAll, 65536);
    EXPECT_TRUE(std::holds_alternative<ClientFrame>(r)) << ok << ": " << std::get<FrameError>(r).message;
  }
}

TEST(ClientFrame, MalformedJsonNonObjectAndMissingType) {
  EXPECT_EQ(error_of("{not json").code, "bad_json");
  EXPECT_EQ(error_of("").code, "bad_json");
  EXPECT_EQ(error_of("[1,2]").code, "bad_frame");
  EXPECT_EQ(error_of("\"broadcast\"").code, "bad_frame");
  EXPECT_EQ(error_of(R"({"payload":1})").code, "bad_frame");
  EXPECT_EQ(error_of(R"({"type":7})").code, "bad_frame");
}

TEST(ClientFrame, UnknownTypeAndTypeNotAcceptedByRoom) {
  EXPECT_EQ(error_of(R"({"type":"explode"})").code, "unknown_type");
  auto r = parse_client_frame(R"({"type":"subscribe","keys":[]})", {"broadcast"}, 0);
  ASSERT_TRUE(std::holds_alternative<FrameError>(r));
  EXPECT_EQ(std::get<FrameError>(r).code, "unknown_type");
  EXPECT_NE(std::get<FrameError>(r).message.find("broadcast"), std::string::npos);
}

TEST(ClientFrame, BadFieldNamesTheField) {
  struct Case {
    const char* text;
    const char* field;
  };
  for (const Case& c : {Case{R"({"type":"broadcast"})", "payload"}, Case{R"({"type":"broadcast","payload":null})", "payload"},
                        Case{R"({"type":"broadcast","payload":1,"id":5})", "id"},
                        Case{R"({"type":"broadcast","payload":1,"roomId":""})", "roomId"},
                        Case{R"({"type":"direct","payload":1})", "targetId"},
                        Case{R"({"type":"direct","targetId":3,"payload":1})", "targetId"},
                        Case{R"({"type":"direct","targetId":"s1"})", "payload"},
                        Case{R"({"type":"join_room"})", "roomId"}, Case{R"({"type":"leave_room","roomId":[]})", "roomId"},
                        Case{R"({"type":"resume","epoch":1})", "after"}, Case{R"({"type":"resume","after":-1,"epoch":1})", "after"},
                        // Found by tests/fuzz/client_frame_fuzz: 2^64 - 1 used to become after = -1.
                        Case{R"({"type":"resume","after":18446744073709551615,"epoch":1})", "after"},
                        Case{R"({"type":"resume","after":"3","epoch":1})", "after"},
                        Case{R"({"type":"resume","after":3})", "epoch"}, Case{R"({"type":"resume","after":3,"epoch":1.5})", "epoch"},
                        Case{R"({"type":"subscribe"})", "keys"}, Case{R"({"type":"subscribe","keys":["a",1]})", "keys"},
                        Case{R"({"type":"unsubscribe","keys":"a"})", "keys"},
                        Case{R"({"type":"pong","timestamp":"now"})", "timestamp"}}) {
    FrameError e = error_of(c.text);
    EXPECT_EQ(e.code, "bad_field") << c.text;
    EXPECT_NE(e.message.find(std::string("\"") + c.field + "\""), std::string::npos) << c.text << " -> " << e.message;
  }
}

TEST(ClientFrame, FrameTooLarge) {
  std::string big = R"({"type":"broadcast","payload":")" + std::string(100, 'x') + "\"}";
  EXPECT_EQ(error_of(big, 64).code, "frame_too_large");
  EXPECT_TRUE(std::holds_alternative<ClientFrame>(parse_client_frame(big, kAll, big.size())));
}

TEST(ServerFrames, MessageAckAndResumedShapes) {
  RoomMessage m;
  m.seq = 7;
  m.from = "s3";
  m.user_id = "u1";
  m.name = "Ada";
  m.id = "m9";
  m.payload = nlohmann::json::parse(R"({"z":1,"a":[true]})");
  m.timestamp_ms = 1000;
  auto j = nlohmann::json::parse(message_frame(m, 42));
  EXPECT_EQ(j["type"], "message");
  EXPECT_EQ(j["seq"], 7);
  EXPECT_EQ(j["epoch"], 42);
  EXPECT_EQ(j["from"], "s3");
  EXPECT_EQ(j["payload"].dump(), R"({"a":[true],"z":1})");  // canonical payload form
  EXPECT_FALSE(j.contains("roomId"));
  auto back = RoomMessage::from_json(m.to_json());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->to_json(), m.to_json());
  EXPECT_FALSE(RoomMessage::from_json(nlohmann::json::parse(R"({"userId":1})")).has_value());

  RoomMessage seedish = m;
  seedish.seq = -1;
  seedish.from.clear();
  auto s = nlohmann::json::parse(message_frame(seedish, std::nullopt));
  EXPECT_FALSE(s.contains("seq"));
  EXPECT_FALSE(s.contains("epoch"));
  EXPECT_FALSE(s.contains("from"));

  EXPECT_EQ(ack_frame("m9", 7, 42), R"({"epoch":42,"id":"m9","seq":7,"type":"ack"})");
  ResumeAnswer a;
  a.after = 3;
  a.epoch = 42;
  a.seq = 9;
  a.recovered = true;
  EXPECT_FALSE(nlohmann::json::parse(resumed_frame(a)).contains("missedFrom"));
  a.recovered = false;
  a.missed_from = 4;
  a.missed_to = 5;
  auto r = nlohmann::json::parse(resumed_frame(a));
  EXPECT_EQ(r["missedFrom"], 4);
  EXPECT_EQ(r["missedTo"], 5);
  EXPECT_EQ(nlohmann::json::parse(error_frame("bad_json", "x"))["code"], "bad_json");
}

TEST(ServerFrames, WelcomeOmitsWhatSeedRoomsDoNotTell) {
  auto full = nlohmann::json::parse(welcome_frame("s1", nullptr, 5, 9, nlohmann::json::array()));
  EXPECT_EQ(full["sessionId"], "s1");
  EXPECT_EQ(full["seq"], 5);
  auto seed = nlohmann::json::parse(welcome_frame(std::nullopt, nullptr, std::nullopt, std::nullopt, nlohmann::json::array()));
  EXPECT_FALSE(seed.contains("sessionId"));
  EXPECT_FALSE(seed.contains("seq"));
  EXPECT_FALSE(seed.contains("epoch"));
}

}  // namespace
}  // namespace roomsim::rooms::protocol
