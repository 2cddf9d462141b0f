// live/room_storage.hpp: one live room's view of its durable storage.
//
// Holds the room's whole key space in memory (loaded from SQLite when the
// instance starts), so reads are synchronous and see the room's own writes at
// once, committed or not (rooms/api/storage.hpp). Writes are also recorded as
// the pending ops of the running handler; the host takes them at the end of
// the handler (take_pending) and submits them as one commit.
//
// Not thread-safe: used only on its room's strand.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "live/sqlite_store.hpp"
#include "rooms/api/storage.hpp"

namespace roomsim::live {

class RoomStorage final : public rooms::Storage {
 public:
  // `now_unix_ms` gives the current time for TTLs.
  explicit RoomStorage(std::function<int64_t()> now_unix_ms) : now_unix_ms_(std::move(now_unix_ms)) {}

  // Replaces the whole content (instance start) and drops pending ops.
  void reset(std::map<std::string, StoredValue> durable);

  std::optional<std::string> get(std::string_view key) override;
  void put(std::string_view key, std::string value, std::optional<rooms::RoomDuration> ttl) override;
  bool erase(std::string_view key) override;
  std::vector<std::pair<std::string, std::string>> list(std::string_view prefix, size_t limit) override;

  bool has_pending() const { return !pending_.empty(); }
  // The ops written since the last call, in write order (one op per key: the last write wins).
  std::vector<CommitOp> take_pending();
  size_t size() const { return data_.size(); }

 private:
  void record(CommitOp op);  // the last write of a key wins
  bool live(const StoredValue& v) const { return !v.expires_unix_ms || *v.expires_unix_ms > now_unix_ms_(); }

  std::function<int64_t()> now_unix_ms_;
  std::map<std::string, StoredValue, std::less<>> data_;
  std::vector<CommitOp> pending_;
  std::map<std::string, size_t, std::less<>> pending_index_;  // key -> index in pending_
};

}  // namespace roomsim::live
