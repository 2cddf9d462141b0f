// engine/time.hpp: typed virtual time for the simulator.
//
// `Duration` and `Time` wrap int64 nanoseconds. They never hold a double, so
// arithmetic is exact and identical on every platform. `Time` counts from the
// start of a simulation (Time::zero()); it is never related to the wall clock.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <string>

namespace roomsim {

class Duration {
 public:
  constexpr Duration() = default;
  static constexpr Duration nanoseconds(int64_t ns) { return Duration(ns); }
  static constexpr Duration microseconds(int64_t us) { return Duration(us * 1'000); }
  static constexpr Duration milliseconds(int64_t ms) { return Duration(ms * 1'000'000); }
  static constexpr Duration seconds(int64_t s) { return Duration(s * 1'000'000'000); }
  static constexpr Duration zero() { return Duration(0); }
  static constexpr Duration max() { return Duration(std::numeric_limits<int64_t>::max()); }

  // For values from configuration or random draws: these saturate where the
  // plain conversions would overflow (undefined behaviour for int64).
  // `ms` milliseconds, clamped to the int64 range of nanoseconds.
  static constexpr Duration milliseconds_saturated(int64_t ms) {
    constexpr int64_t kLimit = std::numeric_limits<int64_t>::max() / 1'000'000;
    if (ms > kLimit) return max();
    if (ms < -kLimit) return Duration(std::numeric_limits<int64_t>::min());
    return Duration(ms * 1'000'000);
  }
  // The longest delay delay_ns() gives: 2^62 ns (146 years), so that now + delay
  // cannot overflow while now is below 2^62 ns too.
  static constexpr int64_t kDelayNsMax = int64_t{1} << 62;
  // A delay of `ns` nanoseconds given as a double, rounded to the nearest ns
  // (std::llround): NaN and values <= 0 give zero, values above kDelayNsMax
  // give kDelayNsMax. Deterministic: the same on every platform.
  static Duration delay_ns(double ns);

  constexpr int64_t ns() const { return ns_; }
  constexpr int64_t us() const { return ns_ / 1'000; }
  constexpr int64_t ms() const { return ns_ / 1'000'000; }
  constexpr int64_t s() const { return ns_ / 1'000'000'000; }

  constexpr auto operator<=>(const Duration&) const = default;
  constexpr Duration operator+(Duration o) const { return Duration(ns_ + o.ns_); }
  constexpr Duration operator-(Duration o) const { return Duration(ns_ - o.ns_); }
  constexpr Duration operator*(int64_t k) const { return Duration(ns_ * k); }
  constexpr Duration operator/(int64_t k) const { return Duration(ns_ / k); }
  constexpr Duration& operator+=(Duration o) { ns_ += o.ns_; return *this; }
  constexpr Duration& operator-=(Duration o) { ns_ -= o.ns_; return *this; }

 private:
  constexpr explicit Duration(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

constexpr Duration nanoseconds(int64_t ns) { return Duration::nanoseconds(ns); }
constexpr Duration microseconds(int64_t us) { return Duration::microseconds(us); }
constexpr Duration milliseconds(int64_t ms) { return Duration::milliseconds(ms); }
constexpr Duration seconds(int64_t s) { return Duration::seconds(s); }

class Time {
 public:
  constexpr Time() = default;
  static constexpr Time zero() { return Time(0); }
  static constexpr Time from_ns(int64_t ns) { return Time(ns); }
  static constexpr Time max() { return Time(std::numeric_limits<int64_t>::max()); }

  constexpr int64_t ns() const { return ns_; }
  constexpr int64_t ms() const { return ns_ / 1'000'000; }
  constexpr Duration since_start() const { return Duration::nanoseconds(ns_); }

  constexpr auto operator<=>(const Time&) const = default;
  constexpr Time operator+(Duration d) const { return Time(ns_ + d.ns()); }
  constexpr Time operator-(Duration d) const { return Time(ns_ - d.ns()); }
  constexpr Duration operator-(Time o) const { return Duration::nanoseconds(ns_ - o.ns_); }
  constexpr Time& operator+=(Duration d) { ns_ += d.ns(); return *this; }

 private:
  constexpr explicit Time(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

// "12.503s": seconds with millisecond precision, for messages a person reads.
std::string format_time(Time t);
// "250ms", "1.500s", "3us": a compact human form for durations.
std::string format_duration(Duration d);

}  // namespace roomsim
