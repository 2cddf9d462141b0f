// reports/dot_builder.hpp: writes DOT text for pictures whose nodes sit at
// computed coordinates (the layouts here are maps and timelines, so positions
// are decided by us and pinned with pos="x,y!"; neato then only routes edges).
//
// Every attribute value is quoted and escaped (dot_escape), so names from a
// history or scenario cannot break the DOT syntax. Output order is the call
// order: deterministic.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace roomsim::reports {

// A list of DOT attributes: key="value", ...
class DotAttrs {
 public:
  DotAttrs& set(std::string_view key, std::string_view value);
  DotAttrs& set(std::string_view key, double value);
  // A label of left-justified lines: each line escaped, each ended by "\l".
  DotAttrs& set_left_lines(std::string_view key, const std::vector<std::string>& lines);
  const std::string& str() const { return text_; }

 private:
  std::string text_;
};

// "<prefix><n>", for node ids and labels. (Built by appending: GCC 12 warns falsely about
// `"c" + std::to_string(n)` at -O2, bug 105329.)
std::string prefixed_number(std::string_view prefix, size_t n);

class DotBuilder {
 public:
  // `directed` picks digraph/-> or graph/--. `graph_attrs` applies to the graph.
  DotBuilder(bool directed, const DotAttrs& graph_attrs, const DotAttrs& node_defaults, const DotAttrs& edge_defaults);

  // A node pinned at (x_pt, y_pt) in points; y grows upwards (Graphviz).
  void pinned_node(std::string_view id, double x_pt, double y_pt, const DotAttrs& attrs);
  void edge(std::string_view from, std::string_view to, const DotAttrs& attrs);
  std::string finish();

 private:
  std::string text_;
  bool directed_;
};

}  // namespace roomsim::reports
