// properties/checkers/recovery.cpp: no silent loss, on a live connection or
// across a reconnect, and only honest gap notices.
//
// With seqs. A room broadcast is *established* at (room, epoch, seq) once
// anyone was acked for it or received it (live or replayed; "direct" and
// "sub" receives are not for everyone and do not count). Per (client C,
// room R, epoch e) the checker keeps the seqs C *had* (received on any
// connection, live or replayed, or acked to it) and the gap ranges
// announced to it (kGap, in the epoch the range counts in). C is *owed*:
//  (a) "live_hole": on each connection c, the established seqs in
//      (W_c, M_c], where W_c is c's welcome seq and M_c the highest seq
//      live-received or acked on c. A connection is FIFO, and the room sends
//      every broadcast after the welcome to every session, so a hole below a
//      later live seq was skipped, not in flight. Evidence: the first live
//      receive or ack on c above the hole.
//  (b) "silent_hole": at each reconnect (a kWelcome on a new connection X
//      while C has no other open connection in R, after C was welcomed in R
//      before), the established seqs in (L, W], where L is C's contiguous
//      prefix in its epoch at that moment (its first welcome's seq, extended
//      over every next seq it had or that lies in a gap announced to it) and
//      W is X's welcome seq. If X's welcome reports another epoch, every
//      established seq above L in the old epoch is owed. Evidence: X's
//      welcome.
//  (c) "not_caught_up": for a connection still open at the last kPhase
//      "end", every established seq above W_c whose first establishment came
//      at least liveness_bound_ms (the room's) before the end. Evidence: the
//      end phase.
// Judged at the end of the history: every owed seq must be in C's had set or
// in a gap announced to C in that epoch, else it fails once per (client,
// room, epoch, seq) at the earliest evidence. A resume cut short by a close
// may be completed by a later connection; a client whose later replays skip
// past the hole fails.
//
// Honest gaps (d) "dishonest_gap": a gap announced on connection c in c's own
// epoch (the room's current epoch, from c's welcome) may only cover seqs the
// room no longer keeps. Let U be an upper bound on the room's latest seq when
// it sent the gap frame: the first seq live-received or acked on c after the
// gap, minus 1 (frames on a connection are FIFO and the output gate releases
// held frames in order, so everything after the gap frame was numbered after
// it); without such a receive, the highest seq established in that epoch by
// the end of the history. Let B be the highest seq established before c's
// request (its last kResume before the gap, else its kConnect): seqs up to B
// existed when the room answered. An established seq s in the gap with
// U - history_max < s <= min(U, B) was still kept (history_max = 0: the room
// keeps everything), so announcing it as gone fails, at the gap event. Blind
// spot: the fallback U is only an upper bound when the room's latest seq at
// the gap was observed by someone (a room that hides its newest message from
// the replay sharing the gap frame can be blamed too early; it also breaks
// history_bound). Gaps of another epoch (the frame's missedEpoch) are honest
// when the epoch really changed, which durability judges (epoch_changed).
//
// Without seqs (seed rooms), "missed_while_away": every room broadcast
// (channel "") sent by another client between C's last close in R and X's
// welcome that some other client received must reach C later (on any
// connection), unless a kGap was announced on X. This is the seed flaw: a
// client that reconnects silently misses what was said while it was away.
//
// Judged against: what other clients received or were acked for (the world's
// record of what exists), never the room's own claims; the room's welcome
// seq only widens what is owed, and its gap notices are checked against
// history_max.
//
// Memory: per (client, room, epoch) one bit per seq the client had and its
// gaps; per (room, epoch) the first establishment of each seq; per
// connection its holes and pending gap checks; the broadcast log of rooms
// without seqs; pending reconnects and their awaited messages.
#include <algorithm>
#include <limits>
#include <map>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "properties/checkers/checkers.hpp"
#include "properties/checkers/seq_table.hpp"
#include "properties/checkers/support.hpp"

namespace roomsim::properties::internal {

namespace {

constexpr int64_t kNoLimit = std::numeric_limits<int64_t>::max();

struct FirstEstablished {
  int64_t t_ns = 0;
  size_t index = 0;
};

struct RoomEpoch {
  SeqTable<FirstEstablished> established;
  int64_t max_seq = -1;
};

// Disjoint announced ranges, merged on insert.
class GapSet {
 public:
  void add(int64_t first, int64_t last) {
    if (first < 0) first = 0;
    if (last < first) return;
    auto it = ranges_.upper_bound(first);
    if (it != ranges_.begin() && std::prev(it)->second >= first - 1) {
      --it;
      first = it->first;
      last = std::max(last, it->second);
      it = ranges_.erase(it);
    }
    while (it != ranges_.end() && (last == kNoLimit || it->first <= last + 1)) {
      last = std::max(last, it->second);
      it = ranges_.erase(it);
    }
    ranges_[first] = last;
  }
  // The last seq of the range covering `seq`, if any.
  std::optional<int64_t> covering(int64_t seq) const {
    auto it = ranges_.upper_bound(seq);
    if (it == ranges_.begin()) return std::nullopt;
    --it;
    if (it->second < seq) return std::nullopt;
    return it->second;
  }

 private:
  std::map<int64_t, int64_t> ranges_;  // first -> last
};

struct ClientEpoch {
  SeqSet had;
  GapSet gaps;
};

struct ClientRoom {
  int64_t epoch = -1;
  int64_t prefix = -1;  // contiguous prefix in `epoch`
  int open = 0;
  size_t log_at_close = 0;  // room broadcast log size at C's last close (rooms without seqs)
  bool welcomed = false;
};

enum class Owed { kLiveHole, kReconnect, kAtEnd };

// Seqs [from, to] of (client, room, epoch) the client is owed, with the event
// that shows it; kAtEnd ranges only count seqs first established by `until_ns`.
struct Obligation {
  NameId client;
  NameId room;
  int64_t epoch;
  int64_t from;
  int64_t to;
  size_t evidence;
  Owed kind;
  int64_t until_ns = 0;
  bool void_ = false;  // a reconnect whose connection closed within the liveness bound
};

struct GapCheck {
  size_t index;  // the kGap
  NameId room;
  int64_t epoch;
  int64_t first;
  int64_t last;
  int64_t b;       // highest seq established before the request
  int64_t u = -1;  // first live seq after the gap - 1; -1: none yet
  bool u_known = false;
};

struct ConnState {
  NameId client = kNoName;
  NameId room = kNoName;
  int64_t epoch = -1;
  int64_t welcome_seq = -1;
  int64_t max_live = -1;
  bool welcomed = false;
  // Highest seq established in the room (its latest epoch) at c's last request.
  int64_t request_epoch = -1;
  int64_t request_max = -1;
  std::vector<size_t> open_gap_checks;  // into gap_checks, waiting for U
  ClientEpoch* mine = nullptr;          // cache for (client, room, epoch)
};

struct Receivers {
  NameId a = kNoName, b = kNoName;  // the first two distinct receiving clients
  void add(NameId c) {
    if (a == kNoName)
      a = c;
    else if (b == kNoName && c != a)
      b = c;
  }
  bool other_than(NameId c) const { return (a != kNoName && a != c) || (b != kNoName && b != c); }
};

struct PlainReconnect {
  size_t index;
  NameId client;
  size_t missing = 0;
  bool gap = false;
};

struct Missed {
  size_t evidence;
  Owed kind;
};

}  // namespace

Verdict check_recovery(const History& h) {
  VerdictBuilder out("recovery");
  const KnownNames names(h);
  const ConfigView config(h);
  RoomScope scope(h, config, out);
  const auto& events = h.events();
  const EndPhase end = find_end_phase(h, names);

  std::map<std::pair<NameId, NameId>, ClientRoom> clients;                   // (client, room)
  std::map<std::pair<NameId, int64_t>, RoomEpoch> room_epochs;               // (room, epoch)
  std::map<NameId, std::pair<int64_t, int64_t>> room_latest;                 // room -> (latest epoch, its max seq)
  std::map<std::tuple<NameId, NameId, int64_t>, ClientEpoch> client_epochs;  // (client, room, epoch)
  std::unordered_map<uint64_t, ConnState> conns;                             // open connections
  std::vector<Obligation> owed;
  std::map<uint64_t, std::vector<size_t>> awaiting_catch_up;  // conn -> its reconnect obligations (indices in owed)
  std::vector<GapCheck> gap_checks;

  std::unordered_map<NameId, std::vector<MsgKey>> room_log;  // broadcasts of rooms without seqs
  std::unordered_map<MsgKey, Receivers, MsgKeyHash> receivers;
  std::vector<PlainReconnect> plain;
  std::unordered_map<uint64_t, size_t> plain_of_conn;
  std::unordered_map<MsgKey, std::vector<std::pair<NameId, size_t>>, MsgKeyHash> awaited;  // -> (client, plain id)

  auto client_epoch = [&](NameId client, NameId room, int64_t epoch) -> ClientEpoch& {
    return client_epochs[{client, room, epoch}];
  };
  auto establish = [&](const Event& e, size_t i) {
    RoomEpoch& re = room_epochs[{e.room, e.epoch}];
    bool fresh = false;
    FirstEstablished& f = re.established.insert(e.seq, &fresh);
    if (fresh) f = FirstEstablished{e.t_ns, i};
    re.max_seq = std::max(re.max_seq, e.seq);
    auto& latest = room_latest[e.room];
    if (e.epoch > latest.first) latest = {e.epoch, -1};
    if (e.epoch == latest.first) latest.second = std::max(latest.second, e.seq);
  };
  // A live receive or ack of `seq` on connection c: holes below it, U of its open gap checks.
  auto live_on = [&](ConnState& c, const Event& e, size_t i) {
    if (!c.welcomed || c.welcome_seq < 0 || e.epoch != c.epoch) return;
    for (size_t g : c.open_gap_checks) {
      if (gap_checks[g].epoch != e.epoch) continue;
      gap_checks[g].u = e.seq - 1;
      gap_checks[g].u_known = true;
    }
    c.open_gap_checks.clear();
    const int64_t next = saturating_add(std::max(c.max_live, c.welcome_seq), 1);
    if (e.seq > next) owed.push_back(Obligation{c.client, c.room, c.epoch, next, e.seq - 1, i, Owed::kLiveHole});
    c.max_live = std::max(c.max_live, e.seq);
  };
  // An ack or a receive with a seq: the message is established, the client
  // has it, and a live one moves its connection's stream on.
  auto take_seq = [&](const Event& e, size_t i, bool live) {
    establish(e, i);
    auto c = conns.find(e.conn);
    if (c != conns.end() && c->second.mine != nullptr && c->second.epoch == e.epoch) {
      c->second.mine->had.insert(e.seq);  // the hot path: the connection caches its client's set
    } else {
      client_epoch(e.client, e.room, e.epoch).had.insert(e.seq);
    }
    if (live && c != conns.end()) live_on(c->second, e, i);
  };
  // C's contiguous prefix in its epoch, extended as far as it reaches now.
  auto advance_prefix = [&](NameId client, NameId room, ClientRoom& cr) {
    if (cr.epoch < 0 || cr.prefix < 0) return;
    ClientEpoch& ce = client_epoch(client, room, cr.epoch);
    while (cr.prefix < kNoLimit) {
      const int64_t next = cr.prefix + 1;
      if (ce.had.contains(next)) {
        cr.prefix = next;
      } else if (auto last = ce.gaps.covering(next)) {
        cr.prefix = *last;
      } else {
        break;
      }
    }
  };

  // (c): connections open at the last end phase.
  std::map<NameId, std::optional<int64_t>> bound_of;
  auto owe_at_end = [&](size_t end_index, int64_t end_ns) {
    std::vector<uint64_t> open;
    for (const auto& [conn, c] : conns) {
      if (c.welcomed && c.welcome_seq >= 0) open.push_back(conn);
    }
    std::sort(open.begin(), open.end());
    for (uint64_t conn : open) {
      const ConnState& c = conns[conn];
      auto [b, fresh] = bound_of.try_emplace(c.room);
      if (fresh) b->second = scope.limit("liveness_bound_ms", c.room, "catching up of connections open at the end");
      if (!b->second) continue;
      const int64_t until = saturating_add(end_ns, -ms_to_ns(*b->second));
      owed.push_back(Obligation{c.client, c.room, c.epoch, saturating_add(c.welcome_seq, 1), kNoLimit, end_index,
                                Owed::kAtEnd, until});
    }
  };

  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (end.index && i == *end.index) owe_at_end(i, e.t_ns);
    if (!scope.judges(e.room)) continue;
    switch (e.kind) {
      case EventKind::kConnect: {
        ConnState& c = conns[e.conn];
        auto latest = room_latest.find(e.room);
        if (latest != room_latest.end()) std::tie(c.request_epoch, c.request_max) = latest->second;
        break;
      }
      case EventKind::kConnectResult:
        if (e.code != 101) conns.erase(e.conn);
        break;
      case EventKind::kResume: {
        auto c = conns.find(e.conn);
        auto latest = room_latest.find(e.room);
        if (c != conns.end() && latest != room_latest.end()) {
          std::tie(c->second.request_epoch, c->second.request_max) = latest->second;
        }
        break;
      }
      case EventKind::kWelcome: {
        ClientRoom& cr = clients[{e.client, e.room}];
        const bool reconnect = cr.welcomed && cr.open == 0;
        if (e.seq >= 0) {
          if (reconnect && cr.epoch >= 0) {
            advance_prefix(e.client, e.room, cr);
            const int64_t from = saturating_add(cr.prefix, 1);
            if (e.epoch != cr.epoch) {
              awaiting_catch_up[e.conn].push_back(owed.size());
              owed.push_back(Obligation{e.client, e.room, cr.epoch, from, kNoLimit, i, Owed::kReconnect});
            } else if (e.seq > cr.prefix) {
              awaiting_catch_up[e.conn].push_back(owed.size());
              owed.push_back(Obligation{e.client, e.room, cr.epoch, from, e.seq, i, Owed::kReconnect});
              // (prefix, W] is owed from here on: a later reconnect need not owe it again.
              cr.prefix = e.seq;
            }
          }
          if (cr.epoch != e.epoch || cr.prefix < 0) {
            cr.epoch = e.epoch;
            cr.prefix = e.seq;
          }
        } else if (reconnect) {
          const size_t id = plain.size();
          plain.push_back(PlainReconnect{i, e.client});
          plain_of_conn[e.conn] = id;
          const auto& log = room_log[e.room];
          for (size_t k = cr.log_at_close; k < log.size(); ++k) {
            if (log[k].sender != e.client) awaited[log[k]].emplace_back(e.client, id);
          }
        }
        cr.welcomed = true;
        ++cr.open;
        ConnState& c = conns[e.conn];
        c.client = e.client;
        c.room = e.room;
        c.epoch = e.epoch;
        c.welcome_seq = e.seq;
        c.welcomed = true;
        c.mine = e.seq >= 0 ? &client_epoch(e.client, e.room, e.epoch) : nullptr;
        if (e.seq >= 0) out.judged();
        break;
      }
      case EventKind::kSend:
        if (e.channel == kNoName) room_log[e.room].push_back(send_key(e));
        break;
      case EventKind::kAck: {  // an acked message exists; its sender has it without receiving it
        if (e.seq >= 0 && e.epoch >= 0) take_seq(e, i, true);
        break;
      }
      case EventKind::kReceive: {
        if (names.is_direct(e) || names.is_sub(e)) break;
        if (e.seq >= 0 && e.epoch >= 0) {
          take_seq(e, i, is_live(e));
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
        if (e.epoch >= 0) client_epoch(e.client, e.room, e.epoch).gaps.add(e.value, e.seq);
        if (auto q = plain_of_conn.find(e.conn); q != plain_of_conn.end()) plain[q->second].gap = true;
        auto c = conns.find(e.conn);
        if (c == conns.end() || !c->second.welcomed || c->second.welcome_seq < 0 || e.epoch != c->second.epoch) break;
        const int64_t b = c->second.request_epoch == e.epoch ? c->second.request_max : -1;
        c->second.open_gap_checks.push_back(gap_checks.size());
        gap_checks.push_back(GapCheck{i, e.room, e.epoch, e.value, e.seq, b});
        break;
      }
      case EventKind::kClose: {
        // The catch-up of a reconnect is owed within the room's liveness
        // bound, as a delivery is: a connection that closed sooner (e.g. a
        // client that left for good right after reconnecting, before the
        // `resumed` answer arrived) owed nothing.
        if (auto w = awaiting_catch_up.find(e.conn); w != awaiting_catch_up.end()) {
          const std::optional<int64_t> bound = scope.limit("liveness_bound_ms", e.room, "catch-up after a reconnect");
          for (size_t k : w->second) {
            const int64_t welcomed_ns = events[owed[k].evidence].t_ns;
            if (bound && e.t_ns < saturating_add(welcomed_ns, ms_to_ns(*bound))) owed[k].void_ = true;
          }
          awaiting_catch_up.erase(w);
        }
        plain_of_conn.erase(e.conn);
        auto c = conns.find(e.conn);
        if (c == conns.end()) break;
        if (c->second.welcomed) {
          ClientRoom& cr = clients[{c->second.client, c->second.room}];
          if (cr.open > 0) --cr.open;
          cr.log_at_close = room_log[c->second.room].size();
        }
        conns.erase(c);
        break;
      }
      default:
        break;
    }
  }

  if (!end.index && !conns.empty())
    out.note_vacuous("no end phase: connections open at the end not judged for catching up");

  // Judge every obligation against what each client had and was told.
  std::map<std::tuple<NameId, NameId, int64_t, int64_t>, Missed> missed;  // (client, room, epoch, seq)
  out.judged(owed.size());
  for (const Obligation& o : owed) {
    if (o.void_) continue;
    auto re = room_epochs.find({o.room, o.epoch});
    if (re == room_epochs.end()) continue;
    const ClientEpoch& ce = client_epoch(o.client, o.room, o.epoch);
    const auto& est = re->second.established;
    for (auto s = est.next(o.from, o.to); s; s = *s < o.to ? est.next(*s + 1, o.to) : std::nullopt) {
      if (ce.had.contains(*s)) continue;
      if (auto last = ce.gaps.covering(*s)) {
        if (*last >= o.to) break;
        s = *last;  // skip the announced range
        continue;
      }
      if (o.kind == Owed::kAtEnd && est.find(*s)->t_ns > o.until_ns) continue;
      auto [m, fresh] = missed.try_emplace({o.client, o.room, o.epoch, *s}, Missed{o.evidence, o.kind});
      if (!fresh && o.evidence < m->second.evidence) m->second = Missed{o.evidence, o.kind};
    }
  }
  for (const auto& [key, m] : missed) {
    // Plain variables, not a structured binding: the lambda below captures them (clang 14).
    const NameId client = std::get<0>(key), room = std::get<1>(key);
    const int64_t epoch = std::get<2>(key), seq = std::get<3>(key);
    const Event& ev = events[m.evidence];
    static constexpr const char* kRules[] = {"live_hole", "silent_hole", "not_caught_up"};
    const Owed kind = m.kind;
    out.fail(m.evidence, ev.t_ns, kRules[static_cast<int>(kind)], [&] {
      const std::string what = " seq " + std::to_string(seq) + " of epoch " + std::to_string(epoch) +
                               " that others received or were acked for, and no gap notice covered it";
      const std::string who = "client " + name_or_none(h, client);
      switch (kind) {
        case Owed::kLiveHole:
          return who + " got seq " + std::to_string(ev.seq) + " live on connection " + std::to_string(ev.conn) +
                 " in room " + name_or_none(h, room) + " at " + at_time(ev.t_ns) + " but never got" + what;
        case Owed::kReconnect:
          return who + " reconnected to room " + name_or_none(h, room) + " at " + at_time(ev.t_ns) + " and never got" +
                 what;
        case Owed::kAtEnd:
          break;
      }
      return who + " was still connected to room " + name_or_none(h, room) + " at the end (" + at_time(ev.t_ns) +
             ") but never got" + what;
    });
  }

  // (d): honest gaps.
  std::map<NameId, std::optional<int64_t>> history_max_of;
  for (const GapCheck& g : gap_checks) {
    auto re = room_epochs.find({g.room, g.epoch});
    if (re == room_epochs.end()) continue;
    auto [hm, fresh] = history_max_of.try_emplace(g.room);
    if (fresh) hm->second = scope.limit("history_max", g.room, "honesty of gap notices");
    if (!hm->second) continue;
    out.judged();
    const int64_t u = g.u_known ? g.u : re->second.max_seq;
    const int64_t lowest =
        *hm->second <= 0 ? 0 : std::max<int64_t>(0, saturating_add(saturating_add(u, -*hm->second), 1));
    const int64_t highest = std::min({u, g.b, g.last});
    const auto s = re->second.established.next(std::max(lowest, g.first), highest);
    if (!s) continue;
    const Event& ge = events[g.index];
    const int64_t seq = *s, history_max = *hm->second, latest = u;
    out.fail(g.index, ge.t_ns, "dishonest_gap", [&] {
      return "room " + name_or_none(h, ge.room) + " told client " + name_or_none(h, ge.client) + " at " +
             at_time(ge.t_ns) + " that seqs " + std::to_string(ge.value) + ".." + std::to_string(ge.seq) +
             " of epoch " + std::to_string(ge.epoch) + " are gone, but seq " + std::to_string(seq) +
             " was acked or delivered and is within the last " + std::to_string(history_max) +
             " messages (room at seq " + std::to_string(latest) + " at most)";
    });
  }

  // Rooms without seqs: what is still awaited and was received by someone else.
  out.judged(plain.size());
  std::vector<std::pair<size_t, MsgKey>> missed_plain;  // (plain id, message)
  for (const auto& [key, waiters] : awaited) {
    auto r = receivers.find(key);
    if (r == receivers.end()) continue;
    for (const auto& [client, id] : waiters) {
      if (r->second.other_than(client) && !plain[id].gap) missed_plain.emplace_back(id, key);
    }
  }
  std::sort(missed_plain.begin(), missed_plain.end());
  for (const auto& [id, key] : missed_plain) ++plain[id].missing;
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
  out.if_vacuous("no welcome with a seq and no reconnect to a room without seqs: nothing to recover");
  return out.finish();
}

}  // namespace roomsim::properties::internal
