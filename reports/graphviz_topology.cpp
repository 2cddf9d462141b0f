// reports/graphviz_topology.cpp: projection, usage counting and DOT for the map.
#include "reports/graphviz_topology.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "engine/time.hpp"
#include "reports/dot_builder.hpp"

namespace roomsim::reports {

namespace {

using properties::Event;
using properties::EventKind;

constexpr double kMarginDeg = 12;

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::string window_text(const MapPartition& p) {
  return format_time(Time::from_ns(p.start_ns)) + "-" + format_time(Time::from_ns(p.end_ns));
}

}  // namespace

void add_history_usage(TopologyView& view, const properties::History& h, const Placement& placement) {
  std::set<std::string> clients_seen;
  std::set<std::string> unplaced_clients;
  std::set<std::string> unplaced_rooms;
  std::map<std::pair<std::string, std::string>, uint64_t> frames;
  for (const Event& e : h.events()) {
    if (e.client == properties::kNoName) continue;
    const std::string& client = h.name(e.client);
    auto cr = placement.client_region.find(client);
    if (cr == placement.client_region.end()) {
      unplaced_clients.insert(client);
      continue;
    }
    clients_seen.insert(client);
    if (e.kind != EventKind::kSend && e.kind != EventKind::kReceive) continue;
    auto home = placement.room_home.find(h.name(e.room));
    if (home == placement.room_home.end()) {
      unplaced_rooms.insert(h.name(e.room));
      continue;
    }
    ++frames[{cr->second, home->second}];
  }
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < view.regions.size(); ++i) index[view.regions[i].code] = i;
  std::set<std::string> unknown_regions;
  for (const std::string& c : clients_seen) {
    const std::string& region = placement.client_region.at(c);
    auto it = index.find(region);
    if (it == index.end()) {
      unknown_regions.insert(region);
    } else {
      ++view.regions[it->second].clients;
    }
  }
  for (const auto& [room, region] : placement.room_home) {
    auto it = index.find(region);
    if (it == index.end()) {
      unknown_regions.insert(region);
    } else {
      view.regions[it->second].homes.push_back(room);
    }
  }
  for (const auto& [pair, n] : frames) view.links.push_back({pair.first, pair.second, n});
  std::ostringstream note;
  if (!unplaced_clients.empty()) note << unplaced_clients.size() << " clients without a known region; ";
  if (!unplaced_rooms.empty()) note << unplaced_rooms.size() << " rooms without a known home; ";
  if (!unknown_regions.empty()) note << unknown_regions.size() << " region codes not in the topology; ";
  std::string text = note.str();
  if (!text.empty()) {
    text.resize(text.size() - 2);
    view.note += (view.note.empty() ? "" : "; ") + text;
  }
}

std::vector<MapPartition> partitions_from_history(const properties::History& h) {
  std::vector<MapPartition> out;
  std::map<int64_t, size_t> open;  // fault index -> position in out
  const int64_t end_ns = h.events().empty() ? 0 : h.events().back().t_ns;
  for (const Event& e : h.events()) {
    if (e.kind == EventKind::kFaultBegin) {
      const std::string& text = h.name(e.text);
      if (text.rfind("partition", 0) != 0) continue;
      MapPartition p;
      p.label = text;
      p.start_ns = e.t_ns;
      p.end_ns = end_ns;
      std::istringstream tokens(text);
      std::string token;
      while (tokens >> token) {
        if (token.rfind("a=", 0) == 0) {
          p.side_a = split_commas(token.substr(2));
        } else if (token.rfind("b=", 0) == 0) {
          p.side_b = split_commas(token.substr(2));
        } else if (token.rfind("region=", 0) == 0) {
          p.side_a = {token.substr(7)};
        } else if (token == "one_way") {
          p.one_way = true;
        }
      }
      open[e.value] = out.size();
      out.push_back(std::move(p));
    } else if (e.kind == EventKind::kFaultEnd) {
      auto it = open.find(e.value);
      if (it != open.end()) {
        out[it->second].end_ns = e.t_ns;
        open.erase(it);
      }
    }
  }
  return out;
}

std::string topology_dot(const TopologyView& view, const TopologyOptions& options) {
  // Which regions matter to this run.
  std::set<std::string> involved;
  for (const MapRegion& r : view.regions) {
    if (r.clients > 0 || !r.homes.empty()) involved.insert(r.code);
  }
  for (const MapLink& l : view.links) {
    involved.insert(l.from);
    involved.insert(l.to);
  }
  for (const MapPartition& p : view.partitions) {
    involved.insert(p.side_a.begin(), p.side_a.end());
    involved.insert(p.side_b.begin(), p.side_b.end());
  }

  // Bounding box of the regions, plus a margin, in degrees.
  double lon_min = 180;
  double lon_max = -180;
  double lat_min = 90;
  double lat_max = -90;
  for (const MapRegion& r : view.regions) {
    lon_min = std::min(lon_min, r.lon);
    lon_max = std::max(lon_max, r.lon);
    lat_min = std::min(lat_min, r.lat);
    lat_max = std::max(lat_max, r.lat);
  }
  if (view.regions.empty()) {
    lon_min = -180;
    lon_max = 180;
    lat_min = -60;
    lat_max = 75;
  }
  lon_min = std::max(-180.0, lon_min - kMarginDeg);
  lon_max = std::min(180.0, lon_max + kMarginDeg);
  lat_min = std::max(-90.0, lat_min - kMarginDeg);
  lat_max = std::min(90.0, lat_max + kMarginDeg);
  const double scale = std::max(options.width_pt, 300.0) / std::max(lon_max - lon_min, 1.0);  // points per degree
  const auto x_of = [&](double lon) { return (lon - lon_min) * scale; };
  const auto y_of = [&](double lat) { return (lat - lat_min) * scale; };

  std::string title = "Topology: " + std::to_string(view.regions.size()) + " regions, " +
                      std::to_string(involved.size()) + " used by this run";
  if (!view.note.empty()) title += "\n" + view.note;
  DotAttrs graph;
  graph.set("label", title).set("labelloc", "t").set("fontname", "Helvetica").set("fontsize", 12)
      .set("inputscale", 72).set("splines", "line").set("outputorder", "edgesfirst").set("forcelabels", "true")
      .set("bgcolor", "#f7fbff");
  DotAttrs node_defaults;
  node_defaults.set("fontname", "Helvetica").set("fontsize", 9).set("label", "");
  DotAttrs edge_defaults;
  edge_defaults.set("fontname", "Helvetica").set("fontsize", 8).set("dir", "none");
  DotBuilder dot(true, graph, node_defaults, edge_defaults);

  // Graticule every 30 degrees: a dashed line from (x0,y0) to (x1,y1) and its label near the start.
  const auto grid = [&dot](const std::string& id, double x0, double y0, double x1, double y1, const std::string& text) {
    DotAttrs point;
    point.set("shape", "point").set("width", 0.01).set("color", "#d6e4f0");
    dot.pinned_node(id + "a", x0, y0, point);
    dot.pinned_node(id + "b", x1, y1, point);
    dot.edge(id + "a", id + "b", DotAttrs().set("color", "#d6e4f0").set("style", "dashed"));
    DotAttrs label;
    label.set("shape", "plaintext").set("fontsize", 7).set("fontcolor", "#9fb6cc").set("label", text);
    dot.pinned_node(id + "t", x0 + 10, y0 + 6, label);
  };
  for (int lat = -90; lat <= 90; lat += 30) {
    if (lat < lat_min || lat > lat_max) continue;
    grid("lat" + std::to_string(lat), x_of(lon_min), y_of(lat), x_of(lon_max), y_of(lat),
         std::to_string(std::abs(lat)) + (lat < 0 ? "S" : lat > 0 ? "N" : ""));
  }
  for (int lon = -180; lon <= 180; lon += 30) {
    if (lon < lon_min || lon > lon_max) continue;
    grid("lon" + std::to_string(lon), x_of(lon), y_of(lat_min), x_of(lon), y_of(lat_max),
         std::to_string(std::abs(lon)) + (lon < 0 ? "W" : lon > 0 ? "E" : ""));
  }

  std::set<std::string> known;
  for (const MapRegion& r : view.regions) {
    known.insert(r.code);
    const std::string id = "r_" + r.code;
    DotAttrs a;
    a.set("id", id).set("tooltip", r.code + " " + r.city);
    if (involved.count(r.code) == 0) {
      a.set("shape", "point").set("width", 0.05).set("color", "#9fb6cc");
    } else {
      std::string label = r.code;
      if (r.clients > 0) label += " · " + std::to_string(r.clients) + (r.clients == 1 ? " client" : " clients");
      for (const std::string& home : r.homes) label += "\nhome of " + home;
      const double width_in = 0.14 + 0.05 * std::sqrt(static_cast<double>(r.clients));
      a.set("xlabel", label).set("fixedsize", "true").set("width", std::min(width_in, 0.6)).set("style", "filled");
      if (!r.homes.empty()) {
        a.set("shape", "doublecircle").set("fillcolor", "#f4d03f").set("color", "#9a7d0a");
      } else {
        a.set("shape", "circle").set("fillcolor", "#5dade2").set("color", "#1f618d");
      }
    }
    dot.pinned_node(id, x_of(r.lon), y_of(r.lat), a);
  }

  uint64_t frames_max = 1;
  for (const MapLink& l : view.links) frames_max = std::max(frames_max, l.frames);
  for (const MapLink& l : view.links) {
    if (l.from == l.to || known.count(l.from) == 0 || known.count(l.to) == 0) continue;
    DotAttrs a;
    const double w = 1 + 3 * std::log2(1.0 + static_cast<double>(l.frames)) / std::log2(1.0 + static_cast<double>(frames_max));
    a.set("color", "#85929e").set("penwidth", w).set("tooltip", l.from + " - " + l.to + ": " + std::to_string(l.frames) + " frames");
    dot.edge("r_" + l.from, "r_" + l.to, a);
  }

  std::vector<std::string> legend;
  for (size_t k = 0; k < view.partitions.size(); ++k) {
    const MapPartition& p = view.partitions[k];
    size_t drawn = 0;
    size_t pairs = 0;
    for (const std::string& a : p.side_a) {
      for (const std::string& b : p.side_b) {
        if (a == b || known.count(a) == 0 || known.count(b) == 0) continue;
        ++pairs;
        if (drawn == options.partition_edges_max) continue;
        DotAttrs e;
        e.set("color", "#c0392b").set("penwidth", 2).set("style", "bold")
            .set("tooltip", p.label + " " + window_text(p));
        if (p.one_way) e.set("dir", "forward");
        if (drawn == 0) e.set("label", prefixed_number("P", k + 1)).set("fontcolor", "#c0392b").set("fontsize", 10);
        dot.edge("r_" + a, "r_" + b, e);
        ++drawn;
      }
    }
    std::string line = prefixed_number("P", k + 1) + " · " + window_text(p) + " · " + p.label;
    if (pairs > drawn) line += " (" + std::to_string(pairs - drawn) + " more region pairs not drawn)";
    if (pairs == 0) line += " (no region pair drawn: isolates a client or a region)";
    legend.push_back(std::move(line));
  }
  if (!legend.empty()) {
    legend.insert(legend.begin(), "Partitions (red lines):");
    DotAttrs a;
    a.set("shape", "plaintext").set("fontsize", 9).set("fontcolor", "#922b21").set("id", "legend")
        .set_left_lines("label", legend);
    // Under the map, left-aligned with it; 12pt per legend line.
    const double lines = static_cast<double>(legend.size());
    dot.pinned_node("legend", x_of(lon_min) + 300, y_of(lat_min) - 12 - 6 * lines, a);
  }
  return dot.finish();
}

Picture topology_picture(const TopologyView& view, const TopologyOptions& options) {
  return render_dot("Topology", topology_dot(view, options), "neato");
}

}  // namespace roomsim::reports
