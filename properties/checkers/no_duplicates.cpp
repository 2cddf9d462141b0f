// properties/checkers/no_duplicates.cpp: no connection receives the same room
// message (room, sender, client message id) live twice. Replayed receives
// (value=1, history on join or resume replay) may repeat what the connection
// already has; they are remembered so that a later live copy is not flagged
// as the first.
//
// Memory: the message keys received per open connection.
#include <unordered_map>
#include <unordered_set>

#include "properties/checkers/checkers.hpp"
#include "properties/checkers/support.hpp"

namespace roomsim::properties::internal {

Verdict check_no_duplicates(const History& h) {
  VerdictBuilder out("no_duplicates");
  // conn -> message -> index of its first live receive
  std::unordered_map<uint64_t, std::unordered_map<MsgKey, size_t, MsgKeyHash>> live;
  const auto& events = h.events();
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (e.kind == EventKind::kReceive && is_live(e)) {
      auto [it, inserted] = live[e.conn].emplace(receive_key(e), i);
      if (inserted) continue;
      const size_t first = it->second;
      out.fail(i, e.t_ns, [&] {
        return "client " + name_or_none(h, e.client) + " received " + message_label(e) + " from " +
               name_or_none(h, e.sender) + " live twice on connection " + std::to_string(e.conn) +
               " (first at event " + std::to_string(first) + ") in room " + name_or_none(h, e.room) + " at " +
               at_time(e.t_ns);
      });
    } else if (e.kind == EventKind::kClose) {
      live.erase(e.conn);
    }
  }
  return out.finish();
}

}  // namespace roomsim::properties::internal
