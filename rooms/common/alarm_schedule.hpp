// rooms/common/alarm_schedule.hpp: several timed tasks on the room's one alarm.
//
// A room has one alarm slot (RoomContext::set_alarm). AlarmSchedule keeps a
// due time per named task in memory and points the alarm at the earliest.
// Memory is lost on restart while the alarm is durable, so a room's on_alarm
// must tolerate firing with an empty schedule (take_due then returns nothing).
// Due tasks come out in due-time order, ties by name: deterministic.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rooms/api/room_context.hpp"

namespace roomsim::rooms {

class AlarmSchedule {
 public:
  // Sets (or moves) `task` to `at` and re-arms the alarm.
  void schedule(RoomContext& ctx, std::string_view task, RoomTime at);
  // Schedules `task` only if it is not scheduled yet.
  void ensure(RoomContext& ctx, std::string_view task, RoomTime at);
  void cancel(RoomContext& ctx, std::string_view task);
  bool scheduled(std::string_view task) const { return due_.count(std::string(task)) != 0; }
  // Removes and returns the tasks due at ctx.now(), then re-arms the alarm.
  std::vector<std::string> take_due(RoomContext& ctx);

 private:
  void arm(RoomContext& ctx) const;
  std::map<std::string, RoomTime, std::less<>> due_;
};

}  // namespace roomsim::rooms
