// tests/rooms/json_text_test.cpp: spliced frames are byte-identical to nlohmann::json::dump().
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rooms/common/session_tools.hpp"
#include "rooms/protocol/json_text.hpp"
#include "rooms/protocol/server_frames.hpp"
#include "tests/rooms/fake_room_context.hpp"

namespace roomsim::rooms::protocol {
namespace {

// Plain, escaped, control, non-ASCII and empty strings.
const std::vector<std::string> kStrings = {"",         "alice",       "a \"quoted\" name", "back\\slash",
                                           "tab\there", "nl\nx\r\b\f", std::string("nul\0x", 5), "\x01\x1f\x7f",
                                           "caf\xc3\xa9 \xe2\x82\xac", "s17"};

TEST(JsonText, StringsAreWrittenAsDumpWritesThem) {
  for (const std::string& s : kStrings) {
    std::string out;
    append_json_string(out, s);
    EXPECT_EQ(out, nlohmann::json(s).dump()) << s;
  }
}

TEST(JsonText, InvalidUtf8ThrowsLikeDump) {
  std::string out;
  EXPECT_THROW(append_json_string(out, "bad \xff byte"), nlohmann::json::type_error);
  EXPECT_THROW(nlohmann::json(std::string("bad \xff byte")).dump(), nlohmann::json::type_error);
}

TEST(JsonText, IntegersAreWrittenAsDumpWritesThem) {
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{42}, INT64_MIN, INT64_MAX}) {
    std::string out;
    append_json_int(out, v);
    EXPECT_EQ(out, nlohmann::json(v).dump());
  }
  std::string out;
  append_json_uint(out, UINT64_MAX);
  EXPECT_EQ(out, nlohmann::json(UINT64_MAX).dump());
}

nlohmann::json participants_json() {
  nlohmann::json out = nlohmann::json::array();
  for (size_t i = 0; i < kStrings.size(); ++i) {
    if (kStrings[i].find('\0') != std::string::npos) continue;
    out.push_back({{"userId", kStrings[i]}, {"name", kStrings[kStrings.size() - 1 - i]}, {"sessionId", "s" + std::to_string(i)}});
  }
  return out;
}

TEST(JsonText, SplicedFramesEqualTheJsonBuiltOnes) {
  const nlohmann::json participants = participants_json();
  const std::string text = participants.dump();
  for (bool with_optionals : {false, true}) {
    const std::optional<std::string_view> session = with_optionals ? std::optional<std::string_view>("s\"9") : std::nullopt;
    const std::optional<int64_t> seq = with_optionals ? std::optional<int64_t>(-7) : std::nullopt;
    const std::optional<uint64_t> epoch = with_optionals ? std::optional<uint64_t>(UINT64_MAX) : std::nullopt;
    for (const nlohmann::json& user : {nlohmann::json(nullptr), nlohmann::json{{"id", "u\\1"}, {"name", "N"}}}) {
      nlohmann::json w = {{"type", "welcome"}, {"user", user}, {"participants", participants}};
      if (session) w["sessionId"] = *session;
      if (seq) w["seq"] = *seq;
      if (epoch) w["epoch"] = *epoch;
      EXPECT_EQ(welcome_frame(session, user, seq, epoch, JsonText(text)), w.dump());
      w.erase("participants");
      EXPECT_EQ(welcome_frame(session, user, seq, epoch, std::optional<JsonText>()), w.dump());
      EXPECT_EQ(welcome_frame(session, user, seq, epoch, nlohmann::json(nullptr)), w.dump());
    }
    nlohmann::json h = {{"type", "history"}, {"messages", participants}};
    if (seq) h["seq"] = *seq;
    if (epoch) h["epoch"] = *epoch;
    EXPECT_EQ(history_frame(JsonText(text), seq, epoch), h.dump());
    EXPECT_EQ(history_frame(JsonText("[]"), seq, epoch), history_frame(nlohmann::json::array(), seq, epoch));
    for (const std::string& name : kStrings) {
      if (name.find('\0') != std::string::npos) continue;
      nlohmann::json p = {{"type", "user_left"}, {"userId", name + "-u"}, {"name", name}, {"participants", participants}};
      if (session) p["sessionId"] = *session;
      EXPECT_EQ(presence_frame("user_left", session, name + "-u", name, JsonText(text)), p.dump());
    }
  }
}

TEST(JsonText, MessageFrameFromStoredEqualsMessageFrame) {
  for (const std::string& user : kStrings) {
    if (user.find('\0') != std::string::npos) continue;
    for (int variant = 0; variant < 4; ++variant) {
      RoomMessage m;
      m.user_id = user;
      m.name = "n " + user;
      m.id = "c-" + std::to_string(variant);
      m.payload = {{"b", "xx"}, {"userId", "inner"}, {"m", m.id}};
      m.timestamp_ms = 1'700'000'000'123;
      if (variant & 1) m.seq = 42;
      if (variant & 2) {
        m.from = "s7";
        m.room_id = "team";
      }
      const std::string stored = m.to_json().dump();
      EXPECT_EQ(m.to_json_text(), stored);
      EXPECT_EQ(message_frame_from_stored(stored, m, 987654321), message_frame(m, 987654321)) << stored;
    }
  }
  RoomMessage m;
  m.user_id = "u";
  m.payload = 1;
  EXPECT_EQ(message_frame_from_stored("not the stored form", m, 5), message_frame(m, 5));  // falls back
}

TEST(JsonText, AckFrameEqualsTheJsonBuiltOne) {
  for (const std::string& id : kStrings) {
    for (int64_t seq : {int64_t{-1}, int64_t{0}, int64_t{123456}}) {
      const nlohmann::json j = {{"type", "ack"}, {"id", id}, {"seq", seq}, {"epoch", uint64_t{1812345678901234}}};
      EXPECT_EQ(ack_frame(id, seq, 1812345678901234), j.dump());
    }
  }
}

TEST(JsonText, ParticipantListTextIsTheDumpOfParticipantList) {
  testing::FakeRoomContext ctx("chat", "lobby", 1);
  EXPECT_EQ(participant_list_text(ctx, true), participant_list(ctx, true).dump());  // empty: "[]"
  ctx.set_in_request(true);
  for (size_t i = 0; i < kStrings.size(); ++i) {
    if (kStrings[i].find('\0') != std::string::npos) continue;
    SessionAttachment a;
    a.user_id = kStrings[i];
    a.name = kStrings[(i * 3) % kStrings.size()];
    ctx.accept_websocket(a);
  }
  ctx.set_in_request(false);
  ctx.client_closed(2);  // a gap in the session ids
  for (bool with_ids : {false, true}) {
    EXPECT_EQ(participant_list_text(ctx, with_ids), participant_list(ctx, with_ids).dump());
  }
}

}  // namespace
}  // namespace roomsim::rooms::protocol
