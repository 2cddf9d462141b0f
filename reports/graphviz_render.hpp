// reports/graphviz_render.hpp: DOT text -> SVG, in-process through libgvc.
//
// The pictures of a report are built as DOT text (kept so a user can edit or
// re-render it with `dot`/`neato`) and laid out and rendered here with
// gvContext/gvLayout/gvRenderData. Graphviz itself is not thread-safe, so every
// call below takes one process-wide lock; callers may use them from any thread.
// No Graphviz header leaks out of this file's .cpp.
#pragma once

#include <string>
#include <string_view>

namespace roomsim::reports {

// One rendered picture: its DOT source and its SVG. `error` is empty on
// success; otherwise it says what Graphviz rejected and `svg` is empty.
struct Picture {
  std::string title;   // shown above the picture in the HTML report
  std::string dot;
  std::string svg;     // a complete SVG document (XML declaration included)
  std::string error;
  bool ok() const { return error.empty() && !svg.empty(); }
};

// Parses `dot` with agmemread, lays it out with `layout_engine` ("dot",
// "neato", ...) and renders SVG. Deterministic for the same input.
Picture render_dot(std::string title, std::string dot, std::string_view layout_engine);

// True if `dot` parses with cgraph's agmemread; on failure `error` (if not
// null) receives Graphviz's message.
bool dot_parses(std::string_view dot, std::string* error = nullptr);

// The <svg ...>...</svg> element of an SVG document, without the XML
// declaration, DOCTYPE and leading comments, for inlining into HTML.
std::string_view svg_element(std::string_view svg_document);

}  // namespace roomsim::reports
