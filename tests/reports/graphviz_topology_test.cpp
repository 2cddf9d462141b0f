// tests/reports/graphviz_topology_test.cpp: the world map from a view, the
// usage derived from a history and a placement, partitions parsed from
// netsim's fault descriptions.
#include <gtest/gtest.h>

#include "reports/graphviz_topology.hpp"
#include "synthetic_history.hpp"
#include "xml_check.hpp"

namespace roomsim::reports {
namespace {

TopologyView small_world() {
  TopologyView v;
  v.regions = {{"AMS", "Amsterdam", 52.37, 4.90, 0, {}},   {"IAD", "Ashburn", 39.04, -77.49, 0, {}},
               {"SIN", "Singapore", 1.35, 103.82, 0, {}},  {"NRT", "Tokyo", 35.77, 140.39, 0, {}},
               {"GRU", "Sao Paulo", -23.43, -46.47, 0, {}}, {"SYD", "Sydney", -33.87, 151.21, 0, {}}};
  return v;
}

Placement placement() {
  Placement p;
  p.client_region = {{"c1", "AMS"}, {"c2", "SIN"}, {"c3", "AMS"}};
  p.room_home = {{"chat/lobby", "AMS"}};
  return p;
}

TEST(GraphvizTopology, PartitionsComeFromTheHistoryFaultDescriptions) {
  const properties::History h = testing::fifo_violation_history();
  const std::vector<MapPartition> parts = partitions_from_history(h);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].side_a, std::vector<std::string>{"AMS"});
  EXPECT_EQ(parts[0].side_b, std::vector<std::string>{"SIN"});
  EXPECT_FALSE(parts[0].one_way);
  EXPECT_EQ(parts[0].start_ns, 200'000'000);
  EXPECT_EQ(parts[0].end_ns, 400'000'000);
}

TEST(GraphvizTopology, UsageCountsClientsHomesAndLinks) {
  const properties::History h = testing::fifo_violation_history();
  TopologyView v = small_world();
  add_history_usage(v, h, placement());
  EXPECT_EQ(v.regions[0].clients, 2u);  // c1, c3 in AMS
  EXPECT_EQ(v.regions[2].clients, 1u);  // c2 in SIN
  EXPECT_EQ(v.regions[0].homes, std::vector<std::string>{"chat/lobby"});
  ASSERT_EQ(v.links.size(), 2u);
  EXPECT_EQ(v.links[1].from, "SIN");
  EXPECT_EQ(v.links[1].to, "AMS");
  EXPECT_EQ(v.links[1].frames, 2u);  // c2's two receives
  EXPECT_TRUE(v.note.empty()) << v.note;
}

TEST(GraphvizTopology, UnplacedClientsAreCountedNotDropped) {
  const properties::History h = testing::fifo_violation_history();
  TopologyView v = small_world();
  Placement p = placement();
  p.client_region.erase("c3");
  p.client_region["c2"] = "XXX";
  add_history_usage(v, h, p);
  EXPECT_NE(v.note.find("1 clients without a known region"), std::string::npos) << v.note;
  EXPECT_NE(v.note.find("1 region codes not in the topology"), std::string::npos) << v.note;
}

TEST(GraphvizTopology, RendersMapWithHomesAndRedPartition) {
  const properties::History h = testing::fifo_violation_history();
  TopologyView v = small_world();
  add_history_usage(v, h, placement());
  v.partitions = partitions_from_history(h);
  v.partitions[0].label += " \"quoted\" \\ backslash";
  const Picture p = topology_picture(v);
  ASSERT_TRUE(p.ok()) << p.error;
  std::string error;
  EXPECT_TRUE(dot_parses(p.dot, &error)) << error;
  const auto svg = testing::parse_xml(p.svg);
  ASSERT_TRUE(svg.ok()) << svg.error;
  const std::string text = svg.root.all_text();
  EXPECT_NE(text.find("AMS · 2 clients"), std::string::npos) << text;
  EXPECT_NE(text.find("home of chat/lobby"), std::string::npos);
  EXPECT_NE(text.find("P1 · 0.200s-0.400s · partition#0 a=AMS b=SIN"), std::string::npos) << "legend line";
  EXPECT_NE(text.find("\"quoted\" \\ backslash"), std::string::npos);
  EXPECT_NE(p.svg.find("#c0392b"), std::string::npos) << "partition drawn in red";
}

TEST(GraphvizTopology, EmptyViewStillRenders) {
  const Picture p = topology_picture(TopologyView{});
  ASSERT_TRUE(p.ok()) << p.error;
}

}  // namespace
}  // namespace roomsim::reports
