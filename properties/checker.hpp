// properties/checker.hpp: the property checkers, each a pure function
// History -> Verdict. docs/properties.md defines every property precisely;
// this header is the API the runner, the CLI and the reports code against.
//
// Guarantees: every checker is deterministic (same history, same verdict),
// never throws on any history (bad input is judged, not crashed on), runs in
// O(n) or O(n log n) for n events, and keeps memory proportional to open
// state (connections, in-flight messages) wherever the property allows;
// docs/properties.md names the exceptions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "properties/history.hpp"

namespace roomsim::properties {

// At most this many violating indices are kept per verdict; violation_count
// still counts them all.
inline constexpr size_t kMaxViolatingIndices = 1000;

struct Verdict {
  std::string property;
  bool passed = true;
  std::vector<size_t> violating;  // event indices (ascending), at most kMaxViolatingIndices
  // One line a person understands, e.g.
  // "client c17 received seq 42 before seq 41 in room chat/r3 at t=12.503s".
  // For a pass: empty, or why the property held vacuously.
  std::string explanation;
  int64_t t_ns = 0;  // time of the first violating event
  size_t violation_count = 0;  // every violation found (violating may be capped)
  // The rule the first violation broke, "<property>.<rule>" (e.g.
  // "durability.seq_replaced"); empty for a pass. With the kind of the first
  // violating event it is what `shrink` keeps failing.
  std::string rule;
  // A pass that judged nothing (its inputs are absent from the history);
  // `explanation` then says what was missing.
  bool vacuous = false;
};

// The property names in a stable order: fifo, total_order, no_duplicates,
// no_phantoms, durability, recovery, liveness, connection_limits, rate_limit,
// authorization, addressed_delivery, admission, history_bound,
// dashboard_convergence, presence_convergence, latency_slo.
const std::vector<std::string>& all_property_names();

// One line describing `name`; empty for an unknown name.
std::string_view describe_property(std::string_view name);

// Checks one property; nullopt when `name` is not a property.
std::optional<Verdict> check_property(std::string_view name, const History& history);

// Checks `names` in the given order (empty = all_property_names()). An unknown
// name yields a failed verdict whose explanation lists the known names.
std::vector<Verdict> check_properties(const History& history, const std::vector<std::string>& names);

}  // namespace roomsim::properties
