// tests/properties/check_helpers.hpp: run one property by name in a test.
#pragma once

#include <gtest/gtest.h>

#include <string_view>

#include "properties/checker.hpp"

namespace roomsim::properties::testing {

inline Verdict run(std::string_view name, const History& h) {
  auto v = check_property(name, h);
  EXPECT_TRUE(v.has_value()) << name;
  return v.value_or(Verdict{});
}

}  // namespace roomsim::properties::testing
