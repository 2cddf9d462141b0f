// scenarios/catalog.cpp: the catalog of the layers linked into this binary.
#include "scenarios/catalog.hpp"

#include "netsim/topology.hpp"
#include "properties/checker.hpp"
#include "rooms/api/registry.hpp"

namespace roomsim::scenarios {

const Catalog& builtin_catalog() {
  static const Catalog catalog = [] {
    Catalog c;
    c.room_kinds = rooms::builtin_registry().kinds();
    c.property_names = properties::all_property_names();
    c.topologies = netsim::builtin_topology_names();
    c.topology_regions = [](const std::string& name) -> std::optional<std::vector<std::string>> {
      auto regions = netsim::builtin_topology_regions(name);
      if (!regions) return std::nullopt;
      std::vector<std::string> codes;
      for (const auto& r : *regions) codes.push_back(r.code);
      return codes;
    };
    return c;
  }();
  return catalog;
}

}  // namespace roomsim::scenarios
