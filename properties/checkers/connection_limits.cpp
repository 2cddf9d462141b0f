// properties/checkers/connection_limits.cpp: at every moment the accepted,
// still open connections of a room number at most max_connections (default
// 100) and those of one user in a room at most max_connections_per_user
// (default 5). A connection counts from its kConnectResult with code 101 until
// its first kClose; its user is the one its kConnect claimed. The accept that
// exceeds a limit is the violating event.
//
// Memory: the open connections.
#include <map>
#include <unordered_map>

#include "properties/checkers/checkers.hpp"
#include "properties/checkers/support.hpp"

namespace roomsim::properties::internal {

namespace {
struct OpenConn {
  NameId room;
  NameId user;
};
}  // namespace

Verdict check_connection_limits(const History& h) {
  VerdictBuilder out("connection_limits");
  const ConfigView config(h);
  const auto& events = h.events();
  std::unordered_map<uint64_t, NameId> user_of;  // conn -> user, from kConnect, until accepted or closed
  std::unordered_map<uint64_t, OpenConn> open;
  std::map<NameId, int64_t> per_room;
  std::map<std::pair<NameId, NameId>, int64_t> per_user;

  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (e.kind == EventKind::kConnect) {
      user_of[e.conn] = e.user;
    } else if (e.kind == EventKind::kConnectResult && e.code != 101) {
      user_of.erase(e.conn);
    } else if (e.kind == EventKind::kConnectResult) {
      if (open.count(e.conn)) continue;  // a repeated accept of an open connection counts once
      NameId user = e.user;
      if (auto u = user_of.find(e.conn); u != user_of.end()) {
        if (user == kNoName) user = u->second;
        user_of.erase(u);
      }
      open[e.conn] = OpenConn{e.room, user};
      const int64_t in_room = ++per_room[e.room];
      const int64_t room_max = config.get("max_connections", e.room, 100);
      if (in_room > room_max) {
        out.fail(i, e.t_ns, [&] {
          return "room " + name_or_none(h, e.room) + " accepted connection " + std::to_string(e.conn) + " of client " +
                 name_or_none(h, e.client) + " at " + at_time(e.t_ns) + " with " + std::to_string(in_room) +
                 " open connections, limit " + std::to_string(room_max);
        });
      }
      if (user == kNoName) continue;  // anonymous connections only count towards the room limit
      const int64_t of_user = ++per_user[{e.room, user}];
      const int64_t user_max = config.get("max_connections_per_user", e.room, 5);
      if (of_user > user_max) {
        out.fail(i, e.t_ns, [&] {
          return "room " + name_or_none(h, e.room) + " accepted connection " + std::to_string(e.conn) + " of user " +
                 name_or_none(h, user) + " at " + at_time(e.t_ns) + " with " + std::to_string(of_user) +
                 " open connections of that user, limit " + std::to_string(user_max);
        });
      }
    } else if (e.kind == EventKind::kClose) {
      user_of.erase(e.conn);
      auto it = open.find(e.conn);
      if (it == open.end()) continue;
      --per_room[it->second.room];
      if (it->second.user != kNoName) --per_user[{it->second.room, it->second.user}];
      open.erase(it);
    }
  }
  return out.finish();
}

}  // namespace roomsim::properties::internal
