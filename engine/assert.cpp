// engine/assert.cpp: the failure path of ROOMSIM_ASSERT.
#include "engine/assert.hpp"

#include <cstdio>
#include <cstdlib>

namespace roomsim {
namespace {
thread_local std::optional<uint64_t> tls_seed;
}  // namespace

std::optional<uint64_t> current_seed() { return tls_seed; }

SeedScope::SeedScope(uint64_t seed) : previous_(tls_seed) { tls_seed = seed; }
SeedScope::~SeedScope() { tls_seed = previous_; }

void assert_fail(const char* condition, const char* message, const char* file, int line) {
  std::fprintf(stderr, "roomsim: assertion failed: %s\n  at %s:%d\n", condition, file, line);
  if (message != nullptr) std::fprintf(stderr, "  %s\n", message);
  if (tls_seed) {
    std::fprintf(stderr, "  seed: %llu (replay with `roomsim replay SCENARIO --seed %llu`)\n",
                 static_cast<unsigned long long>(*tls_seed), static_cast<unsigned long long>(*tls_seed));
  }
  std::fflush(stderr);
  std::abort();
}

}  // namespace roomsim
