// rooms/common/rate_limiter.hpp: at most N messages per key in any 60 s window.
//
// Sliding window: a message is admitted when fewer than `limit` admitted
// messages of the same key fall in (now - 60 s, now]. The check and the
// record happen in one call, inside one handler, so under the input gate they
// are atomic. kStorage keeps the admitted times in storage ("rate/<key>",
// JSON array of ms, TTL 60 s) so a restart does not reset a user's budget;
// kMemory keeps them in memory only (for rooms that must not write storage).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>

#include "rooms/api/room_context.hpp"

namespace roomsim::rooms {

class RateLimiter {
 public:
  enum class Backing { kStorage, kMemory };
  static constexpr int64_t kWindowMs = 60'000;

  // limit 0 disables the limiter.
  RateLimiter(int64_t limit, Backing backing) : limit_(limit), backing_(backing) {}

  // True (and recorded) when one more message from `key` fits.
  bool try_acquire(RoomContext& ctx, std::string_view key);

 private:
  int64_t limit_;
  Backing backing_;
  std::map<std::string, std::deque<int64_t>, std::less<>> memory_;
};

}  // namespace roomsim::rooms
