// rooms/common/roster.hpp: who is in the room, as the room itself tracks it.
//
// Hosts do not call on_close for sessions the room closed itself, and a
// closed session's attachment is gone by the time on_close runs, so each room
// keeps its own roster: user id and name per session. The roster announces
// arrivals and departures (`user_joined` / `user_left` with the participant
// list) when presence is on, runs heartbeat rounds, and stops the heartbeat
// task once the room is empty.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "rooms/api/room_context.hpp"
#include "rooms/common/alarm_schedule.hpp"
#include "rooms/common/room_config.hpp"

namespace roomsim::rooms {

class Roster {
 public:
  static constexpr const char* kHeartbeatTask = "heartbeat";

  // with_session_ids: frames carry wire session ids (corrected rooms) or not (seed rooms).
  // presence: send user_joined / user_left at all.
  Roster(bool with_session_ids, bool presence) : with_session_ids_(with_session_ids), presence_(presence) {}

  // Records a just-accepted session, tells the others, and makes sure the heartbeat runs.
  void joined(RoomContext& ctx, SessionId session, AlarmSchedule& alarms, const RoomConfig& config);
  // Forgets a session (closed by its client or by the room) and tells the rest.
  // Returns false when the session was not in the roster.
  bool left(RoomContext& ctx, SessionId session, AlarmSchedule& alarms);
  // Runs the heartbeat task: pings, closes silent/expired sessions (1008), announces them, re-arms.
  void heartbeat(RoomContext& ctx, AlarmSchedule& alarms, const RoomConfig& config);
  size_t size() const { return members_.size(); }

 private:
  struct Member {
    std::string user_id;
    std::string name;
  };

  bool with_session_ids_;
  bool presence_;
  std::map<SessionId, Member> members_;
};

}  // namespace roomsim::rooms
