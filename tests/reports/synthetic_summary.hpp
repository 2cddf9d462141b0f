// tests/reports/synthetic_summary.hpp: a fixed SweepSummary for report tests
// and golden files: two failing properties (one with a hostile explanation
// full of XML and JSON metacharacters), one passing, one never checked.
#pragma once

#include "scenarios/sweep_summary.hpp"

namespace roomsim::reports::testing {

scenarios::SweepSummary synthetic_summary();

// A partial merge (merge --allow-partial): 20 of 30 seeds of "smoke" ran and
// passed fifo; shard 3/3 (10 seeds) is missing.
scenarios::SweepSummary partial_merge_summary();

}  // namespace roomsim::reports::testing
