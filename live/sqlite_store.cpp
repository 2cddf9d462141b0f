// live/sqlite_store.cpp: see sqlite_store.hpp.
#include "live/sqlite_store.hpp"

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

namespace roomsim::live {
namespace {

int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS kv (room TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,"
    " expires_ms INTEGER, PRIMARY KEY (room, key)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS alarms (room TEXT PRIMARY KEY, at_ms INTEGER NOT NULL) WITHOUT ROWID;";

// A prepared statement that finalizes itself.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  sqlite3_stmt* get() const { return stmt_; }
  bool ok() const { return stmt_ != nullptr; }
  void text(int i, const std::string& s) { sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC); }
  void blob(int i, const std::string& s) { sqlite3_bind_blob(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC); }
  void integer(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void null(int i) { sqlite3_bind_null(stmt_, i); }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

std::string column_string(sqlite3_stmt* s, int i) {
  const void* p = sqlite3_column_blob(s, i);
  const int n = sqlite3_column_bytes(s, i);
  return p == nullptr ? std::string() : std::string(static_cast<const char*>(p), static_cast<size_t>(n));
}

}  // namespace

std::variant<std::unique_ptr<SqliteStore>, std::string> SqliteStore::open(const Options& options) {
  if (options.synchronous != "FULL" && options.synchronous != "NORMAL" && options.synchronous != "OFF") {
    return "--synchronous must be FULL, NORMAL or OFF (got \"" + options.synchronous + "\")";
  }
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec) return "cannot create data directory " + options.dir + ": " + ec.message();
  std::unique_ptr<SqliteStore> store(new SqliteStore());
  store->path_ = (std::filesystem::path(options.dir) / "rooms.sqlite3").string();
  for (sqlite3** db : {&store->writer_, &store->reader_}) {
    if (sqlite3_open_v2(store->path_.c_str(), db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
      return "cannot open " + store->path_ + ": " + (*db ? sqlite3_errmsg(*db) : "out of memory");
    }
    sqlite3_busy_timeout(*db, 10000);
  }
  const std::string pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=" + options.synchronous + ";";
  if (!store->exec(store->writer_, pragmas.c_str()) || !store->exec(store->writer_, kSchema)) {
    return "cannot initialise " + store->path_ + ": " + sqlite3_errmsg(store->writer_);
  }
  store->thread_ = std::thread([s = store.get()] { s->run(); });
  return store;
}

SqliteStore::~SqliteStore() {
  stop();
  sqlite3_close(writer_);
  sqlite3_close(reader_);
}

bool SqliteStore::exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::fprintf(stderr, "roomsim serve: sqlite: %s (%s)\n", err ? err : sqlite3_errstr(rc), sql);
    sqlite3_free(err);
    return false;
  }
  return true;
}

void SqliteStore::submit(CommitBatch batch) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!stopping_) {
      queue_.push_back(Queued{std::move(batch), steady_ns()});
      cv_.notify_one();
      return;
    }
  }
  if (batch.done) batch.done(false, 0.0);
}

size_t SqliteStore::queued() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_.size();
}

void SqliteStore::pause_commits(bool paused) {
  std::lock_guard<std::mutex> lock(mutex_);
  paused_ = paused;
  cv_.notify_one();
}

void SqliteStore::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    cv_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

bool SqliteStore::apply(const CommitBatch& batch) {
  for (const CommitOp& op : batch.ops) {
    if (op.value) {
      Stmt s(writer_, "INSERT OR REPLACE INTO kv (room, key, value, expires_ms) VALUES (?1, ?2, ?3, ?4)");
      if (!s.ok()) return false;
      s.text(1, batch.room);
      s.text(2, op.key);
      s.blob(3, *op.value);
      if (op.expires_unix_ms) s.integer(4, *op.expires_unix_ms); else s.null(4);
      if (sqlite3_step(s.get()) != SQLITE_DONE) return false;
    } else {
      Stmt s(writer_, "DELETE FROM kv WHERE room = ?1 AND key = ?2");
      if (!s.ok()) return false;
      s.text(1, batch.room);
      s.text(2, op.key);
      if (sqlite3_step(s.get()) != SQLITE_DONE) return false;
    }
  }
  if (batch.alarm_changed) {
    if (batch.alarm_unix_ms) {
      Stmt s(writer_, "INSERT OR REPLACE INTO alarms (room, at_ms) VALUES (?1, ?2)");
      if (!s.ok()) return false;
      s.text(1, batch.room);
      s.integer(2, *batch.alarm_unix_ms);
      if (sqlite3_step(s.get()) != SQLITE_DONE) return false;
    } else {
      Stmt s(writer_, "DELETE FROM alarms WHERE room = ?1");
      if (!s.ok()) return false;
      s.text(1, batch.room);
      if (sqlite3_step(s.get()) != SQLITE_DONE) return false;
    }
  }
  return true;
}

void SqliteStore::run() {
  for (;;) {
    std::deque<Queued> group;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [&] { return stopping_ || (!queue_.empty() && !paused_); });
      if (queue_.empty()) return;  // stopping and drained
      group.swap(queue_);
    }
    // Decide which batches may run: poisoned generations and injected failures fail at once.
    std::vector<bool> ok(group.size(), true);
    std::vector<size_t> runnable;
    for (size_t i = 0; i < group.size(); ++i) {
      const CommitBatch& b = group[i].batch;
      auto it = poisoned_.find(b.room);
      if (it != poisoned_.end() && b.generation <= it->second) {
        ok[i] = false;
        continue;
      }
      int n = injected_failures_.load();
      while (n > 0 && !injected_failures_.compare_exchange_weak(n, n - 1)) {
      }
      if (n > 0) {
        ok[i] = false;
        poisoned_[b.room] = std::max(poisoned_[b.room], b.generation);
        continue;
      }
      runnable.push_back(i);
    }
    // A batch after a failed one of the same room and generation fails too.
    auto poisoned_now = [&](const CommitBatch& b) {
      auto it = poisoned_.find(b.room);
      return it != poisoned_.end() && b.generation <= it->second;
    };
    bool group_ok = false;
    if (!runnable.empty() && exec(writer_, "BEGIN IMMEDIATE")) {
      group_ok = true;
      for (size_t i : runnable) {
        if (poisoned_now(group[i].batch) || !apply(group[i].batch)) {
          group_ok = false;
          break;
        }
      }
      if (group_ok) {
        group_ok = exec(writer_, "COMMIT");
      }
      if (!group_ok) exec(writer_, "ROLLBACK");
    }
    if (!group_ok) {
      // Retry one batch per transaction so only the failing ones fail.
      for (size_t i : runnable) {
        const CommitBatch& b = group[i].batch;
        bool one_ok = !poisoned_now(b) && exec(writer_, "BEGIN IMMEDIATE");
        if (one_ok) {
          one_ok = apply(b) && exec(writer_, "COMMIT");
          if (!one_ok) exec(writer_, "ROLLBACK");
        }
        if (!one_ok) {
          ok[i] = false;
          poisoned_[b.room] = std::max(poisoned_[b.room], b.generation);
        }
      }
    }
    transactions_.fetch_add(1);
    const int64_t now = steady_ns();
    for (size_t i = 0; i < group.size(); ++i) {
      if (group[i].batch.done) group[i].batch.done(ok[i], static_cast<double>(now - group[i].submitted_ns) / 1e6);
    }
  }
}

std::map<std::string, StoredValue> SqliteStore::load_room(const std::string& room, int64_t now_unix_ms) {
  std::lock_guard<std::mutex> lock(reader_mutex_);
  std::map<std::string, StoredValue> out;
  Stmt s(reader_, "SELECT key, value, expires_ms FROM kv WHERE room = ?1 ORDER BY key");
  if (!s.ok()) return out;
  s.text(1, room);
  while (sqlite3_step(s.get()) == SQLITE_ROW) {
    StoredValue v;
    v.value = column_string(s.get(), 1);
    if (sqlite3_column_type(s.get(), 2) != SQLITE_NULL) {
      v.expires_unix_ms = sqlite3_column_int64(s.get(), 2);
      if (*v.expires_unix_ms <= now_unix_ms) continue;
    }
    out.emplace(column_string(s.get(), 0), std::move(v));
  }
  return out;
}

std::optional<int64_t> SqliteStore::load_alarm(const std::string& room) {
  std::lock_guard<std::mutex> lock(reader_mutex_);
  Stmt s(reader_, "SELECT at_ms FROM alarms WHERE room = ?1");
  if (!s.ok()) return std::nullopt;
  s.text(1, room);
  if (sqlite3_step(s.get()) == SQLITE_ROW) return sqlite3_column_int64(s.get(), 0);
  return std::nullopt;
}

std::vector<std::pair<std::string, int64_t>> SqliteStore::load_alarms() {
  std::lock_guard<std::mutex> lock(reader_mutex_);
  std::vector<std::pair<std::string, int64_t>> out;
  Stmt s(reader_, "SELECT room, at_ms FROM alarms ORDER BY room");
  if (!s.ok()) return out;
  while (sqlite3_step(s.get()) == SQLITE_ROW) out.emplace_back(column_string(s.get(), 0), sqlite3_column_int64(s.get(), 1));
  return out;
}

}  // namespace roomsim::live
