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
// Rooms without seqs are judged by (1) only.
//
// Memory: one entry per open welcomed connection.
#include <algorithm>
#include <unordered_map>

#include "properties/checkers/checkers.hpp"
#include "properties/checkers/support.hpp"

namespace roomsim::properties::internal {

namespace {
struct ConnState {
  int64_t welcome_seq = -1;
  int64_t resume_after = -1;
  bool resumed = false;
};
}  // namespace

Verdict check_history_bound(const History& h) {
  VerdictBuilder out("history_bound");
  const ConfigView config(h);
  const auto& events = h.events();
  std::unordered_map<uint64_t, ConnState> conns;

  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    switch (e.kind) {
      case EventKind::kWelcome:
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
          out.fail(i, e.t_ns, [&] {
            return "room " + name_or_none(h, e.room) + " started at " + at_time(e.t_ns) + " with " +
                   std::to_string(e.value) + " stored messages, bound " + std::to_string(max);
          });
        }
        break;
      }
      case EventKind::kReplayWindow: {
        const int64_t max = config.get("history_max", e.room, 100);
        const std::string who = "replay to client " + name_or_none(h, e.client) + " in room " + name_or_none(h, e.room);
        if (e.code > max) {
          out.fail(i, e.t_ns, [&] {
            return who + " at " + at_time(e.t_ns) + " held " + std::to_string(e.code) + " messages, bound " +
                   std::to_string(max);
          });
          break;
        }
        auto c = conns.find(e.conn);
        if (c == conns.end() || c->second.welcome_seq < 0) break;
        const ConnState s = c->second;
        const int64_t w = s.welcome_seq;
        if (e.value < 0) {  // empty replay
          if (w > 0 && !(s.resumed && s.resume_after >= w)) {
            out.fail(i, e.t_ns, [&] {
              return who + " at " + at_time(e.t_ns) + " was empty although the room was at seq " + std::to_string(w);
            });
          }
          break;
        }
        if (e.seq < w) {
          out.fail(i, e.t_ns, [&] {
            return who + " at " + at_time(e.t_ns) + " ended at seq " + std::to_string(e.seq) +
                   " but the room was at seq " + std::to_string(w);
          });
          break;
        }
        const int64_t first_max = std::max<int64_t>(1, w - max + 1);
        if (!s.resumed && e.value > first_max) {
          out.fail(i, e.t_ns, [&] {
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
