// tests/rooms/json_limits_test.cpp: the bounded JSON reader (issue 15): depth
// limits by text and by value, duplicate keys with their JSON path, syntax
// errors, and inputs deep enough to overflow any recursive code.
#include <gtest/gtest.h>

#include <string>

#include "rooms/protocol/json_limits.hpp"

namespace roomsim::rooms::protocol {
namespace {

using nlohmann::json;

std::string nested_arrays(size_t levels) { return std::string(levels, '[') + std::string(levels, ']'); }

JsonError error_of(std::string_view text, size_t max_depth = kJsonDepthMax) {
  auto r = parse_json_strict(text, max_depth);
  EXPECT_TRUE(std::holds_alternative<JsonError>(r)) << text.substr(0, 80);
  return std::holds_alternative<JsonError>(r) ? std::get<JsonError>(r) : JsonError{};
}

TEST(JsonLimits, TextDepthCountsBracketsOutsideStrings) {
  EXPECT_TRUE(json_text_depth_within("1", 0));
  EXPECT_FALSE(json_text_depth_within("[]", 0));
  EXPECT_TRUE(json_text_depth_within("[]", 1));
  EXPECT_TRUE(json_text_depth_within(R"({"a":[1,{"b":2}]})", 3));
  EXPECT_FALSE(json_text_depth_within(R"({"a":[1,{"b":2}]})", 2));
  // Brackets inside strings, escaped quotes included, do not count.
  EXPECT_TRUE(json_text_depth_within(R"(["[[[[", "\"[[[[", "\\"])", 1));
  EXPECT_TRUE(json_text_depth_within(nested_arrays(kJsonDepthMax)));
  EXPECT_FALSE(json_text_depth_within(nested_arrays(kJsonDepthMax + 1)));
  EXPECT_FALSE(json_text_depth_within(nested_arrays(70'000)));
  // Siblings do not add up.
  EXPECT_TRUE(json_text_depth_within("[[1],[2],[3],[4]]", 2));
}

TEST(JsonLimits, StrictParseAcceptsOrdinaryDocuments) {
  const auto r = parse_json_strict(R"({"a": [1, 2, {"b": null}], "c": "x"})");
  ASSERT_TRUE(std::holds_alternative<json>(r));
  EXPECT_EQ(std::get<json>(r), json::parse(R"({"a": [1, 2, {"b": null}], "c": "x"})"));
  // The same key in different objects is fine.
  EXPECT_TRUE(std::holds_alternative<json>(parse_json_strict(R"([{"k": 1}, {"k": 2}, {"o": {"k": 3}}])")));
  EXPECT_TRUE(std::holds_alternative<json>(parse_json_strict(nested_arrays(kJsonDepthMax))));
  EXPECT_TRUE(std::holds_alternative<json>(parse_json_strict("7")));
}

TEST(JsonLimits, DuplicateKeysAreRefusedWithTheirPath) {
  JsonError e = error_of(R"({"faults": [], "name": "x", "faults": [1]})");
  EXPECT_EQ(e.path, "/faults");
  EXPECT_EQ(e.message, "duplicate key \"faults\"");
  e = error_of(R"({"rooms": [{"id": "a"}, {"id": "b", "config": {"k": 1, "k": 2}}]})");
  EXPECT_EQ(e.path, "/rooms/1/config/k");
  // RFC 6901 escaping of '~' and '/' in the key.
  e = error_of(R"({"a/b~c": 1, "a/b~c": 2})");
  EXPECT_EQ(e.path, "/a~1b~0c");
}

TEST(JsonLimits, DeepDocumentsAreRefusedWhereTheyGetTooDeep) {
  JsonError e = error_of(R"({"a": [[[1]]]})", 3);
  EXPECT_EQ(e.path, "/a/0/0");
  EXPECT_EQ(e.message, "nested deeper than 3 levels of arrays and objects");
  e = error_of(R"([0, 1, {"x": [5, {"y": {}}]}])", 4);
  EXPECT_EQ(e.path, "/2/x/1/y");
  // About 200 KB nested 70,000 deep: refused without recursing (this test would crash otherwise).
  e = error_of(nested_arrays(70'000));
  EXPECT_EQ(e.path.size(), 2 * kJsonDepthMax);  // "/0" per enclosing level
  std::string unbalanced = nested_arrays(70'000);
  unbalanced += ']';  // not JSON either: the depth is what the parse meets first
  EXPECT_EQ(error_of(unbalanced).message, "nested deeper than 64 levels of arrays and objects");
}

TEST(JsonLimits, SyntaxErrorsHaveNoPath) {
  const JsonError e = error_of(R"({"a": )");
  EXPECT_EQ(e.path, "");
  EXPECT_EQ(e.message.rfind("not valid JSON: ", 0), 0u) << e.message;
  EXPECT_EQ(error_of("\xff").path, "");
  EXPECT_EQ(error_of("").path, "");
  // Found by tests/fuzz/strict_json_fuzz: the lexer ended the input at a NUL,
  // so "5\0[[[" parsed as 5 and the rest was silently dropped.
  const JsonError nul = error_of(std::string("5\0[[[", 5));
  EXPECT_EQ(nul.path, "");
  EXPECT_EQ(nul.message, "not valid JSON: a NUL byte at offset 1");
}

TEST(JsonLimits, ValuesInMemoryAreMeasuredWithoutRecursion) {
  EXPECT_FALSE(find_json_too_deep(json::parse(R"({"a": [1, {"b": []}]})"), 4));
  const auto e = find_json_too_deep(json::parse(R"({"a": [1, {"b": []}]})"), 3);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->path, "/a/1/b");
  json v = 0;
  for (int i = 0; i < 70'000; ++i) {  // moves, never copies (a copy recurses)
    json outer = json::object();
    outer["k"] = std::move(v);
    v = std::move(outer);
  }
  const auto deep = find_json_too_deep(v);
  ASSERT_TRUE(deep);
  EXPECT_EQ(deep->path.size(), 2 * kJsonDepthMax);  // "/k" per enclosing level
}

TEST(JsonLimits, PointerChildren) {
  EXPECT_EQ(json_pointer_child("", "a"), "/a");
  EXPECT_EQ(json_pointer_child("/a", size_t{3}), "/a/3");
  EXPECT_EQ(json_pointer_child("", "x/y~z"), "/x~1y~0z");
}

}  // namespace
}  // namespace roomsim::rooms::protocol
