// rooms/common/error_log.hpp: the last N errors a room met, kept in storage.
//
// record() logs through RoomContext::log and stores {timestamp, code,
// message, session} under "errors/<n, 20 digits>", erasing the record N back,
// so the log stays bounded. max 0: log only.
#pragma once

#include <cstdint>
#include <string_view>

#include "rooms/api/room_context.hpp"

namespace roomsim::rooms {

class ErrorLog {
 public:
  explicit ErrorLog(int64_t max) : max_(max) {}
  void load(RoomContext& ctx);
  void record(RoomContext& ctx, std::string_view code, std::string_view message, std::string_view session);

 private:
  int64_t max_;
  int64_t next_ = 1;
};

}  // namespace roomsim::rooms
