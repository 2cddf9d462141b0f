// tests/reports/sequence_hops_test.cpp: matching a frame-hop log to a
// history uses netsim's keys and checks the kind and connection of the event
// they point at.
#include <gtest/gtest.h>

#include "reports/sequence_hops.hpp"
#include "synthetic_history.hpp"

namespace roomsim::reports {
namespace {

using properties::EventKind;

TEST(SequenceHops, MatchesEverySendAndReceiveOfItsRun) {
  const properties::History h = testing::fifo_violation_history();
  const netsim::FrameHopLog log = testing::synthetic_hops(h);
  const HopIndex index = index_hops(h, log);
  size_t sends = 0, receives = 0;
  for (size_t i = 0; i < h.size(); ++i) {
    const auto& e = h.events()[i];
    if (e.kind == EventKind::kSend) {
      ++sends;
      ASSERT_EQ(index.up_of_send.count(i), 1u) << i;
      EXPECT_EQ(log.hops[index.up_of_send.at(i)].conn, e.conn);
    }
    if (e.kind == EventKind::kReceive) {
      ++receives;
      ASSERT_EQ(index.down_of_receive.count(i), 1u) << i;
      EXPECT_EQ(log.hops[index.down_of_receive.at(i)].first_event, i);
    }
  }
  EXPECT_EQ(index.up_of_send.size(), sends);
  EXPECT_EQ(index.down_of_receive.size(), receives);
  EXPECT_EQ(log.region(index.client_edge.at(*h.find("c2"))), "SIN");
  EXPECT_EQ(log.region(index.client_edge.at(*h.find("c1"))), "AMS");
}

TEST(SequenceHops, RejectsHopsWhoseKeysDoNotFitTheHistory) {
  const properties::History h = testing::fifo_violation_history();
  netsim::FrameHopLog log = testing::synthetic_hops(h);
  for (netsim::FrameHop& f : log.hops) f.conn += 1000;  // frames of connections this history never saw
  log.hops.front().conn -= 1000;
  log.hops.front().events_before_send += 2;  // points at a commit, not a send
  netsim::FrameHop bad_region;
  bad_region.edge = 7;  // the log has two regions
  log.hops.push_back(bad_region);
  const HopIndex index = index_hops(h, log);
  EXPECT_TRUE(index.up_of_send.empty());
  EXPECT_TRUE(index.down_of_receive.empty());
  EXPECT_EQ(index.client_edge.size(), 1u) << "only connection 1 (c1) is this history's";
}

}  // namespace
}  // namespace roomsim::reports
