// netsim/topology.cpp: built-in region lists, the embedded pops.csv, the latency model.
#include "netsim/topology.hpp"

#include <cmath>
#include <set>

#include "netsim/embedded_csv.hpp"
#include "netsim/measured_rtt.hpp"

namespace roomsim::netsim {

namespace internal {
extern const std::string_view kPopsCsv;
}  // namespace internal

namespace {

constexpr double kEarthRadiusKm = 6371.0088;
constexpr double kPi = 3.14159265358979323846;

// Small: 6 regions on 4 continents. Mid: 44 major cities on every continent.
constexpr std::string_view kSmallCodes[] = {"IAD", "SFO", "FRA", "SIN", "NRT", "GRU"};
constexpr std::string_view kMidCodes[] = {
    "IAD", "EWR", "ORD", "DFW", "ATL", "MIA", "LAX", "SFO", "SEA", "DEN", "YYZ", "MEX", "GRU", "EZE", "SCL",
    "BOG", "LIM", "LHR", "AMS", "FRA", "CDG", "MAD", "MXP", "ARN", "WAW", "IST", "DME", "DXB", "TLV", "JNB",
    "LOS", "NBO", "CAI", "BOM", "DEL", "SIN", "HKG", "NRT", "ICN", "SYD", "MEL", "AKL", "BKK", "CGK"};

std::vector<RegionSpec> parse_pops() {
  std::vector<RegionSpec> out;
  internal::for_each_csv_row(internal::kPopsCsv, [&](const std::vector<std::string_view>& f) {
    if (f.size() != 6) return;  // the embedded file is fixed; tests check the row count
    RegionSpec r;
    r.code = std::string(f[0]);
    r.city = f[1].empty() ? std::string(f[0]) : std::string(f[1]);
    r.continent = std::string(f[3]);
    r.lat = internal::parse_decimal(f[4]);
    r.lon = internal::parse_decimal(f[5]);
    out.push_back(std::move(r));
  });
  return out;
}

template <size_t N>
std::vector<RegionSpec> pick(const std::string_view (&codes)[N]) {
  std::vector<RegionSpec> out;
  for (std::string_view code : codes) {
    for (const RegionSpec& r : all_pops()) {
      if (r.code == code) out.push_back(r);
    }
  }
  return out;
}

}  // namespace

double great_circle_km(double lat1, double lon1, double lat2, double lon2) {
  const double p1 = lat1 * kPi / 180.0;
  const double p2 = lat2 * kPi / 180.0;
  const double dp = (lat2 - lat1) * kPi / 180.0;
  const double dl = (lon2 - lon1) * kPi / 180.0;
  const double a = std::sin(dp / 2) * std::sin(dp / 2) + std::cos(p1) * std::cos(p2) * std::sin(dl / 2) * std::sin(dl / 2);
  return 2.0 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(a)));
}

double model_one_way_ms(const TopologyConfig& topology, double km) {
  return topology.hop_overhead_ms + km / topology.fibre_km_per_ms * topology.route_stretch;
}

int measured_city_of(const TopologyConfig& topology, const RegionSpec& region) {
  if (topology.latency_model != LatencyModel::kMeasured) return -1;
  return MeasuredRtt::table().nearest_city(region.lat, region.lon);
}

double region_pair_one_way_ms(const TopologyConfig& topology, const RegionSpec& a, int city_a, const RegionSpec& b,
                              int city_b) {
  if (topology.latency_model == LatencyModel::kMeasured) {
    if (const int64_t rtt_us = MeasuredRtt::table().rtt_us(city_a, city_b); rtt_us > 0) {
      return static_cast<double>(rtt_us) / 2000.0;
    }
  }
  return model_one_way_ms(topology, great_circle_km(a.lat, a.lon, b.lat, b.lon));
}

const std::vector<RegionSpec>& all_pops() {
  static const std::vector<RegionSpec> pops = parse_pops();
  return pops;
}

std::vector<std::string> builtin_topology_names() { return {"small", "mid", "full"}; }

std::optional<std::vector<RegionSpec>> builtin_topology_regions(std::string_view name) {
  if (name == "small") return pick(kSmallCodes);
  if (name == "mid") return pick(kMidCodes);
  if (name == "full") return all_pops();
  return std::nullopt;
}

Topology Topology::build(const TopologyConfig& config, std::vector<std::string>& errors) {
  Topology t;
  const size_t errors_before = errors.size();
  if (!config.regions.empty() || config.builtin == "custom") {
    t.regions_ = config.regions;
    if (t.regions_.empty()) errors.push_back("topology.regions: \"custom\" topology needs at least one region");
  } else if (auto regions = builtin_topology_regions(config.builtin)) {
    t.regions_ = std::move(*regions);
  } else {
    errors.push_back("topology.builtin: unknown topology \"" + config.builtin +
                     "\" (expected small, mid, full or custom)");
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < t.regions_.size(); ++i) {
    const RegionSpec& r = t.regions_[i];
    const std::string where = "topology.regions[" + std::to_string(i) + "]";
    if (r.code.empty()) errors.push_back(where + ".code: must not be empty");
    if (!seen.insert(r.code).second) errors.push_back(where + ".code: duplicate region code \"" + r.code + "\"");
    if (!(r.lat >= -90 && r.lat <= 90)) errors.push_back(where + ".lat: expected a latitude in [-90, 90]");
    if (!(r.lon >= -180 && r.lon <= 180)) errors.push_back(where + ".lon: expected a longitude in [-180, 180]");
  }
  if (!(config.fibre_km_per_ms > 0)) errors.push_back("topology.fibre_km_per_ms: expected a positive number");
  if (!(config.route_stretch >= 1)) errors.push_back("topology.route_stretch: expected a number >= 1");
  if (!(config.hop_overhead_ms >= 0)) errors.push_back("topology.hop_overhead_ms: expected a number >= 0");
  const size_t n = t.regions_.size();
  if (!config.latency_matrix_ms.empty()) {
    if (config.latency_matrix_ms.size() != n) {
      errors.push_back("topology.latency_matrix_ms: expected " + std::to_string(n) + " rows (one per region), got " +
                       std::to_string(config.latency_matrix_ms.size()));
    }
    for (size_t i = 0; i < config.latency_matrix_ms.size(); ++i) {
      const auto& row = config.latency_matrix_ms[i];
      if (row.size() != n) {
        errors.push_back("topology.latency_matrix_ms[" + std::to_string(i) + "]: expected " + std::to_string(n) +
                         " columns, got " + std::to_string(row.size()));
        continue;
      }
      for (double v : row) {
        if (!(v >= 0)) {
          errors.push_back("topology.latency_matrix_ms[" + std::to_string(i) + "]: latencies must be >= 0 ms");
          break;
        }
      }
    }
  }
  if (errors.size() != errors_before) return Topology{};
  t.base_ns_.assign(n * n, 0);
  std::vector<int> city(n, -1);
  if (config.latency_matrix_ms.empty()) {
    for (size_t i = 0; i < n; ++i) city[i] = measured_city_of(config, t.regions_[i]);
  }
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      double ms = 0;  // a region to itself: the client's last mile is drawn apart
      if (!config.latency_matrix_ms.empty()) {
        ms = config.latency_matrix_ms[i][j];
      } else if (i != j) {
        ms = region_pair_one_way_ms(config, t.regions_[i], city[i], t.regions_[j], city[j]);
      }
      t.base_ns_[i * n + j] = static_cast<int64_t>(std::llround(ms * 1e6));
    }
  }
  return t;
}

int Topology::index_of(std::string_view code) const {
  for (size_t i = 0; i < regions_.size(); ++i) {
    if (regions_[i].code == code) return static_cast<int>(i);
  }
  return -1;
}

size_t Topology::nearest(double lat, double lon) const {
  size_t best = 0;
  double best_km = 1e18;
  for (size_t i = 0; i < regions_.size(); ++i) {
    const double km = great_circle_km(lat, lon, regions_[i].lat, regions_[i].lon);
    if (km < best_km) {
      best_km = km;
      best = i;
    }
  }
  return best;
}

}  // namespace roomsim::netsim
