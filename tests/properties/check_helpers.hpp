// tests/properties/check_helpers.hpp: run one property by name in a test.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string_view>
#include <vector>

#include "properties/checker.hpp"

namespace roomsim::properties::testing {

inline Verdict run(std::string_view name, const History& h) {
  auto v = check_property(name, h);
  EXPECT_TRUE(v.has_value()) << name;
  return v.value_or(Verdict{});
}

// Expects `v` to fail at exactly the events `violating`, its first violation
// breaking `rule` ("<property>.<rule>") and, when given, explained so.
inline void expect_fails(const Verdict& v, const std::vector<size_t>& violating, std::string_view rule,
                         std::optional<std::string_view> explanation = std::nullopt) {
  EXPECT_FALSE(v.passed) << v.property;
  EXPECT_EQ(v.violating, violating) << v.explanation;
  EXPECT_EQ(v.rule, rule) << v.explanation;
  if (explanation) {
    EXPECT_EQ(v.explanation, *explanation);
  }
}

}  // namespace roomsim::properties::testing
