// scenarios/scenario_writer.hpp: Scenario -> JSON in the schema of
// docs/scenario.md, every field explicit. Guarantees that
// load_scenario_json(scenario_to_json(s)) reproduces s (tested), which is how
// `roomsim shrink` writes a scenario that `roomsim replay FILE` loads.
#pragma once

#include <nlohmann/json.hpp>

#include "scenarios/scenario.hpp"

namespace roomsim::scenarios {

nlohmann::json scenario_to_json(const Scenario& s);
nlohmann::json distribution_to_json(const netsim::Distribution& d);

}  // namespace roomsim::scenarios
