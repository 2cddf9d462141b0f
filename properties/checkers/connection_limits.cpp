// properties/checkers/connection_limits.cpp: at every moment the open
// sessions of a room number at most its max_connections and those of one
// user in a room at most its max_connections_per_user (each room's promise;
// 0 = no such limit; a room that records no value is not judged for it).
//
// The room's own count is the best witness: where the history has kRoomSessions
// events for a room (host facts, recorded at the room after each accept and
// close; `user` set = the count of that user's sessions), those counts are
// judged and violate when above the limit. Otherwise the count comes from
// client observations: a connection is open from its kConnectResult 101 until
// its first kClose, its user is the one its kConnect claimed, and the accept
// that exceeds a limit is the violating event. (Client observations lag the
// room: a close the server initiated is seen later than it happened, so a
// recorder that can should record kRoomSessions.)
//
// Judged against: the host's session counts (kRoomSessions) where recorded,
// else the accepts and closes clients observed; the limits are the room's
// declared promises, never what the room reports.
//
// Memory: the open connections.
#include <limits>
#include <map>
#include <set>
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
  RoomScope scope(h, config, out);
  // A limit of 0 (or none recorded) is no limit: kNoLimit.
  constexpr int64_t kNoLimit = std::numeric_limits<int64_t>::max();
  std::map<NameId, std::pair<int64_t, int64_t>> limits_of;  // room -> (per room, per user)
  auto limits = [&](NameId room) -> std::pair<int64_t, int64_t> {
    auto [it, fresh] = limits_of.try_emplace(room);
    if (fresh) {
      const auto per_room = scope.limit("max_connections", room, "open sessions per room");
      const auto per_user = scope.limit("max_connections_per_user", room, "open sessions per user");
      it->second = {per_room && *per_room > 0 ? *per_room : kNoLimit, per_user && *per_user > 0 ? *per_user : kNoLimit};
    }
    return it->second;
  };
  const auto& events = h.events();
  // Looked up only, never iterated: their order cannot reach a verdict.
  std::unordered_map<uint64_t, NameId> user_of;  // conn -> user, from kConnect, until accepted or closed
  std::unordered_map<uint64_t, OpenConn> open;
  std::map<NameId, int64_t> per_room;
  std::map<std::pair<NameId, NameId>, int64_t> per_user;

  std::set<NameId> rooms_counted;                      // rooms with kRoomSessions for the whole room
  std::set<std::pair<NameId, NameId>> users_counted;   // (room, user) with their own kRoomSessions
  for (const Event& e : events) {
    if (e.kind != EventKind::kRoomSessions) continue;
    if (e.user == kNoName) rooms_counted.insert(e.room);
    else users_counted.insert({e.room, e.user});
  }

  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (!scope.judges(e.room)) continue;
    if (e.kind == EventKind::kRoomSessions) {
      const bool per_user = e.user != kNoName;
      const int64_t max = per_user ? limits(e.room).second : limits(e.room).first;
      if (max == kNoLimit) continue;
      out.judged();
      if (e.value > max) {
        out.fail(i, e.t_ns, "host_count_over_limit", [&] {
          return "room " + name_or_none(h, e.room) + " had " + std::to_string(e.value) + " open sessions" +
                 (per_user ? " of user " + name_or_none(h, e.user) : std::string()) + " at " + at_time(e.t_ns) +
                 ", limit " + std::to_string(max);
        });
      }
      continue;
    }
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
      // Plain variables, not a structured binding: the lambdas below capture them (clang 14).
      const auto room_limits = limits(e.room);
      const int64_t room_max = room_limits.first, user_max = room_limits.second;
      if (room_max != kNoLimit || (user != kNoName && user_max != kNoLimit)) out.judged();
      const int64_t in_room = ++per_room[e.room];
      if (in_room > room_max && !rooms_counted.count(e.room)) {
        out.fail(i, e.t_ns, "room_over_limit", [&] {
          return "room " + name_or_none(h, e.room) + " accepted connection " + std::to_string(e.conn) + " of client " +
                 name_or_none(h, e.client) + " at " + at_time(e.t_ns) + " with " + std::to_string(in_room) +
                 " open connections, limit " + std::to_string(room_max);
        });
      }
      if (user == kNoName) continue;  // anonymous connections only count towards the room limit
      const int64_t of_user = ++per_user[{e.room, user}];
      if (of_user > user_max && !users_counted.count({e.room, user})) {
        out.fail(i, e.t_ns, "user_over_limit", [&] {
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
  out.if_vacuous("no accepted connection or host session count in a room with a connection limit");
  return out.finish();
}

}  // namespace roomsim::properties::internal
