// netsim/feed.hpp: the simulated external data feed (service "feed"), whose
// values are a pure function of virtual time.
//
// The feed holds the keys cpu, errors, latency_ms, memory and requests, whose
// values change at most once per `period_ms` (a key may keep its value across
// a period), and the key region, whose value never changes (dashboards with a
// static key). The values freeze at `quiesce_ns`, so dashboards can converge
// before the run ends. Both the room host (answering a room's fetch) and the
// World (recording kFeedValue, the reference dashboard_convergence judges by)
// read the feed here, so they can never disagree.
//
// Determinism: no state, no randomness; values depend only on (key, time,
// period, quiesce).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace roomsim::netsim {

class Feed {
 public:
  // Keys in ascending order (the order of a JSON object's dump).
  static constexpr std::array<std::string_view, 6> kKeys = {"cpu", "errors", "latency_ms", "memory", "region", "requests"};
  static constexpr std::string_view kStaticKey = "region";

  // REQUIRES: period_ms >= 1 (the loader validates it; smaller is treated as 1).
  Feed(int64_t period_ms, int64_t quiesce_ns);

  // The value of `key` at t_ns (JSON). REQUIRES: key is one of kKeys.
  nlohmann::json value(std::string_view key, int64_t t_ns) const;
  // Every key's value at t_ns, as the feed's answer to GET /data.
  nlohmann::json data(int64_t t_ns) const;
  // The first time after t_ns at which a value may change, or -1 when none
  // will (the feed is frozen from quiesce on).
  int64_t next_change_ns(int64_t t_ns) const;

 private:
  int64_t bucket(int64_t t_ns) const;
  int64_t period_ns_;
  int64_t quiesce_ns_;
};

}  // namespace roomsim::netsim
