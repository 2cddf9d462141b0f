// reports/dot_builder.cpp: quoted, escaped DOT emission.
#include "reports/dot_builder.hpp"

#include <algorithm>
#include <cstdio>

#include "reports/text_escape.hpp"

namespace roomsim::reports {

namespace {

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

}  // namespace

std::string prefixed_number(std::string_view prefix, size_t n) {
  std::string id(prefix);
  id += std::to_string(n);
  return id;
}

DotAttrs& DotAttrs::set(std::string_view key, std::string_view value) {
  if (!text_.empty()) text_ += ", ";
  text_ += key;
  text_ += "=\"";
  text_ += dot_escape(value);
  text_ += '"';
  return *this;
}

DotAttrs& DotAttrs::set(std::string_view key, double value) { return set(key, number(value)); }

DotAttrs& DotAttrs::set_left_lines(std::string_view key, const std::vector<std::string>& lines) {
  if (!text_.empty()) text_ += ", ";
  text_ += key;
  text_ += "=\"";
  for (const std::string& line : lines) {
    std::string one_line = line;
    std::replace(one_line.begin(), one_line.end(), '\n', ' ');
    text_ += dot_escape(one_line);
    text_ += "\\l";
  }
  text_ += '"';
  return *this;
}

DotBuilder::DotBuilder(bool directed, const DotAttrs& graph_attrs, const DotAttrs& node_defaults,
                       const DotAttrs& edge_defaults)
    : directed_(directed) {
  text_ = directed ? "digraph roomsim {\n" : "graph roomsim {\n";
  text_ += "  graph [" + graph_attrs.str() + "];\n";
  text_ += "  node [" + node_defaults.str() + "];\n";
  text_ += "  edge [" + edge_defaults.str() + "];\n";
}

void DotBuilder::pinned_node(std::string_view id, double x_pt, double y_pt, const DotAttrs& attrs) {
  text_ += "  \"" + dot_escape(id) + "\" [pos=\"" + number(x_pt) + "," + number(y_pt) + "!\"";
  if (!attrs.str().empty()) text_ += ", " + attrs.str();
  text_ += "];\n";
}

void DotBuilder::edge(std::string_view from, std::string_view to, const DotAttrs& attrs) {
  text_ += "  \"" + dot_escape(from) + "\" " + (directed_ ? "->" : "--") + " \"" + dot_escape(to) + "\"";
  if (!attrs.str().empty()) text_ += " [" + attrs.str() + "]";
  text_ += ";\n";
}

std::string DotBuilder::finish() { return text_ + "}\n"; }

}  // namespace roomsim::reports
