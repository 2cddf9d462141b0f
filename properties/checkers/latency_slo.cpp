// properties/checkers/latency_slo.cpp: when latency_p99_bound_ms is
// configured, the 99th percentile (nearest rank) of (receive time - time of
// the latest earlier send of that message) over all live receives that match
// a send stays within it. The violating events are the receives slower than
// the bound. Without a configured bound, or without live receives, the
// property cannot apply and passes vacuously.
//
// Judged against: the world's send and receive times.
//
// Memory: one entry per sent message and one latency per live receive.
#include <algorithm>
#include <unordered_map>
#include <vector>

#include "engine/time.hpp"
#include "properties/checkers/checkers.hpp"
#include "properties/checkers/support.hpp"

namespace roomsim::properties::internal {

Verdict check_latency_slo(const History& h) {
  VerdictBuilder out("latency_slo");
  const ConfigView config(h);
  RoomScope scope(h, config, out);
  const auto bound_ms = config.find("latency_p99_bound_ms");
  if (!bound_ms) {
    out.note_vacuous("no latency_p99_bound_ms configured");
    return out.finish();
  }
  const int64_t bound_ns = ms_to_ns(*bound_ms);
  const auto& events = h.events();
  std::unordered_map<MsgKey, int64_t, MsgKeyHash> sent_at;
  std::vector<int64_t> latencies;
  for (const Event& e : events) {
    if (!scope.judges(e.room)) continue;
    if (e.kind == EventKind::kSend) {
      sent_at[send_key(e)] = e.t_ns;
    } else if (e.kind == EventKind::kReceive && is_live(e)) {
      auto it = sent_at.find(receive_key(e));
      if (it != sent_at.end()) latencies.push_back(e.t_ns - it->second);
    }
  }
  if (latencies.empty()) {
    out.note_vacuous("no live receives to measure");
    return out.finish();
  }
  const size_t n = latencies.size();
  out.judged(n);
  const size_t rank = (n * 99 + 99) / 100;  // ceil(0.99 n), 1-based
  std::nth_element(latencies.begin(), latencies.begin() + static_cast<ptrdiff_t>(rank - 1), latencies.end());
  const int64_t p99 = latencies[rank - 1];
  if (p99 <= bound_ns) return out.finish();

  sent_at.clear();
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (!scope.judges(e.room)) continue;
    if (e.kind == EventKind::kSend) {
      sent_at[send_key(e)] = e.t_ns;
    } else if (e.kind == EventKind::kReceive && is_live(e)) {
      auto it = sent_at.find(receive_key(e));
      if (it == sent_at.end() || e.t_ns - it->second <= bound_ns) continue;
      out.fail(i, e.t_ns, "p99_over_bound", [&] {
        return "p99 delivery latency " + format_duration(Duration::nanoseconds(p99)) + " over " + std::to_string(n) +
               " live receives exceeds the bound " + std::to_string(*bound_ms) + "ms; first slow receive: client " +
               name_or_none(h, e.client) + " got " + message_label(e) + " in room " + name_or_none(h, e.room) + " " +
               format_duration(Duration::nanoseconds(e.t_ns - it->second)) + " after it was sent, at " +
               at_time(e.t_ns);
      });
    }
  }
  return out.finish();
}

}  // namespace roomsim::properties::internal
