// properties/checkers/rate_limit.cpp: accepted messages per connection (and
// per (room, user) where kConfig "rate_limit_per_user" = 1) never exceed
// the room's rate_limit_per_min within one 60 s window of the room's clock (0
// = no limit; a room that records no limit is not judged).
//
// A message is accepted by the room at some moment between its kSend and the
// observation that proves acceptance: its kAck in rooms that ack (any kAck of
// that room in the history), else (seed rooms) its first live receive by a
// client other than its sender. Observations lag the room by network delay,
// so the checker only reports what is certain: when, at an acceptance
// observed at t, more than the limit accepted messages of the connection (or
// user) were sent after t - 60 s, they were all accepted inside
// (t - 60 s, t], one window. That acceptance is the violating event.
// When a room's clock may be off (kConfig "room_clock_error_ms" = E, a
// room-clock-skew run), one 60 s window of the room's clock may cover only
// 60 s - 2E of true time, so that shorter window is used; with 2E >= 60 s
// nothing is judged (noted).
//
// Judged against: the world's send times and the acceptances clients
// observed; the limit is the room's declared promise.
//
// Memory: per open connection (and user) the send times of the last 60 s of
// acceptances; one entry per sent message not yet accepted.
#include <algorithm>
#include <map>
#include <string>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "properties/checkers/checkers.hpp"
#include "properties/checkers/support.hpp"

namespace roomsim::properties::internal {

namespace {

constexpr int64_t kMinuteNs = 60'000'000'000;

struct SendOrigin {
  uint64_t conn;
  int64_t t_ns;
};

// Send times of accepted messages; acceptances arrive in time order.
class Window {
 public:
  // Adds a message sent at `sent_ns` and accepted by `now_ns`; returns how
  // many accepted messages were sent in (now - window, now].
  size_t add(int64_t sent_ns, int64_t now_ns, int64_t window_ns) {
    sent_.insert(sent_ns);
    sent_.erase(sent_.begin(), sent_.upper_bound(now_ns - window_ns));
    return sent_.size();
  }

 private:
  std::multiset<int64_t> sent_;
};

}  // namespace

Verdict check_rate_limit(const History& h) {
  VerdictBuilder out("rate_limit");
  const ConfigView config(h);
  RoomScope scope(h, config, out);
  const auto& events = h.events();
  struct RoomLimit {
    std::optional<int64_t> per_min;  // nullopt: not judged (absent or 0)
    bool per_user = false;
  };
  std::map<NameId, RoomLimit> limits_of;
  const int64_t clock_error_ns = ms_to_ns(std::max<int64_t>(0, config.find("room_clock_error_ms").value_or(0)));
  const int64_t window_ns = saturating_add(kMinuteNs, -saturating_add(clock_error_ns, clock_error_ns));
  if (window_ns <= 0) {
    out.note_vacuous("room clocks may be off by half a minute or more (room_clock_error_ms): windows not judged");
    return out.finish();
  }
  const std::string window_text = window_ns == kMinuteNs ? "60 s" : std::to_string(window_ns / 1'000'000) + " ms";
  auto limit_of = [&](NameId room) -> const RoomLimit& {
    auto [it, fresh] = limits_of.try_emplace(room);
    if (fresh) {
      const auto per_min = scope.limit("rate_limit_per_min", room, "accepted messages per minute");
      if (per_min && *per_min > 0) it->second.per_min = per_min;
      it->second.per_user = config.find("rate_limit_per_user", room).value_or(0) == 1;
    }
    return it->second;
  };

  std::unordered_set<NameId> acking_rooms;
  for (const Event& e : events) {
    if (e.kind == EventKind::kAck) acking_rooms.insert(e.room);
  }

  std::unordered_map<uint64_t, NameId> user_of;  // conn -> user (kConnect)
  std::unordered_map<uint64_t, Window> per_conn;
  std::map<std::pair<NameId, NameId>, Window> per_user;
  std::unordered_map<MsgKey, SendOrigin, MsgKeyHash> origins;  // sent, not yet accepted

  auto accept = [&](size_t i, uint64_t conn, NameId room, NameId client, int64_t sent_ns) {
    const Event& e = events[i];
    const RoomLimit& room_limit = limit_of(room);
    if (!room_limit.per_min) return;
    const int64_t limit = *room_limit.per_min;
    out.judged();
    const size_t n = per_conn[conn].add(sent_ns, e.t_ns, window_ns);
    if (static_cast<int64_t>(n) > limit) {
      out.fail(i, e.t_ns, "connection_over_limit", [&] {
        return "connection " + std::to_string(conn) + " of client " + name_or_none(h, client) + " in room " +
               name_or_none(h, room) + " had " + std::to_string(n) + " messages sent and accepted in the " + window_text + " up to " +
               at_time(e.t_ns) + ", limit " + std::to_string(limit);
      });
    }
    if (!room_limit.per_user) return;
    auto u = user_of.find(conn);
    if (u == user_of.end() || u->second == kNoName) return;
    const NameId user = u->second;
    const size_t m = per_user[{room, user}].add(sent_ns, e.t_ns, window_ns);
    if (static_cast<int64_t>(m) > limit) {
      out.fail(i, e.t_ns, "user_over_limit", [&] {
        return "user " + name_or_none(h, user) + " in room " + name_or_none(h, room) + " had " + std::to_string(m) +
               " messages sent and accepted in the " + window_text + " up to " + at_time(e.t_ns) + ", limit " +
               std::to_string(limit);
      });
    }
  };

  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (!scope.judges(e.room)) continue;
    switch (e.kind) {
      case EventKind::kConnect:
        user_of[e.conn] = e.user;
        break;
      case EventKind::kAck: {
        auto o = origins.find(MsgKey{e.room, e.client, e.msg});
        const int64_t sent_ns = o == origins.end() ? e.t_ns : o->second.t_ns;
        if (o != origins.end()) origins.erase(o);
        accept(i, e.conn, e.room, e.client, sent_ns);
        break;
      }
      case EventKind::kSend:
        origins[send_key(e)] = SendOrigin{e.conn, e.t_ns};
        break;
      case EventKind::kReceive: {
        if (!is_live(e) || e.client == e.sender || acking_rooms.count(e.room)) break;
        auto o = origins.find(receive_key(e));
        if (o == origins.end()) break;  // already counted, or never sent
        const SendOrigin origin = o->second;
        origins.erase(o);
        accept(i, origin.conn, e.room, e.sender, origin.t_ns);
        break;
      }
      case EventKind::kClose:
        if (acking_rooms.count(e.room)) per_conn.erase(e.conn);
        break;
      default:
        break;
    }
  }
  out.if_vacuous("no accepted message (acked, or received by another client) in a room with a rate limit");
  return out.finish();
}

}  // namespace roomsim::properties::internal
