// rooms/kinds/sequenced_room.hpp: the corrected `chat` and `persistent` rooms.
//
// Guarantees (docs/rooms.md, docs/protocol.md):
// - Every room-level message gets the next seq of the room's epoch and is
//   written to storage in the same handler that broadcasts it and acks it, so
//   the host's output gate releases the frames only once it is durable.
// - Join: `welcome` (wire session id, seq, epoch, participants), then
//   `history` (last history_max, unless "?history=none"; with
//   "?after=<seq>&epoch=<epoch>" a `resumed` answer instead), then `user_joined`
//   to the others. Every departure (client close, heartbeat, timeout, frame
//   too large) sends `user_left` to the rest.
// - `resume {after, epoch}` answers `resumed`, recovered or with the exact
//   missing range.
// - Limits: max_connections / max_connections_per_user refused with 429; a
//   sliding 60 s rate limit per user kept in storage (atomic: one handler);
//   frames above max_frame_bytes: error + close 1009.
// - With durable = false (the `broadcast` kind) the same rules hold within
//   one instance, without storage: seq and history live in memory, a restart
//   draws a new epoch, and a resume across it is answered "recovered": false.
// - Sub-room (`roomId`) and `direct` traffic is not sequenced (seq -1 in the
//   ack): only room-wide broadcasts enter the total order and the history.
// - Bad input answers an `error` frame to the sender only; state is untouched.
#pragma once

#include <string>

#include "rooms/api/room.hpp"
#include "rooms/common/admission.hpp"
#include "rooms/common/alarm_schedule.hpp"
#include "rooms/common/error_log.hpp"
#include "rooms/common/external_sync.hpp"
#include "rooms/common/message_log.hpp"
#include "rooms/common/metrics_buffer.hpp"
#include "rooms/common/rate_limiter.hpp"
#include "rooms/common/room_config.hpp"
#include "rooms/common/roster.hpp"
#include "rooms/protocol/client_frame.hpp"

namespace roomsim::rooms {

struct SequencedRoomOptions {
  AuthMode auth = AuthMode::kRequired;
  bool echo_to_sender = true;     // chat: the sender also receives its message
  bool endpoints = true;          // GET /info and /history
  bool protect_endpoints = true;  // ... need a valid token
  bool durable = true;            // false (`broadcast`): nothing is written to storage, the epoch is per instance
  bool presence = true;           // user_joined / user_left frames (off for `broadcast`: O(n^2) at 1000 sessions)
};

class SequencedRoom : public Room {
 public:
  SequencedRoom(RoomConfig config, SequencedRoomOptions options);

  // What a room with these options promises under `config` (docs/rooms.md):
  // the config's limits, the rate limit counted per user id, history_max
  // messages kept, a token when auth is required; without storage
  // (`broadcast`) no durability across restarts.
  static RoomPromises promises(const RoomConfig& config, const SequencedRoomOptions& options);

  void on_start(RoomContext& ctx) override;
  HttpResponse on_request(RoomContext& ctx, const HttpRequest& request) override;
  void on_message(RoomContext& ctx, SessionId session, std::string_view text) override;
  void on_close(RoomContext& ctx, SessionId session, int code, std::string_view reason) override;
  void on_alarm(RoomContext& ctx) override;
  void on_fetch_result(RoomContext& ctx, uint64_t request_id, const FetchResponse& response) override;

 private:
  HttpResponse endpoint(RoomContext& ctx, const HttpRequest& request, const std::string& suffix);
  void handle_broadcast(RoomContext& ctx, SessionId session, const protocol::ClientFrame& frame);
  void handle_direct(RoomContext& ctx, SessionId session, const protocol::ClientFrame& frame);
  void handle_sub_room(RoomContext& ctx, SessionId session, const protocol::ClientFrame& frame);
  void reject(RoomContext& ctx, SessionId session, std::string_view code, std::string_view message);
  // May `session` send one more message of `action`? Sends the error frame when not.
  bool admit_message(RoomContext& ctx, SessionId session, std::string_view action);
  nlohmann::json room_data(RoomContext& ctx) const;

  RoomConfig config_;
  SequencedRoomOptions options_;
  MessageLog log_;
  RateLimiter rate_;
  ErrorLog errors_;
  MetricsBuffer metrics_;
  ExternalSync sync_{/*seed_faithful=*/false};
  AlarmSchedule alarms_;
  Roster roster_;
  int64_t started_ms_ = 0;
};

}  // namespace roomsim::rooms
