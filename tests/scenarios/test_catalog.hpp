// tests/scenarios/test_catalog.hpp: a catalog with the room kinds and
// properties the design names, for loader tests that must not depend on
// which kinds and checkers have landed in this build.
#pragma once

#include "scenarios/catalog.hpp"

namespace roomsim::scenarios::testing {

inline Catalog test_catalog() {
  Catalog c;
  c.room_kinds = {"broadcast", "chat", "dashboard", "persistent", "relay", "seed-broadcast", "seed-chat", "seed-dashboard",
                  "seed-persistent"};
  c.property_names = {"fifo", "total_order", "no_duplicates", "no_phantoms", "durability", "recovery", "liveness",
                      "connection_limits", "rate_limit", "authorization", "addressed_delivery", "admission",
                      "history_bound", "dashboard_convergence", "presence_convergence", "latency_slo"};
  c.topologies = {"small", "mid", "full"};
  c.topology_regions = [](const std::string& name) -> std::optional<std::vector<std::string>> {
    if (name == "small") return std::vector<std::string>{"IAD", "SFO", "FRA", "SIN", "NRT", "GRU"};
    return std::nullopt;
  };
  return c;
}

}  // namespace roomsim::scenarios::testing
