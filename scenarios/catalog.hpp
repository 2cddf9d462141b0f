// scenarios/catalog.hpp: the names a scenario may refer to (room kinds,
// properties, built-in topologies), so that the loader validates references
// without depending on how each layer stores them. `builtin_catalog()` asks
// rooms/, properties/ and netsim/; tests may pass a smaller catalog.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace roomsim::scenarios {

struct Catalog {
  std::vector<std::string> room_kinds;      // rooms::builtin_registry().kinds()
  std::vector<std::string> property_names;  // properties::all_property_names()
  std::vector<std::string> topologies;      // netsim::builtin_topology_names() (+ "custom")
  // Region codes of a built-in topology; nullopt (or an empty function) when
  // unknown, in which case region references are left to the simulator.
  std::function<std::optional<std::vector<std::string>>(const std::string&)> topology_regions;
};

const Catalog& builtin_catalog();

}  // namespace roomsim::scenarios
