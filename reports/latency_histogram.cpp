// reports/latency_histogram.cpp: matching sends to receives; SVG bars.
#include "reports/latency_histogram.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>

#include "engine/time.hpp"
#include "reports/event_text.hpp"
#include "reports/text_escape.hpp"

namespace roomsim::reports {

namespace {

using properties::Event;
using properties::EventKind;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

}  // namespace

int64_t DeliveryLatencies::quantile_ns(double q) const {
  if (sorted_ns.empty()) return 0;
  const double rank = std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(sorted_ns.size()));
  const size_t i = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return sorted_ns[std::min(i, sorted_ns.size() - 1)];
}

DeliveryLatencies delivery_latencies(const properties::History& h) {
  DeliveryLatencies out;
  std::map<std::tuple<properties::NameId, properties::NameId, uint64_t>, int64_t> sent_at;
  for (const Event& e : h.events()) {
    if (e.kind == EventKind::kSend) {
      sent_at[{e.room, e.client, e.msg}] = e.t_ns;
    } else if (e.kind == EventKind::kReceive && e.value == 0) {
      auto it = sent_at.find({e.room, e.sender, e.msg});
      if (it == sent_at.end()) {
        ++out.unmatched;
      } else {
        out.sorted_ns.push_back(e.t_ns - it->second);
      }
    }
  }
  std::sort(out.sorted_ns.begin(), out.sorted_ns.end());
  return out;
}

std::string latency_histogram_svg(const DeliveryLatencies& lat, size_t bins, int width_px) {
  const int width = std::max(width_px, 240);
  constexpr int kHeight = 230;
  constexpr int kLeft = 50;
  constexpr int kRight = 16;
  constexpr int kTop = 28;
  constexpr int kBottom = 40;
  const int plot_w = width - kLeft - kRight;
  const int plot_h = kHeight - kTop - kBottom;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"histogram\" width=\"" + std::to_string(width) +
                    "\" height=\"" + std::to_string(kHeight) + "\" viewBox=\"0 0 " + std::to_string(width) + " " +
                    std::to_string(kHeight) + "\" role=\"img\" aria-label=\"delivery latency histogram\">";
  const auto text = [&svg](double x, double y, const std::string& s, const char* anchor, const char* cls) {
    svg += "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\" class=\"" + cls + "\">" +
           xml_escape(s) + "</text>";
  };
  if (lat.sorted_ns.empty()) {
    text(width / 2.0, kHeight / 2.0, "no deliveries in this history", "middle", "muted");
    return svg + "</svg>";
  }
  const size_t n_bins = std::max<size_t>(bins, 1);
  const int64_t top_ns = std::max<int64_t>(lat.quantile_ns(0.995), 1);
  const double bin_ns = static_cast<double>(top_ns) / static_cast<double>(n_bins);
  std::vector<uint64_t> counts(n_bins, 0);
  uint64_t overflow = 0;
  for (int64_t v : lat.sorted_ns) {
    auto b = static_cast<size_t>(static_cast<double>(std::max<int64_t>(v, 0)) / bin_ns);
    if (b >= n_bins) {
      if (v > top_ns) ++overflow;
      b = n_bins - 1;
    }
    ++counts[b];
  }
  const uint64_t max_count = *std::max_element(counts.begin(), counts.end());
  const double bar_w = static_cast<double>(plot_w) / static_cast<double>(n_bins);
  // Axes.
  svg += "<line x1=\"" + std::to_string(kLeft) + "\" y1=\"" + std::to_string(kTop + plot_h) + "\" x2=\"" +
         std::to_string(kLeft + plot_w) + "\" y2=\"" + std::to_string(kTop + plot_h) + "\" class=\"axis\"/>";
  text(kLeft - 6, kTop + 4, std::to_string(max_count), "end", "tick");
  text(kLeft - 6, kTop + plot_h, "0", "end", "tick");
  for (size_t b = 0; b < n_bins; ++b) {
    if (counts[b] == 0) continue;
    const double h = static_cast<double>(plot_h) * static_cast<double>(counts[b]) / static_cast<double>(max_count);
    const double x = kLeft + bar_w * static_cast<double>(b);
    const bool last_with_overflow = b == n_bins - 1 && overflow > 0;
    const auto lo = static_cast<int64_t>(bin_ns * static_cast<double>(b));
    const auto hi = static_cast<int64_t>(bin_ns * static_cast<double>(b + 1));
    svg += "<rect x=\"" + num(x + 0.5) + "\" y=\"" + num(kTop + plot_h - h) + "\" width=\"" +
           num(std::max(bar_w - 1.0, 0.5)) + "\" height=\"" + num(h) + "\" class=\"" +
           (last_with_overflow ? "bar overflow" : "bar") + "\"><title>" +
           xml_escape(format_latency(lo) + (last_with_overflow ? " and above" : " - " + format_latency(hi)) + ": " +
                      std::to_string(counts[b]) + " deliveries") +
           "</title></rect>";
  }
  for (int k = 0; k <= 4; ++k) {
    const double x = kLeft + plot_w * k / 4.0;
    const auto t = static_cast<int64_t>(static_cast<double>(top_ns) * k / 4.0);
    text(x, kTop + plot_h + 14, format_latency(t) + (k == 4 && overflow > 0 ? "+" : ""), "middle", "tick");
  }
  const std::string caption = std::to_string(lat.sorted_ns.size()) + " deliveries · p50 " +
                              format_latency(lat.quantile_ns(0.5)) + " · p90 " + format_latency(lat.quantile_ns(0.9)) + " · p99 " +
                              format_latency(lat.quantile_ns(0.99)) + " · max " + format_latency(lat.sorted_ns.back()) +
                              (lat.unmatched > 0 ? " · " + std::to_string(lat.unmatched) + " receives without a send" : "");
  text(kLeft, 16, caption, "start", "caption");
  text(kLeft + plot_w / 2.0, kHeight - 6, "delivery latency (simulated time, send to receive)", "middle", "muted");
  return svg + "</svg>";
}

}  // namespace roomsim::reports
