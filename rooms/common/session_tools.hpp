// rooms/common/session_tools.hpp: presence lists, fan-out and heartbeat, shared by the room kinds.
//
// All functions walk ctx.sessions() in accept order, so their output is
// deterministic. Heartbeat uses the attachment's extra.lastSeenMs (set by
// touch() on every client frame) and extra.expMs (token expiry).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "rooms/api/room_context.hpp"
#include "rooms/common/room_config.hpp"
#include "rooms/protocol/client_frame.hpp"
#include "rooms/protocol/server_frames.hpp"

namespace roomsim::rooms {

// [{sessionId, userId, name}, ...] in accept order; sessionId left out when !with_session_ids.
nlohmann::json participant_list(RoomContext& ctx, bool with_session_ids);
// participant_list(ctx, with_session_ids).dump(), written directly (one list per join goes into two frames).
std::string participant_list_text(RoomContext& ctx, bool with_session_ids);
// {"id","name"} of an authenticated or named session, null for an anonymous one.
nlohmann::json user_object(const SessionAttachment& a);
// Sends `text` to every open session except `except`.
void send_to_all(RoomContext& ctx, std::string_view text, std::optional<SessionId> except = std::nullopt);
// Records activity (any client frame counts as a pong).
void touch(RoomContext& ctx, SessionId session);
// The session with this wire id ("s17"), if open.
std::optional<SessionId> find_session(RoomContext& ctx, std::string_view wire_id);

// The message a broadcast/direct frame asks to send, stamped with its sender
// (wire id, user id, name), the client id, payload, roomId and ctx.now().
// REQUIRES: `session` is open and `frame` was validated.
protocol::RoomMessage message_from(RoomContext& ctx, SessionId session, const protocol::ClientFrame& frame);

struct HeartbeatClose {
  SessionId session;
  std::string reason;
};

// One heartbeat round: closes with 1008 every session silent for more than
// two intervals ("heartbeat timeout"), older than session_timeout_ms
// ("session expired") or whose token expired ("token expired"); pings the
// others. Returns the closed sessions in accept order.
std::vector<HeartbeatClose> heartbeat_round(RoomContext& ctx, const RoomConfig& config);

}  // namespace roomsim::rooms
