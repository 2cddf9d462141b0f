// tests/reports/synthetic_history.hpp: small hand-built histories for the
// picture and HTML tests. `fifo_violation_history` has three chat clients in
// room chat/lobby, a partition fault, a room crash and restart, and client c2
// receiving c1's second message before its first (a real fifo violation the
// properties/ checker finds), followed by `filler` unrelated events of client
// c3 so windowing has something to cut.
#pragma once

#include <cstddef>

#include "properties/history.hpp"

namespace roomsim::reports::testing {

properties::History fifo_violation_history(size_t filler = 0, size_t extra_clients = 0);

}  // namespace roomsim::reports::testing
