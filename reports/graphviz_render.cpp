// reports/graphviz_render.cpp: the only file that talks to libgvc; cgraph
// parsing for validation lives here too.
#include "reports/graphviz_render.hpp"

#include <mutex>

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

namespace roomsim::reports {

namespace {

std::mutex& graphviz_mutex() {
  static std::mutex m;
  return m;
}

// Graphviz reports errors through a global callback; collect them into a
// string while the lock is held instead of letting them reach stderr.
std::string* g_error_sink = nullptr;

int collect_error(char* message) {
  if (g_error_sink != nullptr && message != nullptr) *g_error_sink += message;
  return 0;
}

class ErrorCapture {
 public:
  explicit ErrorCapture(std::string& sink) {
    g_error_sink = &sink;
    previous_ = agseterrf(collect_error);
    agreseterrors();
  }
  ~ErrorCapture() {
    agseterrf(previous_);
    g_error_sink = nullptr;
  }
  ErrorCapture(const ErrorCapture&) = delete;
  ErrorCapture& operator=(const ErrorCapture&) = delete;

 private:
  agusererrf previous_ = nullptr;
};

// One context for the process: creating a GVC loads the plugin config, which
// is slow; it is reused under the lock.
GVC_t* shared_context() {
  static GVC_t* gvc = gvContext();
  return gvc;
}

}  // namespace

Picture render_dot(std::string title, std::string dot, std::string_view layout_engine) {
  Picture picture;
  picture.title = std::move(title);
  picture.dot = std::move(dot);
  std::lock_guard<std::mutex> lock(graphviz_mutex());
  std::string errors;
  ErrorCapture capture(errors);
  GVC_t* gvc = shared_context();
  if (gvc == nullptr) {
    picture.error = "graphviz: gvContext() failed (is the graphviz package installed?)";
    return picture;
  }
  Agraph_t* g = agmemread(picture.dot.c_str());
  if (g == nullptr) {
    picture.error = "graphviz: the DOT text does not parse: " + errors;
    return picture;
  }
  const std::string engine(layout_engine);
  if (gvLayout(gvc, g, engine.c_str()) != 0) {
    picture.error = "graphviz: layout '" + engine + "' failed: " + errors;
    agclose(g);
    return picture;
  }
  char* data = nullptr;
  unsigned int length = 0;
  if (gvRenderData(gvc, g, "svg", &data, &length) != 0 || data == nullptr) {
    picture.error = "graphviz: SVG rendering failed: " + errors;
  } else {
    picture.svg.assign(data, length);
  }
  if (data != nullptr) gvFreeRenderData(data);
  gvFreeLayout(gvc, g);
  agclose(g);
  return picture;
}

bool dot_parses(std::string_view dot, std::string* error) {
  std::lock_guard<std::mutex> lock(graphviz_mutex());
  std::string errors;
  ErrorCapture capture(errors);
  const std::string text(dot);
  Agraph_t* g = agmemread(text.c_str());
  if (g == nullptr) {
    if (error != nullptr) *error = errors.empty() ? "agmemread returned no graph" : errors;
    return false;
  }
  agclose(g);
  return true;
}

std::string_view svg_element(std::string_view svg_document) {
  const size_t start = svg_document.find("<svg");
  if (start == std::string_view::npos) return {};
  const size_t end = svg_document.rfind("</svg>");
  if (end == std::string_view::npos || end < start) return {};
  return svg_document.substr(start, end + 6 - start);
}

}  // namespace roomsim::reports
