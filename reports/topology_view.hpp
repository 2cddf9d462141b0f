// reports/topology_view.hpp: the map input (TopologyView) of one simulated
// run, built from netsim's config and the run's history.
//
// Regions: the config's topology (built-in or custom, as netsim builds it).
// Partitions: the history's partition faults (scheduled and random).
// Room homes: rooms placed by location hint. Client counts and links: only
// when a Placement is given (netsim does not report where it put clients);
// otherwise the view's note says so.
#pragma once

#include "netsim/simulation_config.hpp"
#include "properties/history.hpp"
#include "reports/graphviz_topology.hpp"

namespace roomsim::reports {

TopologyView topology_view(const netsim::SimulationConfig& config, const properties::History& history,
                           const Placement* placement = nullptr);

}  // namespace roomsim::reports
