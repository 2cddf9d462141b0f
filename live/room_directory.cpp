// live/room_directory.cpp: see detail/room_directory.hpp.
#include "live/detail/room_directory.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "live/detail/room_host.hpp"
#include "live/detail/server_state.hpp"

namespace roomsim::live::detail {
namespace {

int64_t now_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

RoomDirectory::RoomDirectory(Server::Impl& server, asio::io_context& ioc) : server_(server), timer_(ioc) {}

RoomDirectory::~RoomDirectory() = default;

RoomDirectory::Lease RoomDirectory::acquire(const std::string& kind, const std::string& id) {
  if (!server_.registry.has(kind)) return {nullptr, Refusal::kUnknownKind};
  const std::string key = kind + "/" + id;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = rooms_.find(key);
  if (it == rooms_.end()) {
    if (rooms_.size() >= server_.options.max_rooms) {
      ask_idle_to_leave_locked();
      return {nullptr, Refusal::kFull};
    }
    auto config_it = server_.options.room_config.find(kind);
    nlohmann::json config = config_it == server_.options.room_config.end() ? nlohmann::json::object() : config_it->second;
    it = rooms_.emplace(key, Slot{std::make_shared<RoomHost>(server_, kind, id, std::move(config)), 0}).first;
    peak_since_trim_ = std::max(peak_since_trim_, rooms_.size());
    // The new instance loads the room's alarm from storage and arms it itself.
    if (auto wake = wake_of_.find(key); wake != wake_of_.end()) {
      wakes_.erase(wake->second);
      wake_of_.erase(wake);
    }
    publish_locked();
  }
  ++it->second.claims;
  return {it->second.host, Refusal::kNone};
}

void RoomDirectory::ask_idle_to_leave_locked() {
  // Up to kAskAtCapMax unclaimed hosts, taken in key order from where the last round stopped,
  // so repeated refusals walk the whole directory. A host with sessions or pending work
  // ignores the request; an idle one leaves now instead of at the end of its idle period.
  auto it = rooms_.upper_bound(ask_cursor_);
  size_t asked = 0;
  for (size_t seen = 0; seen < rooms_.size() && asked < kAskAtCapMax; ++seen, ++it) {
    if (it == rooms_.end()) it = rooms_.begin();
    ask_cursor_ = it->first;
    if (it->second.claims > 0) continue;
    ++asked;
    asio::post(it->second.host->strand(), [host = it->second.host] { host->leave_if_idle(); });
  }
}

void RoomDirectory::release_claim(const RoomHost& host) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = rooms_.find(host.key());
  if (it == rooms_.end() || it->second.host.get() != &host || it->second.claims <= 0) {
    std::fprintf(stderr, "roomsim serve: BUG: claim released on room %s that holds none\n", host.key().c_str());
    std::abort();
  }
  --it->second.claims;
}

bool RoomDirectory::remove_if_unclaimed(const RoomHost& host, std::optional<int64_t> alarm_unix_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = rooms_.find(host.key());
  if (it == rooms_.end() || it->second.host.get() != &host) {
    std::fprintf(stderr, "roomsim serve: BUG: room %s removed twice\n", host.key().c_str());
    std::abort();
  }
  if (it->second.claims > 0) return false;
  rooms_.erase(it);
  if (alarm_unix_ms) schedule_locked(host.key(), *alarm_unix_ms);
  publish_locked();
  if (peak_since_trim_ >= rooms_.size() + kTrimAfterEvictions) trim_memory_later_locked();
  return true;
}

void RoomDirectory::trim_memory_later_locked() {
  peak_since_trim_ = rooms_.size();
#if defined(__GLIBC__)
  // Posted: the evicted hosts are freed once their last handler returns. 10,000 rooms opened by
  // authenticated GETs of /info left RSS 71.8 MiB above its start after their eviction without
  // this, 8.7 MiB with it (scripts/live_room_flood.py --suffix /info --with-token).
  asio::post(timer_.get_executor(), [] { ::malloc_trim(0); });
#endif
}

void RoomDirectory::wake_at(const std::string& key, int64_t at_unix_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (rooms_.count(key) != 0) return;  // live: its instance holds the alarm
  schedule_locked(key, at_unix_ms);
}

void RoomDirectory::schedule_locked(const std::string& key, int64_t at_unix_ms) {
  if (auto old = wake_of_.find(key); old != wake_of_.end()) {
    wakes_.erase(old->second);
    wake_of_.erase(old);
  }
  wake_of_[key] = wakes_.emplace(at_unix_ms, key);
  arm_timer_locked();
}

void RoomDirectory::arm_timer_locked() {
  if (wakes_.empty()) return;
  const int64_t first = wakes_.begin()->first;
  if (timer_at_ms_ >= 0 && timer_at_ms_ <= first) return;  // armed for this or an earlier time
  timer_at_ms_ = first;
  timer_.expires_at(std::chrono::system_clock::time_point(std::chrono::milliseconds(first)));
  timer_.async_wait([this](const error_code& ec) {
    if (ec) return;  // re-armed earlier, or shutting down
    on_timer();
  });
}

void RoomDirectory::on_timer() {
  std::vector<std::string> due;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    timer_at_ms_ = -1;
    const int64_t now = now_unix_ms();
    while (!wakes_.empty() && wakes_.begin()->first <= now) {
      due.push_back(wakes_.begin()->second);
      wake_of_.erase(wakes_.begin()->second);
      wakes_.erase(wakes_.begin());
    }
    arm_timer_locked();
  }
  for (const std::string& key : due) {
    const size_t slash = key.find('/');
    Lease lease = acquire(key.substr(0, slash), slash == std::string::npos ? "" : key.substr(slash + 1));
    if (lease.refusal == Refusal::kUnknownKind) {
      server_.log("stored alarm of room " + key + " ignored: unknown room kind");
      continue;
    }
    if (lease.refusal == Refusal::kFull) {
      server_.metrics.alarm_wakes_deferred.fetch_add(1, std::memory_order_relaxed);
      std::lock_guard<std::mutex> lock(mutex_);
      if (rooms_.count(key) == 0) schedule_locked(key, now_unix_ms() + kAlarmRetryMs);
      continue;
    }
    asio::post(lease.host->strand(), [host = lease.host] { host->wake_for_alarm(); });
  }
}

void RoomDirectory::publish_locked() {
  server_.metrics.rooms_active.store(static_cast<int64_t>(rooms_.size()), std::memory_order_relaxed);
}

std::vector<std::shared_ptr<RoomHost>> RoomDirectory::hosts() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::shared_ptr<RoomHost>> out;
  out.reserve(rooms_.size());
  for (auto& [key, slot] : rooms_) out.push_back(slot.host);
  return out;
}

size_t RoomDirectory::size() {
  std::lock_guard<std::mutex> lock(mutex_);
  return rooms_.size();
}

size_t RoomDirectory::pending_wakes() {
  std::lock_guard<std::mutex> lock(mutex_);
  return wakes_.size();
}

void RoomDirectory::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  rooms_.clear();
  wakes_.clear();
  wake_of_.clear();
  timer_.cancel();
  timer_at_ms_ = -1;
  publish_locked();
}

}  // namespace roomsim::live::detail
