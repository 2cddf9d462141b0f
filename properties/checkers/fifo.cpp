// properties/checkers/fifo.cpp: per-connection FIFO. For each (sender
// connection, receiver connection) pair, live receives of messages sent on
// that sender connection arrive in the order they were sent.
//
// Judged against: the order in which each sender sent (the world).
//
// Memory: one entry per distinct sent message (to find its sender connection
// and position) plus one per open (receiver, sender connection) pair.
#include <unordered_map>

#include "properties/checkers/checkers.hpp"
#include "properties/checkers/support.hpp"

namespace roomsim::properties::internal {

namespace {
struct SendPos {
  uint64_t conn = 0;
  uint64_t ordinal = 0;  // 1-based position among the sends of `conn`
  size_t index = 0;
};
struct LastSeen {
  uint64_t ordinal = 0;
  size_t index = 0;
};
}  // namespace

Verdict check_fifo(const History& h) {
  VerdictBuilder out("fifo");
  const ConfigView config(h);
  RoomScope scope(h, config, out);
  std::unordered_map<MsgKey, SendPos, MsgKeyHash> sends;  // latest send of each message
  std::unordered_map<uint64_t, uint64_t> send_count;      // per sender connection
  std::unordered_map<uint64_t, std::unordered_map<uint64_t, LastSeen>> last;  // receiver conn -> sender conn -> ..
  const auto& events = h.events();
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (!scope.judges(e.room)) continue;
    if (e.kind == EventKind::kSend) {
      sends[send_key(e)] = SendPos{e.conn, ++send_count[e.conn], i};
    } else if (e.kind == EventKind::kReceive && is_live(e)) {
      auto it = sends.find(receive_key(e));
      if (it == sends.end()) continue;  // a phantom: no_phantoms judges it
      out.judged();
      const SendPos sp = it->second;
      LastSeen& seen = last[e.conn][sp.conn];
      if (sp.ordinal < seen.ordinal) {
        const size_t earlier = seen.index;
        out.fail(i, e.t_ns, "reordered", [&] {
          return "client " + name_or_none(h, e.client) + " received " + message_label(e) + " (send #" +
                 std::to_string(sp.ordinal) + " of " + name_or_none(h, e.sender) + " on connection " +
                 std::to_string(sp.conn) + ") after send #" + std::to_string(seen.ordinal) + " (event " +
                 std::to_string(earlier) + ") in room " + name_or_none(h, e.room) + " at " + at_time(e.t_ns);
        });
      } else {
        seen = LastSeen{sp.ordinal, i};
      }
    } else if (e.kind == EventKind::kClose) {
      last.erase(e.conn);
    }
  }
  out.if_vacuous("no live receive matches a recorded send");
  return out.finish();
}

}  // namespace roomsim::properties::internal
