// Tests for properties/history_jsonl: round trip, the exact line format, and
// garbage input answered with a line-numbered error instead of a crash.
#include "properties/history_jsonl.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "engine/rng.hpp"
#include "tests/labels.hpp"
#include "tests/properties/history_builder.hpp"

namespace roomsim::properties {
namespace {

using testing::HistoryBuilder;

std::string to_jsonl(const History& h) {
  std::ostringstream out;
  write_history_jsonl(h, out);
  return out.str();
}

std::string read_error(const std::string& text) {
  std::istringstream in(text);
  auto result = read_history_jsonl(in, "history.jsonl");
  if (auto* err = std::get_if<std::string>(&result)) return *err;
  return "(no error)";
}

TEST(HistoryJsonl, WritesOnlyNonDefaultFieldsWithNames) {
  HistoryBuilder b;
  b.receive(12'503, "c17", 4, "chat/r3", "c2", "m1", "p", 42, 1);
  const std::string text = to_jsonl(b.history());
  char msg[20];
  std::snprintf(msg, sizeof msg, "%016llx", static_cast<unsigned long long>(fnv1a64("m1")));
  char digest[20];
  std::snprintf(digest, sizeof digest, "%016llx", static_cast<unsigned long long>(fnv1a64("p")));
  EXPECT_EQ(text, std::string("{\"history\":1,\"events\":1}\n") +
                      "{\"t_ns\":12503000000,\"kind\":\"receive\",\"client\":\"c17\",\"conn\":4,\"room\":\"chat/r3\","
                      "\"sender\":\"c2\",\"msg\":\"" + msg + "\",\"digest\":\"" + digest +
                      "\",\"seq\":42,\"epoch\":1}\n");
}

TEST(HistoryJsonl, RoundTripsEveryKindAndField) {
  HistoryBuilder b;
  for (int k = 0; k <= static_cast<int>(EventKind::kSubscribe); ++k) {
    b.add(static_cast<EventKind>(k), k, roomsim::testing::label("c", k), static_cast<uint64_t>(k), "room \"quoted\"\n");
    Event& e = b.last();
    e.user = b.history().intern("u\xc3\xa9");
    e.session = b.history().intern("s1");
    e.sender = b.history().intern("c0");
    e.target = b.history().intern("team");
    e.channel = b.history().intern("sub");
    e.text = b.history().intern("a,b");
    e.msg = ~0ULL - static_cast<uint64_t>(k);
    e.digest = static_cast<uint64_t>(k) << 60;
    e.seq = k % 2 ? -1 : k * 1000;
    e.epoch = k;
    e.value = -k;
    e.code = k % 3 ? 101 : -5;
  }
  const History& original = b.history();
  std::istringstream in(to_jsonl(original));
  auto result = read_history_jsonl(in);
  ASSERT_TRUE(std::holds_alternative<History>(result)) << std::get<std::string>(result);
  const History& back = std::get<History>(result);
  ASSERT_EQ(back.size(), original.size());
  for (size_t i = 0; i < back.size(); ++i) {
    const Event& x = original.events()[i];
    const Event& y = back.events()[i];
    EXPECT_EQ(x.t_ns, y.t_ns);
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(original.name(x.client), back.name(y.client));
    EXPECT_EQ(original.name(x.room), back.name(y.room));
    EXPECT_EQ(original.name(x.user), back.name(y.user));
    EXPECT_EQ(original.name(x.text), back.name(y.text));
    EXPECT_EQ(original.name(x.channel), back.name(y.channel));
    EXPECT_EQ(x.msg, y.msg);
    EXPECT_EQ(x.digest, y.digest);
    EXPECT_EQ(x.conn, y.conn);
    EXPECT_EQ(x.seq, y.seq);
    EXPECT_EQ(x.epoch, y.epoch);
    EXPECT_EQ(x.value, y.value);
    EXPECT_EQ(x.code, y.code);
  }
  EXPECT_EQ(to_jsonl(back), to_jsonl(original));
}

TEST(HistoryJsonl, HeaderIsOptionalAndBlankLinesAreSkipped) {
  std::istringstream in("\n{\"t_ns\":1,\"kind\":\"send\",\"msg\":\"ff\"}\n\n{\"t_ns\":1,\"kind\":\"phase\",\"text\":\"end\"}\n");
  auto result = read_history_jsonl(in);
  ASSERT_TRUE(std::holds_alternative<History>(result)) << std::get<std::string>(result);
  EXPECT_EQ(std::get<History>(result).size(), 2u);
  EXPECT_EQ(std::get<History>(result).events()[0].msg, 255u);
}

TEST(HistoryJsonl, BadInputNamesLineAndField) {
  const std::string ok = "{\"t_ns\":1,\"kind\":\"send\"}\n";
  EXPECT_EQ(read_error(ok + ok + "{\"t_ns\":2,\"kind\":\"ack\",\"seq\":\"x\"}\n"),
            "history.jsonl:3: field \"seq\": expected an integer, got \"x\"");
  EXPECT_EQ(read_error("{\"t_ns\":1,\"kind\":\"teleport\"}"),
            "history.jsonl:1: field \"kind\": expected an event kind name such as \"send\" or \"receive\", got "
            "\"teleport\"");
  EXPECT_EQ(read_error("{\"kind\":\"send\"}"), "history.jsonl:1: field \"t_ns\": missing");
  EXPECT_EQ(read_error("{\"t_ns\":1}"), "history.jsonl:1: field \"kind\": missing");
  EXPECT_EQ(read_error("{\"t_ns\":1,\"kind\":\"send\",\"colour\":1}").substr(0, 46),
            "history.jsonl:1: field \"colour\": unknown field");
  EXPECT_EQ(read_error("{\"t_ns\":1,\"kind\":\"send\",\"conn\":-3}"),
            "history.jsonl:1: field \"conn\": expected a non-negative integer, got -3");
  EXPECT_EQ(read_error("{\"t_ns\":1,\"kind\":\"send\",\"msg\":\"xyz\"}"),
            "history.jsonl:1: field \"msg\": expected 16 hex digits, got \"xyz\"");
  EXPECT_EQ(read_error("{\"t_ns\":1,\"kind\":\"send\",\"code\":99999999999}"),
            "history.jsonl:1: field \"code\": expected a 32-bit integer, got 99999999999");
  EXPECT_EQ(read_error("{\"t_ns\":1,\"kind\":\"send\",\"client\":7}"),
            "history.jsonl:1: field \"client\": expected a string, got 7");
  EXPECT_EQ(read_error("{\"t_ns\":5,\"kind\":\"send\"}\n{\"t_ns\":4,\"kind\":\"send\"}"),
            "history.jsonl:2: field \"t_ns\": 4 is before the previous event's 5 (events must be in time order)");
  EXPECT_EQ(read_error("{\"history\":2}"), "history.jsonl:1: field \"history\": expected version 1, got 2");
  EXPECT_EQ(read_error(ok + "{\"history\":1}"),
            "history.jsonl:2: field \"history\": the header must be the first line");
  EXPECT_EQ(read_error("{\"history\":1,\"events\":2}\n" + ok),
            "history.jsonl:1: field \"events\": the header declares 2 events but the file has 1 (truncated?)");
  EXPECT_EQ(read_error("[1,2]"), "history.jsonl:1: expected a JSON object, got [1,2]");
  EXPECT_EQ(read_error(ok + "{\"t_ns\":1,\"ki").substr(0, 33), "history.jsonl:2: not valid JSON: ");
}

// Issue 15: a key given twice used to keep the last value silently; nesting 70,000 deep used to crash the
// error message (a recursive dump()).
TEST(HistoryJsonl, DuplicateKeysAndDeepNestingAreErrorsWithTheirPath) {
  EXPECT_EQ(read_error("{\"t_ns\":1,\"kind\":\"send\",\"conn\":1,\"conn\":2}"),
            "history.jsonl:1: /conn: duplicate key \"conn\"");
  EXPECT_EQ(read_error("{\"history\":1,\"events\":0,\"events\":1}"),
            "history.jsonl:1: /events: duplicate key \"events\"");
  const std::string deep = std::string(70'000, '[') + std::string(70'000, ']');
  const std::string e = read_error("{\"t_ns\":1,\"kind\":\"send\",\"text\":" + deep + "}");
  EXPECT_EQ(e.rfind("history.jsonl:1: /text/0/0/", 0), 0u) << e.substr(0, 100);
  EXPECT_NE(e.find(": nested deeper than 64 levels of arrays and objects"), std::string::npos);
  EXPECT_EQ(read_error(deep).rfind("history.jsonl:1: /0/0/", 0), 0u);
}

TEST(HistoryJsonl, ADirectoryIsAnErrorNotAnEmptyHistory) {
  const std::string dir = ::testing::TempDir();
  auto result = read_history_jsonl(dir);
  ASSERT_TRUE(std::holds_alternative<std::string>(result));
  EXPECT_EQ(std::get<std::string>(result), dir + ": is a directory, expected a history JSONL file");
}

TEST(HistoryJsonl, GarbageNeverCrashes) {
  Rng rng(7);
  const std::string alphabet = "{}[]\":,0123456789-.eE tnrufalsxyz\\\n\x01\xff";
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const auto len = rng.uniform_below(200);
    for (uint64_t i = 0; i < len; ++i) text += alphabet[rng.uniform_below(alphabet.size())];
    if (round % 3 == 0) text = "{\"t_ns\":1,\"kind\":\"send\"," + text;
    std::istringstream in(text);
    auto result = read_history_jsonl(in, "g.jsonl");
    if (auto* err = std::get_if<std::string>(&result)) {
      EXPECT_EQ(err->rfind("g.jsonl:", 0), 0u) << *err;
    }
  }
}

TEST(HistoryJsonl, MissingFileIsAnError) {
  auto result = read_history_jsonl(std::string("/nonexistent/dir/h.jsonl"));
  ASSERT_TRUE(std::holds_alternative<std::string>(result));
  EXPECT_EQ(std::get<std::string>(result), "/nonexistent/dir/h.jsonl: cannot open for reading");
}

}  // namespace
}  // namespace roomsim::properties
