// properties/checkers/recovery.cpp: recovery without silent gaps.
//
// A *reconnect* is a kWelcome on a new connection X of client C in room R
// while C has no other open connection in R, after C had been welcomed in R
// before.
//
// With seqs: let L be the highest seq C had in R's epoch e (the seq its
// first welcome reported, raised by every seq it received or was acked for
// and by every earlier reconnect's welcome) and W the seq X's welcome reports. Every seq s in
// (L, W] that some client received (room and sub-room channels excluded: a
// sub-room's messages are not for everyone) must reach X (replayed or live)
// or lie inside a kGap announced on X. If the welcome reports another epoch,
// every seq above L that anyone received in epoch e must lie in a kGap on X.
// Judged when X closes or the history ends.
//
// Without seqs (seed rooms): every room broadcast (channel "") sent by
// another client between C's last close in R and X's welcome that some other
// client received must reach C later (on any connection), unless a kGap was
// announced on X. This is the seed flaw: a client that reconnects silently
// misses what was said while it was away.
//
// Memory: per (client, room) a few numbers; per room one bit per seq; the
// broadcast log of rooms without seqs; pending reconnects and their awaited
// messages.
#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "properties/checkers/checkers.hpp"
#include "properties/checkers/support.hpp"

namespace roomsim::properties::internal {

namespace {

struct ClientRoom {
  int64_t epoch = -1;
  int64_t last_seq = -1;
  int open = 0;
  size_t log_at_close = 0;  // room broadcast log size at C's last close
  bool welcomed = false;
};

struct SeqReconnect {
  size_t index;  // the welcome
  NameId room;
  int64_t epoch;  // of the gap
  int64_t from;   // exclusive
  int64_t to;     // inclusive; INT64_MAX when the epoch changed
  bool epoch_changed;
  std::unordered_set<int64_t> received;
  std::vector<std::pair<int64_t, int64_t>> gaps;
};

struct Receivers {
  NameId a = kNoName, b = kNoName;  // the first two distinct receiving clients
  void add(NameId c) {
    if (a == kNoName) a = c;
    else if (b == kNoName && c != a) b = c;
  }
  bool other_than(NameId c) const { return (a != kNoName && a != c) || (b != kNoName && b != c); }
};

struct PlainReconnect {
  size_t index;
  NameId client;
  size_t missing = 0;
  bool gap = false;
};

}  // namespace

Verdict check_recovery(const History& h) {
  VerdictBuilder out("recovery");
  const KnownNames names(h);
  const auto& events = h.events();

  std::map<std::pair<NameId, NameId>, ClientRoom> clients;  // (client, room)
  std::unordered_map<uint64_t, std::pair<NameId, NameId>> conn_owner;  // welcomed conn -> (client, room)
  std::map<std::pair<NameId, int64_t>, std::vector<bool>> seen;  // (room, epoch) -> seq received by anyone
  std::unordered_map<uint64_t, SeqReconnect> seq_pending;         // by conn X

  std::unordered_map<NameId, std::vector<MsgKey>> room_log;  // broadcasts of rooms without seqs
  std::unordered_map<MsgKey, Receivers, MsgKeyHash> receivers;
  std::vector<PlainReconnect> plain;
  std::unordered_map<uint64_t, size_t> plain_of_conn;
  std::unordered_map<MsgKey, std::vector<std::pair<NameId, size_t>>, MsgKeyHash> awaited;  // -> (client, plain id)

  auto mark_seen = [&](NameId room, int64_t epoch, int64_t seq) {
    auto& bits = seen[{room, epoch}];
    const auto s = static_cast<size_t>(seq);
    if (s >= bits.size()) bits.resize(std::max(s + 1, bits.size() * 2), false);
    bits[s] = true;
  };
  auto seen_by_anyone = [&](NameId room, int64_t epoch, int64_t s) {
    auto it = seen.find({room, epoch});
    return it != seen.end() && s >= 0 && static_cast<size_t>(s) < it->second.size() &&
           it->second[static_cast<size_t>(s)];
  };
  auto settle = [&](uint64_t conn) {
    auto it = seq_pending.find(conn);
    if (it == seq_pending.end()) return;
    SeqReconnect& p = it->second;
    std::sort(p.gaps.begin(), p.gaps.end());
    auto in_gap = [&](int64_t s) {
      for (const auto& [lo, hi] : p.gaps) {
        if (lo <= s && s <= hi) return true;
      }
      return false;
    };
    int64_t to = p.to;
    if (p.epoch_changed) {
      auto s = seen.find({p.room, p.epoch});
      to = s == seen.end() ? p.from : static_cast<int64_t>(s->second.size()) - 1;
    }
    for (int64_t s = p.from + 1; s <= to; ++s) {
      if (!p.epoch_changed && p.received.count(s)) continue;
      if (in_gap(s)) {
        for (const auto& [lo, hi] : p.gaps) {
          if (lo <= s && s <= hi) s = std::max(s, hi);  // skip the announced range
        }
        continue;
      }
      if (!seen_by_anyone(p.room, p.epoch, s)) continue;
      const Event& we = events[p.index];
      const bool changed = p.epoch_changed;
      out.fail(p.index, we.t_ns, [&] {
        return "client " + name_or_none(h, we.client) + " reconnected to room " + name_or_none(h, we.room) + " at " +
               at_time(we.t_ns) + " and never got seq " + std::to_string(s) + (changed ? " of its old epoch " : " of epoch ") +
               std::to_string(p.epoch) + " that others received or were acked for, and no gap notice covered it";
      });
      break;
    }
    seq_pending.erase(it);
  };

  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    switch (e.kind) {
      case EventKind::kWelcome: {
        ClientRoom& cr = clients[{e.client, e.room}];
        const bool reconnect = cr.welcomed && cr.open == 0;
        if (reconnect && e.seq >= 0 && cr.epoch >= 0) {
          const bool changed = e.epoch != cr.epoch;
          seq_pending[e.conn] = SeqReconnect{i, e.room, cr.epoch, cr.last_seq, changed ? INT64_MAX : e.seq, changed, {}, {}};
        } else if (reconnect && e.seq < 0) {
          const size_t id = plain.size();
          plain.push_back(PlainReconnect{i, e.client});
          plain_of_conn[e.conn] = id;
          const auto& log = room_log[e.room];
          for (size_t k = cr.log_at_close; k < log.size(); ++k) {
            if (log[k].sender != e.client) awaited[log[k]].emplace_back(e.client, id);
          }
        }
        if (e.seq >= 0) {
          if (cr.epoch != e.epoch) cr.last_seq = -1;
          cr.epoch = e.epoch;
          cr.last_seq = std::max(cr.last_seq, e.seq);
        }
        cr.welcomed = true;
        ++cr.open;
        conn_owner[e.conn] = {e.client, e.room};
        break;
      }
      case EventKind::kSend:
        if (e.channel == kNoName) room_log[e.room].push_back(send_key(e));
        break;
      case EventKind::kAck: {  // an acked message exists; its sender has it without receiving it
        if (e.seq >= 0 && e.epoch >= 0) mark_seen(e.room, e.epoch, e.seq);
        auto c = clients.find({e.client, e.room});
        if (c != clients.end() && e.seq >= 0 && c->second.epoch == e.epoch) {
          c->second.last_seq = std::max(c->second.last_seq, e.seq);
        }
        break;
      }
      case EventKind::kReceive: {
        if (names.is_direct(e) || names.is_sub(e)) break;
        if (e.seq >= 0 && e.epoch >= 0) {
          mark_seen(e.room, e.epoch, e.seq);
          auto c = clients.find({e.client, e.room});
          if (c != clients.end() && c->second.epoch == e.epoch) c->second.last_seq = std::max(c->second.last_seq, e.seq);
          auto p = seq_pending.find(e.conn);
          if (p != seq_pending.end() && e.seq > p->second.from && e.seq <= p->second.to) p->second.received.insert(e.seq);
          break;
        }
        const MsgKey key = receive_key(e);
        receivers[key].add(e.client);
        auto a = awaited.find(key);
        if (a != awaited.end()) {
          std::erase_if(a->second, [&](const auto& w) { return w.first == e.client; });
          if (a->second.empty()) awaited.erase(a);
        }
        break;
      }
      case EventKind::kGap: {
        auto p = seq_pending.find(e.conn);
        if (p != seq_pending.end()) p->second.gaps.emplace_back(e.value, e.seq);
        auto q = plain_of_conn.find(e.conn);
        if (q != plain_of_conn.end()) plain[q->second].gap = true;
        break;
      }
      case EventKind::kClose: {
        settle(e.conn);
        plain_of_conn.erase(e.conn);
        auto o = conn_owner.find(e.conn);
        if (o == conn_owner.end()) break;
        ClientRoom& cr = clients[o->second];
        if (cr.open > 0) --cr.open;
        cr.log_at_close = room_log[o->second.second].size();
        conn_owner.erase(o);
        break;
      }
      default:
        break;
    }
  }
  std::vector<uint64_t> open;
  for (const auto& [conn, p] : seq_pending) open.push_back(conn);
  std::sort(open.begin(), open.end());
  for (uint64_t conn : open) settle(conn);

  // Rooms without seqs: what is still awaited and was received by someone else.
  std::vector<std::pair<size_t, MsgKey>> missed;  // (plain id, message)
  for (const auto& [key, waiters] : awaited) {
    auto r = receivers.find(key);
    if (r == receivers.end()) continue;
    for (const auto& [client, id] : waiters) {
      if (r->second.other_than(client) && !plain[id].gap) missed.emplace_back(id, key);
    }
  }
  std::sort(missed.begin(), missed.end());
  for (const auto& [id, key] : missed) ++plain[id].missing;
  for (const PlainReconnect& p : plain) {
    if (p.missing == 0 || p.gap) continue;
    const Event& we = events[p.index];
    const size_t count = p.missing;
    out.fail(p.index, we.t_ns, [&] {
      return "client " + name_or_none(h, we.client) + " reconnected to room " + name_or_none(h, we.room) + " at " +
             at_time(we.t_ns) + " and never received " + std::to_string(count) +
             " message(s) that others received while it was away, with no gap notice";
    });
  }
  return out.finish();
}

}  // namespace roomsim::properties::internal
