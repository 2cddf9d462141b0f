// scenarios/scenario.hpp: a loaded scenario = the simulated world
// (netsim::SimulationConfig) plus the runner's settings for it.
//
// Produced only by the loader (scenarios/scenario_loader.hpp), which has
// validated every field; written back to JSON by scenario_to_json
// (scenarios/scenario_writer.hpp) so that load(write(s)) == s.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "netsim/simulation_config.hpp"

namespace roomsim::scenarios {

// The most seeds a scenario's `seeds` may name: a sweep keeps one result per
// seed in memory (more seeds go through --shard and `roomsim merge`).
inline constexpr uint64_t kScenarioSeedsMax = 1'000'000;

struct Scenario {
  std::string name;
  std::string description;
  // How the user named it: a file path, or a built-in name ("smoke"). Used
  // in replay commands, so that `roomsim replay <source> --seed S` works.
  std::string source;
  uint64_t default_seeds = 20;  // `roomsim run` without --seeds
  // Properties to check; empty means every property that applies to the
  // scenario's room kinds (scenarios/property_defaults.hpp).
  std::vector<std::string> properties;
  // The scenario runs rooms that are known to be wrong (seed-rooms): a sweep
  // that finds violations is the expected outcome, and one that finds none
  // is reported as a miss.
  bool expect_failures = false;
  // With expect_failures: properties each expected to fail on some seed.
  std::vector<std::string> expected_failing_properties;
  netsim::SimulationConfig config;
};

}  // namespace roomsim::scenarios
