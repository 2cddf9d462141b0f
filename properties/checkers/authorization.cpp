// properties/checkers/authorization.cpp: no room traffic without a valid
// token.
//
// "unauthenticated_traffic": in a room that authenticates (kConfig
// "auth_required" = 1, per room or for every room), a connection whose
// kConnect had value 0 (no valid token) must never get kConnectResult 101
// nor any room traffic: kWelcome, kReceive, kReplayWindow, kPresence or
// kDataUpdate. A room that records no auth_required is not judged (noted);
// auth_required = 0 promises nothing here. A connect with value 3 (a token
// that expired less than room_clock_error_ms ago: a room on a skewed clock
// may still take it) is not judged.
// (Who receives sub-room, direct and per-key traffic is addressed_delivery.)
//
// Judged against: token validity as the world knows it (kConnect value),
// never the room's answer.
//
// Memory: the unauthenticated open connections.
#include <map>
#include <optional>
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
  const ConfigView config(h);
  RoomScope scope(h, config, out);
  const auto& events = h.events();
  std::unordered_set<uint64_t> unauthenticated;  // open connections without a valid token in auth rooms
  std::unordered_set<uint64_t> authenticated;    // open connections judged, with a valid token
  std::map<NameId, bool> auth_of;                // room -> auth_required == 1
  bool any_auth_recorded = false;

  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (!scope.judges(e.room)) continue;
    if (e.kind == EventKind::kConnect) {
      auto [it, fresh] = auth_of.try_emplace(e.room, false);
      if (fresh) {
        const auto auth = scope.limit("auth_required", e.room, "tokens");
        it->second = auth && *auth == 1;
        any_auth_recorded |= auth.has_value();
      }
      if (!it->second) continue;
      if (e.value == 0) {
        unauthenticated.insert(e.conn);
      } else if (e.value != 3) {  // 3: invalid, but the room's clock may still accept it: not judged
        authenticated.insert(e.conn);
      }
      continue;
    }
    if (e.kind == EventKind::kClose) {
      unauthenticated.erase(e.conn);
      authenticated.erase(e.conn);
      continue;
    }
    if (!is_room_traffic(e.kind)) continue;
    if (e.kind == EventKind::kConnectResult && e.code != 101) {
      if (unauthenticated.erase(e.conn)) out.judged();  // refused, as it should be
      authenticated.erase(e.conn);
      continue;
    }
    if (unauthenticated.count(e.conn)) {
      out.fail(i, e.t_ns, "unauthenticated_traffic", [&] {
        return std::string("connection ") + std::to_string(e.conn) + " of client " + name_or_none(h, e.client) +
               " presented no valid token yet got " + to_string(e.kind) +
               (e.kind == EventKind::kConnectResult ? " 101" : "") + " in room " + name_or_none(h, e.room) + " at " +
               at_time(e.t_ns);
      });
      continue;
    }
    if (authenticated.count(e.conn)) out.judged();
  }
  out.if_vacuous(any_auth_recorded ? "no connection to a room that requires a token"
                                   : "no auth_required recorded for any room: tokens not judged");
  return out.finish();
}

}  // namespace roomsim::properties::internal
