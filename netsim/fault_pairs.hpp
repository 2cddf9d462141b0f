// netsim/fault_pairs.hpp: which fault kinds occurred together in one run (the
// pair coverage that `roomsim run` reports, docs/scenario.md "Fault pairs").
//
// Two faults are *together* when they are of different kinds and their
// windows overlap. A fault's window is [start_ms, end_ms) with end_ms =
// max(min(start_ms + duration_ms, safety_ms), start_ms + kTogetherMinMs):
// instant kinds (edge-restart, room-evict, room-crash) and faults shorter
// than kTogetherMinMs count as lasting kTogetherMinMs, since what they break
// (lost commits, reconnects, reloads) plays out over about that long. A fault
// that starts at or after the end of the safety phase never runs and counts
// nowhere.
//
// Determinism: pure functions of their arguments.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "netsim/simulation_config.hpp"

namespace roomsim::netsim {

inline constexpr int64_t kTogetherMinMs = 1'000;

using FaultKindPair = std::pair<FaultKind, FaultKind>;  // first < second

// The distinct pairs of kinds that occurred together among `faults` (a run's
// explicit and drawn faults), ascending. O(n log n + n x kinds).
std::vector<FaultKindPair> fault_pairs_together(const std::vector<FaultSpec>& faults, int64_t safety_ms);

// The kinds a run of `config` can draw or schedule, ascending, without
// duplicates: fault_rates.per_minute's kinds with a rate > 0 (every listed
// kind when storms are on) and the explicit schedule's.
std::vector<FaultKind> possible_fault_kinds(const SimulationConfig& config);

}  // namespace roomsim::netsim
