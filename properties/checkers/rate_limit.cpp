// properties/checkers/rate_limit.cpp: accepted messages per connection (and
// per (room, user) where kConfig "rate_limit_per_user" = 1) within any 60 s
// window (t - 60 s, t] never exceed rate_limit_per_min (default 100).
//
// A message counts as accepted at its kAck in rooms that ack (any kAck in the
// history for that room); in rooms without acks (seed rooms), at the first
// live receive of it by a client other than its sender. The acceptance that
// makes a window exceed the limit is the violating event.
//
// Memory: per open connection (and user) the accept times of the last 60 s;
// in rooms without acks also one entry per sent message.
#include <deque>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "properties/checkers/checkers.hpp"
#include "properties/checkers/support.hpp"

namespace roomsim::properties::internal {

namespace {

constexpr int64_t kWindowNs = 60'000'000'000;

struct SendOrigin {
  uint64_t conn;
  NameId room;
  bool counted = false;
};

// Returns the count in the window ending at t, after adding t.
size_t add_accept(std::deque<int64_t>& times, int64_t t) {
  while (!times.empty() && times.front() <= t - kWindowNs) times.pop_front();
  times.push_back(t);
  return times.size();
}

}  // namespace

Verdict check_rate_limit(const History& h) {
  VerdictBuilder out("rate_limit");
  const ConfigView config(h);
  const auto& events = h.events();

  std::unordered_set<NameId> acking_rooms;
  for (const Event& e : events) {
    if (e.kind == EventKind::kAck) acking_rooms.insert(e.room);
  }

  std::unordered_map<uint64_t, NameId> user_of;  // conn -> user (kConnect)
  std::unordered_map<uint64_t, std::deque<int64_t>> per_conn;
  std::map<std::pair<NameId, NameId>, std::deque<int64_t>> per_user;
  std::unordered_map<MsgKey, SendOrigin, MsgKeyHash> origins;  // rooms without acks

  auto accept = [&](size_t i, uint64_t conn, NameId room, NameId client) {
    const Event& e = events[i];
    const int64_t limit = config.get("rate_limit_per_min", room, 100);
    const size_t n = add_accept(per_conn[conn], e.t_ns);
    if (static_cast<int64_t>(n) > limit) {
      out.fail(i, e.t_ns, [&] {
        return "connection " + std::to_string(conn) + " of client " + name_or_none(h, client) + " in room " +
               name_or_none(h, room) + " had " + std::to_string(n) + " messages accepted in the 60 s up to " +
               at_time(e.t_ns) + ", limit " + std::to_string(limit);
      });
    }
    if (config.get("rate_limit_per_user", room, 0) != 1) return;
    auto u = user_of.find(conn);
    if (u == user_of.end() || u->second == kNoName) return;
    const NameId user = u->second;
    const size_t m = add_accept(per_user[{room, user}], e.t_ns);
    if (static_cast<int64_t>(m) > limit) {
      out.fail(i, e.t_ns, [&] {
        return "user " + name_or_none(h, user) + " in room " + name_or_none(h, room) + " had " + std::to_string(m) +
               " messages accepted in the 60 s up to " + at_time(e.t_ns) + ", limit " + std::to_string(limit);
      });
    }
  };

  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    switch (e.kind) {
      case EventKind::kConnect:
        user_of[e.conn] = e.user;
        break;
      case EventKind::kAck:
        accept(i, e.conn, e.room, e.client);
        break;
      case EventKind::kSend:
        if (!acking_rooms.count(e.room)) origins[send_key(e)] = SendOrigin{e.conn, e.room};
        break;
      case EventKind::kReceive: {
        if (!is_live(e) || e.client == e.sender) break;
        auto o = origins.find(receive_key(e));
        if (o == origins.end() || o->second.counted) break;
        o->second.counted = true;
        accept(i, o->second.conn, e.room, e.sender);
        break;
      }
      case EventKind::kClose:
        if (acking_rooms.count(e.room)) per_conn.erase(e.conn);
        break;
      default:
        break;
    }
  }
  return out.finish();
}

}  // namespace roomsim::properties::internal
