// reports/sequence_lanes.cpp: lane choice and order for the sequence diagram.
#include "reports/sequence_lanes.hpp"

#include <algorithm>
#include <optional>

namespace roomsim::reports {

using properties::NameId;

LaneChoice pick_lanes(const std::vector<NameId>& clients, const std::vector<NameId>& rooms, const HopIndex* hops,
                      size_t max_lanes) {
  LaneChoice out;
  const size_t room_lanes = std::min<size_t>({rooms.size(), 2, max_lanes});
  size_t used = room_lanes;
  std::vector<NameId> chosen;
  std::vector<uint16_t> edges;  // in priority order
  std::vector<std::optional<uint16_t>> chosen_edge;
  for (NameId c : clients) {
    std::optional<uint16_t> edge;
    if (hops != nullptr) {
      auto it = hops->client_edge.find(c);
      if (it != hops->client_edge.end()) edge = it->second;
    }
    const bool new_edge = edge && std::find(edges.begin(), edges.end(), *edge) == edges.end();
    const size_t cost = 1 + (new_edge ? 1 : 0);
    if (used + cost > max_lanes) {
      ++out.clients_cut;
      continue;
    }
    used += cost;
    chosen.push_back(c);
    chosen_edge.push_back(edge);
    if (new_edge) edges.push_back(*edge);
  }
  std::vector<Lane> left, right;  // both from the outside in
  if (edges.empty()) {
    const size_t half = chosen.size() / 2;
    for (size_t i = 0; i < chosen.size(); ++i) (i < half ? left : right).push_back({LaneKind::kClient, chosen[i], 0});
    std::reverse(right.begin(), right.end());
  } else {
    const auto side_of = [&edges](uint16_t e) {
      return static_cast<size_t>(std::find(edges.begin(), edges.end(), e) - edges.begin());
    };
    // Outermost first: clients of the outermost edges (of one edge, the
    // first in priority innermost), then edges outermost first.
    for (size_t k = edges.size(); k-- > 0;) {
      std::vector<Lane>& side = k % 2 == 0 ? left : right;
      for (size_t i = chosen.size(); i-- > 0;) {
        if (chosen_edge[i] && side_of(*chosen_edge[i]) == k) side.push_back({LaneKind::kClient, chosen[i], 0});
      }
    }
    for (size_t i = 0; i < chosen.size(); ++i) {  // clients without a known edge: outermost left
      if (!chosen_edge[i]) left.insert(left.begin(), {LaneKind::kClient, chosen[i], 0});
    }
    for (size_t k = edges.size(); k-- > 0;) (k % 2 == 0 ? left : right).push_back({LaneKind::kEdge, 0, edges[k]});
  }
  out.lanes = left;
  for (size_t i = 0; i < room_lanes; ++i) out.lanes.push_back({LaneKind::kRoom, rooms[i], 0});
  out.lanes.insert(out.lanes.end(), right.rbegin(), right.rend());
  return out;
}

}  // namespace roomsim::reports
