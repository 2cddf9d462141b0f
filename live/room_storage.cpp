// live/room_storage.cpp: see room_storage.hpp.
#include "live/room_storage.hpp"

namespace roomsim::live {

void RoomStorage::reset(std::map<std::string, StoredValue> durable) {
  data_.clear();
  for (auto& [k, v] : durable) data_.emplace(k, std::move(v));
  pending_.clear();
  pending_index_.clear();
}

std::optional<std::string> RoomStorage::get(std::string_view key) {
  auto it = data_.find(key);
  if (it == data_.end() || !live(it->second)) return std::nullopt;
  return it->second.value;
}

void RoomStorage::put(std::string_view key, std::string value, std::optional<rooms::RoomDuration> ttl) {
  std::optional<int64_t> expires;
  if (ttl) expires = now_unix_ms_() + ttl->count();
  CommitOp op{std::string(key), value, expires};
  auto it = data_.find(key);
  if (it == data_.end()) {
    data_.emplace(std::string(key), StoredValue{std::move(value), expires});
  } else {
    it->second = StoredValue{std::move(value), expires};
  }
  record(std::move(op));
}

bool RoomStorage::erase(std::string_view key) {
  auto it = data_.find(key);
  const bool existed = it != data_.end() && live(it->second);
  if (it != data_.end()) data_.erase(it);
  CommitOp op{std::string(key), std::nullopt, std::nullopt};
  record(std::move(op));
  return existed;
}

std::vector<std::pair<std::string, std::string>> RoomStorage::list(std::string_view prefix, size_t limit) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto it = data_.lower_bound(prefix); it != data_.end() && out.size() < limit; ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    if (live(it->second)) out.emplace_back(it->first, it->second.value);
  }
  return out;
}

void RoomStorage::record(CommitOp op) {
  auto p = pending_index_.find(op.key);
  if (p != pending_index_.end()) {
    pending_[p->second] = std::move(op);
  } else {
    pending_index_.emplace(op.key, pending_.size());
    pending_.push_back(std::move(op));
  }
}

std::vector<CommitOp> RoomStorage::take_pending() {
  std::vector<CommitOp> out;
  out.swap(pending_);
  pending_index_.clear();
  return out;
}

}  // namespace roomsim::live
