// properties/checkers/recovery.cpp: recovery without silent gaps.
//
// A *reconnect* is a kWelcome on a new connection X of client C in room R
// while C has no other open connection in R, after C had been welcomed in R
// before.
//
// With seqs: let L be the highest seq C had in R's epoch e (the seq its
// first welcome reported, raised by every seq it received or was acked for
// and by every earlier reconnect's welcome) and W the seq X's welcome
// reports. Every seq s in (L, W] that some client received or was acked for
// (direct and sub-room receives do not count: they are not for everyone)
// must reach C afterwards (on X or any later connection, replayed or live)
// or lie inside a kGap announced to C after X's welcome. If the welcome
// reports another epoch, every seq above L that anyone received or was
// acked for in epoch e must lie in such a kGap. Judged at the end of the
// history, so a resume cut short by a close may still be completed by the
// next reconnect; a client whose later replays skip past the hole silently
// fails.
// Without seqs (seed rooms): every room broadcast (channel "") sent by
// another client between C's last close in R and X's welcome that some other
// client received must reach C later (on any connection), unless a kGap was
// announced on X. This is the seed flaw: a client that reconnects silently
// misses what was said while it was away.
//
// Memory: per (client, room, epoch) one bit per seq the client had; per room
// one bit per seq anyone had; the gaps announced; the broadcast log of rooms
// without seqs; pending reconnects and their awaited messages.
#include <algorithm>
#include <map>
#include <tuple>
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
  NameId client;
  NameId room;
  int64_t epoch;  // of the hole
  int64_t from;   // exclusive
  int64_t to;     // inclusive; ignored when the epoch changed
  bool epoch_changed;
};

struct AnnouncedGap {
  int64_t first;
  int64_t last;
  size_t index;
};

using Bits = std::vector<bool>;

void set_bit(Bits& bits, int64_t seq) {
  const auto s = static_cast<size_t>(seq);
  if (s >= bits.size()) bits.resize(std::max(s + 1, bits.size() * 2), false);
  bits[s] = true;
}

bool has_bit(const Bits* bits, int64_t seq) {
  return bits && seq >= 0 && static_cast<size_t>(seq) < bits->size() && (*bits)[static_cast<size_t>(seq)];
}

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
  std::map<std::pair<NameId, int64_t>, Bits> seen;                // (room, epoch) -> seq anyone had
  std::map<std::tuple<NameId, NameId, int64_t>, Bits> had;        // (client, room, epoch) -> seq it had
  std::map<std::pair<NameId, NameId>, std::vector<AnnouncedGap>> gaps;  // (client, room)
  std::vector<SeqReconnect> seq_reconnects;
  struct ConnCache {
    int64_t epoch = -1;
    Bits* seen = nullptr;
    Bits* had = nullptr;
    ClientRoom* client = nullptr;
  };
  std::unordered_map<uint64_t, ConnCache> cache;  // open connections

  std::unordered_map<NameId, std::vector<MsgKey>> room_log;  // broadcasts of rooms without seqs
  std::unordered_map<MsgKey, Receivers, MsgKeyHash> receivers;
  std::vector<PlainReconnect> plain;
  std::unordered_map<uint64_t, size_t> plain_of_conn;
  std::unordered_map<MsgKey, std::vector<std::pair<NameId, size_t>>, MsgKeyHash> awaited;  // -> (client, plain id)

  auto find_bits = [](const auto& map, const auto& key) -> const Bits* {
    auto it = map.find(key);
    return it == map.end() ? nullptr : &it->second;
  };
  // Judges one reconnect once the whole history is known.
  auto judge = [&](const SeqReconnect& r) {
    const Bits* anyone = find_bits(seen, std::make_pair(r.room, r.epoch));
    if (!anyone) return;
    const Bits* mine = find_bits(had, std::make_tuple(r.client, r.room, r.epoch));
    std::vector<AnnouncedGap> later;
    if (auto g = gaps.find({r.client, r.room}); g != gaps.end()) {
      for (const AnnouncedGap& gap : g->second) {
        if (gap.index > r.index) later.push_back(gap);
      }
    }
    const int64_t to = r.epoch_changed ? static_cast<int64_t>(anyone->size()) - 1 : r.to;
    for (int64_t s = r.from + 1; s <= to; ++s) {
      if (!r.epoch_changed && has_bit(mine, s)) continue;
      bool covered = false;
      for (const AnnouncedGap& gap : later) {
        if (gap.first <= s && s <= gap.last) {
          covered = true;
          s = gap.last;  // skip the announced range
        }
      }
      if (covered || !has_bit(anyone, s)) continue;
      const Event& we = events[r.index];
      const bool changed = r.epoch_changed;
      out.fail(r.index, we.t_ns, "silent_hole", [&] {
        return "client " + name_or_none(h, we.client) + " reconnected to room " + name_or_none(h, we.room) + " at " +
               at_time(we.t_ns) + " and never got seq " + std::to_string(s) + (changed ? " of its old epoch " : " of epoch ") +
               std::to_string(r.epoch) + " that others received or were acked for, and no gap notice covered it";
      });
      return;
    }
  };

  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    switch (e.kind) {
      case EventKind::kWelcome: {
        ClientRoom& cr = clients[{e.client, e.room}];
        const bool reconnect = cr.welcomed && cr.open == 0;
        if (reconnect && e.seq >= 0 && cr.epoch >= 0) {
          seq_reconnects.push_back(SeqReconnect{i, e.client, e.room, cr.epoch, cr.last_seq, e.seq, e.epoch != cr.epoch});
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
        cache.erase(e.conn);  // the client record may be new
        break;
      }
      case EventKind::kSend:
        if (e.channel == kNoName) room_log[e.room].push_back(send_key(e));
        break;
      case EventKind::kAck: {  // an acked message exists; its sender has it without receiving it
        if (e.seq < 0 || e.epoch < 0) break;
        set_bit(seen[{e.room, e.epoch}], e.seq);
        set_bit(had[{e.client, e.room, e.epoch}], e.seq);
        auto c = clients.find({e.client, e.room});
        if (c != clients.end() && e.seq >= 0 && c->second.epoch == e.epoch) {
          c->second.last_seq = std::max(c->second.last_seq, e.seq);
        }
        break;
      }
      case EventKind::kReceive: {
        if (names.is_direct(e) || names.is_sub(e)) break;
        if (e.seq >= 0 && e.epoch >= 0) {
          // The hot path: map nodes are stable, so each connection keeps pointers to its bitmaps.
          ConnCache& cc = cache[e.conn];
          if (cc.epoch != e.epoch || !cc.seen) {
            auto c = clients.find({e.client, e.room});
            cc = ConnCache{e.epoch, &seen[{e.room, e.epoch}], &had[{e.client, e.room, e.epoch}],
                           c == clients.end() ? nullptr : &c->second};
          }
          set_bit(*cc.seen, e.seq);
          set_bit(*cc.had, e.seq);
          if (cc.client && cc.client->epoch == e.epoch) cc.client->last_seq = std::max(cc.client->last_seq, e.seq);
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
        gaps[{e.client, e.room}].push_back(AnnouncedGap{e.value, e.seq, i});
        auto q = plain_of_conn.find(e.conn);
        if (q != plain_of_conn.end()) plain[q->second].gap = true;
        break;
      }
      case EventKind::kClose: {
        plain_of_conn.erase(e.conn);
        cache.erase(e.conn);
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
  out.judged(seq_reconnects.size() + plain.size());
  for (const SeqReconnect& r : seq_reconnects) judge(r);

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
    out.fail(p.index, we.t_ns, "missed_while_away", [&] {
      return "client " + name_or_none(h, we.client) + " reconnected to room " + name_or_none(h, we.room) + " at " +
             at_time(we.t_ns) + " and never received " + std::to_string(count) +
             " message(s) that others received while it was away, with no gap notice";
    });
  }
  return out.finish();
}

}  // namespace roomsim::properties::internal
