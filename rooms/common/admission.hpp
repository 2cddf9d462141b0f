// rooms/common/admission.hpp: deciding whether an HTTP request becomes a session.
//
// Shared by every room kind: where the token is read from, how it is checked,
// the connection limits, and which endpoint below /rooms/<kind>/<id> a request
// names. Answers follow docs/protocol.md: 400 "Expected websocket", 401
// "Unauthorized", 429 {"error":"room_full"} / {"error":"too_many_connections"}.
#pragma once

#include <optional>
#include <string>

#include "rooms/api/http.hpp"
#include "rooms/api/room_context.hpp"
#include "rooms/common/room_config.hpp"

namespace roomsim::rooms {

enum class AuthMode {
  kRequired,  // no valid token: 401
  kOptional,  // no token: anonymous; a token that is present must be valid (401 otherwise)
  kIgnored,   // tokens are not looked at (seed rooms without auth)
};

// The token from "?token=" or "Authorization: Bearer <token>" (the scheme in
// any case, one or more spaces before the token); "" when absent.
std::string request_token(const HttpRequest& request);

// The part of the path after /rooms/<kind>/<id> ("" , "/info", "/history").
std::string endpoint_suffix(const RoomContext& ctx, const HttpRequest& request);

struct Admission {
  std::optional<HttpResponse> refusal;  // set: answer this and do not accept
  SessionAttachment attachment;         // user id/name, joined = now, extra.lastSeenMs, extra.expMs
};

// Checks the token (per `mode`) and the connection limits of `config`.
// Anonymous sessions take their user id from "?user=" (may be empty: then the
// per-user limit does not apply to them).
Admission admit(RoomContext& ctx, const HttpRequest& request, const RoomConfig& config, AuthMode mode);

// Authenticates a plain HTTP request (room endpoints); nullopt when refused.
std::optional<User> authenticate(RoomContext& ctx, const HttpRequest& request, const RoomConfig& config);

HttpResponse expected_websocket();
HttpResponse unauthorized();

}  // namespace roomsim::rooms
