// cli/list_command.cpp: `roomsim list`: room kinds, properties, built-in
// scenarios and topologies.
#include <cstdio>

#include "cli/commands.hpp"
#include "netsim/topology.hpp"
#include "properties/checker.hpp"
#include "rooms/api/registry.hpp"
#include "scenarios/builtin_scenarios.hpp"
#include "scenarios/scenario_loader.hpp"

namespace roomsim::cli {

void register_list(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("list", "List room kinds, properties, built-in scenarios and topologies.");
  cmd->callback([&exit_code] {
    exit_code = kExitOk;
    std::printf("room kinds:\n");
    const auto& registry = rooms::builtin_registry();
    for (const auto& kind : registry.kinds()) {
      const auto* info = registry.find(kind);
      std::printf("  %-18s %s%s\n", kind.c_str(), info->seed_faithful ? "[seed-faithful, known flaws] " : "",
                  info->description.c_str());
    }
    std::printf("\nproperties:\n");
    for (const auto& name : properties::all_property_names()) {
      std::printf("  %-22s %s\n", name.c_str(), std::string(properties::describe_property(name)).c_str());
    }
    std::printf("\nbuilt-in scenarios (roomsim run <name>):\n");
    for (const auto& name : scenarios::builtin_scenario_names()) {
      const auto r = scenarios::load_scenario(name);
      if (r.ok()) {
        std::printf("  %-18s %s\n", name.c_str(), r.scenario->description.c_str());
      } else {
        std::printf("  %-18s INVALID in this build: %s\n", name.c_str(), r.errors.front().c_str());
        exit_code = kExitUsage;
      }
    }
    std::printf("\ntopologies:\n");
    for (const auto& name : netsim::builtin_topology_names()) {
      const auto regions = netsim::builtin_topology_regions(name);
      std::printf("  %-18s %zu regions\n", name.c_str(), regions ? regions->size() : size_t{0});
    }
    std::printf("  %-18s inline regions (and optionally a latency matrix) in the scenario file\n", "custom");
  });
}

}  // namespace roomsim::cli
