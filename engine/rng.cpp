// engine/rng.cpp: xoshiro256** and the project's own distributions.
#include "engine/rng.hpp"

#include <cmath>

#include "engine/assert.hpp"

namespace roomsim {
namespace {
constexpr double kTwoPi = 6.283185307179586476925286766559;
inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t fnv1a64(std::string_view bytes, uint64_t basis) {
  uint64_t h = basis;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

namespace {
inline uint64_t load_le64(const unsigned char* p, size_t n) {
  uint64_t w = 0;
  for (size_t i = 0; i < n; ++i) w |= static_cast<uint64_t>(p[i]) << (8 * i);
  return w;
}
}  // namespace

// Eight bytes at a time, little-endian whatever the host, so the hash is the
// same on every platform. Each word is xor-ed in and multiplied by an odd
// constant (FNV-1a's step, widened to a word), then the high half is folded
// down so later words depend on every earlier bit. The tail carries its
// length so "a" and "a\0" differ.
uint64_t hash_words64(uint64_t h, std::string_view bytes) {
  constexpr uint64_t kMultiplier = 0x9e3779b97f4a7c15ULL;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = bytes.size();
  while (n >= 8) {
    h = (h ^ load_le64(p, 8)) * kMultiplier;
    h ^= h >> 32;
    p += 8;
    n -= 8;
  }
  h = (h ^ load_le64(p, n) ^ (static_cast<uint64_t>(n) << 56)) * kMultiplier;
  h ^= h >> 29;
  return h;
}

Rng::Rng(uint64_t seed) : seed_(seed) {
  uint64_t sm = seed;
  for (auto& word : state_) word = splitmix64(sm);
  // xoshiro's state must not be all zero; SplitMix64 output never is for four words.
  ROOMSIM_ASSERT((state_[0] | state_[1] | state_[2] | state_[3]) != 0);
}

Rng Rng::fork(std::string_view name) const {
  uint64_t mix = seed_ ^ fnv1a64(name);
  splitmix64(mix);
  return Rng(splitmix64(mix));
}

Rng Rng::fork(std::string_view name, uint64_t index) const {
  uint64_t mix = fnv1a64(name) ^ (index * 0x9e3779b97f4a7c15ULL);
  mix ^= seed_;
  splitmix64(mix);
  return Rng(splitmix64(mix) ^ index);
}

uint64_t Rng::next_u64() {
  const uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

uint64_t Rng::uniform_below(uint64_t bound) {
  ROOMSIM_ASSERT(bound > 0);
  // Lemire, "Fast Random Integer Generation in an Interval" (2019).
  unsigned __int128 m = static_cast<unsigned __int128>(next_u64()) * bound;
  uint64_t low = static_cast<uint64_t>(m);
  if (low < bound) {
    const uint64_t threshold = (0 - bound) % bound;
    while (low < threshold) {
      m = static_cast<unsigned __int128>(next_u64()) * bound;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

int64_t Rng::uniform_int(int64_t lo, int64_t hi) {
  ROOMSIM_ASSERT(lo <= hi);
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  if (span == UINT64_MAX) return static_cast<int64_t>(next_u64());
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + uniform_below(span + 1));
}

double Rng::uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

double Rng::uniform_real(double lo, double hi) { return lo + (hi - lo) * uniform01(); }

bool Rng::bernoulli(double p) {
  if (p <= 0.0) return false;
  if (p >= 1.0) return true;
  return uniform01() < p;
}

double Rng::exponential(double mean) {
  ROOMSIM_ASSERT(mean > 0.0);
  // 1 - U is in (0, 1], so the log is finite.
  return -mean * std::log(1.0 - uniform01());
}

double Rng::normal(double mean, double stddev) {
  const double u1 = 1.0 - uniform01();  // (0, 1]
  const double u2 = uniform01();
  return mean + stddev * std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
}

double Rng::lognormal(double mu, double sigma) { return std::exp(normal(mu, sigma)); }

double Rng::pareto(double scale, double shape) {
  ROOMSIM_ASSERT(scale > 0.0);
  ROOMSIM_ASSERT(shape > 0.0);
  const double u = 1.0 - uniform01();  // (0, 1]
  return scale / std::pow(u, 1.0 / shape);
}

}  // namespace roomsim
