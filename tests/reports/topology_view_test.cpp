// tests/reports/topology_view_test.cpp: the map input built from a netsim
// config and a history.
#include <gtest/gtest.h>

#include "netsim/topology.hpp"
#include "reports/topology_view.hpp"
#include "synthetic_history.hpp"

namespace roomsim::reports {
namespace {

TEST(TopologyView, BuiltinRegionsHistoryPartitionsAndHintedHomes) {
  netsim::SimulationConfig config;
  config.topology.builtin = "small";
  netsim::RoomInstanceConfig room;
  room.kind = "chat";
  room.id = "lobby";
  room.placement = netsim::HomePlacement::kLocationHint;
  config.rooms = {room};
  const properties::History h = testing::fifo_violation_history();
  const auto regions = netsim::builtin_topology_regions("small");
  ASSERT_TRUE(regions.has_value());
  ASSERT_FALSE(regions->empty());
  config.rooms[0].location_hint = regions->front().code;

  const TopologyView view = topology_view(config, h);
  ASSERT_EQ(view.regions.size(), regions->size());
  EXPECT_EQ(view.regions.front().homes, std::vector<std::string>{"chat/lobby"});
  EXPECT_EQ(view.partitions.size(), 1u);
  EXPECT_NE(view.note.find("not recorded"), std::string::npos) << view.note;
}

TEST(TopologyView, BadTopologyIsReportedInTheNote) {
  netsim::SimulationConfig config;
  config.topology.builtin = "no-such-topology";
  const TopologyView view = topology_view(config, properties::History{});
  EXPECT_TRUE(view.regions.empty());
  EXPECT_NE(view.note.find("no-such-topology"), std::string::npos) << view.note;
}

}  // namespace
}  // namespace roomsim::reports
