// reports/topology_view.cpp: netsim config + history -> TopologyView.
#include "reports/topology_view.hpp"

#include "netsim/topology.hpp"

namespace roomsim::reports {

TopologyView topology_view(const netsim::SimulationConfig& config, const properties::History& history,
                           const Placement* placement) {
  TopologyView view;
  std::vector<std::string> errors;
  const netsim::Topology topology = netsim::Topology::build(config.topology, errors);
  for (const netsim::RegionSpec& r : topology.regions()) view.regions.push_back({r.code, r.city, r.lat, r.lon, 0, {}});
  for (const std::string& e : errors) view.note += (view.note.empty() ? "" : "; ") + e;
  view.partitions = partitions_from_history(history);
  if (placement != nullptr) {
    add_history_usage(view, history, *placement);
    return view;
  }
  for (const netsim::RoomInstanceConfig& room : config.rooms) {
    if (room.placement != netsim::HomePlacement::kLocationHint) continue;
    for (MapRegion& r : view.regions) {
      if (r.code == room.location_hint) r.homes.push_back(room.kind + "/" + room.id);  // the history's room name
    }
  }
  view.note += std::string(view.note.empty() ? "" : "; ") +
               "client regions and first-connect room homes are not recorded by this run";
  return view;
}

}  // namespace roomsim::reports
