// properties/checkers/durability.cpp: anything acked or delivered survives.
//
// A message is *established* in (room, epoch e) at seq s once a kAck or a
// kReceive (live or replayed) reports (e, s). Afterwards:
//  1. "seq_replaced": no ack or receive (live or replayed) puts another
//     message at (room, e, s) (PositionLedger): a room that lost s in a crash
//     and numbered a new message s has replaced what a client already had.
//  2. "welcome_forgot": no kWelcome in epoch e on a connection whose kConnect
//     came after s was established reports a latest seq < s. (A welcome is
//     observed after the room sent it; only what was established before the
//     client even asked to connect is certain to precede the room's answer.
//     Welcomes of connections without a recorded kConnect are not judged by
//     this rule.)
//  3. "epoch_changed": the room never moves to a later epoch (a kWelcome,
//     kAck or kReceive with a higher epoch) once anything was established in
//     the current one: the history has no deliberate reset, so a new epoch
//     means lost history. Events of an earlier epoch (frames still in
//     flight) are ignored;
//  4. "replay_lacked_established": a kReplayWindow [first, last] in epoch e
//     that covers s replays it: the replaying connection receives seq s
//     (replayed or live) before it closes (or before the history ends); a
//     receive of s earlier on that connection also counts (a replay may
//     follow live delivery).
// Messages without seqs (seed rooms) carry no position to compare, so this
// property does not apply to them (recovery and total_order still do).
//
// Judged against: what clients were acked for or received (the room cannot
// take back what it handed out) and the order in which clients connected.
//
// Memory: one entry per observed position of each (room, epoch), one bit per
// seq received on each open connection, and the unsatisfied windows.
#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "properties/checkers/checkers.hpp"
#include "properties/checkers/position_ledger.hpp"
#include "properties/checkers/seq_table.hpp"
#include "properties/checkers/support.hpp"

namespace roomsim::properties::internal {

namespace {

struct RoomState {
  int64_t epoch = -1;
  int64_t max_seq = -1;  // highest established seq in `epoch`
  size_t max_index = 0;  // event that established it
  SeqSet established;    // in `epoch`
};

struct PendingWindow {
  size_t index;
  std::unordered_set<int64_t> required;  // established seqs the window covers, not yet received
};

struct Established {
  int64_t epoch = -1;
  int64_t max_seq = -1;
  size_t index = 0;
};

// Seqs received on one open connection and the windows still waiting.
struct ConnState {
  int64_t epoch = -1;
  SeqSet received;  // in `epoch`
  std::vector<PendingWindow> windows;
  Established at_connect;  // the room's established state when the client connected
};

}  // namespace

Verdict check_durability(const History& h) {
  VerdictBuilder out("durability");
  const ConfigView config(h);
  RoomScope scope(h, config, out);
  const auto& events = h.events();
  std::unordered_map<NameId, RoomState> rooms;
  std::unordered_map<uint64_t, ConnState> conns;
  PositionLedger ledger;

  auto settle = [&](uint64_t conn) {
    auto it = conns.find(conn);
    if (it == conns.end()) return;
    for (const PendingWindow& w : it->second.windows) {
      if (!w.required.empty()) {
        const int64_t s = *std::min_element(w.required.begin(), w.required.end());
        const Event& we = events[w.index];
        out.fail(w.index, we.t_ns, "replay_lacked_established", [&] {
          return "replay to client " + name_or_none(h, we.client) + " in room " + name_or_none(h, we.room) +
                 " covered seqs " + std::to_string(we.value) + ".." + std::to_string(we.seq) + " but lacked seq " +
                 std::to_string(s) + ", which was acked or delivered earlier, at " + at_time(we.t_ns);
        });
      }
    }
    conns.erase(it);
  };

  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (e.room != kNoName && !scope.judges(e.room)) continue;
    switch (e.kind) {
      case EventKind::kWelcome:
      case EventKind::kAck:
      case EventKind::kReceive: {
        if (e.epoch < 0) break;
        RoomState& r = rooms[e.room];
        if (e.epoch < r.epoch) break;  // a frame of an earlier epoch, still in flight
        if (r.epoch != e.epoch) {
          if (r.max_seq >= 0) {
            const Established old{r.epoch, r.max_seq, r.max_index};
            out.fail(i, e.t_ns, "epoch_changed", [&] {
              return "room " + name_or_none(h, e.room) + " moved from epoch " + std::to_string(old.epoch) +
                     " to epoch " + std::to_string(e.epoch) + " at " + at_time(e.t_ns) + " after seq " +
                     std::to_string(old.max_seq) + " was acked or delivered (event " + std::to_string(old.index) +
                     "): its history was lost";
            });
          }
          r = RoomState{};
          r.epoch = e.epoch;
        }
        out.judged();
        if (e.kind == EventKind::kWelcome) {
          auto c = conns.find(e.conn);
          const Established before = c == conns.end() ? Established{} : c->second.at_connect;
          if (before.epoch == e.epoch && e.seq < before.max_seq) {
            out.fail(i, e.t_ns, "welcome_forgot", [&] {
              return "welcome to client " + name_or_none(h, e.client) + " in room " + name_or_none(h, e.room) +
                     " reported seq " + std::to_string(e.seq) + " at " + at_time(e.t_ns) + " but seq " +
                     std::to_string(before.max_seq) + " was acked or delivered (event " + std::to_string(before.index) +
                     ") before the client connected";
            });
          }
          break;
        }
        if (e.seq < 0) break;
        if (auto held = ledger.claim(e, i)) {
          const PositionClaim was = *held;
          out.fail(i, e.t_ns, "seq_replaced", [&] {
            return "room " + name_or_none(h, e.room) + " replaced " + PositionLedger::describe(h, was) + " at seq " +
                   std::to_string(e.seq) + " of epoch " + std::to_string(e.epoch) + " (acked or delivered at event " +
                   std::to_string(was.index) + "): client " + name_or_none(h, e.client) +
                   (e.kind == EventKind::kAck ? " was acked for " : " received ") +
                   PositionLedger::describe(h, PositionLedger::identity_of(e, i)) + " there at " + at_time(e.t_ns);
          });
        }
        if (e.kind == EventKind::kReceive) {
          ConnState& c = conns[e.conn];
          if (c.epoch != e.epoch) {
            c.epoch = e.epoch;
            c.received = SeqSet{};
          }
          c.received.insert(e.seq);
          for (PendingWindow& w : c.windows) w.required.erase(e.seq);
          std::erase_if(c.windows, [](const PendingWindow& w) { return w.required.empty(); });
        }
        r.established.insert(e.seq);
        if (e.seq > r.max_seq) {
          r.max_seq = e.seq;
          r.max_index = i;
        }
        break;
      }
      case EventKind::kReplayWindow: {
        out.judged();
        if (e.value < 0 || e.seq < e.value) break;  // empty replay
        auto r = rooms.find(e.room);
        if (r == rooms.end() || r->second.epoch != e.epoch) break;
        PendingWindow w{i, {}};
        const ConnState* c = nullptr;
        if (auto it = conns.find(e.conn); it != conns.end() && it->second.epoch == e.epoch) c = &it->second;
        // Each step lands on an established seq: the loop is bounded by what was established.
        for (auto s = r->second.established.next(e.value, e.seq); s; s = r->second.established.next(*s + 1, e.seq)) {
          if (c == nullptr || !c->received.contains(*s)) w.required.insert(*s);
          if (*s == e.seq) break;
        }
        if (!w.required.empty()) conns[e.conn].windows.push_back(std::move(w));
        break;
      }
      case EventKind::kConnect: {
        auto r = rooms.find(e.room);
        if (r != rooms.end()) conns[e.conn].at_connect = {r->second.epoch, r->second.max_seq, r->second.max_index};
        break;
      }
      case EventKind::kClose:
        settle(e.conn);
        break;
      default:
        break;
    }
  }
  std::vector<uint64_t> open;
  for (const auto& [conn, state] : conns) open.push_back(conn);
  std::sort(open.begin(), open.end());
  for (uint64_t conn : open) settle(conn);
  out.if_vacuous("no event carries a seq and epoch: durability needs them (seed rooms)");
  return out.finish();
}

}  // namespace roomsim::properties::internal
