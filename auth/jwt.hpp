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
};

// Returns "<header>.<payload>.<signature>", base64url without padding.
std::string mint_hs256(std::string_view secret, const TokenClaims& claims);

// Either the claims of a valid token or a reason it was refused ("malformed
// token", "bad signature", "expired", "missing sub", "unsupported alg").
using VerifyResult = std::variant<TokenClaims, std::string>;
VerifyResult verify_hs256(std::string_view token, std::string_view secret, int64_t now_unix_s);

std::string base64url_encode(std::string_view bytes);
// Returns false on characters outside the base64url alphabet or a bad length.
bool base64url_decode(std::string_view text, std::string& out);

}  // namespace roomsim::auth
