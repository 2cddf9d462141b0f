// scenarios/shard.cpp: shard text, parsing and seed counting.
#include "scenarios/shard.hpp"

namespace roomsim::scenarios {

std::string Shard::text() const {
  if (count == 1) return "";
  return std::to_string(index) + "/" + std::to_string(count);
}

uint64_t Shard::seeds_in(uint64_t first_seed, uint64_t seeds_total) const {
  // Every block of N consecutive seeds holds one of each residue; the first
  // seeds_total % N seeds (from first_seed on) hold one more of this residue
  // when it lies within them. No sum can overflow.
  const uint64_t residue = index - 1;
  const uint64_t extra = seeds_total % count;
  const uint64_t offset = (residue + count - first_seed % count) % count;  // first seed of the residue - first_seed
  return seeds_total / count + (offset < extra ? 1 : 0);
}

std::string Shard::describe(uint64_t first_seed, uint64_t seeds_total) const {
  const std::string range = seeds_total == 0 ? std::string("an empty range")
                                             : std::to_string(first_seed) + ".." +
                                                   std::to_string(first_seed + (seeds_total - 1));
  if (count == 1) return "seeds " + range;
  return "seeds s with s % " + std::to_string(count) + " == " + std::to_string(index - 1) + " in " + range;
}

std::optional<Shard> parse_shard(const std::string& text, std::string& error) {
  const auto slash = text.find('/');
  auto digits = [](const std::string& s) {
    return !s.empty() && s.size() <= 9 && s.find_first_not_of("0123456789") == std::string::npos;
  };
  if (slash != std::string::npos && digits(text.substr(0, slash)) && digits(text.substr(slash + 1))) {
    Shard s;
    s.index = static_cast<uint32_t>(std::stoul(text.substr(0, slash)));
    s.count = static_cast<uint32_t>(std::stoul(text.substr(slash + 1)));
    if (s.index >= 1 && s.index <= s.count) return s;
  }
  error = "--shard: expected K/N with 1 <= K <= N (e.g. 2/8), got \"" + text + "\"";
  return std::nullopt;
}

std::optional<Shard> parse_summary_shard(const std::string& text, std::string& error) {
  if (text.empty()) return Shard{};
  auto shard = parse_shard(text, error);
  if (!shard) error = "shard: expected \"K/N\" with 1 <= K <= N or \"\", got \"" + text + "\"";
  return shard;
}

}  // namespace roomsim::scenarios
