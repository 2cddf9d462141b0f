// rooms/common/rate_limiter.cpp: see rate_limiter.hpp.
#include "rooms/common/rate_limiter.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

#include "rooms/common/planted_bug.hpp"
#include "rooms/common/probe_names.hpp"
#include "rooms/protocol/json_text.hpp"

namespace roomsim::rooms {
namespace {

// The stored window "[t1,t2,...]" as nlohmann::json(times).dump() writes it.
std::string window_text(const std::deque<int64_t>& times) {
  std::string out = "[";
  for (int64_t t : times) {
    if (out.size() > 1) out += ',';
    protocol::append_json_int(out, t);
  }
  out += ']';
  return out;
}

// Reads a window written by window_text(): '[' ']' or '[' n (',' n)* ']' with
// n = '0' or an optional '-' and digits without a leading zero, each fitting
// int64. Returns false (nothing read) for any other text, which the caller
// then reads with nlohmann as before, so the result never differs.
bool read_window_fast(std::string_view text, std::deque<int64_t>& times) {
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') return false;
  const char* p = text.data() + 1;
  const char* const end = text.data() + text.size() - 1;
  std::deque<int64_t> out;
  while (p < end) {
    const char* digits = *p == '-' ? p + 1 : p;
    if (digits >= end || *digits < '0' || *digits > '9') return false;
    if (*digits == '0' && (digits + 1 < end && digits[1] != ',')) return false;  // leading zero
    if (*digits == '0' && digits != p) return false;                           // "-0": left to nlohmann
    int64_t v = 0;
    auto [next, ec] = std::from_chars(p, end, v);
    if (ec != std::errc()) return false;
    out.push_back(v);
    p = next;
    if (p == end) break;
    if (*p != ',' || p + 1 == end) return false;
    ++p;
  }
  times = std::move(out);
  return true;
}

void drop_old(std::deque<int64_t>& times, int64_t now_ms) {
  while (!times.empty() && times.front() <= now_ms - RateLimiter::kWindowMs) times.pop_front();
}

bool window_full(size_t accepted_in_window, int64_t limit) {
  const auto accepted = static_cast<int64_t>(accepted_in_window);
  if (ROOMSIM_PLANTED(kRateLimitOffByOne)) return accepted > limit;
  if (ROOMSIM_PLANTED(kRateLimitOneEarly)) return accepted + 1 >= limit;
  return accepted >= limit;
}

}  // namespace

bool RateLimiter::try_acquire(RoomContext& ctx, std::string_view key) {
  if (limit_ <= 0) return true;
  const int64_t now_ms = to_unix_ms(ctx.now());
  if (backing_ == Backing::kMemory) {
    auto it = memory_.find(key);
    if (it == memory_.end()) it = memory_.emplace(std::string(key), std::deque<int64_t>{}).first;
    drop_old(it->second, now_ms);
    if (window_full(it->second.size(), limit_)) {
      ctx.probe(probe::kRateLimited);
      return false;
    }
    it->second.push_back(now_ms);
    return true;
  }
  const std::string storage_key = "rate/" + std::string(key);
  std::deque<int64_t> times;
  if (auto text = ctx.storage().get(storage_key); text && !read_window_fast(*text, times)) {
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
  if (window_full(times.size(), limit_)) {
    ctx.probe(probe::kRateLimited);
    return false;
  }
  times.push_back(now_ms);
  ctx.storage().put(storage_key, window_text(times), RoomDuration(kWindowMs));
  return true;
}

}  // namespace roomsim::rooms
