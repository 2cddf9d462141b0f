// tests/scenarios/extreme_values_property_test.cpp: RapidCheck property of
// issue 15: any scenario that `roomsim check` accepts runs a seed without an
// abort or a signal. Scenarios are built from the extreme values of every
// numeric field (each range's ends, the smallest positive number, and a
// value beside each end), every room kind with extreme config values, every
// fault kind and client behaviour. Each case must pass the loader and
// netsim::validate (what `check` runs), then runs one seed in a child process,
// so that an abort or a signal is a failed case that RapidCheck shrinks.
//
// Two upper ends are resource bounds rather than arithmetic ones and are not
// drawn here, so that a case runs in milliseconds: client `count` (up to
// 1,000,000 clients, about 1 GB; bench/netsim_bench.cpp runs that many) and
// `event_budget` (the cases run at most 20,000 events of a world that may
// last 2 * 10^10 ms).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <limits>

#include "netsim/simulation.hpp"
#include "rooms/api/registry.hpp"
#include "scenarios/runner.hpp"
#include "scenarios/scenario_loader.hpp"

namespace roomsim::scenarios {
namespace {

using nlohmann::json;
using namespace netsim::limits;

constexpr double kTiny = std::numeric_limits<double>::denorm_min();
const double kTimeMax = static_cast<double>(kTimeMsMax);

// One of the ends of [min, max], the value beside each end, or the smallest positive value when min is 0.
rc::Gen<int64_t> extreme_int(int64_t min, int64_t max) {
  std::vector<int64_t> values = {min, max, std::min(min + 1, max), std::max(max - 1, min)};
  return rc::gen::elementOf(values);
}

rc::Gen<double> extreme_number(double min, double max) {
  std::vector<double> values = {min, max, std::nextafter(max, min)};
  if (min == 0 && max > 0) values.push_back(kTiny);
  return rc::gen::elementOf(values);
}

// A distribution of any kind whose parameters are extremes of their ranges.
json gen_distribution() {
  const int kind = *rc::gen::inRange(0, 7);
  switch (kind) {
    case 0: return {{"kind", "none"}};
    case 1: return {{"kind", "constant"}, {"value_ms", *extreme_number(0, kLatencyMsMax)}};
    case 2: {
      const double min = *extreme_number(0, kLatencyMsMax);
      return {{"kind", "uniform"}, {"min_ms", min}, {"max_ms", *extreme_number(min, kLatencyMsMax)}};
    }
    case 3: return {{"kind", "exponential"}, {"mean_ms", *rc::gen::element(kTiny, kLatencyMsMax)}};
    case 4:
      return {{"kind", "normal"}, {"mean_ms", *extreme_number(0, kLatencyMsMax)},
              {"stddev_ms", *extreme_number(0, kLatencyMsMax)}};
    case 5:
      return {{"kind", "lognormal"}, {"mu", *extreme_number(-kLognormalMuMax, kLognormalMuMax)},
              {"sigma", *extreme_number(0, kLognormalSigmaMax)}};
    default:
      return {{"kind", "pareto"}, {"scale_ms", *rc::gen::element(kTiny, kLatencyMsMax)},
              {"shape", *rc::gen::element(kTiny, kParetoShapeMax)}};
  }
}

// Extremes of every integer key of rooms/common/room_config.cpp.
json gen_room_config() {
  json c = json::object();
  struct Key {
    const char* name;
    int64_t min;
    int64_t max;
  };
  constexpr int64_t kDayMs = 86'400'000;
  const Key keys[] = {{"max_connections", 0, 1'000'000},     {"max_connections_per_user", 0, 1'000'000},
                      {"rate_limit_per_min", 0, 1'000'000},  {"history_max", 1, 100'000},
                      {"heartbeat_interval_ms", 0, kDayMs},  {"session_timeout_ms", 0, 365 * kDayMs},
                      {"max_frame_bytes", 16, 64 << 20},     {"metrics_batch", 0, 100'000},
                      {"refresh_interval_ms", 10, kDayMs},   {"sync_interval_ms", 0, kDayMs},
                      {"error_log_max", 0, 100'000},         {"max_sub_rooms", 0, 1000}};
  for (const Key& k : keys) {
    if (*rc::gen::arbitrary<bool>()) c[k.name] = *extreme_int(k.min, k.max);
  }
  return c;
}

json gen_fault(int64_t safety_ms, const std::vector<std::string>& regions) {
  static const std::vector<std::string> kinds = {"partition",  "latency-spike", "edge-outage", "edge-restart",
                                                 "room-evict", "room-crash",    "storage-slow", "storage-fail",
                                                 "clock-skew", "client-churn"};
  const std::string kind = *rc::gen::elementOf(kinds);
  const int64_t start = *extreme_int(0, safety_ms - 1);
  json f{{"kind", kind}, {"start_ms", start}};
  const bool instant = kind == "edge-restart" || kind == "room-evict" || kind == "room-crash";
  if (!instant) f["duration_ms"] = *extreme_int(1, safety_ms - start);
  const std::string region = *rc::gen::elementOf(regions);
  if (kind == "partition") {
    if (*rc::gen::arbitrary<bool>()) {
      f["client"] = "users-0";
    } else {
      f["region"] = region;
    }
  } else if (kind == "latency-spike") {
    f["factor"] = *extreme_number(1, kFactorMax);
    if (*rc::gen::arbitrary<bool>()) f["region"] = region;
  } else if (kind == "edge-outage" || kind == "edge-restart") {
    f["region"] = region;
  } else if (kind == "room-evict" || kind == "room-crash") {
    f["room"] = "lobby";
  } else if (kind == "storage-slow") {
    f["room"] = "lobby";
    f["factor"] = *extreme_number(1, kFactorMax);
  } else if (kind == "storage-fail") {
    f["room"] = "lobby";
    f["probability"] = *extreme_number(0, 1);
  } else if (kind == "clock-skew") {
    f["client"] = "users-0";
    f["skew_ms"] = *extreme_int(-kTimeMsMax, kTimeMsMax);
  } else {
    f["population"] = "users";
    f["rate_per_s"] = *rc::gen::element(kTiny, 1.0, kRatePerSMax);
  }
  return f;
}

json gen_extreme_scenario() {
  const std::string kind = *rc::gen::elementOf(rooms::builtin_registry().kinds());
  json topology = "small";
  std::vector<std::string> regions = {"IAD", "FRA", "SIN"};
  if (*rc::gen::arbitrary<bool>()) {
    regions = {"A", "B"};
    topology = {{"regions", json::array({{{"code", "A"}, {"lat", -90}, {"lon", -180}}, {{"code", "B"}, {"lat", 90}, {"lon", 180}}})},
                {"route_stretch", *extreme_number(1, 100)},
                {"fibre_km_per_ms", *extreme_number(1, 300)},
                {"hop_overhead_ms", *extreme_number(0, kLatencyMsMax)},
                {"latency_model", *rc::gen::element("measured", "distance")},
                {"jitter", gen_distribution()},
                {"last_mile", gen_distribution()}};
    if (*rc::gen::arbitrary<bool>()) {
      topology["latency_matrix_ms"] = json::array({json::array({*extreme_number(0, kLatencyMsMax), *extreme_number(0, kLatencyMsMax)}),
                                                   json::array({*extreme_number(0, kLatencyMsMax), *extreme_number(0, kLatencyMsMax)})});
    }
  }
  const int64_t safety_ms = *extreme_int(1, kTimeMsMax);
  const std::string behaviour = *rc::gen::element<std::string>("chatter", "dashboard", "lurker", "hostile");
  const double backoff_base = *rc::gen::element(kTiny, 1.0, kTimeMax);
  json users{{"name", "users"},
             {"count", *rc::gen::inRange(1, 4)},
             {"room", "lobby"},
             {"behaviour", behaviour},
             {"send_rate_per_s", *extreme_number(0, kRatePerSMax)},
             {"payload_bytes", *extreme_int(0, kPayloadBytesMax)},
             {"users", *rc::gen::element<int64_t>(0, 1, kClientsMax)},
             {"reconnect", *rc::gen::arbitrary<bool>()},
             {"backoff_base_ms", backoff_base},
             {"backoff_max_ms", *extreme_number(backoff_base, kTimeMax)},
             {"connect_at_ms_max", *extreme_number(0, kTimeMax)},
             {"token_ttl_s", *extreme_int(-kTokenTtlSMax, kTokenTtlSMax)},
             {"region_weights", {{regions[0], *rc::gen::element(kTiny, kRegionWeightMax)}}}};
  if (behaviour == "hostile") {
    users["hostile"] = json::array({"bad-token", "expired-token", "no-token", "flood", "malformed-json", "oversized-frame",
                                    "unknown-type", "too-many-connections", "not-member"});
  }
  if (behaviour == "dashboard") users["keys"] = json::array({"*"});
  // The population options (issue 15 review: the property never drew them).
  const double connect_min = *extreme_number(0, 1e9);
  users["connect_at_ms_min"] = connect_min;
  users["connect_at_ms_max"] = *extreme_number(connect_min, std::max(connect_min, kTimeMax));
  users["enabled_probability"] = *extreme_number(0, 1);
  users["away_probability"] = *extreme_number(0, 1);
  users["away_vanish_probability"] = *extreme_number(0, 1);
  users["away_for_good"] = *rc::gen::arbitrary<bool>();
  const double away_at_min = *extreme_number(0, 1e9);
  users["away_at_ms_min"] = away_at_min;
  users["away_at_ms_max"] = *extreme_number(away_at_min, 1e9);
  const double away_min = *extreme_number(0, 1e9);
  users["away_ms_min"] = away_min;
  users["away_ms_max"] = *extreme_number(away_min, 1e9);
  if (behaviour == "chatter") {
    // The largest burst the payload allows (burst_size x payload_bytes <= kBurstBytesMax), or its neighbours.
    const int64_t payload = std::max<int64_t>(users["payload_bytes"].get<int64_t>(), 1);
    users["burst_size"] = *extreme_int(0, std::min<int64_t>(kBurstSizeMax, kBurstBytesMax / payload));
    users["bursts_per_min"] = *extreme_number(0, 600);
  }
  json faults = json::array();
  const int fault_count = *rc::gen::inRange(0, 4);
  for (int i = 0; i < fault_count; ++i) faults.push_back(gen_fault(safety_ms, regions));
  json s{{"name", "extreme"},
         {"seeds", *extreme_int(1, static_cast<int64_t>(kScenarioSeedsMax))},
         {"topology", topology},
         {"rooms", json::array({{{"kind", kind}, {"id", "lobby"}, {"config", gen_room_config()}}})},
         {"clients", json::array({users})},
         {"faults", faults},
         {"phases", {{"safety_ms", safety_ms},
                     {"liveness_ms", *extreme_int(0, kTimeMsMax)},
                     {"convergence_bound_ms", *extreme_int(1, kTimeMsMax)},
                     {"latency_p99_bound_ms", *extreme_int(1, kTimeMsMax)}}},
         {"storage", {{"commit_latency", gen_distribution()}}},
         {"limits", {{"heartbeat_timeout_ms", *extreme_int(1, kTimeMsMax)},
                     {"max_frame_bytes", *extreme_int(1, kFrameBytesMax)},
                     {"send_queue_max_frames", *extreme_int(1, kSendQueueFramesMax)}}},
         {"services", {{"latency", gen_distribution()},
                       {"failure_probability", *extreme_number(0, 1)},
                       {"feed_period_ms", *extreme_int(1, kTimeMsMax)}}},
         {"event_budget", *rc::gen::element<int64_t>(1, 2, 2'000, 20'000)}};
  if (*rc::gen::arbitrary<bool>()) {
    s["fault_rates"] = {{"swarm", *rc::gen::arbitrary<bool>()},
                        {"per_minute", {{"partition", *extreme_number(0, kFaultsPerMinuteMax)},
                                        {"room-crash", *extreme_number(0, kFaultsPerMinuteMax)},
                                        {"clock-skew", *extreme_number(0, kFaultsPerMinuteMax)},
                                        {"client-churn", *extreme_number(0, kFaultsPerMinuteMax)},
                                        {"latency-spike", *extreme_number(0, kFaultsPerMinuteMax)}}},
                        {"duration_ms_mean", *extreme_int(1, kTimeMsMax)}};
  }
  if (*rc::gen::arbitrary<bool>()) {
    s["actions"] = json::array({{{"at_ms", 0}, {"client", "users-0"}, {"kind", "connect"}},
                                {{"at_ms", *extreme_int(0, kTimeMsMax)}, {"client", "users-0"}, {"kind", "send"},
                                 {"text", "x"}, {"count", *extreme_int(1, 10'000)}}});
  }
  return s;
}

// Runs one seed in a child process: its exit status (0 when the run ended normally).
int run_in_child(const Scenario& s, uint64_t seed) {
  const pid_t pid = fork();
  if (pid == 0) {
    const SeedResult r = run_seed(s, seed, default_simulate());
    _exit(r.config_errors.empty() ? 0 : 3);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

RC_GTEST_PROP(ExtremeValues, WhatCheckAcceptsRunsWithoutAnAbortOrASignal, ()) {
  const json j = gen_extreme_scenario();
  RC_LOG() << j.dump() << "\n";
  const LoadResult loaded = load_scenario_json(j, "extreme.json", "extreme.json");
  RC_LOG() << ::testing::PrintToString(loaded.errors) << "\n";
  RC_ASSERT(loaded.ok());
  const auto errors = netsim::validate(loaded.scenario->config, rooms::builtin_registry());
  RC_LOG() << ::testing::PrintToString(errors) << "\n";
  RC_ASSERT(errors.empty());
  RC_ASSERT(run_in_child(*loaded.scenario, *rc::gen::element<uint64_t>(1, 2, UINT64_MAX)) == 0);
}

}  // namespace
}  // namespace roomsim::scenarios
