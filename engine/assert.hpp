// engine/assert.hpp: assertions that stay on in Release builds.
//
// ROOMSIM_ASSERT(cond) aborts with the file, line, condition and, when a
// simulation is running on this thread, its seed, so any failure can be
// replayed. Split compound conditions into separate assertions so a failure
// names one fact. ROOMSIM_ASSERT_MSG adds a message.
#pragma once

#include <cstdint>
#include <optional>

namespace roomsim {

[[noreturn]] void assert_fail(const char* condition, const char* message, const char* file, int line);

// The seed of the simulation running on the calling thread, if any. Each
// runner worker thread runs one simulation at a time, so a thread-local slot
// is exact. Reading it never affects a simulation.
std::optional<uint64_t> current_seed();

// Marks the calling thread as running the simulation of `seed` for its lifetime.
class SeedScope {
 public:
  explicit SeedScope(uint64_t seed);
  ~SeedScope();
  SeedScope(const SeedScope&) = delete;
  SeedScope& operator=(const SeedScope&) = delete;

 private:
  std::optional<uint64_t> previous_;
};

}  // namespace roomsim

#define ROOMSIM_ASSERT(cond)                                               \
  do {                                                                     \
    if (!(cond)) [[unlikely]]                                              \
      ::roomsim::assert_fail(#cond, nullptr, __FILE__, __LINE__);          \
  } while (0)

#define ROOMSIM_ASSERT_MSG(cond, msg)                                      \
  do {                                                                     \
    if (!(cond)) [[unlikely]]                                              \
      ::roomsim::assert_fail(#cond, (msg), __FILE__, __LINE__);            \
  } while (0)
