// engine/trace.hpp: the append-only record of a run and its fingerprint.
//
// Each entry is a canonical line `<time_ns> <kind> <fields>` (fields are
// `key=value` pairs separated by spaces, written by the caller in a stable
// order). `hash()` folds every canonical line including its '\n' into a
// 64-bit state eight bytes at a time (an FNV-1a-style xor-multiply step per
// little-endian word, see hash_words64 in engine/rng.hpp), so two runs with the same lines in the
// same order have the same hash, and any difference in time, kind, field or
// order changes it. `hash_hex()` (16
// lowercase hex digits) is the determinism fingerprint printed by `roomsim
// replay` and compared by `--check-determinism`.
//
// Optional outputs: a JSONL stream (one object per entry: i, t_ns, kind,
// fields) and an in-memory copy of the lines capped at `keep_lines_max`
// (older lines are never dropped silently: `lines_dropped()` counts what the
// cap refused). Not thread-safe.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "engine/time.hpp"

namespace roomsim {

class Trace {
 public:
  Trace() = default;

  void record(Time t, std::string_view kind, std::string_view fields);
  // The same entry, for a caller that has already written its canonical line
  // (`<t_ns> <kind>[ <fields>]\n`, as record() would build it) into `line`;
  // saves the copy into scratch. Hash, JSONL and kept lines are identical.
  // REQUIRES: line is exactly that text (the last byte, '\n', is asserted).
  void record_canonical(Time t, std::string_view kind, std::string_view fields, std::string_view line);

  uint64_t hash() const { return hash_; }
  std::string hash_hex() const;
  uint64_t size() const { return count_; }

  // Writes every later entry to `out` as JSONL. `out` must outlive the Trace (or be reset to nullptr).
  void set_jsonl_output(std::ostream* out) { jsonl_ = out; }
  // Keeps up to `keep_lines_max` canonical lines in memory (0 = keep none).
  void keep_lines(size_t keep_lines_max) { keep_lines_max_ = keep_lines_max; }
  const std::vector<std::string>& lines() const { return lines_; }
  uint64_t lines_dropped() const { return lines_dropped_; }

 private:
  uint64_t hash_ = 0xcbf29ce484222325ULL;  // FNV-1a offset basis as the starting state
  uint64_t count_ = 0;
  std::ostream* jsonl_ = nullptr;
  size_t keep_lines_max_ = 0;
  std::vector<std::string> lines_;
  uint64_t lines_dropped_ = 0;
  std::string scratch_;
};

// Formats a u64 as 16 lowercase hex digits.
std::string hex16(uint64_t value);

}  // namespace roomsim
