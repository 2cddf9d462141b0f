// properties/checkers/history_bound.cpp: the stored history is bounded and is
// always the latest messages. With M = the room's history_max (0 = no bound;
// a room that records none is not judged by rules 1, 3 and 4):
//  1. "replay_over_bound": every kReplayWindow replays at most M messages
//     (code <= M);
//  2. "replay_not_latest", "empty_replay": a replay on a connection whose
//     kWelcome reported room seq W >= 0 ends at the latest message: last >= W
//     (an empty replay is allowed only after a kResume whose `after` >= W);
//  3. "join_replay_not_latest": a history replay on join (no kResume on that
//     connection before it) starts early enough to hold the latest
//     min(W, M) messages: first <= max(1, W - M + 1).
//  4. "join_replay_short": a history replay on join holds at least
//     min(D, M) messages, where D is
//     the number of distinct room broadcasts (channel "") of the room's
//     current epoch first delivered live to anyone before the connection's
//     kConnect: they were durable before the client asked to join, so the
//     history it is given must hold them (or the latest M of them). This is
//     the rule that judges rooms without seqs too (a seed room that loads its
//     history late hands a joining client an empty one).
// Rules 2 and 3 need seqs.
//
// Judged against: the broadcasts clients received before the join (rule 4)
// and the room's promised bound; rules 2 and 3 hold the room to its own
// welcome seq (its report used against it).
//
// Memory: one entry per open connection; the keys of each room's delivered
// broadcasts (rule 4).
#include <algorithm>
#include <map>
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
  RoomScope scope(h, config, out);
  std::map<NameId, std::optional<int64_t>> bound_of;  // room -> history_max (nullopt: not judged)
  auto bound = [&](NameId room) -> std::optional<int64_t> {
    auto [it, fresh] = bound_of.try_emplace(room);
    if (fresh) it->second = scope.limit("history_max", room, "replay sizes");
    return it->second;
  };
  const auto& events = h.events();
  std::unordered_map<uint64_t, ConnState> conns;
  std::unordered_map<NameId, RoomDelivered> delivered;

  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (!scope.judges(e.room)) continue;
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
      case EventKind::kReplayWindow: {
        out.judged();
        const std::optional<int64_t> max = bound(e.room);  // 0: no bound
        const bool bounded = max && *max > 0;
        const std::string who = "replay to client " + name_or_none(h, e.client) + " in room " + name_or_none(h, e.room);
        if (bounded && e.code > *max) {
          out.fail(i, e.t_ns, "replay_over_bound", [&] {
            return who + " at " + at_time(e.t_ns) + " held " + std::to_string(e.code) + " messages, bound " +
                   std::to_string(*max);
          });
          break;
        }
        auto c = conns.find(e.conn);
        if (c == conns.end()) break;
        const ConnState s = c->second;
        const RoomDelivered& room = delivered[e.room];
        if (max && !s.resumed && s.delivered_before && s.epoch_at_connect == room.epoch) {
          const auto delivered = static_cast<int64_t>(*s.delivered_before);
          const int64_t need = bounded ? std::min(delivered, *max) : delivered;
          if (e.code < need) {
            out.fail(i, e.t_ns, "join_replay_short", [&] {
              return "history replay to client " + name_or_none(h, e.client) + " in room " +
                     name_or_none(h, e.room) + " at " + at_time(e.t_ns) + " held " + std::to_string(e.code) +
                     " messages but " + std::to_string(*s.delivered_before) +
                     " had been delivered before it connected (bound " + std::to_string(*max) + ")";
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
        if (!max) break;
        const int64_t first_max = bounded ? std::max<int64_t>(1, saturating_add(w, -*max) + 1) : 1;
        if (!s.resumed && e.value > first_max) {
          out.fail(i, e.t_ns, "join_replay_not_latest", [&] {
            return who + " at " + at_time(e.t_ns) + " started at seq " + std::to_string(e.value) +
                   ", so it lacks the latest messages from seq " + std::to_string(first_max) + " (room at seq " +
                   std::to_string(w) + ", bound " + std::to_string(*max) + ")";
          });
        }
        break;
      }
      default:
        break;
    }
  }
  out.if_vacuous("no replay windows recorded");
  return out.finish();
}

}  // namespace roomsim::properties::internal
