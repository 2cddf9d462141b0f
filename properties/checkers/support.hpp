// properties/checkers/support.hpp: helpers shared by the property checkers
// (message identity, run configuration, verdict building, phrasing). Internal
// to properties/; nothing here is part of the public checker API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "properties/checker.hpp"
#include "properties/history.hpp"

namespace roomsim::properties::internal {

// Identity of a room message: (room, original sender client, client message
// id). A message without an id (msg == 0, allowed by the seed rooms) is
// identified by its payload digest instead.
struct MsgKey {
  NameId room = kNoName;
  NameId sender = kNoName;
  uint64_t id = 0;
  bool operator==(const MsgKey&) const = default;
  auto operator<=>(const MsgKey&) const = default;
};

struct MsgKeyHash {
  size_t operator()(const MsgKey& k) const noexcept;
};

// The key of a kSend (sender = its client) or of a kReceive (sender = e.sender).
MsgKey send_key(const Event& e);
MsgKey receive_key(const Event& e);

inline bool is_live(const Event& e) { return e.value == 0; }

// Interned ids of the names the checkers compare against; nullopt when the
// name never occurs in the history (then nothing can match it).
struct KnownNames {
  explicit KnownNames(const History& h);
  std::optional<NameId> direct, sub, liveness, end;
  bool is_direct(const Event& e) const { return direct && e.channel == *direct; }
  bool is_sub(const Event& e) const { return sub && e.channel == *sub; }
};

// Arithmetic that saturates at the ends of int64 instead of wrapping: a
// bound of INT64_MAX ms is "never", not a negative deadline, and a seq of
// INT64_MAX has no successor beyond INT64_MAX.
int64_t ms_to_ns(int64_t ms);
int64_t saturating_add(int64_t a, int64_t b);

// kConfig values, read in one pass. A value given for a room wins over the
// value given for every room (room ""); the last event for a (key, room) wins.
// There are no defaults: an absent key is nullopt, and a checker says what it
// could not judge without it.
class ConfigView {
 public:
  explicit ConfigView(const History& h);
  std::optional<int64_t> find(std::string_view key, NameId room = kNoName) const;
  // Whether any kConfig event (for any room) names `key`.
  bool has_key(std::string_view key) const { return values_.find(key) != values_.end(); }

 private:
  // key -> room -> value; few keys, so a lookup costs a few string compares.
  std::map<std::string, std::map<NameId, int64_t>, std::less<>> values_;
};

// Index and time of the last kPhase "end", if any.
struct EndPhase {
  std::optional<size_t> index;
  int64_t t_ns = 0;
};
EndPhase find_end_phase(const History& h, const KnownNames& names);

// Collects violations into a Verdict. The explanation and rule are those of
// the violation with the smallest event index; `explain` is only called when
// the violation becomes that one, so checkers may report millions cheaply.
// A checker calls judged() for each thing it evaluated (a receive compared, a
// window checked); a pass with nothing judged is vacuous, and its explanation
// is the reason given to note_vacuous() (or a generic one).
class VerdictBuilder {
 public:
  explicit VerdictBuilder(std::string_view property) { verdict_.property = std::string(property); }
  const std::string& property() const { return verdict_.property; }
  // `rule` is the rule's short name within the property ("seq_replaced").
  void fail(size_t index, int64_t t_ns, std::string_view rule, const std::function<std::string()>& explain);
  void judged(uint64_t n = 1) { judged_ += n; }
  // What was not judged and why (the explanation of a pass); when nothing
  // was judged at all, the reason the pass is vacuous. Notes accumulate in
  // the order given (a repeated note is kept once, at most kMaxNotes are
  // spelled out).
  void note_vacuous(std::string why);
  // A note about one room, grouped with the other rooms of the same note:
  // "no max_connections recorded: room limit not judged (rooms a, b and 3 more)".
  void note_room(std::string_view what, const History& h, NameId room);
  // The reason given for a pass only when nothing at all was judged.
  void if_vacuous(std::string why) { if_vacuous_ = std::move(why); }
  Verdict finish();

  static constexpr size_t kMaxNotes = 8;
  static constexpr size_t kMaxRoomsNamed = 3;

 private:
  struct Note {
    std::string what;
    std::vector<std::string> rooms;  // the first kMaxRoomsNamed
    size_t room_count = 0;
  };
  Verdict verdict_;
  std::optional<size_t> first_;
  std::vector<Note> notes_;
  std::string if_vacuous_;
  std::set<std::pair<size_t, NameId>> noted_rooms_;  // (note, room)
  uint64_t judged_ = 0;
};

// The per-room promises one property judges by (kConfig, keys in
// docs/properties.md). A room whose "promises.<property>" is 0 is skipped by
// that property; a limit key absent for a room means that room is not judged
// for that limit. Both are noted once per room in the verdict. Lookups are
// cached per room, so checkers may call these for every event.
class RoomScope {
 public:
  RoomScope(const History& h, const ConfigView& config, VerdictBuilder& out);
  // False when `room` declared promises.<property> = 0. Events without a room
  // (faults, phases) are always judged.
  bool judges(NameId room);
  // The room's `key`, or nullopt (noted: "no <key> recorded: <what> not judged").
  std::optional<int64_t> limit(std::string_view key, NameId room, std::string_view what);

 private:
  const History& h_;
  const ConfigView& config_;
  VerdictBuilder& out_;
  std::string promise_key_;
  bool any_promise_ = false;  // some room (or every room) declared promises.<property>
  std::map<NameId, bool> judged_rooms_;
  NameId last_room_ = kNoName;  // events come in runs of one room: a one-entry cache
  bool last_judged_ = true;
};

// "t=12.503s"
std::string at_time(int64_t t_ns);
// "seq 42" when the event carries a seq, else "message #1a2b3c4d" (client message id digest).
std::string message_label(const Event& e);
// The name, or "(none)" for an empty name, for use in explanations.
std::string name_or_none(const History& h, NameId id);

}  // namespace roomsim::properties::internal
