// rooms/kinds/dashboard_room.hpp: the seed's DataDashboard, corrected
// (`dashboard`) and faithful (`seed-dashboard`).
//
// Sessions subscribe to keys ("*" = all). While sessions are open, the alarm
// polls the host service "feed" (GET /data) every refresh_interval_ms; the
// answer is a JSON object key -> value. Keys whose value changed against the
// cache are sent as `data_update` to the sessions subscribed to them; only
// one poll is in flight at a time (a poll unanswered for 3 intervals is
// abandoned and replaced).
// Corrected: `subscribe` is answered at once with a `snapshot` of the
// subscribed keys; the cache is kept in storage ("data/<key>") and written
// before the updates are sent, so a restarted room still answers snapshots;
// bad input gets `error` frames; a valid token is required (presence and
// per-user limits need a proven user id); heartbeat, connection limits and presence
// (`user_joined` / `user_left`, participants in `welcome`) apply.
// Seed (flaws kept): a new subscriber sees nothing until a value changes, the
// cache lives in memory only, and bad input is only logged; no presence.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "rooms/api/room.hpp"
#include "rooms/common/alarm_schedule.hpp"
#include "rooms/common/room_config.hpp"
#include "rooms/common/roster.hpp"
#include "rooms/protocol/client_frame.hpp"

namespace roomsim::rooms {

class DashboardRoom : public Room {
 public:
  DashboardRoom(RoomConfig config, bool seed_faithful);

  // The config the room runs with: the seed's dashboard has no connection
  // limits and no heartbeat.
  static RoomConfig effective_config(RoomConfig config, bool seed_faithful);
  // Connection limits and max_frame_bytes of the effective config, the feed
  // polled every refresh_interval_ms, no message rate limit and no history;
  // a token only for the corrected kind. The seed's dashboard claims the
  // same convergence (its missing snapshot is flaw 8, not a withdrawn promise).
  static RoomPromises promises(const RoomConfig& config, bool seed_faithful);

  void on_start(RoomContext& ctx) override;
  HttpResponse on_request(RoomContext& ctx, const HttpRequest& request) override;
  void on_message(RoomContext& ctx, SessionId session, std::string_view text) override;
  void on_close(RoomContext& ctx, SessionId session, int code, std::string_view reason) override;
  void on_alarm(RoomContext& ctx) override;
  void on_fetch_result(RoomContext& ctx, uint64_t request_id, const FetchResponse& response) override;

 private:
  void poll(RoomContext& ctx);
  void apply(RoomContext& ctx, const nlohmann::json& data);
  void subscribe(RoomContext& ctx, SessionId session, const protocol::ClientFrame& frame);
  void report(RoomContext& ctx, SessionId session, std::string_view code, std::string_view message);

  RoomConfig config_;
  bool seed_faithful_;
  Roster roster_;
  AlarmSchedule alarms_;
  std::map<std::string, nlohmann::json> cache_;
  std::optional<uint64_t> poll_id_;
  RoomTime poll_started_{};
};

}  // namespace roomsim::rooms
