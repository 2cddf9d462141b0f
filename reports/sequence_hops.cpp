// reports/sequence_hops.cpp: matching frame hops to history events.
#include "reports/sequence_hops.hpp"

namespace roomsim::reports {

using properties::EventKind;

HopIndex index_hops(const properties::History& history, const netsim::FrameHopLog& log) {
  HopIndex index;
  const auto& events = history.events();
  std::map<uint64_t, uint16_t> conn_edge;
  for (uint32_t k = 0; k < log.hops.size(); ++k) {
    const netsim::FrameHop& h = log.hops[k];
    if (h.edge >= log.region_codes.size()) continue;  // not this log's region: unusable
    conn_edge.emplace(h.conn, h.edge);
    if (h.up) {
      if (h.kind != netsim::FrameHopKind::kText || h.events_before_send == 0) continue;
      const size_t i = static_cast<size_t>(h.events_before_send - 1);
      if (i < events.size() && events[i].kind == EventKind::kSend && events[i].conn == h.conn) {
        index.up_of_send.emplace(i, k);
      }
      continue;
    }
    for (int32_t n = 0; n < h.event_count; ++n) {
      const size_t j = static_cast<size_t>(h.first_event) + static_cast<size_t>(n);
      if (j >= events.size()) break;
      if (events[j].kind == EventKind::kReceive && events[j].conn == h.conn) index.down_of_receive.emplace(j, k);
    }
  }
  for (const properties::Event& e : events) {
    if (e.client == properties::kNoName || e.conn == 0) continue;
    auto it = conn_edge.find(e.conn);
    if (it != conn_edge.end()) index.client_edge.emplace(e.client, it->second);
  }
  return index;
}

}  // namespace roomsim::reports
