// rooms/common/session_tools.cpp: see session_tools.hpp.
#include "rooms/common/session_tools.hpp"

#include <algorithm>

#include "rooms/common/planted_bug.hpp"
#include "rooms/common/probe_names.hpp"
#include "rooms/protocol/server_frames.hpp"

namespace roomsim::rooms {

nlohmann::json participant_list(RoomContext& ctx, bool with_session_ids) {
  nlohmann::json out = nlohmann::json::array();
  for (SessionId s : ctx.sessions()) {
    const SessionAttachment* a = ctx.attachment(s);
    if (a == nullptr) continue;
    nlohmann::json p = {{"userId", a->user_id}, {"name", a->name}};
    if (with_session_ids) p["sessionId"] = session_wire_id(s);
    out.push_back(std::move(p));
  }
  return out;
}

std::string participant_list_text(RoomContext& ctx, bool with_session_ids) {
  // Members in dump() order: name, sessionId, userId.
  std::string out = "[";
  for (SessionId s : ctx.sessions()) {
    const SessionAttachment* a = ctx.attachment(s);
    if (a == nullptr) continue;
    if (out.size() > 1) out += ',';
    out += '{';
    protocol::append_json_member(out, "name", a->name);
    out += ',';
    if (with_session_ids) {
      protocol::append_json_member(out, "sessionId", session_wire_id(s));
      out += ',';
    }
    protocol::append_json_member(out, "userId", a->user_id);
    out += '}';
  }
  out += ']';
  return out;
}

nlohmann::json user_object(const SessionAttachment& a) {
  if (a.user_id.empty()) return nullptr;
  return {{"id", a.user_id}, {"name", a.name}};
}

void send_to_all(RoomContext& ctx, std::string_view text, std::optional<SessionId> except) {
  std::vector<SessionId> to = ctx.sessions();
  if (except) to.erase(std::remove(to.begin(), to.end(), *except), to.end());
  ctx.send_many(to, text);
}

void touch(RoomContext& ctx, SessionId session) {
  if (SessionAttachment* a = ctx.attachment(session)) a->extra["lastSeenMs"] = to_unix_ms(ctx.now());
}

std::optional<SessionId> find_session(RoomContext& ctx, std::string_view wire_id) {
  for (SessionId s : ctx.sessions()) {
    if (session_wire_id(s) == wire_id) return s;
  }
  return std::nullopt;
}

protocol::RoomMessage message_from(RoomContext& ctx, SessionId session, const protocol::ClientFrame& frame) {
  const SessionAttachment* a = ctx.attachment(session);
  protocol::RoomMessage m;
  m.from = session_wire_id(session);
  m.user_id = a->user_id;
  m.name = a->name;
  m.id = frame.string_or_empty("id");
  m.payload = frame.body.at("payload");
  if (ROOMSIM_PLANTED(kPayloadLosesFirstField) && m.payload.is_object() && m.payload.size() > 1) {
    m.payload.erase(m.payload.begin());
  }
  m.timestamp_ms = to_unix_ms(ctx.now());
  m.room_id = frame.string_or_empty("roomId");
  return m;
}

std::vector<HeartbeatClose> heartbeat_round(RoomContext& ctx, const RoomConfig& config) {
  std::vector<HeartbeatClose> closed;
  const int64_t now_ms = to_unix_ms(ctx.now());
  const std::string ping = protocol::ping_frame(now_ms);
  for (SessionId s : ctx.sessions()) {
    SessionAttachment* a = ctx.attachment(s);
    if (a == nullptr) continue;
    const int64_t last_seen = a->extra.value("lastSeenMs", to_unix_ms(a->joined));
    std::string reason;
    if (config.heartbeat_interval_ms > 0 && now_ms - last_seen > 2 * config.heartbeat_interval_ms) {
      reason = "heartbeat timeout";
      ctx.probe(probe::kHeartbeatTimeout);
    } else if (config.session_timeout_ms > 0 && now_ms - to_unix_ms(a->joined) >= config.session_timeout_ms) {
      reason = "session expired";
      ctx.probe(probe::kSessionExpired);
    } else if (a->extra.contains("expMs") && a->extra["expMs"].get<int64_t>() <= now_ms) {
      reason = "token expired";
      ctx.probe(probe::kTokenExpiredClose);
    }
    if (reason.empty()) {
      ctx.send(s, ping);
      continue;
    }
    closed.push_back({s, reason});
    ctx.close(s, close_code::kPolicyViolation, reason);
  }
  return closed;
}

}  // namespace roomsim::rooms
