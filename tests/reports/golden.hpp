// tests/reports/golden.hpp: golden-file comparison for report outputs.
//
// Golden files live in tests/reports/golden/. Run the tests with
// ROOMSIM_UPDATE_GOLDEN=1 to rewrite them from the current output (then
// review the diff with git); otherwise a difference fails the test with the
// first differing line.
#pragma once

#include <string>

namespace roomsim::reports::testing {

// Compares `actual` with tests/reports/golden/<name>; see above.
void expect_matches_golden(const std::string& name, const std::string& actual);

}  // namespace roomsim::reports::testing
