// tests/reports/latency_histogram_test.cpp: send->receive matching and the
// histogram SVG.
#include <gtest/gtest.h>

#include "reports/latency_histogram.hpp"
#include "synthetic_history.hpp"
#include "xml_check.hpp"

namespace roomsim::reports {
namespace {

TEST(LatencyHistogram, MatchesLiveReceivesToTheirSends) {
  properties::History h = testing::fifo_violation_history();
  // A replayed receive is not a delivery; a receive of an unknown message is unmatched.
  properties::Event replay = h.events()[h.size() - 1];
  for (const auto& e : h.events()) {
    if (e.kind == properties::EventKind::kReceive) replay = e;
  }
  replay.t_ns += 1'000'000'000;
  replay.value = 1;
  h.add(replay);
  properties::Event phantom = replay;
  phantom.value = 0;
  phantom.msg = 0xdead;
  h.add(phantom);

  const DeliveryLatencies lat = delivery_latencies(h);
  // c1 gets its own two messages after 40ms; c2 after 150/165ms; c3 after 170/165ms.
  EXPECT_EQ(lat.sorted_ns, (std::vector<int64_t>{40'000'000, 40'000'000, 150'000'000, 165'000'000, 165'000'000,
                                                 170'000'000}));
  EXPECT_EQ(lat.unmatched, 1u);
  EXPECT_EQ(lat.quantile_ns(0.5), 150'000'000);
  EXPECT_EQ(lat.quantile_ns(1.0), 170'000'000);
  EXPECT_EQ(lat.quantile_ns(0.0), 40'000'000);
}

TEST(LatencyHistogram, SvgIsWellFormedAndCaptioned) {
  const DeliveryLatencies lat = delivery_latencies(testing::fifo_violation_history(/*filler=*/100));
  const std::string svg = latency_histogram_svg(lat, 20, 600);
  const auto parsed = testing::parse_xml(svg);
  ASSERT_TRUE(parsed.ok()) << parsed.error;
  std::vector<const testing::XmlElement*> bars;
  parsed.root.collect("rect", bars);
  EXPECT_FALSE(bars.empty());
  EXPECT_NE(parsed.root.all_text().find(std::to_string(lat.sorted_ns.size()) + " deliveries"), std::string::npos);
}

TEST(LatencyHistogram, EmptyHistorySaysSo) {
  const std::string svg = latency_histogram_svg(delivery_latencies(properties::History{}));
  ASSERT_TRUE(testing::parse_xml(svg).ok());
  EXPECT_NE(svg.find("no deliveries"), std::string::npos);
}

}  // namespace
}  // namespace roomsim::reports
