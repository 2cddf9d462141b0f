// rooms/common/roster.cpp: see roster.hpp.
#include "rooms/common/roster.hpp"

#include "rooms/common/planted_bug.hpp"
#include "rooms/common/session_tools.hpp"
#include "rooms/protocol/server_frames.hpp"

namespace roomsim::rooms {

void Roster::joined(RoomContext& ctx, SessionId session, AlarmSchedule& alarms, const RoomConfig& config) {
  const SessionAttachment* a = ctx.attachment(session);
  if (a == nullptr) return;
  members_[session] = {a->user_id, a->name};
  if (presence_) {
    const std::string id = session_wire_id(session);
    send_to_all(ctx,
                protocol::presence_frame("user_joined", with_session_ids_ ? std::optional<std::string_view>(id) : std::nullopt,
                                         a->user_id, a->name,
                                         protocol::JsonText(participant_list_text(ctx, with_session_ids_))),
                session);
  }
  if (config.heartbeat_interval_ms > 0) {
    alarms.ensure(ctx, kHeartbeatTask, ctx.now() + RoomDuration(config.heartbeat_interval_ms));
  }
}

bool Roster::left(RoomContext& ctx, SessionId session, AlarmSchedule& alarms) {
  auto it = members_.find(session);
  if (it == members_.end()) return false;
  const Member m = it->second;
  members_.erase(it);
  if (presence_ && !ROOMSIM_PLANTED(kPresenceLeaveNotAnnounced)) {
    const std::string id = session_wire_id(session);
    send_to_all(ctx, protocol::presence_frame("user_left",
                                              with_session_ids_ ? std::optional<std::string_view>(id) : std::nullopt,
                                              m.user_id, m.name,
                                              protocol::JsonText(participant_list_text(ctx, with_session_ids_))));
  }
  if (ctx.sessions().empty()) alarms.cancel(ctx, kHeartbeatTask);
  return true;
}

void Roster::heartbeat(RoomContext& ctx, AlarmSchedule& alarms, const RoomConfig& config) {
  for (const HeartbeatClose& c : heartbeat_round(ctx, config)) {
    ctx.metric("heartbeat_closed", 1);
    left(ctx, c.session, alarms);
  }
  if (!ctx.sessions().empty() && config.heartbeat_interval_ms > 0) {
    alarms.schedule(ctx, kHeartbeatTask, ctx.now() + RoomDuration(config.heartbeat_interval_ms));
  }
}

}  // namespace roomsim::rooms
