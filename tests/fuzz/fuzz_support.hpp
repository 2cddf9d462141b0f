// tests/fuzz/fuzz_support.hpp: what every libFuzzer target of tests/fuzz
// shares: an oracle failure is a crash (so libFuzzer keeps the input), and so
// is a GoogleTest failure reported by the fake room host of tests/rooms.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace roomsim::fuzz {

// Aborts, naming the broken expectation, when `ok` is false.
inline void check(bool ok, const char* expectation) {
  if (ok) return;
  std::fprintf(stderr, "fuzz oracle failed: %s\n", expectation);
  std::abort();
}

// Makes ADD_FAILURE (the fake room host's way to report a room that sent
// invalid JSON or a bad spec) crash instead of printing and going on.
inline void crash_on_test_failures() {
  static const bool set = [] {
    GTEST_FLAG_SET(break_on_failure, true);
    return true;
  }();
  (void)set;
}

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace roomsim::fuzz
