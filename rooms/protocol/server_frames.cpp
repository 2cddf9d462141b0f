// rooms/protocol/server_frames.cpp: see server_frames.hpp.
#include "rooms/protocol/server_frames.hpp"

namespace roomsim::rooms::protocol {

nlohmann::json RoomMessage::to_json() const {
  nlohmann::json j = {{"userId", user_id}, {"name", name},          {"id", id},
                      {"payload", payload}, {"timestamp", timestamp_ms}};
  if (seq >= 0) j["seq"] = seq;
  if (!from.empty()) j["from"] = from;
  if (!room_id.empty()) j["roomId"] = room_id;
  return j;
}

std::string RoomMessage::to_json_text() const {
  std::string out = "{";
  if (!from.empty()) {
    append_json_member(out, "from", from);
    out += ',';
  }
  append_json_member(out, "id", id);
  out += ',';
  append_json_member(out, "name", name);
  out += ',';
  append_json_key(out, "payload");
  out += payload.dump();
  out += ',';
  if (!room_id.empty()) {
    append_json_member(out, "roomId", room_id);
    out += ',';
  }
  if (seq >= 0) {
    append_json_key(out, "seq");
    append_json_int(out, seq);
    out += ',';
  }
  append_json_key(out, "timestamp");
  append_json_int(out, timestamp_ms);
  out += ',';
  append_json_member(out, "userId", user_id);
  out += '}';
  return out;
}

std::optional<RoomMessage> RoomMessage::from_json(const nlohmann::json& j) {
  if (!j.is_object()) return std::nullopt;
  RoomMessage m;
  auto str = [&](const char* key, std::string& out, bool required) {
    auto it = j.find(key);
    if (it == j.end()) return !required;
    if (!it->is_string()) return false;
    out = it->get<std::string>();
    return true;
  };
  if (!str("userId", m.user_id, true) || !str("name", m.name, true) || !str("id", m.id, true)) return std::nullopt;
  if (!str("from", m.from, false) || !str("roomId", m.room_id, false)) return std::nullopt;
  auto ts = j.find("timestamp");
  if (ts == j.end() || !ts->is_number_integer()) return std::nullopt;
  m.timestamp_ms = ts->get<int64_t>();
  auto payload = j.find("payload");
  if (payload == j.end()) return std::nullopt;
  m.payload = *payload;
  auto seq = j.find("seq");
  if (seq != j.end()) {
    if (!seq->is_number_integer()) return std::nullopt;
    m.seq = seq->get<int64_t>();
  }
  return m;
}

nlohmann::json message_object(const RoomMessage& m, std::optional<uint64_t> epoch) {
  nlohmann::json j = m.to_json();
  j["type"] = "message";
  if (epoch) j["epoch"] = *epoch;
  return j;
}

std::string message_frame(const RoomMessage& m, std::optional<uint64_t> epoch) {
  return message_object(m, epoch).dump();
}

std::string message_frame_from_stored(std::string_view stored, const RoomMessage& m, uint64_t epoch) {
  // message_object() adds "epoch" (first in key order) and "type" (just before
  // "userId", the last member to_json() writes) to the stored object.
  std::string user_member = "\"userId\":";
  append_json_string(user_member, m.user_id);
  user_member += '}';
  const bool shaped = stored.size() > user_member.size() + 1 && stored.front() == '{' &&
                      stored.substr(stored.size() - user_member.size()) == user_member &&
                      (stored.size() == user_member.size() + 1 || stored[stored.size() - user_member.size() - 1] == ',');
  if (!shaped) return message_frame(m, epoch);
  const std::string_view head = stored.substr(1, stored.size() - user_member.size() - 1);  // members before userId, with ','
  std::string out = "{";
  append_json_key(out, "epoch");
  append_json_uint(out, epoch);
  out += ',';
  out += head;
  out += R"("type":"message",)";
  out += user_member;
  return out;
}

std::string welcome_frame(std::optional<std::string_view> session_id, const nlohmann::json& user,
                          std::optional<int64_t> seq, std::optional<uint64_t> epoch,
                          const nlohmann::json& participants) {
  if (participants.is_null()) return welcome_frame(session_id, user, seq, epoch, std::optional<JsonText>());
  const std::string text = participants.dump();
  return welcome_frame(session_id, user, seq, epoch, JsonText(text));
}

std::string welcome_frame(std::optional<std::string_view> session_id, const nlohmann::json& user,
                          std::optional<int64_t> seq, std::optional<uint64_t> epoch,
                          std::optional<JsonText> participants) {
  // Members in dump() order: epoch, participants, seq, sessionId, type, user.
  std::string out = "{";
  if (epoch) {
    append_json_key(out, "epoch");
    append_json_uint(out, *epoch);
    out += ',';
  }
  if (participants) {
    append_json_key(out, "participants");
    out += participants->text;
    out += ',';
  }
  if (seq) {
    append_json_key(out, "seq");
    append_json_int(out, *seq);
    out += ',';
  }
  if (session_id) {
    append_json_member(out, "sessionId", *session_id);
    out += ',';
  }
  out += R"("type":"welcome","user":)";
  out += user.dump();
  out += '}';
  return out;
}

std::string history_frame(nlohmann::json messages, std::optional<int64_t> seq, std::optional<uint64_t> epoch) {
  const std::string text = messages.dump();
  return history_frame(JsonText(text), seq, epoch);
}

std::string history_frame(JsonText messages, std::optional<int64_t> seq, std::optional<uint64_t> epoch) {
  // Members in dump() order: epoch, messages, seq, type.
  std::string out = "{";
  if (epoch) {
    append_json_key(out, "epoch");
    append_json_uint(out, *epoch);
    out += ',';
  }
  append_json_key(out, "messages");
  out += messages.text;
  out += ',';
  if (seq) {
    append_json_key(out, "seq");
    append_json_int(out, *seq);
    out += ',';
  }
  out += R"("type":"history"})";
  return out;
}

std::string direct_frame(const RoomMessage& m) {
  nlohmann::json j = {{"type", "direct"},     {"userId", m.user_id},         {"name", m.name},
                      {"id", m.id},           {"payload", m.payload},        {"timestamp", m.timestamp_ms}};
  if (!m.from.empty()) j["from"] = m.from;
  return j.dump();
}

std::string ack_frame(std::string_view id, int64_t seq, uint64_t epoch) {
  // One per client message: written directly, members in dump() order (epoch, id, seq, type).
  std::string out = "{";
  append_json_key(out, "epoch");
  append_json_uint(out, epoch);
  out += ',';
  append_json_member(out, "id", id);
  out += ',';
  append_json_key(out, "seq");
  append_json_int(out, seq);
  out += R"(,"type":"ack"})";
  return out;
}

std::string resumed_frame(const ResumeAnswer& a) {
  nlohmann::json j = {{"type", "resumed"},         {"after", a.after}, {"epoch", a.epoch}, {"seq", a.seq},
                      {"recovered", a.recovered}, {"messages", a.messages}};
  if (!a.recovered) {
    j["missedFrom"] = a.missed_from;
    j["missedTo"] = a.missed_to;
    if (a.missed_epoch) j["missedEpoch"] = *a.missed_epoch;
  }
  return j.dump();
}

std::string presence_frame(std::string_view type, std::optional<std::string_view> session_id,
                           std::string_view user_id, std::string_view name, const nlohmann::json& participants) {
  const std::string text = participants.dump();
  return presence_frame(type, session_id, user_id, name, JsonText(text));
}

std::string presence_frame(std::string_view type, std::optional<std::string_view> session_id,
                           std::string_view user_id, std::string_view name, JsonText participants) {
  // Members in dump() order: name, participants, sessionId, type, userId.
  std::string out = "{";
  append_json_member(out, "name", name);
  out += ',';
  append_json_key(out, "participants");
  out += participants.text;
  out += ',';
  if (session_id) {
    append_json_member(out, "sessionId", *session_id);
    out += ',';
  }
  append_json_member(out, "type", type);
  out += ',';
  append_json_member(out, "userId", user_id);
  out += '}';
  return out;
}

std::string sub_room_frame(std::string_view type, std::string_view room_id) {
  return nlohmann::json{{"type", type}, {"roomId", room_id}}.dump();
}

std::string snapshot_frame(const nlohmann::json& data, int64_t timestamp_ms) {
  return nlohmann::json{{"type", "snapshot"}, {"data", data}, {"timestamp", timestamp_ms}}.dump();
}

std::string data_update_frame(std::string_view key, const nlohmann::json& value, int64_t timestamp_ms) {
  return nlohmann::json{{"type", "data_update"}, {"key", key}, {"value", value}, {"timestamp", timestamp_ms}}.dump();
}

std::string ping_frame(int64_t timestamp_ms) {
  return nlohmann::json{{"type", "ping"}, {"timestamp", timestamp_ms}}.dump();
}

std::string sync_complete_frame(int64_t timestamp_ms) {
  return nlohmann::json{{"type", "sync_complete"}, {"timestamp", timestamp_ms}}.dump();
}

std::string sync_error_frame(int64_t timestamp_ms, std::string_view error) {
  return nlohmann::json{{"type", "sync_error"}, {"timestamp", timestamp_ms}, {"error", error}}.dump();
}

std::string error_frame(std::string_view code, std::string_view message) {
  return nlohmann::json{{"type", "error"}, {"code", code}, {"message", message}}.dump();
}

}  // namespace roomsim::rooms::protocol
