// rooms/common/admission.cpp: see admission.hpp.
#include "rooms/common/admission.hpp"

#include "rooms/common/planted_bug.hpp"
#include "rooms/common/probe_names.hpp"

namespace roomsim::rooms {

std::string request_token(const HttpRequest& request) {
  if (auto it = request.query.find("token"); it != request.query.end()) return it->second;
  if (auto it = request.headers.find("authorization"); it != request.headers.end()) {
    // credentials = auth-scheme 1*SP token68; the scheme is case-insensitive (RFC 7235 2.1, RFC 6750 2.1).
    const std::string& value = it->second;
    constexpr std::string_view kBearer = "bearer";
    if (value.size() <= kBearer.size() || value[kBearer.size()] != ' ') return "";
    for (size_t i = 0; i < kBearer.size(); ++i) {
      const char c = value[i];
      if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kBearer[i]) return "";
    }
    const size_t start = value.find_first_not_of(' ', kBearer.size());
    return start == std::string::npos ? "" : value.substr(start);
  }
  return "";
}

std::string endpoint_suffix(const RoomContext& ctx, const HttpRequest& request) {
  const std::string base = "/rooms/" + ctx.room_kind() + "/" + ctx.room_id();
  if (request.path.compare(0, base.size(), base) == 0) return request.path.substr(base.size());
  // A host that routes differently: fall back to the last path segment.
  for (const char* known : {"/info", "/history"}) {
    const std::string k = known;
    if (request.path.size() >= k.size() && request.path.compare(request.path.size() - k.size(), k.size(), k) == 0) {
      return k;
    }
  }
  return "";
}

HttpResponse expected_websocket() { return HttpResponse::text(400, "Expected websocket"); }
HttpResponse unauthorized() { return HttpResponse::text(401, "Unauthorized"); }

std::optional<User> authenticate(RoomContext& ctx, const HttpRequest& request, const RoomConfig& config) {
  const std::string token = request_token(request);
  if (token.empty()) return std::nullopt;
  return ctx.verify_token(token, config.secret);
}

Admission admit(RoomContext& ctx, const HttpRequest& request, const RoomConfig& config, AuthMode mode) {
  Admission out;
  std::optional<User> user;
  if (mode != AuthMode::kIgnored) {
    const std::string token = request_token(request);
    const bool required = mode == AuthMode::kRequired && !ROOMSIM_PLANTED(kTokenRequiredForgotten);
    if (!token.empty() || required) {
      user = token.empty() ? std::nullopt : ctx.verify_token(token, config.secret);
      if (!user) {
        ctx.probe(token.empty() ? probe::kTokenMissing : probe::kTokenRefused);
        out.refusal = unauthorized();
        return out;
      }
    }
  }
  if (user) {
    out.attachment.user_id = user->id;
    out.attachment.name = user->name;
    out.attachment.extra["expMs"] = to_unix_ms(user->expires);
  } else if (auto it = request.query.find("user"); it != request.query.end()) {
    out.attachment.user_id = it->second;
    out.attachment.name = it->second;
  }
  const auto sessions = ctx.sessions();
  if (config.max_connections > 0 && static_cast<int64_t>(sessions.size()) >= config.max_connections) {
    ctx.probe(probe::kRoomFull);
    out.refusal = HttpResponse::json(429, R"({"error":"room_full"})");
    return out;
  }
  if (config.max_connections_per_user > 0 && !out.attachment.user_id.empty()) {
    int64_t mine = 0;
    for (SessionId s : sessions) {
      const SessionAttachment* a = ctx.attachment(s);
      if (a != nullptr && (a->user_id == out.attachment.user_id || ROOMSIM_PLANTED(kUserLimitCountsWholeRoom))) ++mine;
    }
    const bool full = ROOMSIM_PLANTED(kUserLimitOffByOne) ? mine > config.max_connections_per_user
                                                          : mine >= config.max_connections_per_user;
    if (full) {
      ctx.probe(probe::kUserFull);
      out.refusal = HttpResponse::json(429, R"({"error":"too_many_connections"})");
      return out;
    }
  }
  out.attachment.joined = ctx.now();
  out.attachment.extra["lastSeenMs"] = to_unix_ms(ctx.now());
  return out;
}

}  // namespace roomsim::rooms
