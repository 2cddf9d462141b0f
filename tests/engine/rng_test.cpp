// Tests for engine/rng: golden outputs, fork independence, distribution moments.
#include "engine/rng.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <vector>

namespace roomsim {
namespace {

// Pinned first outputs of Rng(42). If this test fails, every recorded seed
// and trace hash changes: that is a breaking change, not a test to update lightly.
TEST(Rng, GoldenFirstOutputsOfSeed42) {
  Rng rng(42);
  std::vector<uint64_t> got;
  for (int i = 0; i < 4; ++i) got.push_back(rng.next_u64());
  // Cross-checked against an independent Python transcription of the reference xoshiro256**.c.
  const std::vector<uint64_t> expected = {1546998764402558742ULL, 6990951692964543102ULL, 12544586762248559009ULL,
                                          17057574109182124193ULL};
  EXPECT_EQ(got, expected);
}

TEST(Rng, GoldenDistributionOutputs) {
  Rng rng(42);
  char buf[512];
  std::snprintf(buf, sizeof buf, "%llu %lld %.17g %d %.17g %.17g %.17g %.17g",
                static_cast<unsigned long long>(rng.uniform_below(1000)), static_cast<long long>(rng.uniform_int(-5, 5)),
                rng.uniform01(), rng.bernoulli(0.5) ? 1 : 0, rng.exponential(10.0), rng.normal(0.0, 1.0),
                rng.lognormal(0.0, 0.5), rng.pareto(1.0, 2.0));
  EXPECT_STREQ(buf, "583 3 0.85000844391097274 0 14.685438304502235 2.2712679195432028 0.81246486828443787 1.0447678057693774");
}

TEST(Rng, SameSeedSameStreamDifferentSeedDifferentStream) {
  Rng a(7), b(7), c(8);
  for (int i = 0; i < 100; ++i) {
    const uint64_t va = a.next_u64();
    EXPECT_EQ(va, b.next_u64());
    EXPECT_NE(va, c.next_u64());
  }
}

TEST(Rng, ForkDependsOnSeedAndNameNotOnDraws) {
  Rng parent(99);
  const uint64_t before = parent.fork("netsim").next_u64();
  for (int i = 0; i < 10; ++i) parent.next_u64();
  EXPECT_EQ(parent.fork("netsim").next_u64(), before) << "fork must not depend on the parent's state";
  EXPECT_NE(parent.fork("clients").next_u64(), before);
  EXPECT_NE(parent.fork("client", 1).next_u64(), parent.fork("client", 2).next_u64());
  EXPECT_NE(Rng(100).fork("netsim").next_u64(), before);
}

TEST(Rng, UniformBelowStaysInRangeAndCoversIt) {
  Rng rng(1);
  std::vector<int> counts(10, 0);
  for (int i = 0; i < 100000; ++i) {
    const uint64_t v = rng.uniform_below(10);
    ASSERT_LT(v, 10u);
    ++counts[v];
  }
  for (int c : counts) EXPECT_NEAR(c, 10000, 500);
  for (int i = 0; i < 1000; ++i) {
    const int64_t v = rng.uniform_int(-3, 3);
    EXPECT_GE(v, -3);
    EXPECT_LE(v, 3);
  }
}

struct Moments {
  double mean = 0, variance = 0;
};
template <typename F>
Moments moments(F draw, int n) {
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < n; ++i) {
    const double v = draw();
    sum += v;
    sum_sq += v * v;
  }
  const double mean = sum / n;
  return {mean, sum_sq / n - mean * mean};
}

TEST(Rng, DistributionMomentsWithinTolerance) {
  constexpr int kN = 200000;
  Rng rng(2024);
  const Moments u = moments([&] { return rng.uniform01(); }, kN);
  EXPECT_NEAR(u.mean, 0.5, 0.005);
  EXPECT_NEAR(u.variance, 1.0 / 12.0, 0.002);
  const Moments b = moments([&] { return rng.bernoulli(0.3) ? 1.0 : 0.0; }, kN);
  EXPECT_NEAR(b.mean, 0.3, 0.005);
  const Moments e = moments([&] { return rng.exponential(4.0); }, kN);
  EXPECT_NEAR(e.mean, 4.0, 0.05);
  EXPECT_NEAR(e.variance, 16.0, 0.6);
  const Moments n = moments([&] { return rng.normal(10.0, 2.0); }, kN);
  EXPECT_NEAR(n.mean, 10.0, 0.02);
  EXPECT_NEAR(n.variance, 4.0, 0.08);
  // lognormal(mu, sigma): mean exp(mu + sigma^2/2), variance (exp(sigma^2)-1) exp(2mu+sigma^2).
  const Moments l = moments([&] { return rng.lognormal(0.0, 0.5); }, kN);
  EXPECT_NEAR(l.mean, std::exp(0.125), 0.01);
  EXPECT_NEAR(l.variance, (std::exp(0.25) - 1) * std::exp(0.25), 0.02);
  // pareto(xm, alpha=3): mean alpha xm / (alpha-1) = 1.5; variance xm^2 alpha / ((alpha-1)^2 (alpha-2)) = 0.75.
  const Moments p = moments([&] { return rng.pareto(1.0, 3.0); }, kN);
  EXPECT_NEAR(p.mean, 1.5, 0.02);
  EXPECT_NEAR(p.variance, 0.75, 0.15);
  for (int i = 0; i < 1000; ++i) EXPECT_GE(rng.pareto(2.0, 1.5), 2.0);
}

}  // namespace
}  // namespace roomsim
