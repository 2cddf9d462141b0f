// tests/netsim/recorder_test.cpp: canonical trace lines of history events.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "netsim/recorder.hpp"

namespace roomsim::netsim {
namespace {

TEST(Recorder, WritesNonDefaultFieldsInFixedOrderAndQuotesAwkwardNames) {
  properties::History history;
  Trace trace;
  trace.keep_lines(10);
  Recorder rec(history, trace, true);
  properties::Event e;
  e.t_ns = 5;
  e.kind = properties::EventKind::kClose;
  e.client = rec.intern("c-1");
  e.conn = 3;
  e.room = rec.intern("chat/lobby");
  e.text = rec.intern("room \"x\" crashed");
  e.code = 1006;
  rec.add(e);
  properties::Event r;
  r.t_ns = 6;
  r.kind = properties::EventKind::kReceive;
  r.client = e.client;
  r.msg = 0xab;
  r.seq = 0;
  rec.add(r);
  ASSERT_EQ(trace.lines().size(), 2u);
  EXPECT_EQ(trace.lines()[0], "5 close c=c-1 conn=3 room=chat/lobby text=\"room \\\"x\\\" crashed\" code=1006");
  EXPECT_EQ(trace.lines()[1], "6 receive c=c-1 msg=ab seq=0");
  EXPECT_EQ(history.size(), 2u);
}

// Receivers of one message share the fields after conn; the recorder reuses
// their text only when every one of those fields matches.
TEST(Recorder, RepeatedMessageFieldsAreWrittenExactlyEachTime) {
  properties::History history;
  Trace trace;
  trace.keep_lines(1000);
  Recorder rec(history, trace, false);
  properties::Event base;
  base.kind = properties::EventKind::kReceive;
  base.room = rec.intern("chat/room 1");
  base.sender = rec.intern("r1-7");
  base.msg = 0x1f;
  base.digest = 0xabcdef0123456789ULL;
  base.seq = 12;
  base.epoch = 1'812'345'678'901'234;
  std::vector<std::string> expected;
  auto add = [&](properties::Event e, const std::string& client, const std::string& tail) {
    e.t_ns = static_cast<int64_t>(expected.size());
    e.client = rec.intern(client);
    e.conn = expected.size() + 1;
    rec.add(e);
    expected.push_back(std::to_string(e.t_ns) + " receive c=" + client + " conn=" + std::to_string(e.conn) + tail);
  };
  const std::string tail = " room=\"chat/room 1\" sender=r1-7 msg=1f digest=abcdef0123456789 seq=12 epoch=1812345678901234";
  add(base, "a", tail);
  add(base, "b", tail);
  properties::Event replay = base;
  replay.value = 1;
  add(replay, "c", tail + " value=1");
  properties::Event next = base;
  next.seq = 13;
  add(next, "a", " room=\"chat/room 1\" sender=r1-7 msg=1f digest=abcdef0123456789 seq=13 epoch=1812345678901234");
  properties::Event other_epoch = base;
  other_epoch.epoch = 5;
  add(other_epoch, "b", " room=\"chat/room 1\" sender=r1-7 msg=1f digest=abcdef0123456789 seq=12 epoch=5");
  properties::Event other_sender = base;
  other_sender.sender = rec.intern("r1-8");
  add(other_sender, "c", " room=\"chat/room 1\" sender=r1-8 msg=1f digest=abcdef0123456789 seq=12 epoch=1812345678901234");
  add(base, "d", tail);
  // Many distinct messages in between (they evict memo entries), then the first again.
  for (uint64_t m = 1; m <= 600; ++m) {
    properties::Event e = base;
    e.msg = m;
    e.digest = m * 977;
    std::ostringstream hex_msg, hex_digest;
    hex_msg << std::hex << m;
    hex_digest << std::hex << m * 977;
    add(e, "e", " room=\"chat/room 1\" sender=r1-7 msg=" + hex_msg.str() + " digest=" + hex_digest.str() +
                    " seq=12 epoch=1812345678901234");
  }
  add(base, "f", tail);
  ASSERT_EQ(trace.lines().size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(trace.lines()[i], expected[i]) << i;
}

TEST(Recorder, TimesAreWrittenInFullDecimal) {
  properties::History history;
  Trace trace;
  trace.keep_lines(100);
  Recorder rec(history, trace, false);
  const int64_t times[] = {0, 5, 999'999, 1'000'000, 1'000'001, 1'000'001, 1'999'999, 2'000'000,
                           123'456'000'001, 123'456'789'012, 123'457'000'000, 9'999'999'999'999};
  properties::Event e;
  e.kind = properties::EventKind::kPhase;
  for (int64_t t : times) {
    e.t_ns = t;
    rec.add(e);
  }
  ASSERT_EQ(trace.lines().size(), std::size(times));
  for (size_t i = 0; i < std::size(times); ++i) EXPECT_EQ(trace.lines()[i], std::to_string(times[i]) + " phase");
}

TEST(Recorder, HistoryOffStillHashesEveryObservation) {
  properties::History h1, h2;
  Trace t1, t2;
  Recorder with(h1, t1, true), without(h2, t2, false);
  properties::Event e;
  e.kind = properties::EventKind::kPhase;
  e.text = with.intern("safety");
  without.intern("safety");
  with.add(e);
  without.add(e);
  EXPECT_EQ(t1.hash(), t2.hash());
  EXPECT_EQ(h1.size(), 1u);
  EXPECT_EQ(h2.size(), 0u);
}

}  // namespace
}  // namespace roomsim::netsim
