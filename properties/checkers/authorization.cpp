// properties/checkers/authorization.cpp: no room traffic without a valid
// token, no sub-room traffic to a non-member.
//
//  1. In a room that authenticates (kConfig "auth_required" = 1, per room or
//     for every room), a connection whose kConnect had value 0 (no valid
//     token) must never get kConnectResult 101 nor any room traffic: kWelcome,
//     kReceive, kReplayWindow, kPresence or kDataUpdate.
//  2. A kReceive with channel "sub" and target T on connection X requires
//     that X sent join_room T (kJoinRoom) earlier. Leaving is not judged:
//     messages in flight may still arrive after a leave. A history without
//     any kJoinRoom event does not record membership, so (2) cannot apply
//     to it; the verdict's explanation then says so.
//
// Memory: the unauthenticated open connections and the sub-rooms each open
// connection joined.
#include <algorithm>
#include <set>
#include <unordered_set>

#include "properties/checkers/checkers.hpp"
#include "properties/checkers/support.hpp"

namespace roomsim::properties::internal {

namespace {
bool is_room_traffic(EventKind kind) {
  return kind == EventKind::kConnectResult || kind == EventKind::kWelcome || kind == EventKind::kReceive ||
         kind == EventKind::kReplayWindow || kind == EventKind::kPresence || kind == EventKind::kDataUpdate;
}
}  // namespace

Verdict check_authorization(const History& h) {
  VerdictBuilder out("authorization");
  const KnownNames names(h);
  const ConfigView config(h);
  const auto& events = h.events();
  std::unordered_set<uint64_t> unauthenticated;  // open connections without a valid token in auth rooms
  std::set<std::pair<uint64_t, NameId>> joined;  // (conn, sub-room)
  const bool records_joins = std::any_of(events.begin(), events.end(),
                                         [](const Event& e) { return e.kind == EventKind::kJoinRoom; });
  bool saw_sub = false;

  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (e.kind == EventKind::kConnect) {
      if (e.value == 0 && config.get("auth_required", e.room, 0) == 1) unauthenticated.insert(e.conn);
      continue;
    }
    if (e.kind == EventKind::kJoinRoom) {
      joined.insert({e.conn, e.target});
      continue;
    }
    if (e.kind == EventKind::kClose) {
      unauthenticated.erase(e.conn);
      joined.erase(joined.lower_bound({e.conn, 0}), joined.lower_bound({e.conn + 1, 0}));
      continue;
    }
    if (!is_room_traffic(e.kind)) continue;
    if (e.kind == EventKind::kConnectResult && e.code != 101) continue;
    out.judged();
    if (unauthenticated.count(e.conn)) {
      out.fail(i, e.t_ns, "unauthenticated_traffic", [&] {
        return std::string("connection ") + std::to_string(e.conn) + " of client " + name_or_none(h, e.client) +
               " presented no valid token yet got " + to_string(e.kind) +
               (e.kind == EventKind::kConnectResult ? " 101" : "") + " in room " + name_or_none(h, e.room) + " at " +
               at_time(e.t_ns);
      });
      continue;
    }
    if (e.kind == EventKind::kReceive && names.is_sub(e) && !records_joins) saw_sub = true;
    if (e.kind == EventKind::kReceive && names.is_sub(e) && records_joins && !joined.count({e.conn, e.target})) {
      out.fail(i, e.t_ns, "sub_room_non_member", [&] {
        return "client " + name_or_none(h, e.client) + " received " + message_label(e) + " for sub-room " +
               name_or_none(h, e.target) + " of room " + name_or_none(h, e.room) + " without joining it, at " +
               at_time(e.t_ns);
      });
    }
  }
  if (saw_sub) out.note_vacuous("sub-room membership not judged: the history records no join_room events");
  return out.finish();
}

}  // namespace roomsim::properties::internal
