// rooms/common/alarm_schedule.cpp: see alarm_schedule.hpp.
#include "rooms/common/alarm_schedule.hpp"

#include <algorithm>

namespace roomsim::rooms {

void AlarmSchedule::schedule(RoomContext& ctx, std::string_view task, RoomTime at) {
  due_.insert_or_assign(std::string(task), at);
  arm(ctx);
}

void AlarmSchedule::ensure(RoomContext& ctx, std::string_view task, RoomTime at) {
  if (!scheduled(task)) schedule(ctx, task, at);
}

void AlarmSchedule::cancel(RoomContext& ctx, std::string_view task) {
  if (auto it = due_.find(task); it != due_.end()) {
    due_.erase(it);
    arm(ctx);
  }
}

std::vector<std::string> AlarmSchedule::take_due(RoomContext& ctx) {
  std::vector<std::pair<RoomTime, std::string>> due;
  for (auto it = due_.begin(); it != due_.end();) {
    if (it->second <= ctx.now()) {
      due.emplace_back(it->second, it->first);
      it = due_.erase(it);
    } else {
      ++it;
    }
  }
  std::sort(due.begin(), due.end());
  arm(ctx);
  std::vector<std::string> out;
  for (auto& [_, name] : due) out.push_back(std::move(name));
  return out;
}

void AlarmSchedule::arm(RoomContext& ctx) const {
  if (due_.empty()) {
    ctx.cancel_alarm();
    return;
  }
  RoomTime earliest = due_.begin()->second;
  for (const auto& [_, at] : due_) earliest = std::min(earliest, at);
  if (ctx.alarm() != earliest) ctx.set_alarm(earliest);
}

}  // namespace roomsim::rooms
