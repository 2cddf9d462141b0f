// netsim/fault_pairs.cpp: see fault_pairs.hpp.
#include "netsim/fault_pairs.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace roomsim::netsim {

namespace {
constexpr size_t kKinds = static_cast<size_t>(FaultKind::kClientChurn) + 1;
}  // namespace

std::vector<FaultKindPair> fault_pairs_together(const std::vector<FaultSpec>& faults, int64_t safety_ms) {
  struct Window {
    int64_t start_ms;
    int64_t end_ms;
    FaultKind kind;
  };
  std::vector<Window> windows;
  windows.reserve(faults.size());
  for (const FaultSpec& f : faults) {
    if (f.start_ms >= safety_ms) continue;
    const int64_t end_ms = std::min(f.start_ms + std::max<int64_t>(0, f.duration_ms), safety_ms);
    windows.push_back(Window{f.start_ms, std::max(end_ms, f.start_ms + kTogetherMinMs), f.kind});
  }
  std::stable_sort(windows.begin(), windows.end(), [](const Window& a, const Window& b) { return a.start_ms < b.start_ms; });
  // Sweep by start: a window overlaps an earlier-started one exactly when that
  // one ends after this start, so the latest end per kind is all we need.
  std::array<int64_t, kKinds> latest_end;
  latest_end.fill(INT64_MIN);
  std::set<FaultKindPair> pairs;
  for (const Window& w : windows) {
    for (size_t k = 0; k < kKinds; ++k) {
      const auto other = static_cast<FaultKind>(k);
      if (other == w.kind || latest_end[k] <= w.start_ms) continue;
      pairs.insert(std::minmax(other, w.kind));
    }
    int64_t& end = latest_end[static_cast<size_t>(w.kind)];
    end = std::max(end, w.end_ms);
  }
  return {pairs.begin(), pairs.end()};
}

std::vector<FaultKind> possible_fault_kinds(const SimulationConfig& config) {
  std::set<FaultKind> kinds;
  const bool storms = config.fault_rates.storms.per_minute > 0;  // storms draw every listed kind
  for (const auto& [kind, rate] : config.fault_rates.per_minute) {
    if (rate > 0 || storms) kinds.insert(kind);
  }
  for (const FaultSpec& f : config.faults) kinds.insert(f.kind);
  return {kinds.begin(), kinds.end()};
}

}  // namespace roomsim::netsim
