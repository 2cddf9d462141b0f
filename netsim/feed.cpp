// netsim/feed.cpp: see feed.hpp.
#include "netsim/feed.hpp"

#include <algorithm>

#include "engine/rng.hpp"

namespace roomsim::netsim {

namespace {
constexpr int64_t kNsPerMs = 1'000'000;
constexpr int64_t kPeriodMsMax = 1'000'000'000'000;  // ~31 years: no run is longer; keeps ns in range
constexpr const char* kStaticValue = "us-east";
}  // namespace

Feed::Feed(int64_t period_ms, int64_t quiesce_ns)
    : period_ns_(std::clamp<int64_t>(period_ms, 1, kPeriodMsMax) * kNsPerMs), quiesce_ns_(std::max<int64_t>(0, quiesce_ns)) {}

int64_t Feed::bucket(int64_t t_ns) const {
  // Whole milliseconds, as rooms see time; frozen at quiesce.
  const int64_t ms = std::min(t_ns, quiesce_ns_) / kNsPerMs;
  return ms / (period_ns_ / kNsPerMs);
}

nlohmann::json Feed::value(std::string_view key, int64_t t_ns) const {
  if (key == kStaticKey) return kStaticValue;
  const uint64_t h = fnv1a64(std::string(key) + ":" + std::to_string(bucket(t_ns)));
  return static_cast<int64_t>(h % 4 == 0 ? 0 : h % 1000);  // some keys stay put between periods
}

nlohmann::json Feed::data(int64_t t_ns) const {
  nlohmann::json out = nlohmann::json::object();
  for (std::string_view key : kKeys) out[std::string(key)] = value(key, t_ns);
  return out;
}

int64_t Feed::next_change_ns(int64_t t_ns) const {
  const int64_t next = (bucket(t_ns) + 1) * period_ns_;
  return next <= quiesce_ns_ && next > t_ns ? next : -1;
}

}  // namespace roomsim::netsim
