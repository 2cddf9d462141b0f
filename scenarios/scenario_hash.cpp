// scenarios/scenario_hash.cpp: FNV-1a over the canonical scenario JSON.
#include "scenarios/scenario_hash.hpp"

#include "engine/rng.hpp"
#include "engine/trace.hpp"
#include "scenarios/scenario_writer.hpp"

namespace roomsim::scenarios {

std::string scenario_content_hash(const Scenario& scenario) {
  // nlohmann::json objects are std::maps, so dump() sorts keys; numbers are
  // printed by nlohmann's own shortest round-trip code, not the C library.
  return hex16(fnv1a64(scenario_to_json(scenario).dump()));
}

}  // namespace roomsim::scenarios
