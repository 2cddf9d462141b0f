// tests/properties/verdict_reasons_test.cpp: a pass says why when it judged
// nothing, absent limits are noted (never a silent default), rooms that do
// not promise a property are skipped, and ms -> ns conversions saturate.
#include <gtest/gtest.h>

#include <limits>
#include <set>

#include "tests/properties/check_helpers.hpp"
#include "tests/labels.hpp"
#include "tests/properties/history_builder.hpp"

namespace roomsim::properties {
namespace {

using testing::HistoryBuilder;
using testing::run;

TEST(VerdictReasons, AnEmptyHistoryIsVacuousForEveryPropertyWithItsOwnReason) {
  const auto verdicts = check_properties(History{}, {});
  ASSERT_EQ(verdicts.size(), all_property_names().size());
  std::set<std::string> reasons;
  for (const Verdict& v : verdicts) {
    EXPECT_TRUE(v.passed) << v.property;
    EXPECT_TRUE(v.vacuous) << v.property;
    EXPECT_TRUE(v.rule.empty()) << v.property;
    EXPECT_FALSE(v.explanation.empty()) << v.property;
    EXPECT_EQ(v.explanation.find("vacuous: the history holds nothing"), std::string::npos)
        << v.property << " gives only the generic reason";
    reasons.insert(v.explanation);
  }
  // Reasons name what is missing; a few properties miss the same input (an end phase).
  EXPECT_GE(reasons.size(), verdicts.size() - 2);
  EXPECT_EQ(verdicts[9].explanation, "no auth_required recorded for any room: tokens not judged");
}

TEST(VerdictReasons, NamedReasons) {
  const History empty;
  EXPECT_EQ(run("recovery", empty).explanation,
            "no welcome with a seq and no reconnect to a room without seqs: nothing to recover");
  EXPECT_EQ(run("dashboard_convergence", empty).explanation, "no subscribe events recorded");
  EXPECT_EQ(run("total_order", empty).explanation, "no receive or ack recorded: nothing to order");
  HistoryBuilder seqs;
  seqs.receive(1, "b", 2, "seed/r", "a", "m1");  // no seqs
  EXPECT_EQ(run("durability", seqs.history()).explanation,
            "no event carries a seq and epoch: durability needs them (seed rooms)");
}

TEST(VerdictReasons, NotPromisedPropertiesSkipTheRoomForEveryChecker) {
  // fifo breaks in two rooms; one of them declares it does not promise fifo.
  HistoryBuilder b;
  b.config("promises.fifo", 0, "seed/r");
  for (const char* room : {"chat/r", "seed/r"}) {
    b.send(10, "a", 1, room, "m1");
    b.send(11, "a", 1, room, "m2");
    b.receive(20, "b", 2, room, "a", "m2");
    b.receive(21, "b", 2, room, "a", "m1");
  }
  Verdict v = run("fifo", b.history());
  EXPECT_EQ(v.violating, std::vector<size_t>{4});  // chat/r's only
  b.config("promises.fifo", 0);                    // every room
  v = run("fifo", b.history());
  EXPECT_TRUE(v.passed);
  EXPECT_TRUE(v.vacuous);
  EXPECT_EQ(v.explanation,
            "no live receive matches a recorded send; not promised (promises.fifo = 0): not judged (rooms seed/r and "
            "chat/r)");
  b.config("promises.fifo", 1, "chat/r");  // a room's own value wins
  EXPECT_FALSE(run("fifo", b.history()).passed);
}

TEST(VerdictReasons, NotesNameAFewRoomsAndCountTheRest) {
  HistoryBuilder b;
  for (int r = 0; r < 5; ++r) {
    const std::string client = roomsim::testing::label("a", r);
    const std::string room = roomsim::testing::label("room", r);
    b.connect(r, client, static_cast<uint64_t>(r + 1), room, "u");
    b.accept(r, client, static_cast<uint64_t>(r + 1), room);
  }
  b.config("max_connections_per_user", 5);
  const Verdict v = run("connection_limits", b.history());
  EXPECT_EQ(v.explanation,
            "no max_connections recorded: open sessions per room not judged (rooms room0, room1, room2 and 2 more)");
  EXPECT_FALSE(v.vacuous);
}

TEST(VerdictReasons, ALivenessBoundNearInt64MaxNeitherOverflowsNorFails) {
  // bound_ms * 1e6 overflows int64 and t + bound overflows too: the old code
  // judged a negative deadline and reported "within -1ms".
  for (const int64_t bound_ms :
       {std::numeric_limits<int64_t>::max() / 1'000'000, std::numeric_limits<int64_t>::max() / 1'000'000 + 1,
        std::numeric_limits<int64_t>::max()}) {
    HistoryBuilder b;
    b.config("liveness_bound_ms", bound_ms);
    b.welcome(1, "a", 1, "chat/r");
    b.welcome(1, "b", 2, "chat/r");
    b.phase(100, "liveness");
    b.send(200, "a", 1, "chat/r", "m1");
    b.phase(1000, "end");
    const Verdict v = run("liveness", b.history());
    EXPECT_TRUE(v.passed) << bound_ms << ": " << v.explanation;
    EXPECT_TRUE(v.vacuous) << bound_ms;
    EXPECT_EQ(v.explanation,
              "no broadcast of the liveness phase had a connected receiver and either a window ending before the end "
              "or every receiver served by the end")
        << bound_ms;
  }
}

TEST(VerdictReasons, HugeBoundsSaturateInEveryChecker) {
  const int64_t huge = std::numeric_limits<int64_t>::max();
  HistoryBuilder b;
  b.config("liveness_bound_ms", huge);
  b.config("latency_p99_bound_ms", huge);
  b.config("refresh_interval_ms", huge);
  b.config("history_max", huge);
  b.config("heartbeat_timeout_ms", huge);
  b.config("rate_limit_per_min", 1);
  b.welcome_session(1, "a", 1, "chat/r", "s1", 0, 1);
  b.welcome_session(1, "b", 2, "chat/r", "s2", 0, 1);
  b.subscribe(1, "b", 2, "chat/r", "*");
  b.phase(100, "liveness");
  b.send(200, "a", 1, "chat/r", "m1");
  b.ack(201, "a", 1, "chat/r", "m1", 1);
  b.receive(300, "b", 2, "chat/r", "a", "m1", "p", 1, 1);
  b.send_to(400, "a", 1, "chat/r", "d1", "direct", "s2");
  b.feed_value(500, "", "cpu", 1);
  b.add(EventKind::kResume, 550, "b", 2, "chat/r");
  b.last().value = 0;
  b.last().epoch = 1;
  b.gap(600, "b", 2, "chat/r", 1, 1);
  b.text_event(EventKind::kError, 700, "a", 1, "chat/r", "rate_limited");
  b.phase(1000, "end");
  for (const Verdict& v : check_properties(b.history(), {})) {
    EXPECT_EQ(v.explanation.find(" -"), std::string::npos) << v.property << ": " << v.explanation;
    if (v.property == "recovery") {
      EXPECT_EQ(v.rule, "recovery.dishonest_gap") << v.explanation;  // history_max huge: seq 1 is kept
    } else {
      EXPECT_TRUE(v.passed) << v.property << ": " << v.explanation;
    }
  }
}

// A live run stops as soon as everything arrived, well inside the bound: the
// windows that end after "end" cannot fail, but what was served by the end is
// judged (before, such a run judged nothing and said so).
TEST(VerdictReasons, WindowsEndingAfterTheEndAreJudgedWhenServedAndNeverFail) {
  HistoryBuilder b;
  b.config("liveness_bound_ms", 10'000);
  b.phase(0, "liveness");
  b.connect(0, "a", 1, "chat/r", "ua");
  b.welcome(1, "a", 1, "chat/r");
  b.connect(0, "b", 2, "chat/r", "ub");
  b.welcome(1, "b", 2, "chat/r");
  b.send(10, "a", 1, "chat/r", "m1");
  b.receive(12, "b", 2, "chat/r", "a", "m1");
  b.phase(20, "end");
  b.close(21, "b", 2, "chat/r");  // after the end: not read
  Verdict v = run("liveness", b.history());
  EXPECT_TRUE(v.passed) << v.explanation;
  EXPECT_FALSE(v.vacuous) << "m1 reached everyone by the end: judged";

  HistoryBuilder late;  // the same, but b never gets m1 before the end: not a failure, and not judged
  late.config("liveness_bound_ms", 10'000);
  late.phase(0, "liveness");
  late.welcome(1, "a", 1, "chat/r");
  late.welcome(1, "b", 2, "chat/r");
  late.send(10, "a", 1, "chat/r", "m1");
  late.phase(20, "end");
  late.close(21, "b", 2, "chat/r");
  v = run("liveness", late.history());
  EXPECT_TRUE(v.passed) << v.explanation;
  EXPECT_TRUE(v.vacuous) << v.explanation;

  // admission rule 5: a valid connect answered by the end counts as judged.
  b.config("max_connections", 10, "chat/r");
  b.config("max_connections_per_user", 2, "chat/r");
  b.accept(2, "a", 1, "chat/r");
  v = run("admission", b.history());
  EXPECT_TRUE(v.passed) << v.explanation;
  EXPECT_FALSE(v.vacuous) << v.explanation;
}

TEST(VerdictReasons, PresenceStillSettlingIsJudgedWhereItAlreadyAgrees) {
  HistoryBuilder b;
  b.config("liveness_bound_ms", 10'000);
  b.connect(0, "a", 1, "chat/r", "ua");
  b.accept(1, "a", 1, "chat/r");
  b.text_event(EventKind::kPresence, 2, "a", 1, "chat/r", "ua");
  b.phase(20, "end");  // sessions changed 19 ms before the end, inside the bound
  Verdict v = run("presence_convergence", b.history());
  EXPECT_TRUE(v.passed) << v.explanation;
  EXPECT_FALSE(v.vacuous) << "the list already agrees: judged";

  HistoryBuilder stale;
  stale.config("liveness_bound_ms", 10'000);
  stale.connect(0, "a", 1, "chat/r", "ua");
  stale.accept(1, "a", 1, "chat/r");
  stale.text_event(EventKind::kPresence, 2, "a", 1, "chat/r", "ua,ux");
  stale.phase(20, "end");
  v = run("presence_convergence", stale.history());
  EXPECT_TRUE(v.passed) << "a list that may still change is not failed: " << v.explanation;
  EXPECT_TRUE(v.vacuous) << v.explanation;
}

}  // namespace
}  // namespace roomsim::properties
