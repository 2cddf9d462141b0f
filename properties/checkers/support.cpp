// properties/checkers/support.cpp: helpers shared by the property checkers.
#include "properties/checkers/support.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "engine/time.hpp"

namespace roomsim::properties::internal {

size_t MsgKeyHash::operator()(const MsgKey& k) const noexcept {
  uint64_t x = k.id * 0x9e3779b97f4a7c15ULL;
  x ^= (static_cast<uint64_t>(k.room) << 32 | k.sender) + 0x632be59bd9b4e019ULL + (x << 6) + (x >> 2);
  x ^= x >> 29;
  return static_cast<size_t>(x * 0xbf58476d1ce4e5b9ULL);
}

MsgKey send_key(const Event& e) { return MsgKey{e.room, e.client, e.msg != 0 ? e.msg : e.digest}; }
MsgKey receive_key(const Event& e) { return MsgKey{e.room, e.sender, e.msg != 0 ? e.msg : e.digest}; }

int64_t ms_to_ns(int64_t ms) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  if (ms > kMax / 1'000'000) return kMax;
  if (ms < kMin / 1'000'000) return kMin;
  return ms * 1'000'000;
}

int64_t saturating_add(int64_t a, int64_t b) {
  int64_t out = 0;
  if (!__builtin_add_overflow(a, b, &out)) return out;
  return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}

KnownNames::KnownNames(const History& h)
    : direct(h.find("direct")), sub(h.find("sub")), liveness(h.find("liveness")), end(h.find("end")) {}

ConfigView::ConfigView(const History& h) {
  for (const Event& e : h.events()) {
    if (e.kind == EventKind::kConfig) values_[h.name(e.text)][e.room] = e.value;
  }
}

std::optional<int64_t> ConfigView::find(std::string_view key, NameId room) const {
  auto k = values_.find(key);
  if (k == values_.end()) return std::nullopt;
  if (room != kNoName) {
    auto it = k->second.find(room);
    if (it != k->second.end()) return it->second;
  }
  auto it = k->second.find(kNoName);
  if (it != k->second.end()) return it->second;
  return std::nullopt;
}

EndPhase find_end_phase(const History& h, const KnownNames& names) {
  EndPhase end;
  if (!names.end) return end;
  const auto& events = h.events();
  for (size_t i = events.size(); i-- > 0;) {
    if (events[i].kind == EventKind::kPhase && events[i].text == *names.end) {
      end.index = i;
      end.t_ns = events[i].t_ns;
      break;
    }
  }
  return end;
}

void VerdictBuilder::fail(size_t index, int64_t t_ns, std::string_view rule,
                          const std::function<std::string()>& explain) {
  verdict_.passed = false;
  ++verdict_.violation_count;
  ++judged_;
  if (verdict_.violating.size() < kMaxViolatingIndices) verdict_.violating.push_back(index);
  if (!first_ || index < *first_) {
    first_ = index;
    verdict_.t_ns = t_ns;
    verdict_.rule = verdict_.property + "." + std::string(rule);
    verdict_.explanation = explain();
  }
}

void VerdictBuilder::note_vacuous(std::string why) {
  for (const Note& n : notes_) {
    if (n.what == why && n.room_count == 0) return;
  }
  notes_.push_back(Note{std::move(why), {}, 0});
}

void VerdictBuilder::note_room(std::string_view what, const History& h, NameId room) {
  size_t k = 0;
  while (k < notes_.size() && notes_[k].what != what) ++k;
  if (k == notes_.size()) notes_.push_back(Note{std::string(what), {}, 0});
  if (!noted_rooms_.insert({k, room}).second) return;
  Note& n = notes_[k];
  if (n.rooms.size() < kMaxRoomsNamed) n.rooms.push_back(name_or_none(h, room));
  ++n.room_count;
}

Verdict VerdictBuilder::finish() {
  auto& v = verdict_.violating;
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  if (verdict_.passed) {
    verdict_.vacuous = judged_ == 0;
    std::string text;
    for (size_t k = 0; k < notes_.size() && k < kMaxNotes; ++k) {
      const Note& n = notes_[k];
      if (!text.empty()) text += "; ";
      text += n.what;
      if (n.room_count == 0) continue;
      text += n.room_count == 1 ? " (room " : " (rooms ";
      for (size_t r = 0; r < n.rooms.size(); ++r) {
        if (r > 0) text += r + 1 == n.rooms.size() && n.room_count == n.rooms.size() ? " and " : ", ";
        text += n.rooms[r];
      }
      if (n.room_count > n.rooms.size()) text += " and " + std::to_string(n.room_count - n.rooms.size()) + " more";
      text += ")";
    }
    if (notes_.size() > kMaxNotes) text += "; and " + std::to_string(notes_.size() - kMaxNotes) + " more notes";
    if (verdict_.vacuous && !if_vacuous_.empty()) text = text.empty() ? if_vacuous_ : if_vacuous_ + "; " + text;
    if (verdict_.vacuous && text.empty()) text = "vacuous: the history holds nothing this property judges";
    verdict_.explanation = std::move(text);
  }
  return std::move(verdict_);
}

RoomScope::RoomScope(const History& h, const ConfigView& config, VerdictBuilder& out)
    : h_(h), config_(config), out_(out), promise_key_("promises." + out.property()) {
  any_promise_ = config_.has_key(promise_key_);
}

bool RoomScope::judges(NameId room) {
  if (!any_promise_ || room == kNoName) return true;
  if (room == last_room_) return last_judged_;
  auto it = judged_rooms_.find(room);
  if (it == judged_rooms_.end()) {
    const auto promised = config_.find(promise_key_, room);
    it = judged_rooms_.emplace(room, !promised || *promised != 0).first;
    if (!it->second) out_.note_room("not promised (" + promise_key_ + " = 0): not judged", h_, room);
  }
  last_room_ = room;
  last_judged_ = it->second;
  return it->second;
}

std::optional<int64_t> RoomScope::limit(std::string_view key, NameId room, std::string_view what) {
  auto v = config_.find(key, room);
  if (!v) out_.note_room("no " + std::string(key) + " recorded: " + std::string(what) + " not judged", h_, room);
  return v;
}

std::string at_time(int64_t t_ns) { return "t=" + format_time(Time::from_ns(t_ns)); }

std::string message_label(const Event& e) {
  if (e.seq >= 0) return "seq " + std::to_string(e.seq);
  char buf[40];
  std::snprintf(buf, sizeof buf, "message #%08llx",
                static_cast<unsigned long long>((e.msg != 0 ? e.msg : e.digest) >> 32));
  return buf;
}

std::string name_or_none(const History& h, NameId id) {
  if (id == kNoName || id >= h.name_count()) return "(none)";
  return h.name(id);
}

}  // namespace roomsim::properties::internal
