// tests/reports/graphviz_room_timeline_test.cpp: the room timeline picture.
#include <gtest/gtest.h>

#include "properties/checker.hpp"
#include "reports/graphviz_room_timeline.hpp"
#include "synthetic_history.hpp"
#include "xml_check.hpp"

namespace roomsim::reports {
namespace {

TEST(GraphvizRoomTimeline, DrawsRestartsCommitsAndFaults) {
  const properties::History h = testing::fifo_violation_history(/*filler=*/300);
  const auto verdict = properties::check_property("fifo", h);
  ASSERT_TRUE(verdict.has_value());
  const std::string room = failing_room(h, *verdict);
  EXPECT_EQ(room, "chat/lobby");
  const Picture p = room_timeline_picture(h, room);
  ASSERT_TRUE(p.ok()) << p.error;
  std::string error;
  EXPECT_TRUE(dot_parses(p.dot, &error)) << error;
  const auto svg = testing::parse_xml(p.svg);
  ASSERT_TRUE(svg.ok()) << svg.error;
  const std::string text = svg.root.all_text();
  EXPECT_NE(text.find("1 commits, 0 failed, 3 starts/crashes/evictions"), std::string::npos) << text.substr(0, 300);
  EXPECT_NE(text.find("crash"), std::string::npos);
  EXPECT_NE(text.find("partition#0 a=AMS b=SIN ms=200+200"), std::string::npos);
}

TEST(GraphvizRoomTimeline, FaultsOfOtherRoomsAreCountedNotDrawn) {
  properties::History h = testing::fifo_violation_history();
  properties::Event e;
  e.t_ns = h.events().back().t_ns;
  e.kind = properties::EventKind::kFaultBegin;
  e.text = h.intern("room_crash#7 room=news ms=400+0");
  e.value = 7;
  h.add(e);
  e.text = h.intern("room_evict#8 room=lobby ms=400+0");
  e.value = 8;
  h.add(e);
  const std::string dot = room_timeline_dot(h, "chat/lobby");
  EXPECT_TRUE(dot_parses(dot));
  EXPECT_EQ(dot.find("room_crash#7"), std::string::npos);
  EXPECT_NE(dot.find("room_evict#8 room=lobby"), std::string::npos);
  EXPECT_NE(dot.find("1 faults of other rooms not shown"), std::string::npos);
}

TEST(GraphvizRoomTimeline, UnknownRoomSaysSoInsteadOfFailing) {
  const properties::History h = testing::fifo_violation_history();
  const Picture p = room_timeline_picture(h, "chat/nowhere");
  ASSERT_TRUE(p.ok()) << p.error;
  EXPECT_NE(p.dot.find("no events in this history"), std::string::npos);
}

TEST(GraphvizRoomTimeline, FailingRoomFallsBackToTheBusiestRoom) {
  const properties::History h = testing::fifo_violation_history();
  properties::Verdict v;  // no violating indices
  EXPECT_EQ(failing_room(h, v), "chat/lobby");
  EXPECT_EQ(failing_room(properties::History{}, v), "");
}

}  // namespace
}  // namespace roomsim::reports
