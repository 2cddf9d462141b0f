// properties/checkers/liveness.cpp: delivery within a bound once faults heal.
//
// From the first kPhase "liveness" on, every room broadcast (kSend with
// channel "") sent at t on a welcomed, open connection of client C must be
// received (live or replayed) by every connection of every other client that
// was welcomed in the same room at t and is still open at t + bound, no later
// than t + bound (bound = the room's liveness_bound_ms; a room without one is
// not judged). A window that ends after the last kPhase "end" (or the last
// event when there is none) cannot fail, since its receivers had until then;
// it counts as judged only when every receiver got the message by the end (a
// live run stops as soon as everything arrived, well inside the bound).
// Events after the end are not read. Not judged: receivers that close inside
// the window, and messages the room may never have taken (DeliveryTracker: not
// acked while the sender got an `error` frame after sending, or while the
// sender's connection closed within the window). Direct and sub-room
// messages are addressed_delivery's.
//
// Judged against: what each client sent and who was connected (the world),
// never the room's acks or seqs.
//
// Memory: the open connections, the close time of each closed one and, per
// in-flight message, its receivers still waiting.
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

#include "properties/checkers/checkers.hpp"
#include "properties/checkers/delivery_tracker.hpp"
#include "properties/checkers/support.hpp"

namespace roomsim::properties::internal {

Verdict check_liveness(const History& h) {
  VerdictBuilder out("liveness");
  const KnownNames names(h);
  const ConfigView config(h);
  RoomScope scope(h, config, out);
  const auto& events = h.events();

  std::optional<int64_t> phase_t;
  if (names.liveness) {
    for (const Event& e : events) {
      if (e.kind == EventKind::kPhase && e.text == *names.liveness) {
        phase_t = e.t_ns;
        break;
      }
    }
  }
  if (!phase_t) {
    out.note_vacuous("no liveness phase in the history");
    return out.finish();
  }
  const EndPhase end = find_end_phase(h, names);
  const int64_t end_t = end.index ? end.t_ns : events.back().t_ns;

  std::map<NameId, std::map<uint64_t, NameId>> members;  // room -> open welcomed conn -> client
  std::unordered_map<uint64_t, NameId> client_of;        // welcomed conn -> client (kept after close)
  std::map<NameId, std::optional<int64_t>> bound_of;     // room -> liveness_bound_ms
  size_t sends_in_phase = 0;
  std::vector<Event> open_windows;  // sends whose window ends after the end, with their index in `value`
  DeliveryTracker tracker(false, [&](const DeliveryTracker::Miss& m) {
    const Event& se = events[m.send_index];
    const int64_t bound_ms = *bound_of[se.room];
    out.fail(m.send_index, se.t_ns, "not_delivered_in_bound", [&] {
      return message_label(se) + " from " + name_or_none(h, se.client) + " sent at " + at_time(se.t_ns) + " in room " +
             name_or_none(h, se.room) + " did not reach client " + name_or_none(h, client_of[m.receiver]) +
             " (connection " + std::to_string(m.receiver) + ") within " + std::to_string(bound_ms) +
             "ms (liveness phase)";
    });
  });

  const size_t read_to = end.index ? *end.index + 1 : events.size();
  for (size_t i = 0; i < read_to; ++i) {
    const Event& e = events[i];
    if (!scope.judges(e.room)) continue;
    tracker.observe(e);
    switch (e.kind) {
      case EventKind::kWelcome:
        members[e.room][e.conn] = e.client;
        client_of[e.conn] = e.client;
        break;
      case EventKind::kClose: {
        auto m = members.find(e.room);
        if (m != members.end()) m->second.erase(e.conn);
        break;
      }
      case EventKind::kSend: {
        if (e.t_ns < *phase_t || e.channel != kNoName) break;
        ++sends_in_phase;
        auto [b, fresh] = bound_of.try_emplace(e.room);
        if (fresh) b->second = scope.limit("liveness_bound_ms", e.room, "delivery in the liveness phase");
        if (!b->second) break;
        const int64_t deadline = saturating_add(e.t_ns, ms_to_ns(*b->second));
        auto m = members.find(e.room);
        if (m == members.end() || !m->second.count(e.conn)) break;  // sender not connected
        std::vector<uint64_t> receivers;
        for (const auto& [conn, client] : m->second) {
          if (client != e.client) receivers.push_back(conn);
        }
        if (!tracker.expect(e, i, std::move(receivers), deadline)) break;
        if (deadline <= end_t) {
          out.judged();
        } else {
          open_windows.push_back(e);
          open_windows.back().value = static_cast<int64_t>(i);
        }
        break;
      }
      default:
        break;
    }
  }
  tracker.finish(end_t);
  for (const Event& send : open_windows) {
    if (!tracker.waiting(send, static_cast<size_t>(send.value))) out.judged();
  }
  out.if_vacuous(
      sends_in_phase == 0
          ? "no room broadcast was sent in the liveness phase"
          : "no broadcast of the liveness phase had a connected receiver and either a window ending before the end "
            "or every receiver served by the end");
  return out.finish();
}

}  // namespace roomsim::properties::internal
