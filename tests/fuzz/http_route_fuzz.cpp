// tests/fuzz/http_route_fuzz.cpp: libFuzzer target for the live server's HTTP
// request path: the bytes are parsed as a request on the wire (Beast's parser
// under the server's header and body limits, as live/http_session.cpp does)
// and, separately, used as a raw request-target; every target reached goes
// through route_target, parse_query and the static allow-list.
//
// Invariants (abort on violation): a target splits into path + '?' + query
// exactly; a room route names a kind and an id of 1..kRoomNameBytesMax path
// characters taken verbatim from the path; a static lookup returns only a file
// of the allow-list, under its own name; decoding never grows a component.
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <unistd.h>

#include "live/http_route.hpp"
#include "live/static_files.hpp"

namespace {

using roomsim::live::Route;
using roomsim::live::RouteKind;

void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "http_route_fuzz: invariant broken: %s\n", what);
  std::abort();
}

// The allow-list of a web directory made once: three files and a symlink out of it.
const roomsim::live::StaticFiles& web_files() {
  static const roomsim::live::StaticFiles files = [] {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("roomsim-http-route-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    for (const char* name : {"index.html", "app.js", "style.css"}) std::ofstream(dir / name) << name;
    std::error_code ec;
    fs::create_symlink("/etc/passwd", dir / "passwd", ec);
    std::vector<std::string> notes;
    auto loaded = roomsim::live::StaticFiles::load(dir.string(), notes);
    require(std::holds_alternative<roomsim::live::StaticFiles>(loaded), "the fuzz web directory loads");
    fs::remove_all(dir, ec);
    return std::get<roomsim::live::StaticFiles>(std::move(loaded));
  }();
  return files;
}

bool is_path_char(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("-._~!$&'()*+,;=:@%").find(static_cast<char>(c)) != std::string_view::npos;
}

void check_name(const std::string& name) {
  require(!name.empty(), "room name not empty");
  require(name.size() <= roomsim::live::kRoomNameBytesMax, "room name bounded");
  for (char c : name) require(is_path_char(static_cast<unsigned char>(c)), "room name of path characters");
}

void check_target(std::string_view target) {
  const Route r = roomsim::live::route_target(target);
  const size_t q = target.find('?');
  if (q == std::string_view::npos) {
    require(r.path == target && r.query.empty(), "a target without '?' is all path");
  } else {
    require(r.path == target.substr(0, q) && r.query == target.substr(q + 1), "path '?' query split");
  }
  switch (r.kind) {
    case RouteKind::kRoom:
      check_name(r.room_kind);
      check_name(r.room_id);
      require(r.path.compare(0, 7 + r.room_kind.size() + 1 + r.room_id.size(),
                             "/rooms/" + r.room_kind + "/" + r.room_id) == 0,
              "room names come verbatim from the path");
      break;
    case RouteKind::kBadRoom:
      require(r.path.rfind("/rooms/", 0) == 0 && !r.error.empty(), "a bad room route explains itself");
      break;
    case RouteKind::kStatic:
      if (const auto* file = web_files().find(r.path)) {
        require(r.path == "/" + file->name || (r.path == "/" && file->name == "index.html"),
                "a static file is found under its own name only");
        require(file->name == "index.html" || file->name == "app.js" || file->name == "style.css",
                "only allow-listed files are served");
        require(file->body == file->name, "the file holds what was written");
      }
      break;
    case RouteKind::kNotFound:
      require(r.path.empty() || r.path.front() != '/', "origin-form targets are routed");
      break;
    default:
      break;
  }
  for (const auto& [name, value] : roomsim::live::parse_query(r.query)) {
    require(name.size() <= r.query.size() && value.size() <= r.query.size(), "decoding never grows");
  }
}

void check_request(const uint8_t* data, size_t size) {
  namespace http = boost::beast::http;
  http::request_parser<http::string_body> parser;
  parser.header_limit(8192);   // ServerOptions::max_header_bytes
  parser.body_limit(1u << 20);  // ServerOptions::max_body_bytes
  parser.eager(true);
  boost::beast::error_code ec;
  size_t offset = 0;
  // As http::async_read drives it: after need_more the parser is called again only with more
  // bytes than before (Beast asserts that), and here no more bytes come.
  while (offset < size && !parser.is_done()) {
    const size_t used = parser.put(boost::asio::buffer(data + offset, size - offset), ec);
    offset += used;
    if (ec || used == 0) break;
  }
  if (parser.is_header_done()) {
    const auto target = parser.get().target();
    check_target(std::string_view(target.data(), target.size()));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  check_target(std::string_view(reinterpret_cast<const char*>(data), size));
  check_request(data, size);
  return 0;
}
