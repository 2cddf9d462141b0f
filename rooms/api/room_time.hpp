// rooms/api/room_time.hpp: the clock type rooms see.
//
// `RoomClock` has no now(): rooms read time only through RoomContext::now(),
// so the simulator (virtual time) and the live server (system clock) decide
// what "now" is. Time points count milliseconds since the Unix epoch; in the
// simulator the run starts at a fixed epoch (2026-01-01T00:00:00Z) so
// timestamps look real and stay deterministic.
#pragma once

#include <chrono>
#include <cstdint>

namespace roomsim::rooms {

struct RoomClock {
  using rep = int64_t;
  using period = std::milli;
  using duration = std::chrono::duration<rep, period>;
  using time_point = std::chrono::time_point<RoomClock>;
  static constexpr bool is_steady = false;
};

using RoomTime = RoomClock::time_point;
using RoomDuration = RoomClock::duration;

// Milliseconds since the Unix epoch, for JSON timestamps.
inline int64_t to_unix_ms(RoomTime t) { return t.time_since_epoch().count(); }
inline RoomTime from_unix_ms(int64_t ms) { return RoomTime(RoomDuration(ms)); }

// The simulator's epoch: 2026-01-01T00:00:00Z.
inline constexpr int64_t kSimulationEpochUnixMs = 1'767'225'600'000;

}  // namespace roomsim::rooms
