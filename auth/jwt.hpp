// auth/jwt.hpp: HS256 JSON Web Tokens (RFC 7519) for both hosts.
//
// Rooms cannot link OpenSSL, so token checks are a host capability
// (RoomContext::verify_token). The simulator and the live server both call
// these functions, so a token minted by `roomsim token` is valid in both.
// Pure functions: the caller passes the current time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace roomsim::auth {

struct TokenClaims {
  std::string sub;   // user id
  std::string name;  // display name (may be empty)
  int64_t exp = 0;   // expiry, seconds since the Unix epoch
  int64_t nbf = 0;   // "nbf": not valid before, seconds since the Unix epoch; 0: no such claim
  std::string room{};  // "room": the one room ("<kind>/<id>") the token is valid in; "": every room
};

// Returns "<header>.<payload>.<signature>", base64url without padding. "nbf"
// and "room" are written only when set, so unscoped tokens stay as they were.
// REQUIRES: sub, name and room are valid UTF-8 (they become JSON strings;
// nlohmann::json::type_error is thrown otherwise).
std::string mint_hs256(std::string_view secret, const TokenClaims& claims);

// Either the claims of a valid token or a reason it was refused ("malformed
// token", "bad signature", "expired", "not valid yet", "missing sub", "missing
// exp", "bad nbf", "bad room", "unsupported alg"). A token is valid while
// nbf <= now < exp (RFC 7519 4.1.4, 4.1.5; no leeway). Does not look at the
// room scope: hosts call verify_for_room.
using VerifyResult = std::variant<TokenClaims, std::string>;
VerifyResult verify_hs256(std::string_view token, std::string_view secret, int64_t now_unix_s);

// What a room host checks (RoomContext::verify_token in both worlds):
// verify_hs256, then the scope: a token with a "room" claim is valid only in
// the room "<room_kind>/<room_id>" ("token is for room <room>" otherwise).
VerifyResult verify_for_room(std::string_view token, std::string_view secret, int64_t now_unix_s,
                             std::string_view room_kind, std::string_view room_id);

std::string base64url_encode(std::string_view bytes);
// Returns false on characters outside the base64url alphabet or a bad length.
bool base64url_decode(std::string_view text, std::string& out);

}  // namespace roomsim::auth
