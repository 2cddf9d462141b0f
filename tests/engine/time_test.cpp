// tests/engine/time_test.cpp: the saturating conversions of engine/time.hpp
// (issue 15: ms -> ns of configured times and random delays overflowed).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "engine/time.hpp"

namespace roomsim {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

TEST(Time, MillisecondsSaturatedIsExactInRangeAndClampsOutside) {
  EXPECT_EQ(Duration::milliseconds_saturated(0).ns(), 0);
  EXPECT_EQ(Duration::milliseconds_saturated(1'500).ns(), 1'500'000'000);
  EXPECT_EQ(Duration::milliseconds_saturated(-7).ns(), -7'000'000);
  EXPECT_EQ(Duration::milliseconds_saturated(kMax / 1'000'000).ns(), kMax / 1'000'000 * 1'000'000);
  EXPECT_EQ(Duration::milliseconds_saturated(kMax / 1'000'000 + 1).ns(), kMax);
  EXPECT_EQ(Duration::milliseconds_saturated(kMax).ns(), kMax);
  EXPECT_EQ(Duration::milliseconds_saturated(kMin).ns(), kMin);
  static_assert(Duration::milliseconds_saturated(kMax) == Duration::max());
}

TEST(Time, DelayNsRoundsLikeLlroundAndClampsNanInfinityAndNegatives) {
  EXPECT_EQ(Duration::delay_ns(1234.4).ns(), 1234);
  EXPECT_EQ(Duration::delay_ns(1234.5).ns(), std::llround(1234.5));
  EXPECT_EQ(Duration::delay_ns(0).ns(), 0);
  EXPECT_EQ(Duration::delay_ns(-5).ns(), 0);
  EXPECT_EQ(Duration::delay_ns(std::nan("")).ns(), 0);
  EXPECT_EQ(Duration::delay_ns(std::numeric_limits<double>::infinity()).ns(), Duration::kDelayNsMax);
  EXPECT_EQ(Duration::delay_ns(1e300).ns(), Duration::kDelayNsMax);
  // now + the longest delay cannot overflow while now is below 2^62 ns.
  const Time late = Time::from_ns(Duration::kDelayNsMax - 1);
  EXPECT_GT((late + Duration::delay_ns(1e300)).ns(), late.ns());
}

}  // namespace
}  // namespace roomsim
