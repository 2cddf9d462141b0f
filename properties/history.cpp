// properties/history.cpp: interning and event-kind names.
#include "properties/history.hpp"

namespace roomsim::properties {

namespace {
constexpr const char* kKindNames[] = {
    "connect",    "connect_result", "welcome",       "send",        "ack",        "receive",
    "gap",        "replay_window",  "resume",        "presence",    "data_update", "error",
    "close",      "room_start",     "room_crash",    "room_evict",  "commit",     "commit_failed",
    "data_value", "fault_begin",    "fault_end",     "phase",       "room_sessions", "config",
    "join_room",  "subscribe",
};
constexpr size_t kKindCount = sizeof(kKindNames) / sizeof(kKindNames[0]);
static_assert(kKindCount == static_cast<size_t>(EventKind::kSubscribe) + 1, "every EventKind needs a name");
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

History::History() {
  names_.emplace_back();
  ids_.emplace(std::string(), kNoName);
}

NameId History::intern(std::string_view name) {
  auto it = ids_.find(name);
  if (it != ids_.end()) return it->second;
  const auto id = static_cast<NameId>(names_.size());
  names_.emplace_back(name);
  ids_.emplace(std::string(name), id);
  return id;
}

std::optional<NameId> History::find(std::string_view name) const {
  auto it = ids_.find(name);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

int64_t History::config(std::string_view key, int64_t fallback) const {
  auto it = ids_.find(key);
  if (it == ids_.end()) return fallback;
  int64_t value = fallback;
  for (const Event& e : events_) {
    if (e.kind == EventKind::kConfig && e.text == it->second) value = e.value;
  }
  return value;
}

}  // namespace roomsim::properties
