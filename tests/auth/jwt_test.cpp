// Tests for auth/jwt: round trip, tampering, expiry, malformed input, a known RFC 7519-style vector.
#include "auth/jwt.hpp"

#include <gtest/gtest.h>
#include <cstdint>
#include <string>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "auth/room_scope.hpp"

namespace roomsim::auth {
namespace {

TEST(Jwt, MintThenVerifyRoundTrips) {
  const std::string token = mint_hs256("s3cret", {"u1", "Ada", 2000});
  auto result = verify_hs256(token, "s3cret", 1999);
  ASSERT_TRUE(std::holds_alternative<TokenClaims>(result)) << std::get<std::string>(result);
  EXPECT_EQ(std::get<TokenClaims>(result).sub, "u1");
  EXPECT_EQ(std::get<TokenClaims>(result).name, "Ada");
  EXPECT_EQ(std::get<TokenClaims>(result).exp, 2000);
}

TEST(Jwt, RefusesWrongSecretExpiredAndTampered) {
  const std::string token = mint_hs256("s3cret", {"u1", "Ada", 2000});
  EXPECT_EQ(std::get<std::string>(verify_hs256(token, "other", 1)), "bad signature");
  EXPECT_EQ(std::get<std::string>(verify_hs256(token, "s3cret", 2000)), "expired");
  std::string tampered = token;
  tampered[tampered.find('.') + 3] ^= 1;
  EXPECT_FALSE(std::holds_alternative<TokenClaims>(verify_hs256(tampered, "s3cret", 1)));
}

TEST(Jwt, RefusesMalformedTokens) {
  for (const char* bad : {"", "abc", "a.b", "a.b.c.d", "!!.??.**", "e30.e30.", "e30.e30.e30"}) {
    EXPECT_FALSE(std::holds_alternative<TokenClaims>(verify_hs256(bad, "k", 0))) << bad;
  }
}

// The signature of the jwt.io example token (secret "your-256-bit-secret") checks out,
// which pins our HMAC and base64url against an independent implementation.
TEST(Jwt, VerifiesIndependentlyMintedSignature) {
  const std::string token =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
      "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
  // That token has no exp, so it is refused for that reason and not for its signature.
  EXPECT_EQ(std::get<std::string>(verify_hs256(token, "your-256-bit-secret", 0)), "missing exp");
  EXPECT_EQ(std::get<std::string>(verify_hs256(token, "wrong", 0)), "bad signature");
}

// RFC 7519 4.1.5: a token must not be accepted before its "nbf" (issue 15: it was).
TEST(Jwt, RefusesATokenBeforeItsNotBefore) {
  TokenClaims claims{"u1", "Ada", 2000};
  claims.nbf = 1500;
  const std::string token = mint_hs256("k", claims);
  EXPECT_EQ(std::get<std::string>(verify_hs256(token, "k", 1499)), "not valid yet");
  auto ok = verify_hs256(token, "k", 1500);
  ASSERT_TRUE(std::holds_alternative<TokenClaims>(ok)) << std::get<std::string>(ok);
  EXPECT_EQ(std::get<TokenClaims>(ok).nbf, 1500);
}

// Builds a signed token from a raw payload, for claims mint_hs256 never writes.
std::string sign_payload(const std::string& secret, const std::string& payload_json);

TEST(Jwt, RefusesMistypedNotBeforeAndRoomClaims) {
  EXPECT_EQ(std::get<std::string>(verify_hs256(sign_payload("k", R"({"sub":"u","exp":99,"nbf":"1"})"), "k", 1)),
            "bad nbf");
  EXPECT_EQ(std::get<std::string>(verify_hs256(sign_payload("k", R"({"sub":"u","exp":99,"nbf":1.5})"), "k", 1)),
            "bad nbf");
  EXPECT_EQ(std::get<std::string>(verify_hs256(sign_payload("k", R"({"sub":"u","exp":99,"room":7})"), "k", 1)),
            "bad room");
  EXPECT_EQ(std::get<std::string>(verify_hs256(sign_payload("k", R"({"sub":"u","exp":99,"room":""})"), "k", 1)),
            "bad room");
}

// Times above INT64_MAX are the far future, not (wrapped) the distant past: an nbf of
// 2^63 or 2^64-1 was accepted (issue 15 review), and an exp there must still be valid.
TEST(Jwt, ClaimTimesBeyondInt64AreTheFarFuture) {
  for (const char* nbf : {"9223372036854775808", "18446744073709551615"}) {
    const std::string payload = std::string(R"({"sub":"u","exp":99,"nbf":)") + nbf + "}";
    const VerifyResult r = verify_hs256(sign_payload("k", payload), "k", 1);
    ASSERT_TRUE(std::holds_alternative<std::string>(r)) << "nbf " << nbf << " accepted";
    EXPECT_EQ(std::get<std::string>(r), "not valid yet");
  }
  const VerifyResult far = verify_hs256(sign_payload("k", R"({"sub":"u","exp":18446744073709551615})"), "k", 1);
  ASSERT_TRUE(std::holds_alternative<TokenClaims>(far)) << std::get<std::string>(far);
  EXPECT_EQ(std::get<TokenClaims>(far).exp, INT64_MAX);
}

TEST(RoomScope, NamesAreUrlPathCharactersAndScopesAreKindSlashId) {
  EXPECT_TRUE(is_room_scope("chat/lobby"));
  EXPECT_TRUE(is_room_scope("chat/a:b"));
  EXPECT_TRUE(is_room_scope("chat/a%3Ab"));
  for (const char* bad : {"", "chat", "/lobby", "chat/", "chat/a b", "chat/a/b", "nonsense", "chat/\\x", "ch\tat/x"}) {
    EXPECT_FALSE(is_room_scope(bad)) << bad;
  }
  EXPECT_TRUE(is_room_name(std::string(kRoomNameBytesMax, 'a')));
  EXPECT_FALSE(is_room_name(std::string(kRoomNameBytesMax + 1, 'a')));
}

TEST(Jwt, ARoomScopedTokenIsValidOnlyInItsRoom) {
  TokenClaims claims{"u1", "Ada", 2000};
  claims.room = "chat/lobby";
  const std::string scoped = mint_hs256("k", claims);
  auto here = verify_for_room(scoped, "k", 1, "chat", "lobby");
  ASSERT_TRUE(std::holds_alternative<TokenClaims>(here)) << std::get<std::string>(here);
  EXPECT_EQ(std::get<TokenClaims>(here).room, "chat/lobby");
  EXPECT_EQ(std::get<std::string>(verify_for_room(scoped, "k", 1, "chat", "other")), "token is for room chat/lobby");
  EXPECT_EQ(std::get<std::string>(verify_for_room(scoped, "k", 1, "broadcast", "lobby")),
            "token is for room chat/lobby");
  EXPECT_EQ(std::get<std::string>(verify_for_room(scoped, "k", 1, "chat/lobby", "")), "token is for room chat/lobby");
  EXPECT_EQ(std::get<std::string>(verify_for_room(scoped, "k", 1, "chat", "lobby/")), "token is for room chat/lobby");
  EXPECT_EQ(std::get<std::string>(verify_for_room(scoped, "k", 1, "cha", "t/lobby")), "token is for room chat/lobby");
  // Unscoped tokens keep working everywhere, and mint them exactly as before (no new claims).
  const std::string unscoped = mint_hs256("k", {"u1", "Ada", 2000});
  EXPECT_TRUE(std::holds_alternative<TokenClaims>(verify_for_room(unscoped, "k", 1, "chat", "anything")));
  std::string payload;
  ASSERT_TRUE(base64url_decode(unscoped.substr(unscoped.find('.') + 1, unscoped.rfind('.') - unscoped.find('.') - 1),
                               payload));
  EXPECT_EQ(payload, R"({"exp":2000,"name":"Ada","sub":"u1"})");
  // The scope never rescues a token that fails on its own.
  EXPECT_EQ(std::get<std::string>(verify_for_room(scoped, "k", 2000, "chat", "lobby")), "expired");
}

// auth's own HMAC (over EVP SHA-256) agrees with OpenSSL's HMAC() for keys shorter than,
// equal to and longer than the 64-byte block (longer keys are hashed first, RFC 2104).
TEST(Jwt, SignaturesMatchOpenSslHmacForEveryKeyLength) {
  for (size_t key_len = 0; key_len <= 130; ++key_len) {
    std::string key;
    for (size_t i = 0; i < key_len; ++i) key += static_cast<char>('a' + i % 26 + (i % 3 == 0 ? 128 : 0));
    const std::string token = mint_hs256(key, {"u1", "Ada", 2000});
    const std::string body = token.substr(0, token.rfind('.'));
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(body.data()),
         body.size(), mac, &mac_len);
    EXPECT_EQ(token.substr(token.rfind('.') + 1),
              base64url_encode(std::string(reinterpret_cast<const char*>(mac), mac_len)))
        << "key length " << key_len;
  }
}

TEST(Base64Url, RoundTripsAllLengths) {
  std::string bytes;
  for (int i = 0; i < 40; ++i) {
    std::string decoded;
    ASSERT_TRUE(base64url_decode(base64url_encode(bytes), decoded));
    EXPECT_EQ(decoded, bytes);
    bytes += static_cast<char>(i * 37);
  }
}

std::string sign_payload(const std::string& secret, const std::string& payload_json) {
  const std::string body = base64url_encode(R"({"alg":"HS256","typ":"JWT"})") + "." + base64url_encode(payload_json);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(body.data()),
       body.size(), mac, &mac_len);
  return body + "." + base64url_encode(std::string(reinterpret_cast<const char*>(mac), mac_len));
}

}  // namespace
}  // namespace roomsim::auth
