// tests/properties/addressed_delivery_test.cpp: direct, sub-room and per-key
// traffic reaches its addressees and nobody else, judged by the address the
// sender gave (kSend), the sessions welcomes named, joins and subscriptions.
#include <gtest/gtest.h>

#include "tests/properties/check_helpers.hpp"
#include "tests/properties/history_builder.hpp"

namespace roomsim::properties {
namespace {

using testing::expect_fails;
using testing::HistoryBuilder;
using testing::run;

// a (session s1), b (s2), c (s3) welcomed in chat/r; bound 50ms; end at 1s.
HistoryBuilder sessions() {
  HistoryBuilder b;
  b.config("liveness_bound_ms", 50);
  b.welcome_session(1, "a", 1, "chat/r", "s1");
  b.welcome_session(1, "b", 2, "chat/r", "s2");
  b.welcome_session(1, "c", 3, "chat/r", "s3");
  return b;
}

TEST(AddressedDelivery, ADirectMessageReachesItsTargetOnly) {
  HistoryBuilder b = sessions();
  b.send_to(100, "a", 1, "chat/r", "d1", "direct", "s2");
  b.ack(101, "a", 1, "chat/r", "d1", -1);
  b.receive(110, "b", 2, "chat/r", "a", "d1", "p", -1, -1, false, "direct");
  b.phase(1000, "end");
  const Verdict v = run("addressed_delivery", b.history());
  EXPECT_TRUE(v.passed) << v.explanation;
  EXPECT_FALSE(v.vacuous);
}

TEST(AddressedDelivery, ADirectMessageAtAnotherSessionFails) {
  HistoryBuilder b = sessions();
  b.welcome_session(2, "a", 4, "chat/r", "s4");  // a's second connection
  b.send_to(100, "a", 1, "chat/r", "d1", "direct", "s2");
  b.receive(110, "b", 2, "chat/r", "a", "d1", "p", -1, -1, false, "direct");
  const size_t other = b.receive(111, "c", 3, "chat/r", "a", "d1", "p", -1, -1, false, "direct");
  const size_t sender = b.receive(112, "a", 4, "chat/r", "a", "d1");  // as a room broadcast frame: still addressed
  b.phase(1000, "end");
  const Verdict v = run("addressed_delivery", b.history());
  expect_fails(v, (std::vector<size_t>{other, sender}), "addressed_delivery.wrong_receiver");
  char want[200];
  std::snprintf(want, sizeof want,
                "client c (connection 3, session s3) received message #%08llx from a addressed to session s2 in room "
                "chat/r at t=0.111s",
                static_cast<unsigned long long>(fnv1a64("d1") >> 32));
  EXPECT_EQ(v.explanation, want);
}

TEST(AddressedDelivery, AConnectedTargetThatNeverGetsItFails) {
  HistoryBuilder b = sessions();
  const size_t lost = b.send_to(100, "a", 1, "chat/r", "d1", "direct", "s2");
  b.ack(101, "a", 1, "chat/r", "d1", -1);
  b.phase(1000, "end");
  Verdict v = run("addressed_delivery", b.history());
  expect_fails(v, std::vector<size_t>{lost}, "addressed_delivery.addressee_missed");
  EXPECT_NE(v.explanation.find("to session s2 did not reach client b (connection 2) within 50ms"), std::string::npos)
      << v.explanation;
}

TEST(AddressedDelivery, MissesAreExcusedByFaultsClosesRefusalsAndTheEnd) {
  {  // a fault during the window
    HistoryBuilder b = sessions();
    b.send_to(100, "a", 1, "chat/r", "d1", "direct", "s2");
    b.ack(101, "a", 1, "chat/r", "d1", -1);
    b.fault(120, true);
    b.fault(130, false);
    b.phase(1000, "end");
    EXPECT_TRUE(run("addressed_delivery", b.history()).passed);
  }
  {  // the target leaves inside the window
    HistoryBuilder b = sessions();
    b.send_to(100, "a", 1, "chat/r", "d1", "direct", "s2");
    b.ack(101, "a", 1, "chat/r", "d1", -1);
    b.close(120, "b", 2, "chat/r");
    b.phase(1000, "end");
    EXPECT_TRUE(run("addressed_delivery", b.history()).passed);
  }
  {  // the room refused it: an error and no ack
    HistoryBuilder b = sessions();
    b.send_to(100, "a", 1, "chat/r", "d1", "direct", "s2");
    b.text_event(EventKind::kError, 101, "a", 1, "chat/r", "unknown_target");
    b.phase(1000, "end");
    EXPECT_TRUE(run("addressed_delivery", b.history()).passed);
  }
  {  // the window ends after the end phase
    HistoryBuilder b = sessions();
    b.send_to(980, "a", 1, "chat/r", "d1", "direct", "s2");
    b.phase(1000, "end");
    EXPECT_TRUE(run("addressed_delivery", b.history()).passed);
  }
}

TEST(AddressedDelivery, SubRoomMessagesReachConfirmedMembersOnly) {
  HistoryBuilder b = sessions();
  b.welcome_session(1, "d", 4, "chat/r", "s4");
  b.join_room(2, "a", 1, "chat/r", "team", false);
  b.join_room(3, "a", 1, "chat/r", "team", true);
  b.join_room(2, "b", 2, "chat/r", "team", false);
  b.join_room(3, "b", 2, "chat/r", "team", true);
  b.join_room(2, "d", 4, "chat/r", "team", false);  // asked, never confirmed: may receive, is not owed
  b.send_to(100, "a", 1, "chat/r", "t1", "sub", "team");
  b.ack(101, "a", 1, "chat/r", "t1", -1);
  b.receive(110, "b", 2, "chat/r", "a", "t1", "p", -1, -1, false, "sub");
  b.last().target = b.history().intern("team");
  b.phase(1000, "end");
  EXPECT_TRUE(run("addressed_delivery", b.history()).passed) << run("addressed_delivery", b.history()).explanation;
  // c never joined: receiving it breaks the address (the old authorization
  // rule "sub_room_non_member", now judged by the send's address).
  const size_t outsider = b.receive(120, "c", 3, "chat/r", "a", "t1", "p", -1, -1, false, "sub");
  b.last().target = b.history().intern("team");
  const Verdict v = run("addressed_delivery", b.history());
  expect_fails(v, std::vector<size_t>{outsider}, "addressed_delivery.sub_room_non_member");
}

TEST(AddressedDelivery, AConfirmedMemberThatMissesASubRoomMessageFails) {
  HistoryBuilder b = sessions();
  b.join_room(2, "a", 1, "chat/r", "team", true);
  b.join_room(2, "b", 2, "chat/r", "team", true);
  b.join_room(2, "c", 3, "chat/r", "team", true);
  const size_t send = b.send_to(100, "a", 1, "chat/r", "t1", "sub", "team");
  b.ack(101, "a", 1, "chat/r", "t1", -1);
  b.receive(110, "b", 2, "chat/r", "a", "t1", "p", -1, -1, false, "sub");
  b.phase(1000, "end");
  const Verdict v = run("addressed_delivery", b.history());
  EXPECT_EQ(v.violating, std::vector<size_t>{send});
  EXPECT_NE(v.explanation.find("to sub-room team did not reach client c (connection 3)"), std::string::npos)
      << v.explanation;
}

TEST(AddressedDelivery, DataUpdatesGoOnlyToSubscribers) {
  HistoryBuilder b = sessions();
  b.subscribe(2, "a", 1, "chat/r", "cpu");
  b.subscribe(2, "b", 2, "chat/r", "*");
  b.data_update(10, "a", 1, "chat/r", "cpu", 1);
  b.data_update(10, "b", 2, "chat/r", "mem", 2);
  EXPECT_TRUE(run("addressed_delivery", b.history()).passed);
  const size_t wrong = b.data_update(11, "a", 1, "chat/r", "mem", 2);
  const size_t never = b.data_update(12, "c", 3, "chat/r", "cpu", 1);
  const Verdict v = run("addressed_delivery", b.history());
  expect_fails(v, (std::vector<size_t>{wrong, never}), "addressed_delivery.unsubscribed_update");
}

TEST(AddressedDelivery, SaysWhatItCannotJudge) {
  HistoryBuilder b;
  b.welcome(1, "a", 1, "seed/r");  // seed rooms name no session
  b.send_to(10, "a", 1, "seed/r", "d1", "direct", "s9");
  b.receive(11, "b", 2, "seed/r", "a", "d1");
  b.send_to(12, "a", 1, "seed/r", "t1", "sub", "team");
  b.receive(13, "b", 2, "seed/r", "a", "t1");
  b.data_update(14, "b", 2, "seed/r", "cpu", 1);
  const Verdict v = run("addressed_delivery", b.history());
  EXPECT_TRUE(v.passed);
  EXPECT_TRUE(v.vacuous);
  EXPECT_EQ(v.explanation,
            "direct messages not judged: no welcome in "
            "the history names a session; sub-room messages not judged: the history records no join_room events; "
            "data updates not judged: the history records no subscribe events");
}

}  // namespace
}  // namespace roomsim::properties
