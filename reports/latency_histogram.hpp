// reports/latency_histogram.hpp: delivery latencies in simulated time and
// their histogram as an inline SVG (no Graphviz: plain bars).
//
// A delivery is a live kReceive matched to the kSend of the same message
// (room, original sender client, client message id); its latency is
// receive time - send time. Replayed receives (history on join, resume) are
// not deliveries and are skipped; receives whose send is not in the history
// are counted as unmatched.
// Deterministic: pure functions of the history.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "properties/history.hpp"

namespace roomsim::reports {

struct DeliveryLatencies {
  std::vector<int64_t> sorted_ns;  // ascending
  uint64_t unmatched = 0;          // live receives without a matching send
  // The q-quantile (0..1) by nearest rank; 0 when there are none.
  int64_t quantile_ns(double q) const;
};

DeliveryLatencies delivery_latencies(const properties::History& history);

// An <svg> element (no XML declaration) `width_px` wide: `bins` equal-width
// bars from 0 to the 99.5th percentile, the last bar also counting everything
// above it (marked "+"), axis ticks in ms, and a caption with the count,
// p50/p90/p99 and max. With no deliveries: a short message instead of bars.
std::string latency_histogram_svg(const DeliveryLatencies& latencies, size_t bins = 40, int width_px = 720);

}  // namespace roomsim::reports
