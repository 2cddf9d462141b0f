// tests/netsim/json_scan_test.cpp: the JSON span scanner the client agents use
// to take history frames apart: exact spans for valid JSON (strings with
// brackets, quotes and escapes, nesting), false for anything else.
#include "netsim/json_scan.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <nlohmann/json.hpp>

namespace roomsim::netsim {
namespace {

std::string member(std::string_view text, std::string_view key) {
  size_t b = 0, e = 0;
  if (!json_member_span(text, key, b, e)) return "<none>";
  return std::string(text.substr(b, e - b));
}

TEST(JsonScan, FindsTopLevelMembersOnly) {
  const std::string t = R"({"type":"history","x":{"messages":[9]},"messages":[{"a":"]}\"["},2] , "seq":7})";
  EXPECT_EQ(member(t, "messages"), R"([{"a":"]}\"["},2])");
  EXPECT_EQ(member(t, "seq"), "7");
  EXPECT_EQ(member(t, "type"), R"("history")");
  EXPECT_EQ(member(t, "missing"), "<none>");
  EXPECT_EQ(member(R"({"messages":[],"messages":[1]})", "messages"), "<none>") << "a repeated key is left to the parser";
  EXPECT_EQ(member(R"( { "messages" : [ 1 ] } )", "messages"), "[ 1 ]");
}

TEST(JsonScan, RejectsWhatIsNotAWellFormedObjectOrArray) {
  for (const char* bad : {"", "[]", "{", "{}", R"({"messages":[1})", R"({"messages":[1]} x)", R"({"messages" [1]})",
                          R"({"messages":[1],})", R"({"messages":[1]]})", R"({"a":"unterminated)", R"({"messages":})"}) {
    EXPECT_EQ(member(bad, "messages"), "<none>") << bad;
  }
  std::vector<std::string_view> items;
  for (const char* bad : {"", "[", "[1,]", "[1 2]", "[1]]", "[[1]", "[1],", "{}", R"(["a)", "[}"}) {
    EXPECT_FALSE(json_array_elements(bad, items)) << bad;
  }
}

TEST(JsonScan, SplitsArrayElements) {
  std::vector<std::string_view> items;
  ASSERT_TRUE(json_array_elements(R"([ {"a":[1,{"b":"}"}]} , "s\\\"]" ,3, [] ,null])", items));
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[0], R"({"a":[1,{"b":"}"}]})");
  EXPECT_EQ(items[1], R"("s\\\"]")");
  EXPECT_EQ(items[2], "3");
  EXPECT_EQ(items[3], "[]");
  EXPECT_EQ(items[4], "null");
  ASSERT_TRUE(json_array_elements(" [ ] ", items));
  EXPECT_TRUE(items.empty());
}

// For any JSON array of values, the scanner's elements are exactly the texts
// nlohmann writes for each element.
RC_GTEST_PROP(JsonScan, ElementsOfAnyDumpedArrayMatchEachElementsDump, (const std::vector<std::string>& strings,
                                                                        const std::vector<int>& numbers)) {
  nlohmann::json array = nlohmann::json::array();
  for (size_t i = 0; i < strings.size(); ++i) {
    nlohmann::json item = {{"s", strings[i]}, {"n", i < numbers.size() ? numbers[i] : 0}, {"l", {strings[i], {{"x", "]"}}}}};
    array.push_back(i % 2 == 0 ? item : nlohmann::json(strings[i]));
  }
  for (int n : numbers) array.push_back(n);
  // Arbitrary bytes: written with U+FFFD for invalid UTF-8, as rooms never send it raw.
  constexpr auto kReplace = nlohmann::json::error_handler_t::replace;
  const std::string text = nlohmann::json{{"type", "history"}, {"messages", array}}.dump(-1, ' ', false, kReplace);
  size_t b = 0, e = 0;
  RC_ASSERT(json_member_span(text, "messages", b, e));
  std::vector<std::string_view> items;
  RC_ASSERT(json_array_elements(std::string_view(text).substr(b, e - b), items));
  RC_ASSERT(items.size() == array.size());
  for (size_t i = 0; i < items.size(); ++i) RC_ASSERT(std::string(items[i]) == array[i].dump(-1, ' ', false, kReplace));
}

}  // namespace
}  // namespace roomsim::netsim
