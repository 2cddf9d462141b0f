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

// The picture rendered, its DOT parses back with cgraph and its SVG is well-formed.
testing::XmlParse checked_svg(const Picture& p) {
  EXPECT_TRUE(p.ok()) << p.error;
  std::string error;
  EXPECT_TRUE(dot_parses(p.dot, &error)) << error;
  testing::XmlParse svg = testing::parse_xml(p.svg);
  EXPECT_TRUE(svg.ok()) << svg.error;
  return svg;
}

TEST(GraphvizSequence, HighlightsTheViolatingEventInWellFormedSvg) {
  const properties::History h = testing::fifo_violation_history();
  const properties::Verdict v = fifo_verdict(h);
  ASSERT_FALSE(v.passed);
  ASSERT_FALSE(v.violating.empty());
  const size_t bad = v.violating.front();

  const auto svg = checked_svg(sequence_picture(h, v));
  ASSERT_TRUE(svg.ok());

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

// The DOT line of the edge from -> to, or "".
bool has_arrow(const std::string& dot, const std::string& from, const std::string& to) {
  return dot.find("\"" + from + "\" -> \"" + to + "\"") != std::string::npos;
}

size_t index_of(const properties::History& h, properties::EventKind kind, const std::string& client, uint64_t msg) {
  for (size_t i = 0; i < h.size(); ++i) {
    const auto& e = h.events()[i];
    if (e.kind == kind && h.name(e.client) == client && e.msg == msg) return i;
  }
  ADD_FAILURE() << "no such event";
  return 0;
}

TEST(GraphvizSequence, EdgeLanesFromAFrameHopLog) {
  const properties::History h = testing::fifo_violation_history();
  const netsim::FrameHopLog hops = testing::synthetic_hops(h);
  const properties::Verdict v = fifo_verdict(h);
  ASSERT_FALSE(v.passed);
  const Picture p = sequence_picture(h, v, {}, &hops);
  const auto svg = checked_svg(p);
  ASSERT_TRUE(svg.ok());
  const std::string text = svg.root.all_text();
  // Lanes named by region, beside the client and room lanes.
  EXPECT_NE(text.find("edge AMS"), std::string::npos);
  EXPECT_NE(text.find("edge SIN"), std::string::npos);
  EXPECT_NE(text.find("client c1"), std::string::npos);
  EXPECT_NE(text.find("client c2"), std::string::npos);
  EXPECT_NE(text.find("room chat/lobby"), std::string::npos);
  EXPECT_NE(p.dot.find("from the run's frame-hop log"), std::string::npos);
  EXPECT_EQ(p.dot.find("no frame-hop log"), std::string::npos);

  // c1's first message: send (100 ms) -> edge AMS (105 ms) -> room (115 ms).
  const size_t send = index_of(h, properties::EventKind::kSend, "c1", 0x1111);
  const uint32_t up = 0;  // synthetic_hops: hops in history order, the first send first
  ASSERT_TRUE(hops.hops[up].up);
  ASSERT_EQ(hops.hops[up].events_before_send, send + 1);
  EXPECT_TRUE(has_arrow(p.dot, "ev" + std::to_string(send), "hop0up")) << p.dot;
  EXPECT_TRUE(has_arrow(p.dot, "hop0up", "hop0in"));
  EXPECT_NE(text.find("pass #001111 from c1"), std::string::npos);
  EXPECT_NE(text.find("@0.105s"), std::string::npos) << "the edge hop carries its time";
  EXPECT_NE(text.find("in #001111 from c1"), std::string::npos);
  EXPECT_NE(text.find("@0.115s (+15.0ms)"), std::string::npos) << "the room hop carries time and latency";

  // The violating receive of c2 arrives through the room's send and edge SIN,
  // in red, and its frame says the partition held it.
  const size_t bad = v.violating.front();
  uint32_t down = UINT32_MAX;
  for (uint32_t k = 0; k < hops.hops.size(); ++k) {
    if (!hops.hops[k].up && hops.hops[k].first_event == bad) down = k;
  }
  ASSERT_NE(down, UINT32_MAX);
  const std::string out = "hop" + std::to_string(down) + "out";
  const std::string edge = "hop" + std::to_string(down) + "down";
  EXPECT_TRUE(has_arrow(p.dot, out, edge));
  EXPECT_TRUE(has_arrow(p.dot, edge, "ev" + std::to_string(bad)));
  EXPECT_FALSE(has_arrow(p.dot, "ev" + std::to_string(send), "ev" + std::to_string(bad)))
      << "with hops the arrow goes through the lanes, not straight from the send";
  EXPECT_NE(text.find("pass seq 1 to c2"), std::string::npos) << "down hops carry the sequence number";
  EXPECT_NE(text.find("held by a partition until 0.240s"), std::string::npos);
  const testing::XmlElement* node = find_group(svg.root, "ev" + std::to_string(bad));
  ASSERT_NE(node, nullptr);
  EXPECT_NE(node->all_text().find("VIOLATION"), std::string::npos);
}

TEST(GraphvizSequence, WithoutAHopLogFallsBackToClientAndRoomLanes) {
  const properties::History h = testing::fifo_violation_history();
  const properties::Verdict v = fifo_verdict(h);
  netsim::FrameHopLog not_recorded;  // e.g. a history read back from JSONL
  for (const netsim::FrameHopLog* log : std::vector<const netsim::FrameHopLog*>{nullptr, &not_recorded}) {
    const std::string dot = sequence_dot(h, v, {}, log);
    EXPECT_TRUE(dot_parses(dot));
    EXPECT_NE(dot.find("no frame-hop log: client and room lanes only"), std::string::npos);
    EXPECT_EQ(dot.find("edge AMS"), std::string::npos);
    EXPECT_EQ(dot.find("\"hop"), std::string::npos);
    const size_t send = index_of(h, properties::EventKind::kSend, "c1", 0x1111);
    // The burst of two sends is one row; its arrows go straight to the receives.
    EXPECT_TRUE(has_arrow(dot, "ev" + std::to_string(send), "ev" + std::to_string(v.violating.front())));
  }
}

TEST(GraphvizSequence, EdgeLanesCountTowardTheLaneBound) {
  const properties::History h = testing::fifo_violation_history(/*filler=*/0, /*extra_clients=*/6);
  const netsim::FrameHopLog hops = testing::synthetic_hops(h);
  const properties::Verdict v = fifo_verdict(h);
  SequenceOptions options;
  options.max_lanes = 5;  // room + c2 + edge SIN + c1 + edge AMS
  const std::string dot = sequence_dot(h, v, options, &hops);
  EXPECT_TRUE(dot_parses(dot));
  EXPECT_NE(dot.find("on 5 lanes"), std::string::npos) << dot.substr(0, 800);
  EXPECT_NE(dot.find("label=\"edge AMS\""), std::string::npos);
  EXPECT_NE(dot.find("label=\"edge SIN\""), std::string::npos);
  EXPECT_EQ(dot.find("label=\"client c3\""), std::string::npos);
  EXPECT_NE(dot.find("more clients of the violation or active near it have no lane (at most 5 lanes, edges included)"),
            std::string::npos);
  options.max_lanes = 6;  // c3 is at AMS: its edge lane is already there
  const std::string wider = sequence_dot(h, v, options, &hops);
  EXPECT_NE(wider.find("label=\"client c3\""), std::string::npos);
  EXPECT_NE(wider.find("on 6 lanes"), std::string::npos);
}

TEST(GraphvizSequence, AFullHopLogIsSaidAndItsFramesDrawnClientToClient) {
  const properties::History h = testing::fifo_violation_history();
  netsim::FrameHopLog hops = testing::synthetic_hops(h);
  const properties::Verdict v = fifo_verdict(h);
  // Keep only the two sends' hops, as if the log had been full from then on.
  hops.frames_not_recorded = hops.hops.size() - 2;
  hops.full_at_ns = hops.hops[2].sent_ns;
  hops.hops.resize(2);
  const std::string dot = sequence_dot(h, v, {}, &hops);
  EXPECT_TRUE(dot_parses(dot));
  EXPECT_NE(dot.find("the log was full from 0.120s"), std::string::npos) << dot.substr(0, 800);
  const size_t send = index_of(h, properties::EventKind::kSend, "c1", 0x1111);
  EXPECT_TRUE(has_arrow(dot, "hop0up", "hop0in"));
  EXPECT_TRUE(has_arrow(dot, "ev" + std::to_string(send), "ev" + std::to_string(v.violating.front())));
}

TEST(GraphvizSequence, AFrameLostInFlightIsSaidOnItsSend) {
  const properties::History h = testing::fifo_violation_history();
  netsim::FrameHopLog hops = testing::synthetic_hops(h);
  const properties::Verdict v = fifo_verdict(h);
  ASSERT_TRUE(hops.hops[0].up);
  hops.hops[0].arrived_ns = -1;  // its connection dropped with the frame in flight
  hops.hops[0].edge_ns = -1;
  const std::string dot = sequence_dot(h, v, {}, &hops);
  EXPECT_TRUE(dot_parses(dot));
  EXPECT_NE(dot.find("(frame lost in flight)"), std::string::npos);
  EXPECT_EQ(dot.find("\"hop0up\""), std::string::npos) << "no hop drawn for a frame that never arrived";
  EXPECT_NE(dot.find("\"hop1up\""), std::string::npos);
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
