// properties/checkers/liveness.cpp: delivery within a bound once faults heal.
//
// From the first kPhase "liveness" on, every room broadcast (kSend with
// channel "") sent at t on a welcomed, open connection of client C must be
// received (live or replayed) by every connection of every other client that
// was welcomed in the same room at t and is still open at t + bound, no later
// than t + bound (bound = liveness_bound_ms, default 10000, per room when
// configured). Not judged: windows that end after the last kPhase "end" (or
// the last event when there is none), receivers that close inside the window,
// and messages the room may never have taken: not acked while the sender got
// an `error` frame after sending, or while the sender's connection closed
// within the window (the frame may have been in flight when the room closed
// the socket). Direct and sub-room messages are not judged.
//
// Memory: the open connections, the close time of each closed one and, per
// in-flight message, its receivers still waiting.
#include <algorithm>
#include <map>
#include <queue>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "properties/checkers/checkers.hpp"
#include "properties/checkers/support.hpp"

namespace roomsim::properties::internal {

namespace {

struct SendInfo {
  size_t index;
  int64_t t_ns;
  uint64_t conn;
  bool acked = false;
  std::vector<uint64_t> waiting;  // receiver connections that have not received it yet
};

struct Deadline {
  int64_t t_ns;
  size_t send_index;
  MsgKey key;
  bool operator>(const Deadline& o) const { return std::tie(t_ns, send_index) > std::tie(o.t_ns, o.send_index); }
};

}  // namespace

Verdict check_liveness(const History& h) {
  VerdictBuilder out("liveness");
  const KnownNames names(h);
  const ConfigView config(h);
  const auto& events = h.events();
  if (events.empty()) return out.finish();

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
  // Hash maps here are only looked up, never iterated, so their order cannot reach a verdict.
  std::unordered_map<MsgKey, SendInfo, MsgKeyHash> sends;  // judged messages still in their window
  std::unordered_map<uint64_t, int64_t> closed_at;         // receiver conn -> close time
  std::unordered_map<uint64_t, NameId> client_of;          // welcomed conn -> client
  std::unordered_map<uint64_t, int64_t> last_error_t;
  std::priority_queue<Deadline, std::vector<Deadline>, std::greater<>> deadlines;

  auto expire_before = [&](int64_t t) {
    while (!deadlines.empty() && deadlines.top().t_ns < t) {
      const Deadline d = deadlines.top();
      deadlines.pop();
      auto s = sends.find(d.key);
      if (s == sends.end() || s->second.index != d.send_index) continue;  // everyone got it
      const SendInfo info = std::move(s->second);
      sends.erase(s);
      if (!info.acked) {  // the room may never have taken it: refused, or in flight when the socket closed
        auto err = last_error_t.find(info.conn);
        if (err != last_error_t.end() && err->second >= info.t_ns) continue;
        auto sender_closed = closed_at.find(info.conn);
        if (sender_closed != closed_at.end() && sender_closed->second <= d.t_ns) continue;
      }
      for (uint64_t receiver : info.waiting) {
        auto closed = closed_at.find(receiver);
        if (closed != closed_at.end() && closed->second <= d.t_ns) continue;  // the receiver left in the window
        const Event& se = events[info.index];
        const int64_t bound_ms = (d.t_ns - info.t_ns) / 1'000'000;
        out.fail(info.index, se.t_ns, "not_delivered_in_bound", [&] {
          return message_label(se) + " from " + name_or_none(h, se.client) + " sent at " + at_time(se.t_ns) +
                 " in room " + name_or_none(h, se.room) + " did not reach client " + name_or_none(h, client_of[receiver]) + " (connection " +
                 std::to_string(receiver) + ")" +
                 " within " + std::to_string(bound_ms) + "ms (liveness phase)";
        });
      }
    }
  };

  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    expire_before(e.t_ns);
    switch (e.kind) {
      case EventKind::kWelcome:
        members[e.room][e.conn] = e.client;
        client_of[e.conn] = e.client;
        break;
      case EventKind::kClose: {
        auto m = members.find(e.room);
        if (m != members.end() && m->second.erase(e.conn)) closed_at[e.conn] = e.t_ns;
        client_of.erase(e.conn);  // a closed receiver is never reported
        break;
      }
      case EventKind::kError:
        last_error_t[e.conn] = e.t_ns;
        break;
      case EventKind::kAck: {
        auto s = sends.find(MsgKey{e.room, e.client, e.msg});
        if (s != sends.end()) s->second.acked = true;
        break;
      }
      case EventKind::kReceive: {
        auto w = sends.find(receive_key(e));
        if (w == sends.end()) break;
        auto& waiting = w->second.waiting;
        auto it = std::find(waiting.begin(), waiting.end(), e.conn);
        if (it == waiting.end()) break;
        *it = waiting.back();
        waiting.pop_back();
        if (waiting.empty()) sends.erase(w);
        break;
      }
      case EventKind::kSend: {
        if (e.t_ns < *phase_t || e.channel != kNoName) break;
        const int64_t deadline = e.t_ns + config.get("liveness_bound_ms", e.room, 10'000) * 1'000'000;
        if (deadline > end_t) break;
        auto m = members.find(e.room);
        if (m == members.end() || !m->second.count(e.conn)) break;  // sender not connected
        const MsgKey key = send_key(e);
        if (sends.count(key)) break;  // a resend of a message still being judged
        SendInfo info{i, e.t_ns, e.conn, false, {}};
        for (const auto& [conn, client] : m->second) {
          if (client != e.client) info.waiting.push_back(conn);
        }
        if (info.waiting.empty()) break;
        out.judged();
        sends.emplace(key, std::move(info));
        deadlines.push(Deadline{deadline, i, key});
        break;
      }
      default:
        break;
    }
  }
  expire_before(end_t + 1);
  return out.finish();
}

}  // namespace roomsim::properties::internal
