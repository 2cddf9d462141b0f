// tests/reports/synthetic_history.hpp: small hand-built histories for the
// picture and HTML tests. `fifo_violation_history` has three chat clients in
// room chat/lobby, a partition fault, a room crash and restart, and client c2
// receiving c1's second message before its first (a real fifo violation the
// properties/ checker finds), followed by `filler` unrelated events of client
// c3 so windowing has something to cut.
#pragma once

#include <cstddef>

#include "netsim/frame_hops.hpp"
#include "properties/history.hpp"

namespace roomsim::reports::testing {

properties::History fifo_violation_history(size_t filler = 0, size_t extra_clients = 0);

// A frame-hop log for `h` keyed as netsim documents (netsim/frame_hops.hpp):
// one up text hop per kSend (edge pass 5 ms after the send, arrival at the
// room 15 ms after it), one down hop per kReceive (sent by the room at 120 ms,
// or 10 ms before the receive after 300 ms; passing the receiver's edge 4 ms before the receive). Clients "c2" and
// "x<i>" are at edge SIN, the others at AMS; the room's home is AMS. c2's
// frames were held by the partition until 240 ms.
netsim::FrameHopLog synthetic_hops(const properties::History& h);

}  // namespace roomsim::reports::testing
