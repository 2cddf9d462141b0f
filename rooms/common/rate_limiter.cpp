// rooms/common/rate_limiter.cpp: see rate_limiter.hpp.
#include "rooms/common/rate_limiter.hpp"

#include <nlohmann/json.hpp>

namespace roomsim::rooms {
namespace {

void drop_old(std::deque<int64_t>& times, int64_t now_ms) {
  while (!times.empty() && times.front() <= now_ms - RateLimiter::kWindowMs) times.pop_front();
}

}  // namespace

bool RateLimiter::try_acquire(RoomContext& ctx, std::string_view key) {
  if (limit_ <= 0) return true;
  const int64_t now_ms = to_unix_ms(ctx.now());
  if (backing_ == Backing::kMemory) {
    auto it = memory_.find(key);
    if (it == memory_.end()) it = memory_.emplace(std::string(key), std::deque<int64_t>{}).first;
    drop_old(it->second, now_ms);
    if (static_cast<int64_t>(it->second.size()) >= limit_) return false;
    it->second.push_back(now_ms);
    return true;
  }
  const std::string storage_key = "rate/" + std::string(key);
  std::deque<int64_t> times;
  if (auto text = ctx.storage().get(storage_key)) {
    auto j = nlohmann::json::parse(*text, nullptr, false);
    if (j.is_array()) {
      for (const auto& t : j) {
        if (t.is_number_integer()) times.push_back(t.get<int64_t>());
      }
    } else {
      ctx.log(LogLevel::kError, "rate limiter: unreadable " + storage_key + ", starting a new window");
    }
  }
  drop_old(times, now_ms);
  if (static_cast<int64_t>(times.size()) >= limit_) return false;
  times.push_back(now_ms);
  ctx.storage().put(storage_key, nlohmann::json(times).dump(), RoomDuration(kWindowMs));
  return true;
}

}  // namespace roomsim::rooms
