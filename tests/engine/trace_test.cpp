// Tests for engine/trace and the engine self-check: determinism fingerprints.
#include "engine/trace.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

#include "engine/self_check.hpp"
#include "engine/time.hpp"

namespace roomsim {
namespace {

TEST(Trace, HashDependsOnEveryLineAndOrder) {
  Trace a, b, c, d;
  a.record(Time::from_ns(1), "send", "client=c1 seq=1");
  a.record(Time::from_ns(2), "recv", "client=c2 seq=1");
  b.record(Time::from_ns(1), "send", "client=c1 seq=1");
  b.record(Time::from_ns(2), "recv", "client=c2 seq=1");
  c.record(Time::from_ns(2), "recv", "client=c2 seq=1");
  c.record(Time::from_ns(1), "send", "client=c1 seq=1");
  d.record(Time::from_ns(1), "send", "client=c1 seq=1");
  d.record(Time::from_ns(3), "recv", "client=c2 seq=1");
  EXPECT_EQ(a.hash(), b.hash());
  EXPECT_NE(a.hash(), c.hash());
  EXPECT_NE(a.hash(), d.hash());
  EXPECT_EQ(a.size(), 2u);
  EXPECT_EQ(a.hash_hex().size(), 16u);
}

TEST(Trace, RecordCanonicalEqualsRecord) {
  std::ostringstream out_a, out_b;
  Trace a, b;
  a.set_jsonl_output(&out_a);
  b.set_jsonl_output(&out_b);
  a.keep_lines(10);
  b.keep_lines(10);
  a.record(Time::from_ns(123456789), "receive", "c=u-1 conn=7 seq=3");
  a.record(Time::from_ns(123456790), "phase", "");
  b.record_canonical(Time::from_ns(123456789), "receive", "c=u-1 conn=7 seq=3", "123456789 receive c=u-1 conn=7 seq=3\n");
  b.record_canonical(Time::from_ns(123456790), "phase", "", "123456790 phase\n");
  EXPECT_EQ(a.hash(), b.hash());
  EXPECT_EQ(a.lines(), b.lines());
  EXPECT_EQ(out_a.str(), out_b.str());
  EXPECT_EQ(b.size(), 2u);
}

TEST(Trace, EmptyTraceHashIsFnvBasis) { EXPECT_EQ(Trace().hash_hex(), "cbf29ce484222325"); }

TEST(Trace, WritesJsonlAndKeepsBoundedLines) {
  std::ostringstream out;
  Trace t;
  t.set_jsonl_output(&out);
  t.keep_lines(2);
  t.record(Time::from_ns(5), "a", "x=1");
  t.record(Time::from_ns(6), "b", "");
  t.record(Time::from_ns(7), "c", "y=2");
  ASSERT_EQ(t.lines().size(), 2u);
  EXPECT_EQ(t.lines()[0], "5 a x=1");
  EXPECT_EQ(t.lines()[1], "6 b");
  EXPECT_EQ(t.lines_dropped(), 1u);
  std::istringstream in(out.str());
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    const auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j["i"], n);
    ++n;
  }
  EXPECT_EQ(n, 3);
}

TEST(EngineSelfCheck, SameSeedSameHashDifferentSeedDifferentHash) {
  const SelfCheckResult a = run_engine_self_check(42, 16, 10);
  const SelfCheckResult b = run_engine_self_check(42, 16, 10);
  const SelfCheckResult c = run_engine_self_check(43, 16, 10);
  EXPECT_EQ(a.trace_hash, b.trace_hash);
  EXPECT_EQ(a.events_run, b.events_run);
  EXPECT_NE(a.trace_hash, c.trace_hash);
  EXPECT_GT(a.events_run, 1000u);
  EXPECT_EQ(a.final_time_ns, seconds(10).ns());
}

TEST(Time, ArithmeticAndFormatting) {
  const Time t = Time::zero() + seconds(12) + milliseconds(503);
  EXPECT_EQ(format_time(t), "12.503s");
  EXPECT_EQ(t - Time::zero(), milliseconds(12503));
  EXPECT_EQ(format_duration(milliseconds(250)), "250ms");
  EXPECT_EQ(format_duration(seconds(3)), "3s");
  EXPECT_EQ(format_duration(milliseconds(1500)), "1.500s");
  EXPECT_EQ(format_duration(microseconds(3)), "3us");
  EXPECT_LT(milliseconds(1), seconds(1));
}

}  // namespace
}  // namespace roomsim
