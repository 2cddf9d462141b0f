// tests/reports/synthetic_summary.hpp: a fixed SweepSummary for report tests
// and golden files: two failing properties (one with a hostile explanation
// full of XML and JSON metacharacters), one passing, one never checked.
#pragma once

#include "scenarios/sweep_summary.hpp"

namespace roomsim::reports::testing {

scenarios::SweepSummary synthetic_summary();

}  // namespace roomsim::reports::testing
