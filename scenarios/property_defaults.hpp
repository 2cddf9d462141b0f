// scenarios/property_defaults.hpp: which properties a scenario checks when
// its file does not list them: every property that applies to at least one of
// its room kinds (docs/rooms.md, "kinds" table), in all_property_names() order.
//
// Not applicable, and so left out by default (a file may still name them):
//   presence_convergence  kinds without presence frames (broadcast,
//                         seed-broadcast, dashboard, seed-dashboard);
//   dashboard_convergence kinds other than dashboard and seed-dashboard;
//   latency_slo           scenarios without phases.latency_p99_bound_ms.
#pragma once

#include <string>
#include <vector>

#include "netsim/simulation_config.hpp"

namespace roomsim::scenarios {

bool property_applies_to_kind(const std::string& property, const std::string& kind);
std::vector<std::string> default_properties(const netsim::SimulationConfig& config);

}  // namespace roomsim::scenarios
