// scenarios/shard.hpp: one shard K/N of a seed range.
//
// Shard K of N holds the seeds s with s % N == K - 1, so N machines running
// the same sweep with shards 1/N .. N/N cover a seed range exactly once.
// `roomsim run --shard K/N` selects the seeds; `roomsim merge` uses the same
// arithmetic to check that each shard summary holds the seeds it should and
// to name the seeds of a shard that never arrived.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace roomsim::scenarios {

struct Shard {
  uint32_t index = 1;  // K, 1-based
  uint32_t count = 1;  // N
  bool contains(uint64_t seed) const { return seed % count == index - 1; }
  std::string text() const;  // "K/N", or "" for 1/1
  // How many seeds of first_seed .. first_seed + seeds_total - 1 this shard
  // holds. REQUIRES: the range does not pass 2^64 - 1.
  uint64_t seeds_in(uint64_t first_seed, uint64_t seeds_total) const;
  // "seeds s with s % N == K-1 in A..B" (or "seeds A..B" for 1/1), for messages.
  std::string describe(uint64_t first_seed, uint64_t seeds_total) const;
};

// Parses "K/N" with 1 <= K <= N; nullopt (and `error` set) otherwise.
std::optional<Shard> parse_shard(const std::string& text, std::string& error);

// The shard a summary's "shard" field names: "" is 1/1; otherwise as parse_shard.
std::optional<Shard> parse_summary_shard(const std::string& text, std::string& error);

}  // namespace roomsim::scenarios
