// live/sqlite_store.hpp: durable room storage for the live server (SQLite, WAL).
//
// One database file (<dir>/rooms.sqlite3) holds every room's keys and alarms.
// Commits are applied by one dedicated storage thread in submission order;
// every commit queued while a transaction runs joins the next one (group
// commit across rooms), so one fsync serves many handlers. A commit's `done`
// callback runs on the storage thread after the transaction is durable (or
// failed); callers post it back to their own executor.
//
// Failure rule (rooms/api/storage.hpp): when a commit of a room fails, every
// later queued commit of the same room generation fails too, so a room never
// has a later write applied without an earlier one.
//
// Thread-safety: submit(), load_*() and stop() may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

struct sqlite3;

namespace roomsim::live {

struct StoredValue {
  std::string value;
  std::optional<int64_t> expires_unix_ms;  // no value: never expires
};

struct CommitOp {
  std::string key;
  std::optional<std::string> value;  // no value: delete the key
  std::optional<int64_t> expires_unix_ms;
};

struct CommitBatch {
  std::string room;         // "kind/id"
  uint64_t generation = 0;  // the room instance's generation (bumped by every reset)
  std::vector<CommitOp> ops;
  bool alarm_changed = false;
  std::optional<int64_t> alarm_unix_ms;  // with alarm_changed: the new alarm, or none to delete it
  // Runs on the storage thread once the batch is durable (ok) or failed.
  std::function<void(bool ok, double latency_ms)> done;
};

class SqliteStore {
 public:
  struct Options {
    std::string dir = "./roomsim-data";
    std::string synchronous = "FULL";  // FULL | NORMAL | OFF
  };
  // Opens (creating the directory and schema) or returns a message naming the problem.
  static std::variant<std::unique_ptr<SqliteStore>, std::string> open(const Options& options);
  ~SqliteStore();
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // Queues a batch. After stop() the batch fails at once.
  void submit(CommitBatch batch);
  // Every durable, unexpired key of `room` (expired keys are skipped).
  std::map<std::string, StoredValue> load_room(const std::string& room, int64_t now_unix_ms);
  std::optional<int64_t> load_alarm(const std::string& room);
  // Every stored alarm: (room, at_unix_ms) in room order.
  std::vector<std::pair<std::string, int64_t>> load_alarms();
  // Applies everything queued, then joins the storage thread. Idempotent.
  void stop();
  size_t queued() const;
  uint64_t commits_done() const { return transactions_.load(); }
  // Test hook: the next `n` batches fail as if the disk refused them.
  void inject_commit_failures(int n) { injected_failures_.store(n); }
  // Test hook: while paused, queued batches wait (a stalled disk); resuming applies them.
  void pause_commits(bool paused);
  const std::string& path() const { return path_; }

 private:
  SqliteStore() = default;
  void run();
  bool apply(const CommitBatch& batch);  // inside an open transaction
  bool exec(sqlite3* db, const char* sql);

  std::string path_;
  sqlite3* writer_ = nullptr;
  sqlite3* reader_ = nullptr;
  std::mutex reader_mutex_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  struct Queued {
    CommitBatch batch;
    int64_t submitted_ns = 0;
  };
  std::deque<Queued> queue_;
  bool stopping_ = false;
  bool paused_ = false;
  std::map<std::string, uint64_t> poisoned_;  // room -> highest failed generation (storage thread only)
  std::atomic<int> injected_failures_{0};
  std::atomic<uint64_t> transactions_{0};
  std::thread thread_;
};

}  // namespace roomsim::live
