// properties/checkers/durability.cpp: anything acked or delivered survives.
//
// A message is *established* in (room, epoch e) at seq s once a kAck or a
// kReceive (live or replayed) reports (e, s). Afterwards:
//  1. no kRoomStart of that room in epoch e reports a latest seq < s, and no
//     kWelcome in epoch e on a connection whose kConnect came after s was
//     established does. (A welcome is observed after the room sent it; only
//     what was established before the client even asked to connect is
//     certain to precede the room's answer. Welcomes of connections without
//     a recorded kConnect are not judged by this rule.)
//  2. the room never moves to a later epoch (a kWelcome, kRoomStart, kAck or
//     kReceive with a higher epoch) once anything was established in the
//     current one: the history has no deliberate reset, so a new epoch means
//     lost history. Events of an earlier epoch (frames still in flight) are
//     ignored;
//  3. a kReplayWindow [first, last] in epoch e that covers s replays it: the
//     replaying connection receives seq s (replayed or live) before it closes
//     (or before the history ends); a receive up to 2 x history_max receives
//     before the window also counts, since a replay may follow live delivery.
// Messages without seqs (seed rooms) carry no position to compare, so this
// property does not apply to them (recovery and total_order still do).
//
// Memory: one bit per seq of each (room, epoch), 2 x history_max seqs per
// open connection and the unsatisfied windows.
#include <algorithm>
#include <deque>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "properties/checkers/checkers.hpp"
#include "properties/checkers/support.hpp"

namespace roomsim::properties::internal {

namespace {

struct RoomState {
  int64_t epoch = -1;
  int64_t max_seq = -1;          // highest established seq in `epoch`
  size_t max_index = 0;          // event that established it
  std::vector<bool> established;  // by seq, in `epoch`
};

struct PendingWindow {
  size_t index;
  std::unordered_set<int64_t> required;  // established seqs the window covers, not yet received
};

// Seqs received on one open connection: the most recent few (a replay may
// repeat what arrived live just before it) and the windows still waiting.
struct Established {
  int64_t epoch = -1;
  int64_t max_seq = -1;
  size_t index = 0;
};

struct ConnState {
  std::deque<int64_t> recent;
  std::vector<PendingWindow> windows;
  Established at_connect;  // the room's established state when the client connected
};

}  // namespace

Verdict check_durability(const History& h) {
  VerdictBuilder out("durability");
  const auto& events = h.events();
  std::unordered_map<NameId, RoomState> rooms;
  std::unordered_map<uint64_t, ConnState> conns;
  const size_t recent_max = static_cast<size_t>(std::max<int64_t>(ConfigView(h).get("history_max", kNoName, 100), 1)) * 2;

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
    switch (e.kind) {
      case EventKind::kWelcome:
      case EventKind::kRoomStart:
      case EventKind::kAck:
      case EventKind::kReceive: {
        if (e.epoch < 0) break;
        RoomState& r = rooms[e.room];
        if (e.epoch < r.epoch) break;  // a frame of an earlier epoch, still in flight
        if (r.epoch != e.epoch) {
          if (r.max_seq >= 0) {
            const RoomState old = r;
            out.fail(i, e.t_ns, "epoch_changed", [&] {
              return "room " + name_or_none(h, e.room) + " moved from epoch " + std::to_string(old.epoch) +
                     " to epoch " + std::to_string(e.epoch) + " at " + at_time(e.t_ns) + " after seq " +
                     std::to_string(old.max_seq) + " was acked or delivered (event " +
                     std::to_string(old.max_index) + "): its history was lost";
            });
          }
          r = RoomState{};
          r.epoch = e.epoch;
        }
        out.judged();
        if (e.kind == EventKind::kWelcome || e.kind == EventKind::kRoomStart) {
          Established before{r.epoch, r.max_seq, r.max_index};
          if (e.kind == EventKind::kWelcome) {
            auto c = conns.find(e.conn);
            before = c == conns.end() ? Established{} : c->second.at_connect;
          }
          if (before.epoch == e.epoch && e.seq < before.max_seq) {
            const bool welcome = e.kind == EventKind::kWelcome;
            out.fail(i, e.t_ns, "welcome_forgot", [&] {
              return (welcome ? "welcome to client " + name_or_none(h, e.client) : std::string("restart")) +
                     " in room " + name_or_none(h, e.room) + " reported seq " + std::to_string(e.seq) + " at " +
                     at_time(e.t_ns) + " but seq " + std::to_string(before.max_seq) +
                     " was acked or delivered (event " + std::to_string(before.index) + ")" +
                     (welcome ? " before the client connected" : "");
            });
          }
          break;
        }
        if (e.seq < 0) break;
        if (e.kind == EventKind::kReceive) {
          ConnState& c = conns[e.conn];
          c.recent.push_back(e.seq);
          if (c.recent.size() > recent_max) c.recent.pop_front();
          for (PendingWindow& w : c.windows) w.required.erase(e.seq);
          std::erase_if(c.windows, [](const PendingWindow& w) { return w.required.empty(); });
        }
        const auto s = static_cast<size_t>(e.seq);
        if (s >= r.established.size()) r.established.resize(std::max(s + 1, r.established.size() * 2), false);
        r.established[s] = true;
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
        const auto& est = r->second.established;
        const int64_t hi = std::min<int64_t>(e.seq, static_cast<int64_t>(est.size()) - 1);
        for (int64_t s = std::max<int64_t>(e.value, 0); s <= hi; ++s) {
          if (est[static_cast<size_t>(s)]) w.required.insert(s);
        }
        ConnState& c = conns[e.conn];
        for (int64_t s : c.recent) w.required.erase(s);
        if (!w.required.empty()) c.windows.push_back(std::move(w));
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
  if (rooms.empty()) out.note_vacuous("no event carries a seq and epoch: durability needs them (seed rooms)");
  return out.finish();
}

}  // namespace roomsim::properties::internal
