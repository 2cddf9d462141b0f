// properties/checkers/dashboard_convergence.cpp: at the last kPhase "end",
// every connection still open that subscribed (kSubscribe; "*" = every key;
// a connection with no kSubscribe is taken to have subscribed to the keys it
// got updates for) holds, for each subscribed key the room has a value for,
// the room's latest value: its latest kDataUpdate for the key has the digest
// of the room's latest kFeedValue for it. Only events before the "end" phase
// count. Without an "end" phase the property cannot apply (no moment of
// quiescence is known) and passes vacuously.
//
// Memory: the open subscriber connections and the room values.
#include <cstdio>
#include <map>
#include <set>

#include "properties/checkers/checkers.hpp"
#include "properties/checkers/support.hpp"

namespace roomsim::properties::internal {

namespace {
struct Subscriber {
  NameId room = kNoName;
  NameId client = kNoName;
  bool all = false;
  std::set<NameId> keys;
  std::map<NameId, std::pair<uint64_t, size_t>> seen;  // key -> (digest, event)
};

std::string digest_label(uint64_t d) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "#%08llx", static_cast<unsigned long long>(d >> 32));
  return buf;
}
}  // namespace

Verdict check_dashboard_convergence(const History& h) {
  VerdictBuilder out("dashboard_convergence");
  const KnownNames names(h);
  const EndPhase end = find_end_phase(h, names);
  if (!end.index) {
    out.note_vacuous("no end phase in the history");
    return out.finish();
  }
  const auto star = h.find("*");
  const auto& events = h.events();
  std::map<NameId, std::map<NameId, uint64_t>> values;  // room -> key -> digest
  std::map<uint64_t, Subscriber> subs;                  // open connections

  for (size_t i = 0; i < *end.index; ++i) {
    const Event& e = events[i];
    if (e.kind == EventKind::kFeedValue) {
      values[e.room][e.text] = e.digest;
    } else if (e.kind == EventKind::kSubscribe || e.kind == EventKind::kDataUpdate) {
      Subscriber& s = subs[e.conn];
      s.room = e.room;
      s.client = e.client;
      if (e.kind == EventKind::kDataUpdate) {
        s.seen[e.text] = {e.digest, i};
      } else if (star && e.text == *star) {
        s.all = true;
      } else {
        s.keys.insert(e.text);
      }
    } else if (e.kind == EventKind::kClose) {
      subs.erase(e.conn);
    }
  }

  for (const auto& [conn, s] : subs) {
    auto room_values = values.find(s.room);
    if (room_values == values.end()) continue;
    std::set<NameId> keys = s.keys;
    if (s.all) {
      for (const auto& [key, digest] : room_values->second) keys.insert(key);
    }
    if (!s.all && s.keys.empty()) {
      for (const auto& [key, seen] : s.seen) keys.insert(key);
    }
    for (NameId key : keys) {
      auto want = room_values->second.find(key);
      if (want == room_values->second.end()) continue;
      out.judged();
      auto got = s.seen.find(key);
      const bool missing = got == s.seen.end();
      if (!missing && got->second.first == want->second) continue;
      const size_t index = missing ? *end.index : got->second.second;
      const Subscriber& sub = s;
      out.fail(index, events[index].t_ns, "stale_at_end", [&] {
        return "client " + name_or_none(h, sub.client) + " sees key " + name_or_none(h, key) + " = " +
               (missing ? std::string("nothing") : digest_label(got->second.first)) + " but room " +
               name_or_none(h, sub.room) + " holds " + digest_label(want->second) + " at the end (" +
               at_time(end.t_ns) + ")";
      });
    }
  }
  return out.finish();
}

}  // namespace roomsim::properties::internal
