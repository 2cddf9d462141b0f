// properties/checkers/presence_convergence.cpp: at the last kPhase "end",
// every open connection in a room that reports presence (some connection of
// it has a kPresence) has as its latest kPresence exactly the set of users
// with open connections in that room. A connection is open from its
// kConnectResult 101 (or kWelcome) until its kClose; its user is the one its
// kConnect claimed. A room whose sessions changed less than its liveness bound
// before the end may still have presence in flight: a connection there counts
// as judged only when its list already agrees (a live run stops soon after its
// last join). Without an "end" phase the property passes vacuously.
//
// Judged against: the connections the world saw open and the users their
// connects claimed (not the room's roster).
//
// Memory: the open connections.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "properties/checkers/checkers.hpp"
#include "properties/checkers/support.hpp"

namespace roomsim::properties::internal {

namespace {
struct Conn {
  NameId room = kNoName;
  NameId client = kNoName;
  NameId user = kNoName;
  bool open = false;
  std::optional<size_t> presence;  // latest kPresence event
};

// The distinct user ids of a participant list; an entry without an id (a
// room that never tells ids) stays as "(unnamed)", which matches no user.
std::vector<std::string> split_users(const std::string& text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string item = text.substr(start, comma - start);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    out.push_back(item.empty() ? "(unnamed)" : item);
    start = comma + 1;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& item : items) s += (s.empty() ? "" : ",") + item;
  return "{" + s + "}";
}
}  // namespace

Verdict check_presence_convergence(const History& h) {
  VerdictBuilder out("presence_convergence");
  const KnownNames names(h);
  const ConfigView config(h);
  RoomScope scope(h, config, out);
  const EndPhase end = find_end_phase(h, names);
  if (!end.index) {
    out.note_vacuous("no end phase in the history");
    return out.finish();
  }
  const auto& events = h.events();
  std::map<uint64_t, Conn> conns;
  std::set<NameId> presence_rooms;
  std::map<NameId, int64_t> last_change_ns;  // room -> the last time a session opened or closed

  for (size_t i = 0; i < *end.index; ++i) {
    const Event& e = events[i];
    if (!scope.judges(e.room)) continue;
    switch (e.kind) {
      case EventKind::kConnect: {
        Conn& c = conns[e.conn];
        c.room = e.room;
        c.client = e.client;
        c.user = e.user;
        break;
      }
      case EventKind::kConnectResult:
      case EventKind::kWelcome:
        if (e.kind == EventKind::kConnectResult && e.code != 101) {
          conns.erase(e.conn);
          break;
        }
        conns[e.conn].open = true;
        last_change_ns[e.room] = e.t_ns;
        conns[e.conn].room = e.room;
        conns[e.conn].client = e.client;
        break;
      case EventKind::kPresence:
        conns[e.conn].presence = i;
        presence_rooms.insert(e.room);
        break;
      case EventKind::kClose:
        if (conns.erase(e.conn) != 0) last_change_ns[e.room] = e.t_ns;
        break;
      default:
        break;
    }
  }

  std::map<NameId, std::vector<std::string>> present;  // room -> sorted users
  for (const auto& [conn, c] : conns) {
    if (c.open && c.user != kNoName) present[c.room].push_back(h.name(c.user));
  }
  for (auto& [room, users] : present) {
    std::sort(users.begin(), users.end());
    users.erase(std::unique(users.begin(), users.end()), users.end());
  }
  // A room whose sessions changed less than its liveness bound before the
  // end may still have presence frames in flight: its lists are not judged.
  std::map<NameId, bool> settled;
  for (const auto& [room, changed_ns] : last_change_ns) {
    const std::optional<int64_t> bound = scope.limit("liveness_bound_ms", room, "presence settling at the end");
    settled[room] = !bound || saturating_add(changed_ns, ms_to_ns(*bound)) <= end.t_ns;
  }
  for (const auto& [conn, c] : conns) {
    if (!c.open || !presence_rooms.count(c.room)) continue;
    const std::vector<std::string>& want = present[c.room];
    std::vector<std::string> got;
    if (c.presence) got = split_users(h.name(events[*c.presence].text));
    if (!settled[c.room]) {  // may still change: judged only when it already agrees
      if (c.presence && got == want) {
        out.judged();
      } else {
        out.note_vacuous("sessions changed within the liveness bound before the end: presence not judged there");
      }
      continue;
    }
    out.judged();
    if (c.presence && got == want) continue;
    const size_t index = c.presence.value_or(*end.index);
    const bool none = !c.presence;
    const Conn& cc = c;
    out.fail(index, events[index].t_ns, "stale_at_end", [&] {
      return "client " + name_or_none(h, cc.client) + " believes " + (none ? std::string("nothing") : join(got)) +
             " present in room " + name_or_none(h, cc.room) + " but " + join(want) + " are connected at the end (" +
             at_time(end.t_ns) + ")";
    });
  }
  out.if_vacuous(presence_rooms.empty() ? "no room reports presence (no presence events before the end)"
                                        : "no connection was open at the end in a room that reports presence");
  return out.finish();
}

}  // namespace roomsim::properties::internal
