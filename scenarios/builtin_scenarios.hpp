// scenarios/builtin_scenarios.hpp: the scenario files shipped in
// scenarios/builtin/*.json, embedded into the library at build time (CMake
// generates builtin_scenarios_data.cpp), so `roomsim run smoke` works from
// any directory.
#pragma once

#include <string>
#include <vector>

namespace roomsim::scenarios {

struct BuiltinScenarioFile {
  std::string name;  // file stem: "smoke"
  std::string text;  // the JSON text
};

// Sorted by name.
const std::vector<BuiltinScenarioFile>& builtin_scenario_files();
// nullptr when there is no built-in scenario of that name.
const BuiltinScenarioFile* find_builtin_scenario(const std::string& name);
std::vector<std::string> builtin_scenario_names();

}  // namespace roomsim::scenarios
