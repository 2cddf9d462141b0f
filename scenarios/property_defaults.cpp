// scenarios/property_defaults.cpp: applicable properties per room kind.
#include "scenarios/property_defaults.hpp"

#include "properties/checker.hpp"

namespace roomsim::scenarios {

bool property_applies_to_kind(const std::string& property, const std::string& kind) {
  if (property == "presence_convergence") {
    return kind == "chat" || kind == "seed-chat" || kind == "persistent" || kind == "seed-persistent";
  }
  if (property == "dashboard_convergence") return kind == "dashboard" || kind == "seed-dashboard";
  return true;
}

std::vector<std::string> default_properties(const netsim::SimulationConfig& config) {
  std::vector<std::string> out;
  for (const auto& name : properties::all_property_names()) {
    if (name == "latency_slo" && !config.phases.latency_p99_bound_ms) continue;
    for (const auto& room : config.rooms) {
      if (property_applies_to_kind(name, room.kind)) {
        out.push_back(name);
        break;
      }
    }
  }
  return out;
}

}  // namespace roomsim::scenarios
