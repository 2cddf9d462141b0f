// rooms/kinds/seed_room.hpp: the seed's ChatRoom (`seed-chat`) and
// PersistentWebSocketRoom (`seed-persistent`), ported with their flaws.
//
// Kept on purpose (docs/rooms.md, "Seed flaws", lists each with the property
// that should catch it):
// - History is loaded by an alarm scheduled for "now" in on_start instead of
//   before any other event: a client that joins first gets an empty history,
//   and a message that arrives first is saved over the stored history (the
//   whole room data is one storage value, "roomData").
// - No seq, no epoch, no ack, no resume: a reconnecting client cannot know
//   what it missed.
// - The session id used by `direct` is a random internal id that no frame
//   ever tells the client; `welcome` has no sessionId.
// - `join_room` is recorded but broadcast ignores membership: everyone gets
//   a message sent to a sub-room (the frame still names its roomId).
// - seed-chat rate limit: count per *session* in storage, checked with
//   `count > limit` (the 101st message passes), read in on_message but
//   written by a later handler (an immediate alarm), so messages arriving in
//   between all read the same stale count (lost updates).
// - External sync treats any HTTP answer, even 500, as success; failed
//   metric uploads are dropped with only a log line.
// - seed-persistent: bad input is only logged, the client gets no `error`.
#pragma once

#include <deque>
#include <map>
#include <string>

#include "rooms/api/room.hpp"
#include "rooms/common/admission.hpp"
#include "rooms/common/alarm_schedule.hpp"
#include "rooms/common/error_log.hpp"
#include "rooms/common/external_sync.hpp"
#include "rooms/common/metrics_buffer.hpp"
#include "rooms/common/room_config.hpp"
#include "rooms/common/roster.hpp"
#include "rooms/protocol/client_frame.hpp"
#include "rooms/protocol/server_frames.hpp"

namespace roomsim::rooms {

struct SeedRoomOptions {
  AuthMode auth = AuthMode::kRequired;
  bool echo_to_sender = true;   // ChatRoom sends to everyone; the other rooms to the others
  bool production = true;       // ChatRoom's practices: limits, rate limit, heartbeat, error frames, endpoints
  bool stores_history = true;   // false (WebSocketRoom): no storage, no history, no presence frames
};

class SeedRoom : public Room {
 public:
  SeedRoom(RoomConfig config, SeedRoomOptions options);

  // The config a room with these options runs with: without the ChatRoom's
  // production practices there are no connection limits and no heartbeat.
  static RoomConfig effective_config(RoomConfig config, const SeedRoomOptions& options);
  // What the seed system claimed for this room (the corrected room's
  // promises where the seed made the same claim): the flaws of docs/rooms.md
  // are broken promises the simulator must find, not promises withdrawn.
  // The rate limit is claimed per user (the seed counts per session: flaw 4);
  // a room without storage (WebSocketRoom) keeps no history and does not
  // promise durability.
  static RoomPromises promises(const RoomConfig& config, const SeedRoomOptions& options);

  void on_start(RoomContext& ctx) override;
  HttpResponse on_request(RoomContext& ctx, const HttpRequest& request) override;
  void on_message(RoomContext& ctx, SessionId session, std::string_view text) override;
  void on_close(RoomContext& ctx, SessionId session, int code, std::string_view reason) override;
  void on_alarm(RoomContext& ctx) override;
  void on_fetch_result(RoomContext& ctx, uint64_t request_id, const FetchResponse& response) override;

 private:
  void load(RoomContext& ctx);
  void save(RoomContext& ctx);
  nlohmann::json room_data(RoomContext& ctx) const;
  nlohmann::json history_json() const;
  void handle_broadcast(RoomContext& ctx, SessionId session, const protocol::ClientFrame& frame);
  void handle_direct(RoomContext& ctx, SessionId session, const protocol::ClientFrame& frame);
  // The seed's rate check; true when the message may pass.
  bool seed_rate_check(RoomContext& ctx, SessionId session);
  void report(RoomContext& ctx, SessionId session, std::string_view code, std::string_view message);
  void departed(RoomContext& ctx, SessionId session);

  RoomConfig config_;
  SeedRoomOptions options_;
  ErrorLog errors_;
  MetricsBuffer metrics_;
  ExternalSync sync_{/*seed_faithful=*/true};
  AlarmSchedule alarms_;
  std::deque<protocol::RoomMessage> messages_;
  Roster roster_;
  std::map<std::string, int64_t> pending_rate_writes_;  // "rate/<internal id>" -> value to write later
  int64_t created_ms_ = 0;
  bool loaded_ = false;
};

}  // namespace roomsim::rooms
