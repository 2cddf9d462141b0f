// properties/checkers/addressed_delivery.cpp: an addressed message reaches
// its addressees and nobody else.
//
// The address is what the sender sent (the world's kSend), never what the
// room's frame says:
//  - "direct" (target = a wire session id): its addressees are the
//    connections whose kWelcome named that session;
//  - "sub" (target = a sub-room id): its addressees are the connections that
//    joined the sub-room (kJoinRoom; value 0 = the client asked, 1 = the room
//    confirmed);
//  - a kDataUpdate for key k: its addressees are the connections that
//    subscribed to k or "*" (kSubscribe).
// Rules:
//  1. "wrong_receiver": a receive (live or replayed) of a direct message on a
//     connection whose welcome did not name the target session (the sender's
//     other connections included).
//  2. "sub_room_non_member": a receive of a sub-room message on a connection
//     that never asked to join that sub-room before the receive. (Leaving is
//     not recorded: frames in flight may still arrive after a leave_room.)
//  3. "unsubscribed_update": a kDataUpdate for key k on a connection that
//     never subscribed to k or "*" before it.
//  4. "addressee_missed": an addressee of a direct or sub-room message that
//     was welcomed and open from the send until send + liveness_bound_ms
//     (the room's), whose membership was confirmed (kJoinRoom value 1)
//     before the send for sub-rooms, and with no fault active at any moment
//     of that window, receives it by then, unless the room may never have
//     taken the message (DeliveryTracker: not acked while the sender got an
//     `error` after sending, or while the sender's connection closed in the
//     window). The sender's own connection is never owed its message.
// A history without any welcome session, kJoinRoom or kSubscribe cannot say
// who the addressees are for that kind of address; the verdict says so.
//
// Judged against: the address the sender gave and the sessions, joins and
// subscriptions the world recorded.
//
// Memory: the address of each sent direct or sub-room message, the session,
// sub-rooms and keys of each open connection, and the messages waiting for
// their addressees.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include "properties/checkers/checkers.hpp"
#include "properties/checkers/delivery_tracker.hpp"
#include "properties/checkers/support.hpp"

namespace roomsim::properties::internal {

namespace {

struct Address {
  NameId channel;  // the interned "direct" or "sub"
  NameId target;
  uint64_t conn;  // the sender's connection
};

struct ConnState {
  NameId room = kNoName;
  NameId client = kNoName;
  NameId session = kNoName;
  bool welcomed = false;
  bool all_keys = false;
  std::set<NameId> asked;      // sub-rooms it asked to join
  std::set<NameId> confirmed;  // sub-rooms the room confirmed
  std::set<NameId> keys;       // subscribed keys
};

}  // namespace

Verdict check_addressed_delivery(const History& h) {
  VerdictBuilder out("addressed_delivery");
  const KnownNames names(h);
  const ConfigView config(h);
  RoomScope scope(h, config, out);
  const auto& events = h.events();
  const auto star = h.find("*");
  const EndPhase end = find_end_phase(h, names);
  const int64_t judge_until = end.index ? end.t_ns : (events.empty() ? 0 : events.back().t_ns);

  bool records_sessions = false, records_joins = false, records_subscribes = false;
  for (const Event& e : events) {
    records_sessions |= e.kind == EventKind::kWelcome && e.session != kNoName;
    records_joins |= e.kind == EventKind::kJoinRoom;
    records_subscribes |= e.kind == EventKind::kSubscribe;
  }

  std::unordered_map<MsgKey, std::vector<Address>, MsgKeyHash> addresses;  // every address a message was sent to
  std::unordered_map<uint64_t, ConnState> conns;                           // open connections
  std::map<std::pair<NameId, NameId>, std::set<uint64_t>> by_session;      // (room, session) -> open conns
  std::map<NameId, std::optional<int64_t>> bound_of;
  std::unordered_map<uint64_t, NameId> client_of;  // every welcomed conn, for explanations
  bool saw_direct = false, saw_sub = false, saw_update = false;

  DeliveryTracker tracker(true, [&](const DeliveryTracker::Miss& m) {
    const Event& se = events[m.send_index];
    const int64_t bound_ms = *bound_of[se.room];
    out.fail(m.send_index, se.t_ns, "addressee_missed", [&] {
      const bool direct = names.is_direct(se);
      return message_label(se) + " from " + name_or_none(h, se.client) + " sent at " + at_time(se.t_ns) + " in room " +
             name_or_none(h, se.room) + (direct ? " to session " : " to sub-room ") + name_or_none(h, se.target) +
             " did not reach client " + name_or_none(h, client_of[m.receiver]) + " (connection " +
             std::to_string(m.receiver) + ") within " + std::to_string(bound_ms) + "ms";
    });
  });

  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (!scope.judges(e.room)) continue;
    tracker.observe(e);
    switch (e.kind) {
      case EventKind::kWelcome: {
        ConnState& c = conns[e.conn];
        c.room = e.room;
        c.client = e.client;
        c.session = e.session;
        c.welcomed = true;
        client_of[e.conn] = e.client;
        if (e.session != kNoName) by_session[{e.room, e.session}].insert(e.conn);
        break;
      }
      case EventKind::kJoinRoom: {
        ConnState& c = conns[e.conn];
        c.asked.insert(e.target);
        if (e.value == 1) c.confirmed.insert(e.target);
        break;
      }
      case EventKind::kSubscribe: {
        ConnState& c = conns[e.conn];
        if (star && e.text == *star)
          c.all_keys = true;
        else
          c.keys.insert(e.text);
        break;
      }
      case EventKind::kClose: {
        auto c = conns.find(e.conn);
        if (c == conns.end()) break;
        if (c->second.session != kNoName) {
          auto s = by_session.find({c->second.room, c->second.session});
          if (s != by_session.end()) {
            s->second.erase(e.conn);
            if (s->second.empty()) by_session.erase(s);
          }
        }
        conns.erase(c);
        break;
      }
      case EventKind::kSend: {
        const bool direct = names.is_direct(e);
        if (!direct && !names.is_sub(e)) break;
        addresses[send_key(e)].push_back(Address{e.channel, e.target, e.conn});
        if (direct ? !records_sessions : !records_joins) break;
        auto [b, fresh] = bound_of.try_emplace(e.room);
        if (fresh) b->second = scope.limit("liveness_bound_ms", e.room, "delivery to addressees");
        if (!b->second) break;
        const int64_t deadline = saturating_add(e.t_ns, ms_to_ns(*b->second));
        if (deadline > judge_until) break;
        auto sender = conns.find(e.conn);
        if (sender == conns.end() || !sender->second.welcomed) break;  // the sender was not connected
        std::vector<uint64_t> owed;
        if (direct) {
          auto s = by_session.find({e.room, e.target});
          if (s != by_session.end()) {
            for (uint64_t conn : s->second) {
              if (conn != e.conn) owed.push_back(conn);
            }
          }
        } else {
          std::vector<uint64_t> open;
          for (const auto& [conn, c] : conns) {
            if (conn != e.conn && c.welcomed && c.room == e.room && c.confirmed.count(e.target)) open.push_back(conn);
          }
          std::sort(open.begin(), open.end());
          owed = std::move(open);
        }
        if (tracker.expect(e, i, std::move(owed), deadline)) out.judged();
        break;
      }
      case EventKind::kReceive: {
        auto a = addresses.find(receive_key(e));
        if (a == addresses.end()) break;  // a room broadcast, or never sent (no_phantoms)
        const ConnState* c = nullptr;
        if (auto it = conns.find(e.conn); it != conns.end()) c = &it->second;
        bool direct_seen = false, sub_seen = false, allowed = false;
        for (const Address& addr : a->second) {
          if (names.direct && addr.channel == *names.direct) {
            direct_seen = true;
            allowed |= c != nullptr && c->session != kNoName && c->session == addr.target;
          } else {
            sub_seen = true;
            allowed |= c != nullptr && c->asked.count(addr.target);
          }
        }
        if (direct_seen && !records_sessions) {
          saw_direct = true;
          break;
        }
        if (sub_seen && !direct_seen && !records_joins) {
          saw_sub = true;
          break;
        }
        out.judged();
        if (allowed) break;
        const Address first = a->second.front();
        out.fail(i, e.t_ns, direct_seen ? "wrong_receiver" : "sub_room_non_member", [&] {
          const std::string who = "client " + name_or_none(h, e.client) + " (connection " + std::to_string(e.conn);
          if (direct_seen) {
            return who + ", session " + (c ? name_or_none(h, c->session) : std::string("(none)")) + ") received " +
                   message_label(e) + " from " + name_or_none(h, e.sender) + " addressed to session " +
                   name_or_none(h, first.target) + " in room " + name_or_none(h, e.room) + " at " + at_time(e.t_ns);
          }
          return who + ") received " + message_label(e) + " from " + name_or_none(h, e.sender) + " for sub-room " +
                 name_or_none(h, first.target) + " of room " + name_or_none(h, e.room) + " without joining it, at " +
                 at_time(e.t_ns);
        });
        break;
      }
      case EventKind::kDataUpdate: {
        if (!records_subscribes) {
          saw_update = true;
          break;
        }
        out.judged();
        auto it = conns.find(e.conn);
        if (it != conns.end() && (it->second.all_keys || it->second.keys.count(e.text))) break;
        out.fail(i, e.t_ns, "unsubscribed_update", [&] {
          return "client " + name_or_none(h, e.client) + " (connection " + std::to_string(e.conn) +
                 ") got an update of key " + name_or_none(h, e.text) + " in room " + name_or_none(h, e.room) +
                 " without subscribing to it, at " + at_time(e.t_ns);
        });
        break;
      }
      default:
        break;
    }
  }
  tracker.finish(judge_until);
  if (saw_direct) out.note_vacuous("direct messages not judged: no welcome in the history names a session");
  if (saw_sub) out.note_vacuous("sub-room messages not judged: the history records no join_room events");
  if (saw_update) out.note_vacuous("data updates not judged: the history records no subscribe events");
  if (!saw_direct && !saw_sub && !saw_update)
    out.if_vacuous("no direct or sub-room message and no data update recorded");
  return out.finish();
}

}  // namespace roomsim::properties::internal
