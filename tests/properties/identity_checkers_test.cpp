// tests/properties/identity_checkers_test.cpp: one message per room position
// (room, epoch, seq): total_order.two_messages_one_seq and
// durability.seq_replaced, on handwritten histories, and the identity rules
// they share (sender, message id, digest of a message without id).
#include <gtest/gtest.h>

#include "tests/properties/check_helpers.hpp"
#include "tests/properties/history_builder.hpp"

namespace roomsim::properties {
namespace {

using testing::expect_fails;
using testing::HistoryBuilder;
using testing::run;

// a sends m1 (acked seq 1); b and c receive it live; d gets it replayed.
HistoryBuilder one_message() {
  HistoryBuilder b;
  b.welcome(1, "a", 1, "chat/r", 0, 1);
  b.welcome(1, "b", 2, "chat/r", 0, 1);
  b.welcome(1, "c", 3, "chat/r", 0, 1);
  b.send(10, "a", 1, "chat/r", "m1", "p1");
  b.ack(11, "a", 1, "chat/r", "m1", 1);
  b.receive(12, "b", 2, "chat/r", "a", "m1", "p1", 1, 1);
  b.receive(13, "c", 3, "chat/r", "a", "m1", "p1", 1, 1);
  b.welcome(20, "d", 4, "chat/r", 1, 1);
  b.receive(21, "d", 4, "chat/r", "a", "m1", "p1", 1, 1, /*replayed=*/true);
  return b;
}

TEST(PositionIdentity, OneMessageSeenByEveryoneAtOneSeqPasses) {
  HistoryBuilder b = one_message();
  for (const char* property : {"total_order", "durability"}) {
    const Verdict v = run(property, b.history());
    EXPECT_TRUE(v.passed) << property << ": " << v.explanation;
    EXPECT_FALSE(v.vacuous) << property;
  }
}

TEST(PositionIdentity, TwoReceiversSeeingDifferentMessagesAtOneSeqFail) {
  // Each connection's seqs increase, so the old per-connection rule passed this.
  HistoryBuilder b = one_message();
  b.send(14, "x", 5, "chat/r", "m2", "p2");
  const size_t other = b.receive(15, "e", 6, "chat/r", "x", "m2", "p2", 1, 1);
  Verdict v = run("total_order", b.history());
  EXPECT_FALSE(v.passed);
  expect_fails(v, std::vector<size_t>{other}, "total_order.two_messages_one_seq");
  char want[200];
  std::snprintf(want, sizeof want,
                "room chat/r epoch 1 seq 1 holds message #%08llx from a (event 4) but client e received message "
                "#%08llx from x there at t=0.015s",
                static_cast<unsigned long long>(fnv1a64("m1") >> 32),
                static_cast<unsigned long long>(fnv1a64("m2") >> 32));
  EXPECT_EQ(v.explanation, want);
  v = run("durability", b.history());
  expect_fails(v, std::vector<size_t>{other}, "durability.seq_replaced");
}

TEST(PositionIdentity, AReplayThatPutsAnotherMessageAtAnAckedSeqFails) {
  HistoryBuilder b = one_message();
  b.send(22, "a", 1, "chat/r", "m3", "p3");
  const size_t replay = b.receive(30, "f", 7, "chat/r", "a", "m3", "p3", 1, 1, /*replayed=*/true);
  EXPECT_EQ(run("durability", b.history()).violating, std::vector<size_t>{replay});
  EXPECT_EQ(run("total_order", b.history()).violating, std::vector<size_t>{replay});
}

TEST(PositionIdentity, AnAckOfAnotherMessageAtADeliveredSeqFails) {
  HistoryBuilder b = one_message();
  b.send(22, "b", 2, "chat/r", "m4", "p4");
  const size_t ack = b.ack(23, "b", 2, "chat/r", "m4", 1);
  const Verdict v = run("durability", b.history());
  EXPECT_EQ(v.violating, std::vector<size_t>{ack});
  EXPECT_NE(v.explanation.find("client b was acked for"), std::string::npos) << v.explanation;
}

TEST(PositionIdentity, PositionsOfOtherEpochsAndRoomsAreDistinct) {
  HistoryBuilder b = one_message();
  b.receive(40, "b", 9, "chat/other", "x", "m9", "p9", 1, 1);  // another room
  b.receive(41, "g", 8, "chat/r", "x", "m9", "p9", 1, 2);      // another epoch (durability judges the change)
  EXPECT_TRUE(run("total_order", b.history()).passed);
}

TEST(PositionIdentity, MessagesWithoutIdAreIdentifiedByTheirPayload) {
  // A message sent without an id: receives carry msg 0 and its digest; its
  // ack names the id "" (fnv1a64("")), which identifies nothing.
  HistoryBuilder b;
  b.ack(10, "a", 1, "chat/r", "", 1);
  b.receive(11, "b", 2, "chat/r", "a", "m", "same", 1, 1);
  b.last().msg = 0;
  b.receive(12, "c", 3, "chat/r", "a", "m", "same", 1, 1);
  b.last().msg = 0;
  EXPECT_TRUE(run("total_order", b.history()).passed);
  const size_t other = b.receive(13, "d", 4, "chat/r", "a", "m", "different", 1, 1);
  b.last().msg = 0;
  EXPECT_EQ(run("total_order", b.history()).violating, std::vector<size_t>{other});
}

TEST(PositionIdentity, NotPromisedDurabilitySkipsTheRoom) {
  // A kind that keeps history in memory only declares promises.durability = 0.
  HistoryBuilder b = one_message();
  b.config("promises.durability", 0, "chat/r");
  b.send(22, "a", 1, "chat/r", "m3", "p3");
  b.receive(30, "f", 7, "chat/r", "a", "m3", "p3", 1, 1, true);
  const Verdict v = run("durability", b.history());
  EXPECT_TRUE(v.passed);
  EXPECT_TRUE(v.vacuous);
  EXPECT_NE(v.explanation.find("not promised (promises.durability = 0): not judged (room chat/r)"), std::string::npos)
      << v.explanation;
  EXPECT_FALSE(run("total_order", b.history()).passed);  // total_order still holds the room to one message per seq
}

}  // namespace
}  // namespace roomsim::properties
