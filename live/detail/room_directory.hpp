// live/detail/room_directory.hpp: which room instances a live server holds,
// and the directory half of their lifecycle (Durable Object style).
//
// One host per room key "kind/id" at a time. A host is created by the first
// request (or a due alarm) for its key, unless `max_rooms` hosts are live: then
// the caller answers 503, and the directory asks up to kAskAtCapMax unclaimed
// hosts to leave at once if they are idle (no sessions, no pending work), so
// instances kept only by past requests (a stranger's GETs) do not hold the cap
// for their whole idle period; a retry finds room. A host leaves the directory only through
// remove_if_unclaimed, called by the host itself on its strand once it has no
// sessions and no pending work (RoomHost's lifecycle section decides when);
// requests already routed to a host hold a claim on it, so no request ever
// reaches a host that left. A room that leaves with a durable alarm is woken
// by this directory when the alarm is due: a new host is created then (or
// retried every kAlarmRetryMs while the directory is full), and it loads the
// alarm from storage and fires it. Stored alarms found at start-up are woken
// the same way, so start-up does not load every room that has one.
// Thread-safe; every member may be called from any thread.
// Internal to live/*.cpp.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "live/detail/asio.hpp"
#include "live/server.hpp"

namespace roomsim::live::detail {

class RoomHost;

class RoomDirectory {
 public:
  static constexpr int64_t kAlarmRetryMs = 1000;
  static constexpr size_t kTrimAfterEvictions = 1024;
  static constexpr size_t kAskAtCapMax = 16;  // idle hosts asked to leave per refusal at the cap

  enum class Refusal { kNone, kUnknownKind, kFull };
  struct Lease {
    std::shared_ptr<RoomHost> host;  // set when refusal is kNone; carries one claim
    Refusal refusal = Refusal::kNone;
  };

  // `server` must outlive the directory; alarm wake-ups run on `ioc`.
  RoomDirectory(Server::Impl& server, asio::io_context& ioc);
  ~RoomDirectory();
  RoomDirectory(const RoomDirectory&) = delete;
  RoomDirectory& operator=(const RoomDirectory&) = delete;

  // The host of kind/id, created when absent. A returned host carries one
  // claim: the caller must post exactly one task to the host's strand that
  // calls release_claim (RoomHost::handle_http and RoomHost::wake_for_alarm do).
  Lease acquire(const std::string& kind, const std::string& id);
  // On `host`'s strand: gives back the claim of one acquire.
  void release_claim(const RoomHost& host);
  // On `host`'s strand: removes `host` unless a claim on it is outstanding.
  // `alarm_unix_ms` (when set): the room's durable alarm, woken when due.
  // True: removed; the host must drop its instance and take no new work.
  bool remove_if_unclaimed(const RoomHost& host, std::optional<int64_t> alarm_unix_ms);
  // Wakes room `key` ("kind/id") at `at_unix_ms` unless a host for it is live then.
  void wake_at(const std::string& key, int64_t at_unix_ms);

  // Live hosts now (shutdown uses it to close their sessions).
  std::vector<std::shared_ptr<RoomHost>> hosts();
  size_t size();
  size_t pending_wakes();
  // Drops every host and wake-up (after the io threads stopped).
  void clear();

 private:
  struct Slot {
    std::shared_ptr<RoomHost> host;
    int claims = 0;
  };
  void schedule_locked(const std::string& key, int64_t at_unix_ms);
  void arm_timer_locked();
  void on_timer();
  void publish_locked();
  void trim_memory_later_locked();  // after a large drop from the peak: return free pages to the OS
  void ask_idle_to_leave_locked();  // at the cap: idle unclaimed hosts leave now (RoomHost::leave_if_idle)

  Server::Impl& server_;
  std::mutex mutex_;
  std::map<std::string, Slot> rooms_;                      // "kind/id" -> live host
  std::multimap<int64_t, std::string> wakes_;              // due time (Unix ms) -> room key
  std::map<std::string, std::multimap<int64_t, std::string>::iterator> wake_of_;  // room key -> its entry
  asio::system_timer timer_;
  int64_t timer_at_ms_ = -1;  // when the timer is armed for; -1: not armed
  size_t peak_since_trim_ = 0;  // most live rooms since the last trim
  std::string ask_cursor_;      // the last key ask_idle_to_leave_locked visited
};

}  // namespace roomsim::live::detail
