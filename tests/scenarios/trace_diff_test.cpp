// tests/scenarios/trace_diff_test.cpp: the first differing trace line, with context.
#include <gtest/gtest.h>

#include <sstream>

#include "scenarios/trace_diff.hpp"

namespace roomsim::scenarios {
namespace {

TEST(TraceDiff, IdenticalTraces) {
  std::istringstream a("l1\nl2\n");
  std::istringstream b("l1\nl2\n");
  const TraceDiff d = diff_traces(a, b);
  EXPECT_TRUE(d.identical);
  EXPECT_EQ(d.lines_a, 2u);
  EXPECT_EQ(format_trace_diff(d, "a", "b"), "traces identical: 2 lines\n");
}

TEST(TraceDiff, FirstDifferenceWithContext) {
  std::istringstream a("l1\nl2\nl3\n{\"i\":3,\"t_ns\":5,\"kind\":\"send\",\"fields\":\"c=x\"}\nl5\n");
  std::istringstream b("l1\nl2\nl3\n{\"i\":3,\"t_ns\":6,\"kind\":\"send\",\"fields\":\"c=x\"}\nl5\n");
  const TraceDiff d = diff_traces(a, b, 2);
  EXPECT_FALSE(d.identical);
  EXPECT_EQ(d.first_difference, 3u);
  EXPECT_EQ(d.context, (std::vector<std::string>{"l2", "l3"}));
  const std::string text = format_trace_diff(d, "a.jsonl", "b.jsonl");
  EXPECT_NE(text.find("traces differ at line 4 (after 3 identical lines)"), std::string::npos) << text;
  EXPECT_NE(text.find("  A a.jsonl: #3 t_ns=5 send c=x\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  B b.jsonl: #3 t_ns=6 send c=x\n"), std::string::npos) << text;
}

TEST(TraceDiff, OneTraceEndsFirst) {
  std::istringstream a("l1\n");
  std::istringstream b("l1\nl2\n");
  const TraceDiff d = diff_traces(a, b);
  EXPECT_FALSE(d.identical);
  EXPECT_TRUE(d.a_ended);
  EXPECT_NE(format_trace_diff(d, "a", "b").find("A a: <end of trace>"), std::string::npos);
}

}  // namespace
}  // namespace roomsim::scenarios
