// live/http_route.cpp: see http_route.hpp.
#include "live/http_route.hpp"

#include "auth/room_scope.hpp"

namespace roomsim::live {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Route route_target(std::string_view target) {
  Route r;
  const size_t qpos = target.find('?');
  r.path = std::string(target.substr(0, qpos));
  if (qpos != std::string_view::npos) r.query = std::string(target.substr(qpos + 1));
  if (r.path.empty() || r.path.front() != '/') {
    r.kind = RouteKind::kNotFound;
    return r;
  }
  constexpr std::string_view kRooms = "/rooms/";
  if (r.path.compare(0, kRooms.size(), kRooms) == 0) {
    const std::string_view rest = std::string_view(r.path).substr(kRooms.size());
    const size_t slash = rest.find('/');
    const std::string_view kind = rest.substr(0, slash);
    const std::string_view after = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    const std::string_view id = after.substr(0, after.find('/'));
    if (!auth::is_room_name(kind) || !auth::is_room_name(id)) {
      r.kind = RouteKind::kBadRoom;
      r.error = "expected /rooms/<kind>/<id>: kind and id of 1 to " + std::to_string(kRoomNameBytesMax) +
                " URL path characters (letters, digits, -._~!$&'()*+,;=:@%)\n";
      return r;
    }
    r.kind = RouteKind::kRoom;
    r.room_kind = std::string(kind);
    r.room_id = std::string(id);
    return r;
  }
  if (r.path == "/healthz") {
    r.kind = RouteKind::kHealthz;
  } else if (r.path == "/metrics") {
    r.kind = RouteKind::kMetrics;
  } else if (r.path == "/dev/token") {
    r.kind = RouteKind::kDevToken;
  } else {
    r.kind = RouteKind::kStatic;
  }
  return r;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
      continue;
    }
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hex_value(s[i + 1]);
      const int lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

std::map<std::string, std::string> parse_query(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view part = query.substr(0, amp);
    const size_t eq = part.find('=');
    if (!part.empty()) {
      out[percent_decode(part.substr(0, eq))] = eq == std::string_view::npos ? "" : percent_decode(part.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

}  // namespace roomsim::live
