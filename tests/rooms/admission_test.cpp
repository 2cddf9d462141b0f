// tests/rooms/admission_test.cpp: where request_token finds a token (query or
// Authorization header) and how strictly it reads the header.
#include <gtest/gtest.h>

#include "rooms/common/admission.hpp"

namespace roomsim::rooms {
namespace {

std::string token_from_header(const std::string& value) {
  HttpRequest request;
  request.headers["authorization"] = value;
  return request_token(request);
}

// RFC 7235 2.1: the auth-scheme is case-insensitive (issue 15: "bearer" was refused).
TEST(RequestToken, ReadsTheBearerSchemeInAnyCase) {
  EXPECT_EQ(token_from_header("Bearer abc.def.ghi"), "abc.def.ghi");
  EXPECT_EQ(token_from_header("bearer abc.def.ghi"), "abc.def.ghi");
  EXPECT_EQ(token_from_header("BEARER abc.def.ghi"), "abc.def.ghi");
  EXPECT_EQ(token_from_header("bEaReR   abc.def.ghi"), "abc.def.ghi");
}

TEST(RequestToken, IgnoresOtherSchemesAndMalformedHeaders) {
  for (const char* value : {"", "Bearer", "Bearer ", "Bearer   ", "Bearerabc", "Basic dXNlcjpwdw==", "Bear abc",
                            "Bearer\tabc", " Bearer abc", "Bearér abc"}) {
    EXPECT_EQ(token_from_header(value), "") << value;
  }
}

TEST(RequestToken, TheQueryParameterComesFirst) {
  HttpRequest request;
  request.query["token"] = "from-query";
  request.headers["authorization"] = "bearer from-header";
  EXPECT_EQ(request_token(request), "from-query");
}

}  // namespace
}  // namespace roomsim::rooms
