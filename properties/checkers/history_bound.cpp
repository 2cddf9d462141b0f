// properties/checkers/history_bound.cpp: the stored history is bounded and is
// always the latest messages. With M = history_max (default 100, per room):
//  1. every kReplayWindow replays at most M messages (code <= M) and every
//     kRoomStart reports a stored history of at most M (value <= M);
//  2. a replay on a connection whose kWelcome reported room seq W >= 0 ends
//     at the latest message: last >= W (an empty replay is allowed only
//     after a kResume whose `after` >= W);
//  3. a history replay on join (no kResume on that connection before it)
//     starts early enough to hold the latest min(W, M) messages:
//     first <= max(1, W - M + 1).
//  4. a history replay on join holds at least min(D, M) messages, where D is
//     the number of distinct room broadcasts (channel "") of the room's
//     current epoch first delivered live to anyone before the connection's
//     kConnect: they were durable before the client asked to join, so the
//     history it is given must hold them (or the latest M of them). This is
//     the rule that judges rooms without seqs too (a seed room that loads its
//     history late hands a joining client an empty one).
// Rules 2 and 3 need seqs.
//
// Memory: one entry per open connection; the keys of each room's delivered
// broadcasts (rule 4).
#include <algorithm>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "properties/checkers/checkers.hpp"
#include "properties/checkers/support.hpp"

namespace roomsim::properties::internal {

namespace {
struct ConnState {
  int64_t welcome_seq = -1;
  int64_t resume_after = -1;
  bool resumed = false;
  std::optional<size_t> delivered_before;  // D of rule 4, at kConnect
  int64_t epoch_at_connect = -1;
};

struct RoomDelivered {
  int64_t epoch = -1;
  std::unordered_set<MsgKey, MsgKeyHash> keys;
  // False for an event of an earlier epoch (in flight); a later epoch starts afresh.
  bool accept_epoch(int64_t e) {
    if (e < 0 || e == epoch) return true;
    if (e < epoch) return false;
    epoch = e;
    keys.clear();
    return true;
  }
};
}  // namespace

Verdict check_history_bound(const History& h) {
  VerdictBuilder out("history_bound");
  const ConfigView config(h);
  const auto& events = h.events();
  std::unordered_map<uint64_t, ConnState> conns;
  std::unordered_map<NameId, RoomDelivered> delivered;

  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    switch (e.kind) {
      case EventKind::kConnect: {
        const RoomDelivered& d = delivered[e.room];
        conns[e.conn].delivered_before = d.keys.size();
        conns[e.conn].epoch_at_connect = d.epoch;
        break;
      }
      case EventKind::kConnectResult:
        if (e.code != 101) conns.erase(e.conn);
        break;
      case EventKind::kReceive:
        if (is_live(e) && e.channel == kNoName && delivered[e.room].accept_epoch(e.epoch)) {
          delivered[e.room].keys.insert(receive_key(e));
        }
        break;
      case EventKind::kWelcome:
        delivered[e.room].accept_epoch(e.epoch);
        conns[e.conn].welcome_seq = e.seq;
        break;
      case EventKind::kResume:
        conns[e.conn].resumed = true;
        conns[e.conn].resume_after = e.value;
        break;
      case EventKind::kClose:
        conns.erase(e.conn);
        break;
      case EventKind::kRoomStart: {
        const int64_t max = config.get("history_max", e.room, 100);
        if (e.value > max) {
          out.fail(i, e.t_ns, "stored_over_bound", [&] {
            return "room " + name_or_none(h, e.room) + " started at " + at_time(e.t_ns) + " with " +
                   std::to_string(e.value) + " stored messages, bound " + std::to_string(max);
          });
        }
        break;
      }
      case EventKind::kReplayWindow: {
        out.judged();
        const int64_t max = config.get("history_max", e.room, 100);
        const std::string who = "replay to client " + name_or_none(h, e.client) + " in room " + name_or_none(h, e.room);
        if (e.code > max) {
          out.fail(i, e.t_ns, "replay_over_bound", [&] {
            return who + " at " + at_time(e.t_ns) + " held " + std::to_string(e.code) + " messages, bound " +
                   std::to_string(max);
          });
          break;
        }
        auto c = conns.find(e.conn);
        if (c == conns.end()) break;
        const ConnState s = c->second;
        const RoomDelivered& room = delivered[e.room];
        if (!s.resumed && s.delivered_before && s.epoch_at_connect == room.epoch) {
          const auto need = std::min<int64_t>(static_cast<int64_t>(*s.delivered_before), max);
          if (e.code < need) {
            out.fail(i, e.t_ns, "join_replay_short", [&] {
              return "history replay to client " + name_or_none(h, e.client) + " in room " +
                     name_or_none(h, e.room) + " at " + at_time(e.t_ns) + " held " + std::to_string(e.code) +
                     " messages but " + std::to_string(*s.delivered_before) +
                     " had been delivered before it connected (bound " + std::to_string(max) + ")";
            });
            break;
          }
        }
        if (s.welcome_seq < 0) break;
        const int64_t w = s.welcome_seq;
        if (e.value < 0) {  // empty replay
          if (w > 0 && !(s.resumed && s.resume_after >= w)) {
            out.fail(i, e.t_ns, "empty_replay", [&] {
              return who + " at " + at_time(e.t_ns) + " was empty although the room was at seq " + std::to_string(w);
            });
          }
          break;
        }
        if (e.seq < w) {
          out.fail(i, e.t_ns, "replay_not_latest", [&] {
            return who + " at " + at_time(e.t_ns) + " ended at seq " + std::to_string(e.seq) +
                   " but the room was at seq " + std::to_string(w);
          });
          break;
        }
        const int64_t first_max = std::max<int64_t>(1, w - max + 1);
        if (!s.resumed && e.value > first_max) {
          out.fail(i, e.t_ns, "join_replay_not_latest", [&] {
            return who + " at " + at_time(e.t_ns) + " started at seq " + std::to_string(e.value) +
                   ", so it lacks the latest messages from seq " + std::to_string(first_max) + " (room at seq " +
                   std::to_string(w) + ", bound " + std::to_string(max) + ")";
          });
        }
        break;
      }
      default:
        break;
    }
  }
  return out.finish();
}

}  // namespace roomsim::properties::internal
