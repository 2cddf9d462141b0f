// Handcrafted passing and failing histories for fifo, total_order,
// no_duplicates and no_phantoms; each failing case asserts the exact
// violating event indices.
#include <gtest/gtest.h>

#include "properties/checker.hpp"
#include "tests/properties/check_helpers.hpp"
#include "tests/properties/history_builder.hpp"

namespace roomsim::properties {
namespace {

using testing::HistoryBuilder;
using testing::run;

// a (conn 1) sends m1, m2, m3; b (conn 2) and c (conn 3) receive them.
HistoryBuilder two_receivers() {
  HistoryBuilder b;
  b.send(10, "a", 1, "chat/r", "m1", "p1");
  b.send(11, "a", 1, "chat/r", "m2", "p2");
  b.send(12, "a", 1, "chat/r", "m3", "p3");
  return b;
}

TEST(Fifo, PassesInSendOrder) {
  HistoryBuilder b = two_receivers();
  b.receive(20, "b", 2, "chat/r", "a", "m1", "p1");
  b.receive(21, "b", 2, "chat/r", "a", "m3", "p3");  // a gap is not a FIFO violation
  b.receive(22, "c", 3, "chat/r", "a", "m1", "p1");
  b.receive(23, "c", 3, "chat/r", "a", "m2", "p2");
  const Verdict v = run("fifo", b.history());
  EXPECT_TRUE(v.passed) << v.explanation;
  EXPECT_TRUE(v.violating.empty());
}

TEST(Fifo, FailsWhenALaterSendArrivesFirst) {
  HistoryBuilder b = two_receivers();
  b.receive(20, "b", 2, "chat/r", "a", "m2", "p2");
  const size_t bad = b.receive(21, "b", 2, "chat/r", "a", "m1", "p1");
  b.receive(22, "b", 2, "chat/r", "a", "m3", "p3");
  const Verdict v = run("fifo", b.history());
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.violating, std::vector<size_t>{bad});
  EXPECT_EQ(v.t_ns, 21'000'000);
  EXPECT_NE(v.explanation.find("client b received"), std::string::npos) << v.explanation;
}

TEST(Fifo, ReplayedReceivesAndOtherConnectionsAreNotCompared) {
  HistoryBuilder b = two_receivers();
  b.receive(20, "b", 2, "chat/r", "a", "m2", "p2");
  b.receive(21, "b", 2, "chat/r", "a", "m1", "p1", -1, -1, /*replayed=*/true);
  b.close(22, "b", 2, "chat/r");
  b.receive(23, "b", 4, "chat/r", "a", "m1", "p1");  // a new connection starts afresh
  EXPECT_TRUE(run("fifo", b.history()).passed);
}

TEST(TotalOrder, SeqsPassWhenStrictlyIncreasing) {
  HistoryBuilder b = two_receivers();
  b.receive(20, "b", 2, "chat/r", "a", "m1", "p1", 1, 1);
  b.receive(21, "b", 2, "chat/r", "a", "m3", "p3", 3, 1);
  b.receive(22, "b", 2, "chat/r", "a", "m2", "p2", 2, 1, /*replayed=*/true);  // replays are not live
  b.receive(23, "b", 2, "chat/r", "a", "m1", "p1", 1, 2);                      // new epoch starts again
  EXPECT_TRUE(run("total_order", b.history()).passed);
}

TEST(TotalOrder, SeqsFailWhenTheyGoBack) {
  HistoryBuilder b = two_receivers();
  b.receive(20, "b", 2, "chat/r", "a", "m2", "p2", 2, 1);
  const size_t bad = b.receive(21, "b", 2, "chat/r", "a", "m1", "p1", 1, 1);
  b.receive(22, "c", 3, "chat/r", "a", "m1", "p1", 1, 1);
  const Verdict v = run("total_order", b.history());
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.violating, std::vector<size_t>{bad});
  EXPECT_EQ(v.explanation, "client b received seq 1 after seq 2 (event 3) in room chat/r epoch 1 at t=0.021s");
}

TEST(TotalOrder, WithoutSeqsPassesWhenReceiversAgree) {
  HistoryBuilder b;
  b.send(10, "a", 1, "seed/r", "m1");
  b.send(10, "x", 9, "seed/r", "m2");
  b.receive(20, "b", 2, "seed/r", "x", "m2");  // b sees m2 then m1
  b.receive(21, "b", 2, "seed/r", "a", "m1");
  b.receive(22, "c", 3, "seed/r", "a", "m1");  // c only sees m1: consistent
  b.receive(23, "d", 4, "seed/r", "x", "m2");
  b.receive(24, "d", 4, "seed/r", "a", "m1");
  EXPECT_TRUE(run("total_order", b.history()).passed);
}

TEST(TotalOrder, WithoutSeqsFailsOnOppositeOrders) {
  HistoryBuilder b;
  b.send(10, "a", 1, "seed/r", "m1");
  b.send(10, "x", 9, "seed/r", "m2");
  b.receive(20, "b", 2, "seed/r", "a", "m1");
  b.receive(21, "b", 2, "seed/r", "x", "m2");
  b.receive(22, "c", 3, "seed/r", "x", "m2");
  const size_t bad = b.receive(23, "c", 3, "seed/r", "a", "m1");
  const Verdict v = run("total_order", b.history());
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.violating, std::vector<size_t>{bad});
}

TEST(TotalOrder, WithoutSeqsFailsOnAThreeWayCycle) {
  // No two receivers disagree on a pair, yet no common order exists.
  HistoryBuilder b;
  b.send(10, "a", 1, "seed/r", "m1");
  b.send(10, "a", 1, "seed/r", "m2");
  b.send(10, "a", 1, "seed/r", "m3");
  b.receive(20, "b", 2, "seed/r", "a", "m1");
  b.receive(21, "b", 2, "seed/r", "a", "m2");
  b.receive(22, "c", 3, "seed/r", "a", "m2");
  b.receive(23, "c", 3, "seed/r", "a", "m3");
  b.receive(24, "d", 4, "seed/r", "a", "m3");
  const size_t bad = b.receive(25, "d", 4, "seed/r", "a", "m1");
  const Verdict v = run("total_order", b.history());
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.violating, std::vector<size_t>{bad});
}

TEST(NoDuplicates, ReplayRepeatsAreAllowed) {
  HistoryBuilder b = two_receivers();
  b.receive(20, "b", 2, "chat/r", "a", "m1", "p1", 1, 1);
  b.receive(21, "b", 2, "chat/r", "a", "m1", "p1", 1, 1, /*replayed=*/true);
  b.receive(22, "b", 4, "chat/r", "a", "m1", "p1", 1, 1);  // another connection
  EXPECT_TRUE(run("no_duplicates", b.history()).passed);
}

TEST(NoDuplicates, FailsOnASecondLiveCopy) {
  HistoryBuilder b = two_receivers();
  b.receive(20, "b", 2, "chat/r", "a", "m1", "p1");
  b.receive(21, "b", 2, "chat/r", "a", "m2", "p2");
  const size_t bad = b.receive(22, "b", 2, "chat/r", "a", "m1", "p1");
  const Verdict v = run("no_duplicates", b.history());
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.violating, std::vector<size_t>{bad});
  EXPECT_EQ(v.violation_count, 1u);
}

TEST(NoPhantoms, PassesWhenEveryReceiveWasSent) {
  HistoryBuilder b = two_receivers();
  b.receive(20, "b", 2, "chat/r", "a", "m1", "p1");
  b.receive(21, "c", 3, "chat/r", "a", "m2", "p2", -1, -1, true);
  EXPECT_TRUE(run("no_phantoms", b.history()).passed);
}

TEST(NoPhantoms, AResentMessageMayCarryAnyDigestItWasSentWith) {
  HistoryBuilder b;
  b.send(1, "a", 1, "chat/r", "m1", "v1");
  b.send(2, "a", 2, "chat/r", "m1", "v2");  // resent after a reconnect, payload edited
  b.receive(3, "b", 3, "chat/r", "a", "m1", "v1");
  b.receive(4, "c", 4, "chat/r", "a", "m1", "v2");
  const size_t bad = b.receive(5, "d", 5, "chat/r", "a", "m1", "v3");
  EXPECT_EQ(run("no_phantoms", b.history()).violating, std::vector<size_t>{bad});
}

TEST(NoPhantoms, FailsOnUnsentCorruptedAndMisattributedMessages) {
  HistoryBuilder b = two_receivers();
  const size_t early = b.receive(5, "b", 2, "chat/r", "a", "m9", "p9");  // before any such send
  b.send(6, "a", 1, "chat/r", "m9", "p9");
  const size_t corrupt = b.receive(20, "b", 2, "chat/r", "a", "m1", "pX");
  const size_t wrong_sender = b.receive(21, "b", 2, "chat/r", "z", "m2", "p2");
  const size_t wrong_room = b.receive(22, "b", 2, "chat/other", "a", "m3", "p3");
  b.receive(23, "b", 2, "chat/r", "a", "m9", "p9");  // fine: sent by now
  const Verdict v = run("no_phantoms", b.history());
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.violating, (std::vector<size_t>{early, corrupt, wrong_sender, wrong_room}));
  EXPECT_NE(v.explanation.find("never sent"), std::string::npos) << v.explanation;
}

TEST(PropertyRegistry, NamesAreStableAndDescribed) {
  const auto& names = all_property_names();
  ASSERT_GE(names.size(), 4u);
  EXPECT_EQ(names[0], "fifo");
  for (const auto& n : names) EXPECT_FALSE(describe_property(n).empty()) << n;
  EXPECT_FALSE(check_property("nope", History{}).has_value());
  const auto verdicts = check_properties(History{}, {"fifo", "nope"});
  ASSERT_EQ(verdicts.size(), 2u);
  EXPECT_TRUE(verdicts[0].passed);
  EXPECT_FALSE(verdicts[1].passed);
  EXPECT_EQ(check_properties(History{}, {}).size(), names.size());
}

}  // namespace
}  // namespace roomsim::properties
