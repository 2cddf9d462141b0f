// engine/trace.cpp: canonical trace lines, rolling word-at-a-time hash, JSONL output.
#include "engine/trace.hpp"

#include <cstdio>
#include <ostream>

#include <nlohmann/json.hpp>

#include "engine/assert.hpp"


namespace roomsim {

std::string hex16(uint64_t value) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value));
  return buf;
}

namespace {

// Eight bytes at a time, little-endian whatever the host, so the hash is the
// same on every platform. Each word is xor-ed in and multiplied by an odd
// constant (FNV-1a's step, widened to a word), then the high half is folded
// down so later words depend on every earlier bit. The tail carries its
// length so "a" and "a\0" differ.
inline uint64_t load_le64(const unsigned char* p, size_t n) {
  uint64_t w = 0;
  for (size_t i = 0; i < n; ++i) w |= static_cast<uint64_t>(p[i]) << (8 * i);
  return w;
}

uint64_t hash_line(uint64_t h, std::string_view bytes) {
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

}  // namespace

std::string Trace::hash_hex() const { return hex16(hash_); }

void Trace::record(Time t, std::string_view kind, std::string_view fields) {
  scratch_.clear();
  scratch_ += std::to_string(t.ns());
  scratch_ += ' ';
  scratch_ += kind;
  if (!fields.empty()) {
    scratch_ += ' ';
    scratch_ += fields;
  }
  scratch_ += '\n';
  record_canonical(t, kind, fields, scratch_);
}

void Trace::record_canonical(Time t, std::string_view kind, std::string_view fields, std::string_view line) {
  ROOMSIM_ASSERT(!line.empty());
  ROOMSIM_ASSERT(line.back() == '\n');
  hash_ = hash_line(hash_, line);
  if (jsonl_ != nullptr) {
    nlohmann::json j = {{"i", count_}, {"t_ns", t.ns()}, {"kind", kind}, {"fields", fields}};
    *jsonl_ << j.dump() << '\n';
  }
  if (keep_lines_max_ > 0) {
    if (lines_.size() < keep_lines_max_) {
      lines_.emplace_back(line.data(), line.size() - 1);
    } else {
      ++lines_dropped_;
    }
  }
  ++count_;
}

}  // namespace roomsim
