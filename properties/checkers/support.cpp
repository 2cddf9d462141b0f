// properties/checkers/support.cpp: helpers shared by the property checkers.
#include "properties/checkers/support.hpp"

#include <algorithm>
#include <cstdio>

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

Verdict VerdictBuilder::finish() {
  auto& v = verdict_.violating;
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  if (verdict_.passed) {
    verdict_.vacuous = judged_ == 0;
    verdict_.explanation = vacuous_;
    if (verdict_.vacuous && vacuous_.empty()) verdict_.explanation = "vacuous: the history holds nothing this property judges";
  }
  return std::move(verdict_);
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
