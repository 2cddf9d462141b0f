// tests/scenarios/scenario_gen.hpp: RapidCheck generators for small scenario
// files and fault schedules (JSON, so every generated case also exercises the
// loader). Sizes stay small (a few clients, seconds of simulated time) so a
// property runs its 100 cases in seconds.
#pragma once

#include <rapidcheck.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenarios/scenario_loader.hpp"

namespace roomsim::scenarios::testing {

inline const std::vector<std::string>& small_regions() {
  static const std::vector<std::string> r = {"IAD", "SFO", "FRA", "SIN", "NRT", "GRU"};
  return r;
}

// A fault of any kind, starting and healing inside [0, safety_ms].
inline rc::Gen<nlohmann::json> gen_fault(int64_t safety_ms, int users) {
  return rc::gen::exec([=] {
    using nlohmann::json;
    static const std::vector<std::string> kinds = {"partition",  "latency-spike", "edge-outage", "edge-restart",
                                                   "room-evict", "room-crash",    "storage-slow", "storage-fail",
                                                   "clock-skew", "client-churn"};
    const std::string kind = *rc::gen::elementOf(kinds);
    const int64_t start = *rc::gen::inRange<int64_t>(0, safety_ms - 1);
    const int64_t duration = *rc::gen::inRange<int64_t>(1, safety_ms - start + 1);
    json f{{"kind", kind}, {"start_ms", start}};
    const bool instant = kind == "edge-restart" || kind == "room-evict" || kind == "room-crash";
    if (!instant) f["duration_ms"] = duration;
    auto region = [] { return *rc::gen::elementOf(small_regions()); };
    auto client = [=] { return "users-" + std::to_string(*rc::gen::inRange(0, users)); };
    if (kind == "partition") {
      const int shape = *rc::gen::inRange(0, 3);
      if (shape == 0) {
        f["client"] = client();
      } else if (shape == 1) {
        f["region"] = region();
      } else {
        json a = json::array();
        json b = json::array();
        for (const auto& r : small_regions()) (*rc::gen::arbitrary<bool>() ? a : b).push_back(r);
        if (a.empty()) a.push_back(b.back()), b.erase(b.size() - 1);
        if (b.empty()) b.push_back(a.back()), a.erase(a.size() - 1);
        f["regions_a"] = a;
        f["regions_b"] = b;
        f["one_way"] = *rc::gen::arbitrary<bool>();
      }
    } else if (kind == "latency-spike") {
      f["factor"] = *rc::gen::inRange(1, 20);
      f["region"] = region();
    } else if (kind == "edge-outage" || kind == "edge-restart") {
      f["region"] = region();
    } else if (kind == "room-evict" || kind == "room-crash") {
      f["room"] = "lobby";
    } else if (kind == "storage-slow") {
      f["room"] = "lobby";
      f["factor"] = *rc::gen::inRange(1, 30);
    } else if (kind == "storage-fail") {
      f["room"] = "lobby";
      f["probability"] = *rc::gen::inRange(0, 101) / 100.0;
    } else if (kind == "clock-skew") {
      f["client"] = client();
      f["skew_ms"] = *rc::gen::inRange<int64_t>(-100'000, 100'000);
    } else {
      f["population"] = "users";
      f["rate_per_s"] = *rc::gen::inRange(1, 30) / 10.0;
    }
    return f;
  });
}

// A small scenario of `room_kind` with chatters (and maybe lurkers), an
// explicit fault schedule and maybe swarm fault rates.
inline rc::Gen<nlohmann::json> gen_scenario_json(const std::string& room_kind) {
  return rc::gen::exec([=] {
    using nlohmann::json;
    const int users = *rc::gen::inRange(1, 6);
    const int64_t safety_ms = *rc::gen::inRange<int64_t>(1'000, 5'000);
    json clients = json::array({{{"name", "users"},
                                 {"count", users},
                                 {"room", "lobby"},
                                 {"send_rate_per_s", *rc::gen::inRange(1, 40) / 10.0},
                                 {"connect_at_ms_max", *rc::gen::inRange(0, 1'000)}}});
    if (*rc::gen::arbitrary<bool>()) {
      clients.push_back({{"name", "lurkers"}, {"count", *rc::gen::inRange(1, 3)}, {"room", "lobby"},
                         {"behaviour", "lurker"}});
    }
    json faults = json::array();
    for (const auto& f : *rc::gen::container<std::vector<json>>(*rc::gen::inRange(0, 6), gen_fault(safety_ms, users))) {
      faults.push_back(f);
    }
    json s{{"name", "generated"},
           {"topology", "small"},
           {"rooms", json::array({{{"kind", room_kind}, {"id", "lobby"}}})},
           {"clients", clients},
           {"faults", faults},
           {"phases", {{"safety_ms", safety_ms}, {"liveness_ms", 6'000}, {"convergence_bound_ms", 4'000}}},
           {"limits", {{"heartbeat_timeout_ms", *rc::gen::inRange(1'000, 10'000)}}}};
    if (*rc::gen::arbitrary<bool>()) {
      json per = json::object();
      for (const auto& k : {"partition", "room-crash", "room-evict", "storage-fail", "edge-restart"}) {
        per[k] = *rc::gen::inRange(0, 20);
      }
      s["fault_rates"] = {{"swarm", *rc::gen::arbitrary<bool>()}, {"per_minute", per}, {"duration_ms_mean", 800}};
    }
    return s;
  });
}

inline Scenario load_generated(const nlohmann::json& j) {
  LoadResult r = load_scenario_json(j, "generated.json", "generated.json");
  RC_ASSERT(r.errors.empty());
  return std::move(*r.scenario);
}

}  // namespace roomsim::scenarios::testing
