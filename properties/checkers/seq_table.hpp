// properties/checkers/seq_table.hpp: a sparse table indexed by room seq.
//
// A room's seqs are dense in practice (1, 2, 3, ...) but come from the
// room's own frames, so a checker must survive any int64 value there: a seq
// of 2^62 must cost one page, not a vector of 2^62 entries. SeqTable keeps
// pages of kPageSize slots in an ordered map (pages are created on first
// write) and caches the last page touched, so the usual in-order access
// costs one compare. Negative seqs are never stored (find() answers
// "absent", insert() is a precondition violation).
//
// Deterministic: iteration (next()) is in seq order.
#pragma once

#include <bitset>
#include <cstdint>
#include <map>
#include <optional>
#include <type_traits>
#include <vector>

#include "engine/assert.hpp"

namespace roomsim::properties::internal {

template <typename T>
class SeqTable {
 public:
  static constexpr int64_t kPageSize = 1024;

  // The value at `seq`, or nullptr when absent.
  const T* find(int64_t seq) const {
    const Page* p = page(seq);
    if (p == nullptr) return nullptr;
    const auto slot = static_cast<size_t>(seq % kPageSize);
    if (!p->present[slot]) return nullptr;
    if constexpr (std::is_empty_v<T>) {
      return &kEmpty;
    } else {
      return &p->values[slot];
    }
  }
  T* find(int64_t seq) { return const_cast<T*>(static_cast<const SeqTable&>(*this).find(seq)); }
  bool contains(int64_t seq) const { return find(seq) != nullptr; }

  // The value at `seq`, default-constructed when absent; `fresh` says which.
  // REQUIRES: seq >= 0.
  T& insert(int64_t seq, bool* fresh = nullptr) {
    ROOMSIM_ASSERT_MSG(seq >= 0, "SeqTable holds only seqs >= 0");
    const int64_t number = seq / kPageSize;
    if (last_ == nullptr || last_number_ != number) {
      auto [it, created] = pages_.try_emplace(number);
      if constexpr (!std::is_empty_v<T>) {
        if (created) it->second.values.resize(kPageSize);
      }
      last_ = &it->second;
      last_number_ = number;
    }
    const auto slot = static_cast<size_t>(seq % kPageSize);
    if (fresh != nullptr) *fresh = !last_->present[slot];
    last_->present[slot] = true;
    if constexpr (std::is_empty_v<T>) {
      return kEmpty;
    } else {
      return last_->values[slot];
    }
  }

  // The smallest stored seq in [from, to], if any. Skips absent pages, so a
  // range of 2^53 seqs costs one step per stored page in it.
  std::optional<int64_t> next(int64_t from, int64_t to) const {
    if (from < 0) from = 0;
    if (to < from) return std::nullopt;
    for (auto it = pages_.lower_bound(from / kPageSize); it != pages_.end(); ++it) {
      const int64_t base = it->first * kPageSize;
      if (base > to) break;
      const int64_t lo = from > base ? from - base : 0;
      const int64_t hi = to - base < kPageSize - 1 ? to - base : kPageSize - 1;
      for (int64_t s = lo; s <= hi; ++s) {
        if (it->second.present[static_cast<size_t>(s)]) return base + s;
      }
    }
    return std::nullopt;
  }

  // The largest stored seq, if any.
  std::optional<int64_t> max() const {
    for (auto it = pages_.rbegin(); it != pages_.rend(); ++it) {
      for (int64_t s = kPageSize - 1; s >= 0; --s) {
        if (it->second.present[static_cast<size_t>(s)]) return it->first * kPageSize + s;
      }
    }
    return std::nullopt;
  }

  bool empty() const { return pages_.empty(); }

 private:
  struct Page {
    std::bitset<kPageSize> present;
    std::vector<T> values;  // kPageSize slots; none for an empty T (a set)
  };
  static inline T kEmpty{};
  const Page* page(int64_t seq) const {
    if (seq < 0) return nullptr;
    const int64_t number = seq / kPageSize;
    if (last_ != nullptr && last_number_ == number) return last_;
    auto it = pages_.find(number);
    if (it == pages_.end()) return nullptr;
    last_ = const_cast<Page*>(&it->second);
    last_number_ = number;
    return last_;
  }

  std::map<int64_t, Page> pages_;  // page number -> page; nodes are stable
  mutable Page* last_ = nullptr;
  mutable int64_t last_number_ = -1;
};

// A set of seqs: a SeqTable without values.
struct NoValue {};
class SeqSet {
 public:
  bool contains(int64_t seq) const { return table_.contains(seq); }
  // REQUIRES: seq >= 0.
  void insert(int64_t seq) { table_.insert(seq); }
  std::optional<int64_t> next(int64_t from, int64_t to) const { return table_.next(from, to); }
  bool empty() const { return table_.empty(); }

 private:
  SeqTable<NoValue> table_;
};

}  // namespace roomsim::properties::internal
