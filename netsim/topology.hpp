// netsim/topology.hpp: regions (points of presence) and the latency model.
//
// A Topology is a list of regions and a base one-way latency for every ordered
// pair of distinct regions (0 from a region to itself), unless the config gives
// an explicit matrix:
//  - latency_model "measured" (the default): when both regions have a measured
//    city within 100 km (netsim/measured_rtt.hpp) and that pair of cities was
//    measured, half its measured round-trip time;
//  - otherwise (and always under "distance"): hop_overhead_ms + great-circle
//    distance / fibre_km_per_ms x route_stretch.
// The defaults are calibrated in tests/netsim/latency_calibration_test.cpp
// (figures in docs/scenario.md). Per-frame jitter is added by the network
// (netsim/network.hpp), not here. Built-in topologies: "small" (6 regions on 4
// continents), "mid" (44 major cities), "full" (every edge location in
// netsim/data/pops.csv, embedded in the library at build time).
// Deterministic: pure functions of the config.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "netsim/simulation_config.hpp"

namespace roomsim::netsim {

// Great-circle distance on a sphere of radius 6371.0088 km (haversine).
double great_circle_km(double lat1, double lon1, double lat2, double lon2);

// The distance model's one-way base latency in ms between distinct regions.
double model_one_way_ms(const TopologyConfig& topology, double km);

// The measured city (an index into MeasuredRtt::table().cities()) a region's
// latencies use under latency_model "measured", or -1.
int measured_city_of(const TopologyConfig& topology, const RegionSpec& region);

// The one-way base latency in ms between two distinct regions whose measured
// cities (measured_city_of, or -1) are city_a and city_b.
double region_pair_one_way_ms(const TopologyConfig& topology, const RegionSpec& a, int city_a, const RegionSpec& b,
                              int city_b);

// Names of the built-in topologies, in the order `roomsim list` shows them.
std::vector<std::string> builtin_topology_names();
// The regions of a built-in topology, or nullopt for an unknown name.
std::optional<std::vector<RegionSpec>> builtin_topology_regions(std::string_view name);
// Every edge location of netsim/data/pops.csv, sorted by code.
const std::vector<RegionSpec>& all_pops();

class Topology {
 public:
  // Builds the topology a config describes. On an invalid config returns an
  // empty topology and appends messages to `errors` (field and what was expected).
  static Topology build(const TopologyConfig& config, std::vector<std::string>& errors);

  size_t size() const { return regions_.size(); }
  const RegionSpec& region(size_t i) const { return regions_[i]; }
  const std::vector<RegionSpec>& regions() const { return regions_; }
  // Index of a region code, or -1.
  int index_of(std::string_view code) const;
  // One-way base latency in nanoseconds (no jitter).
  int64_t base_ns(size_t from, size_t to) const { return base_ns_[from * regions_.size() + to]; }
  // The region nearest to a point (ties: lowest index).
  size_t nearest(double lat, double lon) const;

 private:
  std::vector<RegionSpec> regions_;
  std::vector<int64_t> base_ns_;
};

}  // namespace roomsim::netsim
