// Handcrafted passing and failing histories for liveness, connection_limits,
// rate_limit, authorization, presence_convergence and latency_slo; each
// failing case asserts the exact violating indices. (Sub-room membership,
// once an authorization rule, is addressed_delivery's: see
// addressed_delivery_test.cpp; dashboards: dashboard_convergence_test.cpp.)
#include <gtest/gtest.h>

#include <cstdio>

#include "tests/properties/check_helpers.hpp"
#include "tests/labels.hpp"
#include "tests/properties/history_builder.hpp"

namespace roomsim::properties {
namespace {

using testing::HistoryBuilder;
using testing::run;

// a, b, c welcomed in chat/r; liveness phase from t=100ms, bound 50ms, end at 1000ms.
HistoryBuilder liveness_room() {
  HistoryBuilder b;
  b.config("liveness_bound_ms", 50);
  b.welcome(1, "a", 1, "chat/r");
  b.welcome(1, "b", 2, "chat/r");
  b.welcome(1, "c", 3, "chat/r");
  b.phase(100, "liveness");
  return b;
}

TEST(Liveness, PassesWhenEveryoneGetsItInTime) {
  HistoryBuilder b = liveness_room();
  b.send(50, "a", 1, "chat/r", "early");  // before the liveness phase: not judged
  b.send(200, "a", 1, "chat/r", "m1");
  b.receive(220, "b", 2, "chat/r", "a", "m1");
  b.receive(250, "c", 3, "chat/r", "a", "m1");  // exactly at the bound
  b.send(300, "a", 1, "chat/r", "m2");
  b.close(310, "c", 3, "chat/r");  // c leaves inside the window: not judged
  b.receive(320, "b", 2, "chat/r", "a", "m2");
  b.send(980, "a", 1, "chat/r", "late");  // window ends after "end": not judged
  b.phase(1000, "end");
  const Verdict v = run("liveness", b.history());
  EXPECT_TRUE(v.passed) << v.explanation;
}

TEST(Liveness, FailsWhenAConnectedMemberNeverGetsIt) {
  HistoryBuilder b = liveness_room();
  const size_t lost = b.send(200, "a", 1, "chat/r", "m1");
  b.receive(220, "b", 2, "chat/r", "a", "m1");
  const size_t slow = b.send(300, "a", 1, "chat/r", "m2");
  b.receive(320, "b", 2, "chat/r", "a", "m2");
  b.receive(351, "c", 3, "chat/r", "a", "m2");  // 1ms late
  b.phase(1000, "end");
  const Verdict v = run("liveness", b.history());
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.violating, (std::vector<size_t>{lost, slow}));
  char label[40];
  std::snprintf(label, sizeof label, "message #%08llx", static_cast<unsigned long long>(fnv1a64("m1") >> 32));
  EXPECT_EQ(v.explanation, std::string(label) +
                               " from a sent at t=0.200s in room chat/r did not reach client c (connection 3) within 50ms "
                               "(liveness phase)");
}

TEST(Liveness, AMessageInFlightWhenTheSendersSocketClosedIsJudgedOnlyIfAcked) {
  for (const bool acked : {false, true}) {
    HistoryBuilder b = liveness_room();
    const size_t send = b.send(200, "a", 1, "chat/r", "m1");
    if (acked) b.ack(201, "a", 1, "chat/r", "m1", 7);  // once acked, the room has it
    b.close(202, "a", 1, "chat/r", 1001);  // the room had closed the socket: m1 may be lost in flight
    b.phase(1000, "end");
    const std::vector<size_t> want = acked ? std::vector<size_t>{send} : std::vector<size_t>{};
    EXPECT_EQ(run("liveness", b.history()).violating, want) << "acked=" << acked;
  }
}

TEST(Liveness, WithoutALivenessPhaseItCannotApply) {
  HistoryBuilder b;
  b.welcome(1, "a", 1, "chat/r");
  b.welcome(1, "b", 2, "chat/r");
  b.send(200, "a", 1, "chat/r", "m1");
  const Verdict v = run("liveness", b.history());
  EXPECT_TRUE(v.passed);
  EXPECT_EQ(v.explanation, "no liveness phase in the history");
}

TEST(ConnectionLimits, PassesWithinLimitsCountingCloses) {
  HistoryBuilder b;
  b.config("max_connections", 2);
  b.config("max_connections_per_user", 1);
  b.connect(1, "a", 1, "chat/r", "u1");
  b.accept(2, "a", 1, "chat/r");
  b.connect(3, "b", 2, "chat/r", "u2");
  b.accept(4, "b", 2, "chat/r");
  b.connect(5, "c", 3, "chat/r", "u3");
  b.accept(6, "c", 3, "chat/r", 429);  // refused: fine
  b.close(7, "a", 1, "chat/r");
  b.connect(8, "a", 4, "chat/r", "u1");
  b.accept(9, "a", 4, "chat/r");
  EXPECT_TRUE(run("connection_limits", b.history()).passed);
}

TEST(ConnectionLimits, FailsOnTooManyPerRoomAndPerUser) {
  HistoryBuilder b;
  b.config("max_connections", 2);
  b.config("max_connections_per_user", 1);
  b.connect(1, "a", 1, "chat/r", "u1");
  b.accept(2, "a", 1, "chat/r");
  b.connect(3, "a2", 2, "chat/r", "u1");
  const size_t per_user = b.accept(4, "a2", 2, "chat/r");
  b.connect(5, "c", 3, "chat/r", "u3");
  const size_t per_room = b.accept(6, "c", 3, "chat/r");
  const Verdict v = run("connection_limits", b.history());
  EXPECT_EQ(v.violating, (std::vector<size_t>{per_user, per_room}));
  EXPECT_EQ(v.explanation,
            "room chat/r accepted connection 2 of user u1 at t=0.004s with 2 open connections of that user, limit 1");
}

TEST(ConnectionLimits, TheRoomsOwnSessionCountWinsOverClientObservations) {
  HistoryBuilder b;
  b.config("max_connections", 1);
  b.connect(1, "a", 1, "chat/r", "u1");
  b.accept(2, "a", 1, "chat/r");
  b.add(EventKind::kRoomSessions, 3, {}, 0, "chat/r");
  b.last().value = 0;  // the room closed a's session; a has not seen the close yet
  b.connect(4, "b", 2, "chat/r", "u2");
  b.accept(5, "b", 2, "chat/r");
  b.add(EventKind::kRoomSessions, 5, {}, 0, "chat/r");
  b.last().value = 1;
  b.close(6, "a", 1, "chat/r", 1008);
  EXPECT_TRUE(run("connection_limits", b.history()).passed);
  const size_t over = b.add(EventKind::kRoomSessions, 7, {}, 0, "chat/r");
  b.last().value = 2;
  const Verdict v = run("connection_limits", b.history());
  EXPECT_EQ(v.violating, std::vector<size_t>{over});
  EXPECT_EQ(v.explanation, "room chat/r had 2 open sessions at t=0.007s, limit 1");
}

TEST(ConnectionLimits, ARoomWithoutRecordedLimitsIsNotJudgedAndZeroMeansNoLimit) {
  // No silent default of 100/5: six connections of one user pass when the
  // room records no limit, and the verdict says why.
  HistoryBuilder b;
  size_t sixth = 0;
  for (uint64_t c = 1; c <= 6; ++c) {
    b.connect(static_cast<int64_t>(c), "a", c, "chat/r", "u1");
    sixth = b.accept(static_cast<int64_t>(c), "a", c, "chat/r");
  }
  Verdict v = run("connection_limits", b.history());
  EXPECT_TRUE(v.passed);
  EXPECT_TRUE(v.vacuous);
  EXPECT_NE(v.explanation.find("no max_connections_per_user recorded: open sessions per user not judged (room chat/r)"),
            std::string::npos)
      << v.explanation;
  b.config("max_connections_per_user", 0, "chat/r");  // 0: the room declares no such limit
  b.config("max_connections", 0);
  EXPECT_TRUE(run("connection_limits", b.history()).passed);
  b.config("max_connections_per_user", 5, "chat/r");
  EXPECT_EQ(run("connection_limits", b.history()).violating, std::vector<size_t>{sixth});
}

TEST(RateLimit, AckedMessagesWithinTheWindowPass) {
  HistoryBuilder b;
  b.config("rate_limit_per_min", 3);
  b.connect(0, "a", 1, "chat/r", "u1");
  for (int k = 0; k < 3; ++k) b.ack(k * 1000, "a", 1, "chat/r", roomsim::testing::label("m", k), k + 1);
  b.ack(60'000, "a", 1, "chat/r", "m3", 4);  // the first left the window (t - 60 s, t]
  EXPECT_TRUE(run("rate_limit", b.history()).passed);
}

TEST(RateLimit, AckDelaysDoNotSqueezeTwoWindowsIntoOne) {
  // The room accepted m1 at about t=0 and m3 at about t=60.001 s: two windows.
  // The ack of m1 was observed late, so the three acks fall within 60 s of
  // observation; only send times prove when the room could have accepted.
  HistoryBuilder b;
  b.config("rate_limit_per_min", 2);
  b.send(0, "a", 1, "chat/r", "m1");
  b.ack(500, "a", 1, "chat/r", "m1", 1);
  b.send(30'000, "a", 1, "chat/r", "m2");
  b.ack(30'001, "a", 1, "chat/r", "m2", 2);
  b.send(60'001, "a", 1, "chat/r", "m3");
  b.ack(60'002, "a", 1, "chat/r", "m3", 3);
  EXPECT_TRUE(run("rate_limit", b.history()).passed);
  b.send(60'003, "a", 1, "chat/r", "m4");
  const size_t over = b.ack(60'004, "a", 1, "chat/r", "m4", 4);  // m2, m3, m4 sent within 60 s
  EXPECT_EQ(run("rate_limit", b.history()).violating, std::vector<size_t>{over});
}

TEST(RateLimit, FailsPerConnectionAndPerUser) {
  HistoryBuilder b;
  b.config("rate_limit_per_min", 2);
  b.config("rate_limit_per_user", 1, "chat/r");
  b.connect(0, "a", 1, "chat/r", "u1");
  b.connect(0, "a2", 2, "chat/r", "u1");
  b.ack(1, "a", 1, "chat/r", "m1", 1);
  b.ack(2, "a", 1, "chat/r", "m2", 2);
  const size_t per_conn = b.ack(3, "a", 1, "chat/r", "m3", 3);
  b.ack(70'000, "a2", 2, "chat/r", "x1", 4);
  b.ack(70'001, "a2", 2, "chat/r", "x2", 5);
  b.ack(70'002, "a", 1, "chat/r", "m4", 6);  // a: 1 in window; user u1: 3 in window
  const Verdict v = run("rate_limit", b.history());
  EXPECT_EQ(v.violating, (std::vector<size_t>{per_conn, per_conn + 3}));
}

TEST(RateLimit, SeedRoomsCountMessagesOthersReceived) {
  HistoryBuilder b;
  b.config("rate_limit_per_min", 2);
  size_t third = 0;
  for (int k = 0; k < 3; ++k) {
    const std::string m = roomsim::testing::label("m", k);
    b.send(k * 10, "a", 1, "seed/r", m);
    b.receive(k * 10 + 1, "a", 1, "seed/r", "a", m);  // own echo does not count
    const size_t r = b.receive(k * 10 + 2, "b", 2, "seed/r", "a", m);
    b.receive(k * 10 + 3, "c", 3, "seed/r", "a", m);  // counted once per message
    third = r;
  }
  EXPECT_EQ(run("rate_limit", b.history()).violating, std::vector<size_t>{third});
}

TEST(RateLimit, ARoomClockThatMayBeOffShortensTheWindowByTwiceTheError) {
  // Three acceptances 50 s apart from first to last: over a limit of 2 in 60 s of true time,
  // but a room whose clock may be off by 10 s can have seen them in two of its own windows.
  HistoryBuilder b;
  b.config("rate_limit_per_min", 2);
  b.send(0, "a", 1, "chat/r", "m1");
  b.ack(1, "a", 1, "chat/r", "m1", 1);
  b.send(25'000, "a", 1, "chat/r", "m2");
  b.ack(25'001, "a", 1, "chat/r", "m2", 2);
  b.send(50'000, "a", 1, "chat/r", "m3");
  const size_t third = b.ack(50'001, "a", 1, "chat/r", "m3", 3);
  EXPECT_EQ(run("rate_limit", b.history()).violating, std::vector<size_t>{third});
  b.config("room_clock_error_ms", 10'000);  // window 40 s: m1 is outside it
  EXPECT_TRUE(run("rate_limit", b.history()).passed);
  b.config("room_clock_error_ms", 30'000);  // window 0: nothing can be judged, and it says so
  const Verdict v = run("rate_limit", b.history());
  EXPECT_TRUE(v.passed);
  EXPECT_TRUE(v.vacuous);
  EXPECT_NE(v.explanation.find("room_clock_error_ms"), std::string::npos) << v.explanation;
}

TEST(Authorization, ATokenARoomOnASkewedClockMayStillAcceptIsNotJudged) {
  HistoryBuilder b;
  b.config("auth_required", 1, "chat/r");
  b.connect(1, "h", 1, "chat/r", "u1", false);
  b.last().value = 3;  // expired less than room_clock_error_ms ago
  b.accept(2, "h", 1, "chat/r");
  b.welcome(3, "h", 1, "chat/r");
  EXPECT_TRUE(run("authorization", b.history()).passed);
  b.connect(4, "x", 2, "chat/r", "u2", false);  // value 0: invalid beyond any clock error
  const size_t wrong = b.accept(5, "x", 2, "chat/r");
  EXPECT_EQ(run("authorization", b.history()).violating, std::vector<size_t>{wrong});
}

TEST(Authorization, PassesWhenUnauthenticatedAreRefused) {
  HistoryBuilder b;
  b.config("auth_required", 1, "chat/r");
  b.connect(1, "h", 1, "chat/r", "", false);
  b.accept(2, "h", 1, "chat/r", 401);
  b.connect(3, "a", 2, "chat/r", "u1");
  b.accept(4, "a", 2, "chat/r");
  b.connect(5, "x", 3, "open/r", "", false);  // a room that does not authenticate
  b.accept(6, "x", 3, "open/r");
  b.welcome(7, "x", 3, "open/r");
  const Verdict v = run("authorization", b.history());
  EXPECT_TRUE(v.passed);
  EXPECT_FALSE(v.vacuous);
  EXPECT_EQ(v.explanation, "no auth_required recorded: tokens not judged (room open/r)");
}

TEST(Authorization, FailsOnTrafficToUnauthenticated) {
  HistoryBuilder b;
  b.config("auth_required", 1);
  b.connect(1, "h", 1, "chat/r", "", false);
  const size_t accepted = b.accept(2, "h", 1, "chat/r");
  const size_t welcomed = b.welcome(3, "h", 1, "chat/r");
  const size_t got = b.receive(4, "h", 1, "chat/r", "a", "m1");
  b.connect(5, "a", 2, "chat/r", "u1");
  b.accept(6, "a", 2, "chat/r");
  b.receive(7, "a", 2, "chat/r", "z", "m2");  // a has a valid token
  const Verdict v = run("authorization", b.history());
  EXPECT_EQ(v.violating, (std::vector<size_t>{accepted, welcomed, got}));
  EXPECT_EQ(v.explanation, "connection 1 of client h presented no valid token yet got connect_result 101 in room chat/r at t=0.002s");
}

// a (u1), b (u2) and c (u3) accepted in chat/r at t=1..3ms.
HistoryBuilder three_members() {
  HistoryBuilder b;
  b.connect(1, "a", 1, "chat/r", "u1");
  b.accept(1, "a", 1, "chat/r");
  b.connect(2, "b", 2, "chat/r", "u2");
  b.accept(2, "b", 2, "chat/r");
  b.connect(3, "c", 3, "chat/r", "u3");
  b.accept(3, "c", 3, "chat/r");
  return b;
}

TEST(PresenceConvergence, PassesWhenListsMatchTheConnectedUsers) {
  HistoryBuilder b = three_members();
  b.close(4, "c", 3, "chat/r");
  b.text_event(EventKind::kPresence, 5, "a", 1, "chat/r", "u1,u2");
  b.text_event(EventKind::kPresence, 5, "b", 2, "chat/r", "u2, u1");
  b.phase(10, "end");
  EXPECT_TRUE(run("presence_convergence", b.history()).passed);
}

TEST(PresenceConvergence, FailsOnStaleLists) {
  HistoryBuilder b = three_members();
  const size_t stale = b.text_event(EventKind::kPresence, 3, "a", 1, "chat/r", "u1,u2,u3");
  b.close(4, "c", 3, "chat/r");
  const size_t end = b.phase(10, "end");  // b never got a list
  const Verdict v = run("presence_convergence", b.history());
  EXPECT_EQ(v.violating, (std::vector<size_t>{stale, end}));
  EXPECT_EQ(v.explanation,
            "client a believes {u1,u2,u3} present in room chat/r but {u1,u2} are connected at the end (t=0.010s)");
}

TEST(PresenceConvergence, AListWithoutIdsMatchesNobody) {
  HistoryBuilder b = three_members();
  const size_t unnamed = b.text_event(EventKind::kPresence, 5, "a", 1, "chat/r", ",,");
  b.phase(10, "end");
  const Verdict v = run("presence_convergence", b.history());
  EXPECT_EQ(v.violating, (std::vector<size_t>{unnamed, 7}));  // b and c never got a list
  EXPECT_EQ(v.explanation,
            "client a believes {(unnamed)} present in room chat/r but {u1,u2,u3} are connected at the end (t=0.010s)");
}

TEST(LatencySlo, PassesUnderTheBoundAndIsVacuousWithoutOne) {
  HistoryBuilder b;
  b.send(0, "a", 1, "chat/r", "m1");
  b.receive(900, "b", 2, "chat/r", "a", "m1");
  EXPECT_TRUE(run("latency_slo", b.history()).passed);
  b.config("latency_p99_bound_ms", 900);
  EXPECT_TRUE(run("latency_slo", b.history()).passed);
}

TEST(LatencySlo, FailsWhenTheP99IsOverTheBound) {
  HistoryBuilder b;
  b.config("latency_p99_bound_ms", 100);
  b.send(0, "a", 1, "chat/r", "m1");
  std::vector<size_t> slow;
  for (int k = 0; k < 98; ++k) b.receive(50, roomsim::testing::label("r", k), 10 + k, "chat/r", "a", "m1");
  slow.push_back(b.receive(150, "x", 200, "chat/r", "a", "m1"));
  slow.push_back(b.receive(160, "y", 201, "chat/r", "a", "m1"));
  const Verdict v = run("latency_slo", b.history());  // 100 receives: p99 is the 99th = 150ms
  EXPECT_EQ(v.violating, slow);
  EXPECT_NE(v.explanation.find("p99 delivery latency 150ms over 100 live receives"), std::string::npos)
      << v.explanation;
}

}  // namespace
}  // namespace roomsim::properties
