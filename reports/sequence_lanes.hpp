// reports/sequence_lanes.hpp: which lanes the message sequence diagram gets
// and in what order (left to right), within its lane bound.
//
// Rooms get at most two lanes (at least one when any room is involved);
// clients fill the rest in priority order, each with its edge lane when a
// hop index is given (a client whose edge does not fit is skipped; a later
// one behind an edge already chosen may still fit). Without edges the rooms
// sit in the middle of the clients. With edges the order is
// clients | edges | rooms | edges | clients: edges alternate sides in
// priority order, innermost first, and each client sits on its edge's side
// (the first in priority nearest), so a frame's path crosses few lanes. Deterministic: a pure function of its
// arguments.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "properties/history.hpp"
#include "reports/sequence_hops.hpp"

namespace roomsim::reports {

enum class LaneKind : uint8_t { kClient, kEdge, kRoom };

struct Lane {
  LaneKind kind = LaneKind::kClient;
  properties::NameId name = properties::kNoName;  // client or room
  uint16_t region = 0;                             // edge: region index in the hop log
};

struct LaneChoice {
  std::vector<Lane> lanes;  // left to right
  size_t clients_cut = 0;   // candidate clients left out by the lane bound
};

// `clients` and `rooms` in priority order, without repeats. `hops` null: no edge lanes.
LaneChoice pick_lanes(const std::vector<properties::NameId>& clients, const std::vector<properties::NameId>& rooms,
                      const HopIndex* hops, size_t max_lanes);

}  // namespace roomsim::reports
