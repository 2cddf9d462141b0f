// reports/graphviz_topology.hpp: the world map of a run.
//
// Regions are placed by their coordinates (equirectangular projection,
// cropped to the regions' bounding box plus a margin, with a 30-degree
// graticule); regions that matter to the run (clients, room homes, links,
// partitions) are drawn large and labelled with their client counts; room
// homes are gold double circles; links used by the run are grey lines whose
// width grows with the frames they carried; partitioned region pairs are red
// lines (arrows when one-way) labelled with their time window. The legend
// under the map lists every partition.
//
// The input is a plain TopologyView so this file depends on no netsim header:
// the caller (runner/CLI) fills it from netsim's topology and placement, and
// `add_history_usage` / `partitions_from_history` derive the rest from a
// History. Deterministic: pure functions; output order follows input order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "netsim/frame_hops.hpp"
#include "properties/history.hpp"
#include "reports/graphviz_render.hpp"

namespace roomsim::reports {

struct MapRegion {
  std::string code;  // "AMS"
  std::string city;  // "Amsterdam"
  double lat = 0;
  double lon = 0;
  uint64_t clients = 0;
  std::vector<std::string> homes;  // room ids homed here
};

struct MapLink {
  std::string from;  // region codes
  std::string to;
  uint64_t frames = 0;
};

struct MapPartition {
  std::vector<std::string> side_a;  // region codes
  std::vector<std::string> side_b;
  bool one_way = false;             // a -> b only
  int64_t start_ns = 0;
  int64_t end_ns = 0;
  std::string label;                // the fault's description
};

struct TopologyView {
  std::vector<MapRegion> regions;
  std::vector<MapLink> links;
  std::vector<MapPartition> partitions;
  std::string note;  // one line shown under the title, e.g. what is unknown
};

// Where the run placed things: client name -> region code, room name ("chat/lobby",
// as in the history) -> home region code; and, when reports::simulate_keeping
// ran it, the run's frame-hop log (the sequence diagram's edge lanes).
struct Placement {
  std::map<std::string, std::string> client_region;
  std::map<std::string, std::string> room_home;
  netsim::FrameHopLog frame_hops;  // recorded == false: not recorded
};

// Adds client counts per region and room homes from `placement`, and one link
// (client region -> room home) per pair used by the history's sends and
// receives, weighted by their number. Clients or rooms missing from the
// placement are counted in `note`, not dropped silently.
void add_history_usage(TopologyView& view, const properties::History& history, const Placement& placement);

// Partitions from the history's fault events. Reads netsim's fault
// descriptions ("partition#3 a=AMS,FRA b=SIN one_way ms=1000+5000"); a
// partition still open at the end lasts until the last event. A partition
// whose description names no regions (client isolation) has empty sides.
std::vector<MapPartition> partitions_from_history(const properties::History& history);

struct TopologyOptions {
  double width_pt = 1100;
  size_t partition_edges_max = 24;  // per partition; the rest are counted in the legend
};

std::string topology_dot(const TopologyView& view, const TopologyOptions& options = {});
Picture topology_picture(const TopologyView& view, const TopologyOptions& options = {});

}  // namespace roomsim::reports
