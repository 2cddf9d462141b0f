// netsim/simulation.cpp: simulate(): validation, then one World run.
#include "netsim/simulation.hpp"

#include "engine/assert.hpp"
#include "netsim/world.hpp"

namespace roomsim::netsim {

SimulationResult simulate(const SimulationConfig& config, uint64_t seed, const SimulationOutputs& outputs) {
  return simulate(config, seed, outputs, rooms::builtin_registry());
}

SimulationResult simulate(const SimulationConfig& config, uint64_t seed, const SimulationOutputs& outputs,
                          const rooms::RoomRegistry& registry) {
  SimulationResult result;
  result.config_errors = validate(config, registry);
  if (!result.config_errors.empty()) {
    result.stop_reason = "invalid config";
    return result;
  }
  SeedScope seed_scope(seed);
  internal::World world(config, seed, outputs, registry, result);
  world.run();
  return result;
}

}  // namespace roomsim::netsim
