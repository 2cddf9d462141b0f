// tests/netsim/topology_test.cpp: built-in topologies, the latency model, matrix overrides.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "netsim/topology.hpp"

namespace roomsim::netsim {
namespace {

TEST(Topology, BuiltinsHaveTheAdvertisedShape) {
  EXPECT_EQ(builtin_topology_names(), (std::vector<std::string>{"small", "mid", "full"}));
  auto small = builtin_topology_regions("small");
  ASSERT_TRUE(small);
  EXPECT_EQ(small->size(), 6u);
  std::set<std::string> continents;
  for (const auto& r : *small) continents.insert(r.continent);
  EXPECT_EQ(continents.size(), 4u);
  auto mid = builtin_topology_regions("mid");
  ASSERT_TRUE(mid);
  EXPECT_GE(mid->size(), 40u);
  auto full = builtin_topology_regions("full");
  ASSERT_TRUE(full);
  EXPECT_EQ(full->size(), 308u);  // every row of netsim/data/pops.csv
  EXPECT_EQ(full->front().code, "AAE");
  EXPECT_FALSE(builtin_topology_regions("nope"));
}

TEST(Topology, EmbeddedCoordinatesAreTheCsvDecimalsCorrectlyRounded) {
  // The parser must give the double nearest each decimal (what std::from_chars
  // gives on libstdc++), with libc++ too: the latencies, and so every trace,
  // depend on these bits.
  std::ifstream csv(std::string(ROOMSIM_SOURCE_DIR) + "/netsim/data/pops.csv");
  ASSERT_TRUE(csv);
  std::map<std::string, std::pair<double, double>> expected;
  std::string line;
  std::getline(csv, line);  // header
  while (std::getline(csv, line)) {
    std::vector<std::string> f;
    std::istringstream fields(line);
    for (std::string x; std::getline(fields, x, ',');) f.push_back(x);
    ASSERT_EQ(f.size(), 6u) << line;
    expected[f[0]] = {std::strtod(f[4].c_str(), nullptr), std::strtod(f[5].c_str(), nullptr)};
  }
  const auto full = builtin_topology_regions("full");
  ASSERT_TRUE(full);
  ASSERT_EQ(full->size(), expected.size());
  for (const auto& r : *full) {
    ASSERT_EQ(expected.count(r.code), 1u) << r.code;
    EXPECT_EQ(r.lat, expected[r.code].first) << r.code;
    EXPECT_EQ(r.lon, expected[r.code].second) << r.code;
  }
}

TEST(Topology, GreatCircleDistanceMatchesKnownPairs) {
  // London Heathrow - New York JFK is about 5,540 km.
  EXPECT_NEAR(great_circle_km(51.4700, -0.4543, 40.6413, -73.7781), 5540, 20);
  EXPECT_NEAR(great_circle_km(10, 20, 10, 20), 0, 1e-9);
}

TEST(Topology, DistanceModelIsOverheadPlusDistanceOverFibreSpeedTimesStretch) {
  TopologyConfig config;
  config.latency_model = LatencyModel::kDistance;
  std::vector<std::string> errors;
  const Topology t = Topology::build(config, errors);
  ASSERT_TRUE(errors.empty());
  const int iad = t.index_of("IAD");
  const int fra = t.index_of("FRA");
  ASSERT_GE(iad, 0);
  ASSERT_GE(fra, 0);
  const auto& a = t.region(static_cast<size_t>(iad));
  const auto& b = t.region(static_cast<size_t>(fra));
  const double km = great_circle_km(a.lat, a.lon, b.lat, b.lon);
  EXPECT_NEAR(static_cast<double>(t.base_ns(static_cast<size_t>(iad), static_cast<size_t>(fra))) / 1e6,
              4.0 + km / 200.0 * 1.8, 1e-3);
  EXPECT_EQ(t.base_ns(static_cast<size_t>(iad), static_cast<size_t>(iad)), 0);
  EXPECT_EQ(t.nearest(a.lat + 0.1, a.lon), static_cast<size_t>(iad));
}

TEST(Topology, RegionsFarFromEveryMeasuredCityUseTheDistanceModelUnderMeasured) {
  TopologyConfig config;  // latency_model "measured"
  config.builtin = "custom";
  // Mid-ocean points: no measured city within 100 km.
  config.regions = {RegionSpec{"A", "a", "x", 0, -30}, RegionSpec{"B", "b", "x", 0, -20}};
  std::vector<std::string> errors;
  const Topology t = Topology::build(config, errors);
  ASSERT_TRUE(errors.empty());
  EXPECT_EQ(measured_city_of(config, config.regions[0]), -1);
  const double km = great_circle_km(0, -30, 0, -20);
  EXPECT_NEAR(static_cast<double>(t.base_ns(0, 1)) / 1e6, 4.0 + km / 200.0 * 1.8, 1e-3);
  EXPECT_EQ(t.base_ns(0, 1), t.base_ns(1, 0));
}

TEST(Topology, CustomRegionsAndAnExplicitMatrixOverrideTheModel) {
  TopologyConfig config;
  config.builtin = "custom";
  config.regions = {RegionSpec{"A", "a", "x", 0, 0}, RegionSpec{"B", "b", "x", 0, 90}};
  config.latency_matrix_ms = {{0, 7.5}, {9, 0}};
  std::vector<std::string> errors;
  const Topology t = Topology::build(config, errors);
  ASSERT_TRUE(errors.empty());
  EXPECT_EQ(t.base_ns(0, 1), 7'500'000);
  EXPECT_EQ(t.base_ns(1, 0), 9'000'000);
}

TEST(Topology, BadTopologiesAreErrorsNamingTheField) {
  TopologyConfig config;
  config.builtin = "custom";
  config.regions = {RegionSpec{"A", "a", "x", 0, 0}, RegionSpec{"A", "b", "x", 95, 0}};
  config.latency_matrix_ms = {{0, 1}};
  std::vector<std::string> errors;
  const Topology t = Topology::build(config, errors);
  EXPECT_EQ(t.size(), 0u);
  auto has = [&](const std::string& s) {
    for (const auto& e : errors) {
      if (e.find(s) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_TRUE(has("duplicate region code \"A\""));
  EXPECT_TRUE(has("topology.regions[1].lat"));
  EXPECT_TRUE(has("topology.latency_matrix_ms: expected 2 rows"));
  TopologyConfig unknown;
  unknown.builtin = "galaxy";
  errors.clear();
  Topology::build(unknown, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("unknown topology \"galaxy\""), std::string::npos);
}

}  // namespace
}  // namespace roomsim::netsim
