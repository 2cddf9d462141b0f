// Handcrafted passing and failing histories for durability, recovery and
// history_bound; each failing case asserts the exact violating indices.
#include <gtest/gtest.h>

#include "tests/properties/check_helpers.hpp"
#include "tests/labels.hpp"
#include "tests/properties/history_builder.hpp"

namespace roomsim::properties {
namespace {

using testing::expect_fails;
using testing::HistoryBuilder;
using testing::run;

// a (conn 1) and b (conn 2) welcomed at seq 0; a sends m1..m3 (seqs 1..3,
// acked, epoch 1), which b receives live when `b_receives`.
void add_chat(HistoryBuilder& b, bool b_receives) {
  b.welcome(1, "a", 1, "chat/r", 0, 1);
  b.welcome(1, "b", 2, "chat/r", 0, 1);
  for (int k = 1; k <= 3; ++k) {
    const std::string m = roomsim::testing::label("m", k);
    b.send(10 * k, "a", 1, "chat/r", m, m);
    b.ack(10 * k + 1, "a", 1, "chat/r", m, k);
    if (b_receives) b.receive(10 * k + 2, "b", 2, "chat/r", "a", m, m, k, 1);
  }
}

HistoryBuilder acked_chat() {
  HistoryBuilder b;
  b.add(EventKind::kRoomStart, 0, {}, 0, "chat/r");
  add_chat(b, true);
  return b;
}

TEST(Durability, PassesWhenLaterWelcomesAndReplaysKeepEverything) {
  HistoryBuilder b = acked_chat();
  b.add(EventKind::kRoomStart, 50, {}, 0, "chat/r");
  b.welcome(60, "c", 3, "chat/r", 3, 1);
  b.replay_window(61, "c", 3, "chat/r", 1, 3, 3);
  for (int k = 1; k <= 3; ++k) {
    const std::string m = roomsim::testing::label("m", k);
    b.receive(61, "c", 3, "chat/r", "a", m, m, k, 1, true);
  }
  const Verdict v = run("durability", b.history());
  EXPECT_TRUE(v.passed) << v.explanation;
}

TEST(Durability, FailsOnRegressedWelcomeEpochChangeAndHoleInReplay) {
  HistoryBuilder b = acked_chat();
  b.connect(59, "c", 3, "chat/r", "u3");
  const size_t welcome = b.welcome(60, "c", 3, "chat/r", 2, 1);  // the room forgot seq 3
  const size_t window = b.replay_window(61, "c", 3, "chat/r", 1, 3, 2);
  b.receive(61, "c", 3, "chat/r", "a", "m1", "m1", 1, 1, true);
  b.receive(61, "c", 3, "chat/r", "a", "m3", "m3", 3, 1, true);  // seq 2 missing
  b.close(62, "c", 3, "chat/r");
  const size_t new_epoch = b.welcome(70, "d", 4, "chat/r", 0, 2);
  const Verdict v = run("durability", b.history());
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.violating, (std::vector<size_t>{welcome, window, new_epoch}));
  EXPECT_EQ(v.explanation,
            "welcome to client c in room chat/r reported seq 2 at t=0.060s but seq 3 was acked or delivered (event 10) "
            "before the client connected");
}

TEST(Durability, AWelcomeSentBeforeTheLatestAckIsNotALoss) {
  // c asked to connect at t=25ms, while seq 3 was not yet acked; the room's
  // welcome (seq 2) was on the wire while seq 3 committed.
  HistoryBuilder b;
  b.welcome(1, "a", 1, "chat/r", 0, 1);
  b.ack(10, "a", 1, "chat/r", "m1", 1);
  b.ack(20, "a", 1, "chat/r", "m2", 2);
  b.connect(25, "c", 3, "chat/r", "u3");
  b.ack(30, "a", 1, "chat/r", "m3", 3);
  b.welcome(35, "c", 3, "chat/r", 2, 1);
  b.receive(40, "c", 3, "chat/r", "a", "m3", "m3", 3, 1);
  b.receive(41, "a", 1, "chat/r", "a", "m1", "m1", 1, 0);  // a late frame of an earlier epoch
  EXPECT_TRUE(run("durability", b.history()).passed);
  b.connect(50, "d", 4, "chat/r", "u4");
  const size_t stale = b.welcome(55, "d", 4, "chat/r", 2, 1);
  EXPECT_EQ(run("durability", b.history()).violating, std::vector<size_t>{stale});
}

TEST(Durability, SaysWhenItCannotApply) {
  HistoryBuilder b;
  b.send(1, "a", 1, "seed/r", "m1");
  b.receive(2, "b", 2, "seed/r", "a", "m1");
  const Verdict v = run("durability", b.history());
  EXPECT_TRUE(v.passed);
  EXPECT_EQ(v.explanation, "no event carries a seq and epoch: durability needs them (seed rooms)");
}

TEST(Durability, FailsWhenACrashedRoomGivesAnAckedSeqToAnotherMessage) {
  // The restart rule ("room_start reported seq < s") is gone: room_start no
  // longer carries a seq. What a crash that loses seq 3 shows instead: the
  // room numbers the next message 3 again.
  HistoryBuilder b = acked_chat();
  b.add(EventKind::kRoomCrash, 40, {}, 0, "chat/r");
  b.add(EventKind::kRoomStart, 41, {}, 0, "chat/r");
  b.welcome(50, "a", 5, "chat/r", 2, 1);
  b.send(51, "a", 5, "chat/r", "m9", "m9");
  const size_t replaced = b.ack(52, "a", 5, "chat/r", "m9", 3);
  const Verdict v = run("durability", b.history());
  expect_fails(v, std::vector<size_t>{replaced}, "durability.seq_replaced");
}

// b (conn 2) drops at t=35 and comes back on conn 5; meanwhile a sends m4, m5.
HistoryBuilder reconnect_chat() {
  HistoryBuilder b = acked_chat();
  b.close(35, "b", 2, "chat/r", 1006);
  b.welcome(36, "c", 3, "chat/r", 3, 1);
  b.send(40, "a", 1, "chat/r", "m4", "m4");
  b.ack(41, "a", 1, "chat/r", "m4", 4);
  b.receive(42, "c", 3, "chat/r", "a", "m4", "m4", 4, 1);
  b.send(43, "a", 1, "chat/r", "m5", "m5");
  b.ack(44, "a", 1, "chat/r", "m5", 5);
  b.receive(45, "c", 3, "chat/r", "a", "m5", "m5", 5, 1);
  return b;
}

TEST(Recovery, PassesWhenTheResumeReplaysTheGap) {
  HistoryBuilder b = reconnect_chat();
  b.welcome(50, "b", 5, "chat/r", 5, 1);
  b.add(EventKind::kResume, 51, "b", 5, "chat/r");
  b.last().value = 3;
  b.replay_window(52, "b", 5, "chat/r", 4, 5, 2);
  b.receive(52, "b", 5, "chat/r", "a", "m4", "m4", 4, 1, true);
  b.receive(52, "b", 5, "chat/r", "a", "m5", "m5", 5, 1, true);
  const Verdict v = run("recovery", b.history());
  EXPECT_TRUE(v.passed) << v.explanation;
}

TEST(Recovery, PassesWhenTheGapIsAnnounced) {
  HistoryBuilder b = reconnect_chat();
  b.welcome(50, "b", 5, "chat/r", 5, 1);
  b.gap(52, "b", 5, "chat/r", 4, 4);
  b.receive(52, "b", 5, "chat/r", "a", "m5", "m5", 5, 1, true);
  EXPECT_TRUE(run("recovery", b.history()).passed);
}

TEST(Recovery, FailsOnASilentGap) {
  HistoryBuilder b = reconnect_chat();
  const size_t welcome = b.welcome(50, "b", 5, "chat/r", 5, 1);
  b.receive(52, "b", 5, "chat/r", "a", "m5", "m5", 5, 1, true);  // seq 4 silently missing
  b.close(60, "b", 5, "chat/r");
  const Verdict v = run("recovery", b.history());
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.violating, std::vector<size_t>{welcome});
  EXPECT_EQ(
      v.explanation,
      "client b reconnected to room chat/r at t=0.050s and never got seq 4 of epoch 1 that others received or were "
      "acked for, and no gap notice covered it");
}

TEST(Recovery, AResumeCutShortIsCompletedByTheNextReconnect) {
  HistoryBuilder b = reconnect_chat();
  b.welcome(50, "b", 5, "chat/r", 5, 1);
  b.close(51, "b", 5, "chat/r", 1001);  // evicted before the resume was answered
  b.welcome(60, "b", 6, "chat/r", 5, 1);
  b.receive(61, "b", 6, "chat/r", "a", "m4", "m4", 4, 1, true);
  b.receive(61, "b", 6, "chat/r", "a", "m5", "m5", 5, 1, true);
  EXPECT_TRUE(run("recovery", b.history()).passed);
}

TEST(Recovery, AReplayThatJumpsOverTheHoleFails) {
  // The join history on conn 5 holds only seq 5; the client then believes it
  // has everything up to 5 and never asks for seq 4 again.
  HistoryBuilder b = reconnect_chat();
  const size_t first = b.welcome(50, "b", 5, "chat/r", 5, 1);
  b.receive(50, "b", 5, "chat/r", "a", "m5", "m5", 5, 1, true);
  b.close(51, "b", 5, "chat/r", 1001);
  b.welcome(60, "b", 6, "chat/r", 5, 1);
  EXPECT_EQ(run("recovery", b.history()).violating, std::vector<size_t>{first});
  b.gap(61, "b", 6, "chat/r", 4, 4);  // announced later: fine
  EXPECT_TRUE(run("recovery", b.history()).passed);
}

// a sends m1..m3 (acked 1..3); b stays connected on conn 2 the whole time.
HistoryBuilder live_chat() {
  HistoryBuilder b;
  b.config("liveness_bound_ms", 50);
  add_chat(b, false);
  return b;
}

TEST(Recovery, AConnectedClientThatGetsEverythingPasses) {
  HistoryBuilder b = live_chat();
  for (int k = 1; k <= 3; ++k) {
    const std::string m = roomsim::testing::label("m", k);
    b.receive(10 * k + 2, "b", 2, "chat/r", "a", m, m, k, 1);
  }
  b.phase(200, "end");
  const Verdict v = run("recovery", b.history());
  EXPECT_TRUE(v.passed) << v.explanation;
  EXPECT_FALSE(v.vacuous);
}

TEST(Recovery, AMessageSilentlyDroppedOnALiveConnectionFails) {
  // No reconnect at all: the old checker judged only reconnects and passed this.
  HistoryBuilder b = live_chat();
  b.receive(12, "b", 2, "chat/r", "a", "m1", "m1", 1, 1);
  const size_t after_hole = b.receive(32, "b", 2, "chat/r", "a", "m3", "m3", 3, 1);  // seq 2 never came
  const Verdict v = run("recovery", b.history());
  expect_fails(v, std::vector<size_t>{after_hole}, "recovery.live_hole",
               "client b got seq 3 live on connection 2 in room chat/r at t=0.032s but never got seq 2 of epoch 1 "
               "that others received or were acked for, and no gap notice covered it");
  // A gap notice covering it, or the message arriving later (replayed), is fine.
  HistoryBuilder announced = live_chat();
  announced.receive(12, "b", 2, "chat/r", "a", "m1", "m1", 1, 1);
  announced.gap(31, "b", 2, "chat/r", 2, 2);
  announced.receive(32, "b", 2, "chat/r", "a", "m3", "m3", 3, 1);
  EXPECT_TRUE(run("recovery", announced.history()).passed);
  b.receive(40, "b", 2, "chat/r", "a", "m2", "m2", 2, 1, /*replayed=*/true);
  EXPECT_TRUE(run("recovery", b.history()).passed);
}

TEST(Recovery, AConnectionOpenAtTheEndMustHaveCaughtUp) {
  HistoryBuilder b = live_chat();
  b.receive(12, "b", 2, "chat/r", "a", "m1", "m1", 1, 1);
  b.receive(22, "b", 2, "chat/r", "a", "m2", "m2", 2, 1);  // seq 3 (acked at 31ms) never reaches b
  const size_t end = b.phase(81, "end");                   // 50ms after the ack: b should have it
  Verdict v = run("recovery", b.history());
  expect_fails(v, std::vector<size_t>{end}, "recovery.not_caught_up");
  HistoryBuilder early = live_chat();
  early.receive(12, "b", 2, "chat/r", "a", "m1", "m1", 1, 1);
  early.receive(22, "b", 2, "chat/r", "a", "m2", "m2", 2, 1);
  early.phase(80, "end");  // seq 3 may still be in flight
  EXPECT_TRUE(run("recovery", early.history()).passed);
}

TEST(Recovery, AReconnectOwesEverythingAboveTheContiguousPrefixNotAboveTheMaximum) {
  // b saw 1 on conn 2 and 3 on conn 3 (welcomed at 2), never 2; c got 2. After
  // both closed, b comes back at seq 4: the old "L = max received" (3) forgave seq 2.
  HistoryBuilder b = live_chat();
  b.welcome(15, "c", 9, "chat/r", 1, 1);
  b.receive(12, "b", 2, "chat/r", "a", "m1", "m1", 1, 1);
  b.welcome(13, "b", 3, "chat/r", 2, 1);
  b.close(14, "b", 2, "chat/r", 1006);
  b.receive(22, "c", 9, "chat/r", "a", "m2", "m2", 2, 1);
  b.receive(32, "b", 3, "chat/r", "a", "m3", "m3", 3, 1);
  b.close(33, "b", 3, "chat/r", 1006);
  b.send(40, "a", 1, "chat/r", "m4", "m4");
  b.ack(41, "a", 1, "chat/r", "m4", 4);
  const size_t back = b.welcome(50, "b", 4, "chat/r", 4, 1);
  b.receive(51, "b", 4, "chat/r", "a", "m4", "m4", 4, 1, /*replayed=*/true);
  const Verdict v = run("recovery", b.history());
  expect_fails(v, std::vector<size_t>{back}, "recovery.silent_hole");
}

// history_max 3; a's m1..m5 acked 1..5; b (away) comes back at seq 5 and resumes after 1.
HistoryBuilder far_behind() {
  HistoryBuilder b;
  b.config("history_max", 3);
  b.welcome(1, "a", 1, "chat/r", 0, 1);
  b.welcome(1, "b", 2, "chat/r", 0, 1);
  b.send(5, "a", 1, "chat/r", "m1", "m1");
  b.ack(6, "a", 1, "chat/r", "m1", 1);
  b.receive(7, "b", 2, "chat/r", "a", "m1", "m1", 1, 1);
  b.close(8, "b", 2, "chat/r", 1006);
  for (int k = 2; k <= 5; ++k) {
    const std::string m = roomsim::testing::label("m", k);
    b.send(10 * k, "a", 1, "chat/r", m, m);
    b.ack(10 * k + 1, "a", 1, "chat/r", m, k);
  }
  b.connect(60, "b", 3, "chat/r", "u2");
  b.welcome(61, "b", 3, "chat/r", 5, 1);
  b.add(EventKind::kResume, 61, "b", 3, "chat/r");
  b.last().value = 1;
  b.last().epoch = 1;
  return b;
}

TEST(Recovery, AGapBeyondTheHistoryBoundIsHonest) {
  HistoryBuilder b = far_behind();
  b.gap(62, "b", 3, "chat/r", 2, 2);  // the room keeps 3..5
  for (int k = 3; k <= 5; ++k) {
    const std::string m = roomsim::testing::label("m", k);
    b.receive(62, "b", 3, "chat/r", "a", m, m, k, 1, /*replayed=*/true);
  }
  b.send(70, "a", 1, "chat/r", "m6", "m6");
  b.ack(71, "a", 1, "chat/r", "m6", 6);
  b.receive(72, "b", 3, "chat/r", "a", "m6", "m6", 6, 1);
  const Verdict v = run("recovery", b.history());
  EXPECT_TRUE(v.passed) << v.explanation;
}

TEST(Recovery, AGapOverMessagesStillWithinTheBoundIsDishonest) {
  // The room still keeps 3..5 (history_max 3) but calls 2..4 gone.
  HistoryBuilder b = far_behind();
  const size_t gap = b.gap(62, "b", 3, "chat/r", 2, 4);
  b.receive(62, "b", 3, "chat/r", "a", "m5", "m5", 5, 1, /*replayed=*/true);
  b.send(70, "a", 1, "chat/r", "m6", "m6");
  b.ack(71, "a", 1, "chat/r", "m6", 6);
  b.receive(72, "b", 3, "chat/r", "a", "m6", "m6", 6, 1);  // so the room was at 5 at most when it sent the gap
  Verdict v = run("recovery", b.history());
  expect_fails(v, std::vector<size_t>{gap}, "recovery.dishonest_gap",
               "room chat/r told client b at t=0.062s that seqs 2..4 of epoch 1 are gone, but seq 3 was acked or "
               "delivered and is within the last 3 messages (room at seq 5 at most)");
  // Without a live receive after the gap, U is the highest seq established by the end (6): seq 4 is still caught.
  HistoryBuilder fallback = far_behind();
  const size_t gap2 = fallback.gap(62, "b", 3, "chat/r", 2, 4);
  fallback.receive(62, "b", 3, "chat/r", "a", "m5", "m5", 5, 1, /*replayed=*/true);
  fallback.send(70, "a", 1, "chat/r", "m6", "m6");
  fallback.ack(71, "a", 1, "chat/r", "m6", 6);
  EXPECT_EQ(run("recovery", fallback.history()).violating, std::vector<size_t>{gap2});
  // A room that records no history_max is not judged for honesty.
  HistoryBuilder unbounded;
  for (const Event& e : b.history().events()) {
    if (e.kind != EventKind::kConfig) unbounded.history().add(e);
  }
  for (size_t k = 0; k < b.history().name_count(); ++k)
    unbounded.history().intern(b.history().name(static_cast<NameId>(k)));
  v = run("recovery", unbounded.history());
  EXPECT_TRUE(v.passed) << v.explanation;
  EXPECT_NE(v.explanation.find("no history_max recorded: honesty of gap notices not judged (room chat/r)"),
            std::string::npos)
      << v.explanation;
}

TEST(Recovery, SeqsEstablishedOnlyAfterTheRequestAreNotHeldAgainstTheGap) {
  // B: what was established before b asked (kResume at 61ms) existed when the
  // room answered; seqs the gap names beyond that may not have.
  HistoryBuilder b;
  b.config("history_max", 3);
  b.welcome(1, "b", 2, "chat/r", 0, 1);
  b.ack(5, "a", 1, "chat/r", "m1", 1);
  b.receive(6, "b", 2, "chat/r", "a", "m1", "m1", 1, 1);
  b.close(7, "b", 2, "chat/r", 1006);
  b.welcome(61, "b", 3, "chat/r", 1, 1);
  b.add(EventKind::kResume, 61, "b", 3, "chat/r");
  b.last().value = 4;  // b claims more than the room has: the room lost 2..4
  b.last().epoch = 1;
  b.gap(62, "b", 3, "chat/r", 2, 4);
  b.ack(70, "a", 1, "chat/r", "m2", 2);  // numbered after the gap
  b.receive(71, "b", 3, "chat/r", "a", "m2", "m2", 2, 1);
  EXPECT_TRUE(run("recovery", b.history()).passed) << run("recovery", b.history()).explanation;
}

TEST(Recovery, AGapOfAnotherEpochIsJudgedByDurabilityNotRecovery) {
  HistoryBuilder b = far_behind();
  b.welcome(70, "c", 5, "chat/r", 1, 2);  // the room lost its history: epoch 2
  b.connect(71, "b", 6, "chat/r", "u2");
  b.welcome(72, "b", 6, "chat/r", 1, 2);
  b.gap(73, "b", 6, "chat/r", 2, 9007199254740991, 1);  // missedEpoch 1: the rest of epoch 1
  b.close(74, "b", 3, "chat/r", 1006);
  EXPECT_TRUE(run("recovery", b.history()).passed) << run("recovery", b.history()).explanation;
  EXPECT_EQ(run("durability", b.history()).rule, "durability.epoch_changed");
}

// Seed room: no seqs. b is away from t=20 to t=50 while a sends m2 and c gets it.
HistoryBuilder seed_reconnect() {
  HistoryBuilder b;
  b.welcome(1, "a", 1, "seed/r");
  b.welcome(1, "b", 2, "seed/r");
  b.welcome(1, "c", 3, "seed/r");
  b.send(10, "a", 1, "seed/r", "m1");
  b.receive(11, "b", 2, "seed/r", "a", "m1");
  b.receive(11, "c", 3, "seed/r", "a", "m1");
  b.close(20, "b", 2, "seed/r", 1006);
  b.send(30, "a", 1, "seed/r", "m2");
  b.receive(31, "c", 3, "seed/r", "a", "m2");
  return b;
}

TEST(Recovery, SeedRoomPassesWhenTheHistoryReplayHasIt) {
  HistoryBuilder b = seed_reconnect();
  b.welcome(50, "b", 4, "seed/r");
  b.receive(51, "b", 4, "seed/r", "a", "m2", "p", -1, -1, true);
  EXPECT_TRUE(run("recovery", b.history()).passed);
}

TEST(Recovery, SeedRoomFailsWhenTheReconnectSilentlyMissesIt) {
  HistoryBuilder b = seed_reconnect();
  const size_t welcome = b.welcome(50, "b", 4, "seed/r");
  b.send(60, "a", 1, "seed/r", "m3");
  b.receive(61, "b", 4, "seed/r", "a", "m3");
  const Verdict v = run("recovery", b.history());
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.violating, std::vector<size_t>{welcome});
  EXPECT_NE(v.explanation.find("never received 1 message(s)"), std::string::npos) << v.explanation;
}

TEST(HistoryBound, PassesForLatestBoundedReplays) {
  HistoryBuilder b;
  b.config("history_max", 3);
  b.welcome(1, "a", 1, "chat/r", 7, 1);
  b.replay_window(2, "a", 1, "chat/r", 5, 7, 3);
  b.welcome(3, "b", 2, "chat/r", 7, 1);
  b.add(EventKind::kResume, 4, "b", 2, "chat/r");
  b.last().value = 7;
  b.replay_window(5, "b", 2, "chat/r", -1, -1, 0);  // nothing missed
  EXPECT_TRUE(run("history_bound", b.history()).passed);
}

TEST(HistoryBound, FailsOnOversizedStaleOrEmptyReplays) {
  HistoryBuilder b;
  b.config("history_max", 3);
  b.welcome(1, "a", 1, "chat/r", 7, 1);
  const size_t too_many = b.replay_window(2, "a", 1, "chat/r", 4, 7, 4);
  b.welcome(3, "b", 2, "chat/r", 7, 1);
  const size_t stale = b.replay_window(4, "b", 2, "chat/r", 4, 6, 3);
  b.welcome(5, "c", 3, "chat/r", 7, 1);
  const size_t short_start = b.replay_window(6, "c", 3, "chat/r", 6, 7, 2);
  b.welcome(7, "d", 4, "chat/r", 7, 1);
  const size_t empty = b.replay_window(8, "d", 4, "chat/r", -1, -1, 0);
  b.add(EventKind::kRoomStart, 9, {}, 0, "chat/r");  // a room start says nothing about stored length any more
  b.last().value = 4;
  const Verdict v = run("history_bound", b.history());
  EXPECT_EQ(v.violating, (std::vector<size_t>{too_many, stale, short_start, empty}));
}

TEST(HistoryBound, AJoinMustGetWhatWasDeliveredBeforeItConnected) {
  // Seed room (no seqs): two broadcasts were delivered before d connected.
  HistoryBuilder b;
  b.config("history_max", 1);
  b.send(1, "a", 1, "seed/r", "m1");
  b.receive(2, "b", 2, "seed/r", "a", "m1");
  b.connect(3, "c", 3, "seed/r", "u3");  // one delivered so far
  b.send(4, "a", 1, "seed/r", "m2");
  b.receive(5, "b", 2, "seed/r", "a", "m2");
  b.receive(5, "b", 2, "seed/r", "a", "m2");  // counted once
  b.welcome(6, "c", 3, "seed/r");
  b.replay_window(7, "c", 3, "seed/r", -1, -1, 1, -1);
  b.connect(8, "d", 4, "seed/r", "u4");  // two delivered, bound 1: needs 1
  b.welcome(9, "d", 4, "seed/r");
  const size_t empty = b.replay_window(10, "d", 4, "seed/r", -1, -1, 0, -1);
  const Verdict v = run("history_bound", b.history());
  EXPECT_EQ(v.violating, std::vector<size_t>{empty});
  EXPECT_EQ(v.explanation,
            "history replay to client d in room seed/r at t=0.010s held 0 messages but 2 had been delivered before it "
            "connected (bound 1)");
}

}  // namespace
}  // namespace roomsim::properties
