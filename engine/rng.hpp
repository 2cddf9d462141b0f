// engine/rng.hpp: deterministic pseudo-random streams for the simulator.
//
// Generator: xoshiro256** 1.0 (Blackman and Vigna, https://prng.di.unimi.it/),
// state seeded from a u64 through SplitMix64, as its authors recommend.
// Distributions are implemented here, not taken from <random>, whose
// algorithms differ between standard libraries; every method below produces
// the same sequence on any platform with IEEE-754 doubles and a correctly
// behaving libm for log/exp/sqrt/cos/pow.
//
// `fork(name)` derives a child stream from this stream's *seed* and the name
// only (never from the current state), so children are independent of how
// many numbers the parent or siblings have drawn, and adding a component does
// not shift anyone else's draws.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace roomsim {

class Rng {
 public:
  explicit Rng(uint64_t seed);

  uint64_t seed() const { return seed_; }
  // A child stream named `name`, deterministic in (seed(), name).
  Rng fork(std::string_view name) const;
  // A child stream for the index-th member of a family (client 17, region 3).
  Rng fork(std::string_view name, uint64_t index) const;

  uint64_t next_u64();
  // Uniform in [0, bound). REQUIRES: bound > 0. Unbiased (Lemire's method).
  uint64_t uniform_below(uint64_t bound);
  // Uniform in [lo, hi], both inclusive. REQUIRES: lo <= hi.
  int64_t uniform_int(int64_t lo, int64_t hi);
  // Uniform in [0, 1) with 53 bits of precision.
  double uniform01();
  // Uniform in [lo, hi).
  double uniform_real(double lo, double hi);
  // True with probability p (p <= 0: never, p >= 1: always).
  bool bernoulli(double p);
  // Exponential with the given mean. REQUIRES: mean > 0.
  double exponential(double mean);
  // Normal (Box-Muller, one value per call, no cached second value).
  double normal(double mean, double stddev);
  // exp(normal(mu, sigma)).
  double lognormal(double mu, double sigma);
  // Pareto type I: scale x_m > 0 (the minimum), shape alpha > 0.
  double pareto(double scale, double shape);

 private:
  uint64_t seed_;
  std::array<uint64_t, 4> state_;
};

// SplitMix64 step (Steele, Lea, Flood 2014): a good 64-bit mixer.
uint64_t splitmix64(uint64_t& state);
// FNV-1a 64-bit over bytes, for names and fingerprints.
uint64_t fnv1a64(std::string_view bytes, uint64_t basis = 0xcbf29ce484222325ULL);
// Folds `bytes` into the 64-bit state `h`, eight bytes per step: the trace's
// line hash (engine/trace.hpp), and with h = 0 the hash that places keys in
// in-memory tables (where only a key's slot may depend on it, never a result).
uint64_t hash_words64(uint64_t h, std::string_view bytes);

}  // namespace roomsim
