// tests/netsim/recorder_test.cpp: canonical trace lines of history events.
#include <gtest/gtest.h>

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
