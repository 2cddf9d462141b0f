// tests/reports/graphviz_sequence_test.cpp: the sequence diagram of a real
// fifo violation: DOT parses back with cgraph, SVG is well-formed, the
// violating event is drawn highlighted, and windowing says what it cut.
#include <gtest/gtest.h>

#include <algorithm>

#include "properties/checker.hpp"
#include "reports/graphviz_sequence.hpp"
#include "synthetic_history.hpp"
#include "xml_check.hpp"

namespace roomsim::reports {
namespace {

properties::Verdict fifo_verdict(const properties::History& h) {
  auto v = properties::check_property("fifo", h);
  EXPECT_TRUE(v.has_value());
  return v.value_or(properties::Verdict{});
}

// The SVG <g> whose id is `id`, or nullptr.
const testing::XmlElement* find_group(const testing::XmlElement& root, const std::string& id) {
  std::vector<const testing::XmlElement*> groups;
  root.collect("g", groups);
  for (const auto* g : groups) {
    auto it = g->attributes.find("id");
    if (it != g->attributes.end() && it->second == id) return g;
  }
  return nullptr;
}

TEST(GraphvizSequence, HighlightsTheViolatingEventInWellFormedSvg) {
  const properties::History h = testing::fifo_violation_history();
  const properties::Verdict v = fifo_verdict(h);
  ASSERT_FALSE(v.passed);
  ASSERT_FALSE(v.violating.empty());
  const size_t bad = v.violating.front();

  const Picture p = sequence_picture(h, v);
  ASSERT_TRUE(p.ok()) << p.error;
  std::string error;
  EXPECT_TRUE(dot_parses(p.dot, &error)) << error;
  const auto svg = testing::parse_xml(p.svg);
  ASSERT_TRUE(svg.ok()) << svg.error;

  const testing::XmlElement* node = find_group(svg.root, "ev" + std::to_string(bad));
  ASSERT_NE(node, nullptr) << "violating event not drawn";
  EXPECT_NE(node->all_text().find("VIOLATION"), std::string::npos);
  std::vector<const testing::XmlElement*> shapes;
  node->collect("path", shapes);
  node->collect("polygon", shapes);
  ASSERT_FALSE(shapes.empty());
  EXPECT_EQ(shapes.front()->attributes.at("fill"), "#ffd6d6");
  // Lanes for the receiver, the sender and the room; the fault crosses them.
  const std::string text = svg.root.all_text();
  EXPECT_NE(text.find("client c2"), std::string::npos);
  EXPECT_NE(text.find("client c1"), std::string::npos);
  EXPECT_NE(text.find("room chat/lobby"), std::string::npos);
  EXPECT_NE(text.find("fault begins: partition#0 a=AMS b=SIN ms=200+200"), std::string::npos);
  EXPECT_NE(text.find("@0.265s (+165ms)"), std::string::npos) << "receives show their delivery latency";
  EXPECT_NE(text.find("send x2 #001111..#002222"), std::string::npos) << "a burst of sends on one connection is one row";
}

TEST(GraphvizSequence, BoundsTheWindowAndSaysWhatWasCut) {
  const properties::History h = testing::fifo_violation_history(/*filler=*/2000, /*extra_clients=*/20);
  const properties::Verdict v = fifo_verdict(h);
  ASSERT_FALSE(v.passed);
  SequenceOptions options;
  options.max_events = 40;
  options.max_lanes = 4;
  const std::string dot = sequence_dot(h, v, options);
  EXPECT_TRUE(dot_parses(dot));
  const size_t drawn = static_cast<size_t>(std::count(dot.begin(), dot.end(), '\n'));
  EXPECT_LT(drawn, 200u) << "the DOT must stay bounded";
  EXPECT_NE(dot.find("in 40 rows on 4 lanes"), std::string::npos) << dot.substr(0, 600);
  EXPECT_NE(dot.find("later events of these lanes"), std::string::npos);
  EXPECT_NE(dot.find("\"ev" + std::to_string(v.violating.front()) + "\""), std::string::npos);
  EXPECT_EQ(dot.find("client x19"), std::string::npos) << "lanes beyond max_lanes are cut";
}

TEST(GraphvizSequence, BurstsOfEqualEventsShareOneRow) {
  properties::History h = testing::fifo_violation_history();
  properties::Verdict v = *properties::check_property("fifo", h);
  // 50 identical commits of the room right after the violation.
  const auto room = h.intern("chat/lobby");
  for (int i = 0; i < 50; ++i) {
    properties::Event e;
    e.t_ns = h.events().back().t_ns + i;
    e.kind = properties::EventKind::kCommit;
    e.room = room;
    e.value = 100 + i;  // commit numbers differ; the picture text does not
    h.add(e);
  }
  const std::string dot = sequence_dot(h, v);
  EXPECT_NE(dot.find("commit x50"), std::string::npos);
  EXPECT_TRUE(dot_parses(dot));
}

TEST(GraphvizSequence, EmptyHistoryStillRenders) {
  properties::History h;
  properties::Verdict v;
  v.property = "liveness";
  v.passed = false;
  v.violating = {5};  // out of range: ignored, not a crash
  const Picture p = sequence_picture(h, v);
  ASSERT_TRUE(p.ok()) << p.error;
  EXPECT_NE(p.dot.find("no events to show"), std::string::npos);
}

}  // namespace
}  // namespace roomsim::reports
