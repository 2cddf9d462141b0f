// tests/fuzz/token_fuzz.cpp: libFuzzer target for token verification
// (auth/jwt.hpp), as both hosts run it behind RoomContext::verify_token.
//
// The bytes are (1) a token verified with and without a room scope, (2) bytes
// for base64url, and (3) split into claims that are minted and verified back.
// Invariants (abort on violation): an accepted token has a sub, nbf <= now <
// exp, and a room claim that is empty or the room asked for; a scope check
// only ever refuses more; another secret never verifies; base64url decodes
// what it encodes; a minted token verifies to the claims it was minted from.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "auth/jwt.hpp"
#include "live/ws_frame.hpp"

namespace {

namespace auth = roomsim::auth;

constexpr int64_t kNow = 1'700'000'000;

void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "token_fuzz: invariant broken: %s\n", what);
  std::abort();
}

void check_verify(std::string_view token) {
  const auth::VerifyResult plain = auth::verify_hs256(token, "k", kNow);
  const auth::VerifyResult scoped = auth::verify_for_room(token, "k", kNow, "chat", "lobby");
  if (const auto* c = std::get_if<auth::TokenClaims>(&plain)) {
    require(!c->sub.empty(), "accepted tokens have a sub");
    require(c->exp > kNow, "accepted tokens are not expired");
    require(c->nbf <= kNow, "accepted tokens are past their nbf");
  }
  if (const auto* c = std::get_if<auth::TokenClaims>(&scoped)) {
    require(std::holds_alternative<auth::TokenClaims>(plain), "the scope only refuses more");
    require(c->room.empty() || c->room == "chat/lobby", "a scoped token opens only its room");
  }
}

// Splits `bytes` at the first two NULs into sub, name and room.
auth::TokenClaims claims_from(std::string_view bytes, uint8_t selector) {
  auth::TokenClaims c;
  const size_t a = bytes.find('\0');
  c.sub = std::string(bytes.substr(0, a));
  if (a != std::string_view::npos) {
    const std::string_view rest = bytes.substr(a + 1);
    const size_t b = rest.find('\0');
    c.name = std::string(rest.substr(0, b));
    if (b != std::string_view::npos) c.room = std::string(rest.substr(b + 1));
  }
  c.exp = kNow + 1 + selector;
  c.nbf = (selector & 1) != 0 ? kNow - selector : 0;
  return c;
}

void check_mint(std::string_view bytes, uint8_t selector) {
  const auth::TokenClaims claims = claims_from(bytes, selector);
  const bool utf8 = roomsim::live::is_valid_utf8(claims.sub) && roomsim::live::is_valid_utf8(claims.name) &&
                    roomsim::live::is_valid_utf8(claims.room);
  std::string token;
  try {
    token = auth::mint_hs256("k", claims);
  } catch (const nlohmann::json::type_error&) {
    require(!utf8, "minting throws only for claims that are not UTF-8 (the documented REQUIRES)");
    return;
  }
  require(utf8, "claims that are not UTF-8 cannot be minted silently");
  const auth::VerifyResult back = auth::verify_hs256(token, "k", kNow);
  const auto* c = std::get_if<auth::TokenClaims>(&back);
  if (claims.sub.empty()) {
    require(c == nullptr, "a token without sub is refused");
    return;
  }
  require(c != nullptr, "a minted token verifies");
  require(c->sub == claims.sub && c->name == claims.name && c->exp == claims.exp && c->nbf == claims.nbf &&
              c->room == claims.room,
          "claims round-trip");
  require(!std::holds_alternative<auth::TokenClaims>(auth::verify_hs256(token, "k2", kNow)),
          "another secret never verifies");
}

void check_base64(std::string_view bytes) {
  std::string decoded;
  require(auth::base64url_decode(auth::base64url_encode(bytes), decoded) && decoded == bytes,
          "base64url decodes what it encodes");
  (void)auth::base64url_decode(bytes, decoded);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  check_verify(bytes);
  check_base64(bytes);
  if (size > 0) check_mint(bytes.substr(1), data[0]);
  return 0;
}
