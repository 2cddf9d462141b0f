// engine/time.cpp: human-readable formatting of virtual time.
#include "engine/time.hpp"

#include <cmath>
#include <cstdio>

namespace roomsim {

Duration Duration::delay_ns(double ns) {
  if (!(ns > 0)) return zero();
  if (ns >= static_cast<double>(kDelayNsMax)) return Duration(kDelayNsMax);
  return Duration(static_cast<int64_t>(std::llround(ns)));
}

std::string format_time(Time t) {
  const int64_t ms_total = t.ns() / 1'000'000;
  const char* sign = ms_total < 0 ? "-" : "";
  const int64_t abs_ms = ms_total < 0 ? -ms_total : ms_total;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%lld.%03llds", sign, static_cast<long long>(abs_ms / 1000),
                static_cast<long long>(abs_ms % 1000));
  return buf;
}

std::string format_duration(Duration d) {
  char buf[48];
  const long long ns = static_cast<long long>(d.ns());
  if (ns % 1'000'000'000 == 0) {
    std::snprintf(buf, sizeof buf, "%llds", ns / 1'000'000'000);
  } else if (ns >= 1'000'000'000 || ns <= -1'000'000'000) {
    std::snprintf(buf, sizeof buf, "%lld.%03llds", ns / 1'000'000'000, (ns < 0 ? -ns : ns) % 1'000'000'000 / 1'000'000);
  } else if (ns % 1'000'000 == 0) {
    std::snprintf(buf, sizeof buf, "%lldms", ns / 1'000'000);
  } else if (ns % 1'000 == 0) {
    std::snprintf(buf, sizeof buf, "%lldus", ns / 1'000);
  } else {
    std::snprintf(buf, sizeof buf, "%lldns", ns);
  }
  return buf;
}

}  // namespace roomsim
