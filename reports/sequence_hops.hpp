// reports/sequence_hops.hpp: a run's frame-hop log (netsim/frame_hops.hpp)
// matched to its history, for the edge lanes of the message sequence diagram.
//
// Matching uses only the keys netsim documents, and checks that the event a
// key points at has the right kind and connection (a hop log of another run
// mostly fails that check; a truncated log simply covers fewer events):
// - a kSend at history index i matches the up text hop with the same conn
//   and events_before_send == i + 1;
// - a kReceive at index j matches the down hop with the same conn whose
//   handled range [first_event, first_event + event_count) holds j.
// Deterministic: ordered maps, filled in hop order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>

#include "netsim/frame_hops.hpp"
#include "properties/history.hpp"

namespace roomsim::reports {

struct HopIndex {
  std::map<size_t, uint32_t> up_of_send;        // kSend history index -> hop index
  std::map<size_t, uint32_t> down_of_receive;   // kReceive history index -> hop index
  std::map<properties::NameId, uint16_t> client_edge;  // client -> its edge region (first connection seen)
};

HopIndex index_hops(const properties::History& history, const netsim::FrameHopLog& log);

}  // namespace roomsim::reports
