// properties/history.cpp: interning and event-kind names.
#include "properties/history.hpp"

#include "engine/rng.hpp"

namespace roomsim::properties {

namespace {
constexpr const char* kKindNames[] = {
    "connect",    "connect_result", "welcome",       "send",        "ack",        "receive",
    "gap",        "replay_window",  "resume",        "presence",    "data_update", "error",
    "close",      "room_start",     "room_crash",    "room_evict",  "commit",     "commit_failed",
    "fault_begin", "fault_end",     "phase",         "room_sessions", "config",   "join_room",
    "subscribe",  "leave",          "admission",     "feed_value",  "service_call", "service_answer",
};
constexpr size_t kKindCount = sizeof(kKindNames) / sizeof(kKindNames[0]);
static_assert(kKindCount == static_cast<size_t>(EventKind::kServiceAnswer) + 1, "every EventKind needs a name");
}  // namespace

const char* to_string(EventKind kind) { return kKindNames[static_cast<size_t>(kind)]; }

bool parse_event_kind(std::string_view name, EventKind& out) {
  for (size_t i = 0; i < kKindCount; ++i) {
    if (name == kKindNames[i]) {
      out = static_cast<EventKind>(i);
      return true;
    }
  }
  return false;
}


History::History() : index_(64, kNoName) { names_.emplace_back(); }

size_t History::find_slot(std::string_view name) const {
  const size_t mask = index_.size() - 1;
  for (size_t i = hash_words64(0, name) & mask;; i = (i + 1) & mask) {
    const NameId id = index_[i];
    if (id == kNoName || names_[id] == name) return i;
  }
}

void History::grow_index() {
  index_.assign(index_.size() * 2, kNoName);
  const size_t mask = index_.size() - 1;
  for (NameId id = 1; id < names_.size(); ++id) {
    size_t i = hash_words64(0, names_[id]) & mask;
    while (index_[i] != kNoName) i = (i + 1) & mask;
    index_[i] = id;
  }
}

NameId History::intern(std::string_view name) {
  if (name.empty()) return kNoName;
  size_t slot = find_slot(name);
  if (index_[slot] != kNoName) return index_[slot];
  const auto id = static_cast<NameId>(names_.size());
  names_.emplace_back(name);
  if (names_.size() * 2 > index_.size()) {
    grow_index();
  } else {
    index_[slot] = id;
  }
  return id;
}

std::optional<NameId> History::find(std::string_view name) const {
  if (name.empty()) return kNoName;
  const NameId id = index_[find_slot(name)];
  if (id == kNoName) return std::nullopt;
  return id;
}

int64_t History::config(std::string_view key, int64_t fallback) const {
  const std::optional<NameId> id = find(key);
  if (!id) return fallback;
  int64_t value = fallback;
  for (const Event& e : events_) {
    if (e.kind == EventKind::kConfig && e.text == *id) value = e.value;
  }
  return value;
}

}  // namespace roomsim::properties
