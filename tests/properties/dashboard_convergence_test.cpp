// tests/properties/dashboard_convergence_test.cpp: dashboards follow the
// external feed (kFeedValue), not the value the room fetched: final values at
// the end, freshness during the run, and polling.
#include <gtest/gtest.h>

#include "tests/properties/check_helpers.hpp"
#include "tests/properties/history_builder.hpp"

namespace roomsim::properties {
namespace {

using testing::expect_fails;
using testing::HistoryBuilder;
using testing::run;

// dash/x refreshes every 100ms, bound 50ms, 3 intervals: S = 350ms. d1
// subscribes to cpu, d2 to everything, at 1ms.
HistoryBuilder dashboard() {
  HistoryBuilder b;
  b.config("refresh_interval_ms", 100, "dash/x");
  b.config("liveness_bound_ms", 50);
  b.subscribe(1, "d1", 1, "dash/x", "cpu");
  b.subscribe(1, "d2", 2, "dash/x", "*");
  return b;
}

// The room's feed calls every 100ms in [from_ms, to_ms), at 2ms past.
void polls(HistoryBuilder& b, int64_t from_ms, int64_t to_ms) {
  for (int64_t t = from_ms; t < to_ms; t += 100) b.service_call(t + 2, "dash/x", t / 100);
}

uint64_t v(int n) { return fnv1a64("value" + std::to_string(n)); }

// The feed sets cpu=1 at 1ms; both subscribers hold it from 10ms.
HistoryBuilder holding_cpu1() {
  HistoryBuilder b = dashboard();
  b.feed_value(1, "", "cpu", v(1));
  b.data_update(10, "d1", 1, "dash/x", "cpu", v(1));
  b.data_update(10, "d2", 2, "dash/x", "cpu", v(1));
  return b;
}

// The feed sets cpu=2 (after 1), mem=5; both subscribers get the latest
// values at 4ms; polls until 1000ms.
HistoryBuilder converged() {
  HistoryBuilder b = dashboard();
  b.feed_value(2, "", "cpu", v(1));  // the shared feed every room reads
  b.service_call(2, "dash/x", 0);
  b.feed_value(3, "", "cpu", v(2));
  b.feed_value(3, "dash/x", "mem", v(5));  // dash/x's own feed
  b.data_update(4, "d1", 1, "dash/x", "cpu", v(2));
  b.data_update(4, "d2", 2, "dash/x", "cpu", v(2));
  b.data_update(4, "d2", 2, "dash/x", "mem", v(5));
  polls(b, 100, 500);
  return b;
}

TEST(DashboardConvergence, PassesWhenSubscribersFollowTheFeed) {
  HistoryBuilder b = converged();
  polls(b, 500, 1000);
  b.phase(1000, "end");
  const Verdict verdict = run("dashboard_convergence", b.history());
  EXPECT_TRUE(verdict.passed) << verdict.explanation;
  EXPECT_FALSE(verdict.vacuous);
}

TEST(DashboardConvergence, FailsOnStaleOrMissingValuesAtTheEnd) {
  HistoryBuilder b = converged();
  const size_t stale = b.data_update(500, "d1", 1, "dash/x", "cpu", v(1));  // went back to an old value
  polls(b, 500, 600);
  const size_t disk = b.feed_value(600, "dash/x", "disk", v(7));  // d2 never gets disk
  polls(b, 600, 1000);
  const size_t end = b.phase(1000, "end");
  b.data_update(1001, "d2", 2, "dash/x", "disk", v(7));  // after the end: too late
  const Verdict verdict = run("dashboard_convergence", b.history());
  // cpu=1 is older than the feed's cpu=2: stale at the end. disk changed at
  // 600ms, more than S before the end: d2 should hold it by 950ms and at the end.
  expect_fails(verdict, (std::vector<size_t>{stale, disk, end}), "dashboard_convergence.stale_at_end");
}

TEST(DashboardConvergence, AtTheEndAValueHasOnePollPerFailedCallToSettle) {
  // The feed's last change at 700ms settles by 700 + 100 + 50 = 850ms; each
  // failed feed call since gives a correct room one more poll (100ms).
  for (const int failed : {0, 1, 2}) {
    HistoryBuilder b = holding_cpu1();
    polls(b, 0, 700);
    b.feed_value(700, "", "cpu", v(2));
    for (int k = 0; k < failed; ++k) b.service_answer(710 + k, "dash/x", 7, 0);
    polls(b, 700, 1000);
    b.phase(1000, "end");  // nobody got cpu=2: both still hold their update of cpu=1 (events 5 and 6)
    const Verdict verdict = run("dashboard_convergence", b.history());
    if (failed < 2) {
      expect_fails(verdict, {5, 6}, "dashboard_convergence.stale_at_end");
    } else {
      EXPECT_TRUE(verdict.passed) << verdict.explanation;  // 700 + 300 + 50 > 1000: not settled yet
    }
  }
}

TEST(DashboardConvergence, AValueOlderThanTheStalenessBoundFails) {
  // The feed changes cpu at 1000ms; d1 still holds the old value at 1350ms.
  HistoryBuilder b = holding_cpu1();
  polls(b, 0, 1000);
  const size_t change = b.feed_value(1000, "", "cpu", v(2));
  polls(b, 1000, 1200);
  b.data_update(1200, "d2", 2, "dash/x", "cpu", v(2));  // d2 in time
  polls(b, 1200, 1400);
  b.data_update(1400, "d1", 1, "dash/x", "cpu", v(2));  // d1 50ms late
  polls(b, 1400, 3000);
  b.phase(3000, "end");
  const Verdict verdict = run("dashboard_convergence", b.history());
  expect_fails(verdict, std::vector<size_t>{change}, "dashboard_convergence.stale_value");
  EXPECT_NE(verdict.explanation.find("at t=1.000s but client d1 of room dash/x still held #"), std::string::npos)
      << verdict.explanation;
  EXPECT_NE(verdict.explanation.find(" 350ms later"), std::string::npos) << verdict.explanation;
}

TEST(DashboardConvergence, AFailedFeedCallOrAFaultExcusesTheWindow) {
  for (const bool fault : {false, true}) {
    HistoryBuilder b = holding_cpu1();
    polls(b, 0, 1000);
    b.feed_value(1000, "", "cpu", v(2));
    polls(b, 1000, 1100);
    if (fault) {
      b.fault(1100, true);
      b.fault(1150, false);
    } else {
      b.service_answer(1100, "dash/x", 11, 0);  // the feed call failed
    }
    polls(b, 1100, 1500);
    b.data_update(1500, "d1", 1, "dash/x", "cpu", v(2));
    b.data_update(1500, "d2", 2, "dash/x", "cpu", v(2));
    polls(b, 1500, 3000);
    b.phase(3000, "end");
    const Verdict verdict = run("dashboard_convergence", b.history());
    EXPECT_TRUE(verdict.passed) << "fault=" << fault << ": " << verdict.explanation;
  }
}

TEST(DashboardConvergence, ASlowFeedAnswerExcusesTheWindow) {
  // d1 and d2 get cpu=2 400ms after the change (S = 350ms): late, unless the
  // feed took more than a refresh interval to answer.
  auto history = [](int64_t answer_ms) {
    HistoryBuilder b = holding_cpu1();
    polls(b, 0, 1000);
    b.feed_value(1000, "", "cpu", v(2));
    b.service_call(1002, "dash/x", 10);
    b.service_answer(answer_ms, "dash/x", 10, 200);
    polls(b, 1300, 1400);
    b.data_update(1400, "d1", 1, "dash/x", "cpu", v(2));
    b.data_update(1400, "d2", 2, "dash/x", "cpu", v(2));
    polls(b, 1400, 3000);
    b.phase(3000, "end");
    return b;
  };
  const Verdict slow = run("dashboard_convergence", history(1250).history());  // answered after 248ms
  EXPECT_TRUE(slow.passed) << slow.explanation;
  HistoryBuilder fast = history(1050);  // answered after 48ms
  const size_t change = 17;             // the feed's change at 1000ms
  ASSERT_EQ(fast.history().events()[change].kind, EventKind::kFeedValue);
  expect_fails(run("dashboard_convergence", fast.history()), {change}, "dashboard_convergence.stale_value");
}

TEST(DashboardConvergence, ARoomThatStopsPollingFails) {
  // The feed does not change, so every value stays right; the room still
  // broke its promise to poll.
  HistoryBuilder b = holding_cpu1();
  polls(b, 0, 900);
  const size_t last_call = b.service_call(902, "dash/x", 9);
  b.phase(3000, "end");
  const Verdict verdict = run("dashboard_convergence", b.history());
  expect_fails(verdict, std::vector<size_t>{last_call}, "dashboard_convergence.stopped_polling",
               "room dash/x had subscribers but made no feed call for 350ms after t=0.902s");
}

TEST(DashboardConvergence, ARoomThatStopsPollingAfterAFailureFails) {
  // The call at 902ms fails; the room never polls again and its subscribers
  // keep cpu=2 although the feed moves on to 3 at 2000ms.
  HistoryBuilder b = holding_cpu1();
  polls(b, 0, 900);
  b.feed_value(850, "", "cpu", v(2));
  const size_t d1 = b.data_update(860, "d1", 1, "dash/x", "cpu", v(2));
  const size_t d2 = b.data_update(860, "d2", 2, "dash/x", "cpu", v(2));
  const size_t last_call = b.service_call(902, "dash/x", 9);
  b.service_answer(910, "dash/x", 9, 0);
  const size_t next = b.feed_value(2000, "", "cpu", v(3));
  b.phase(3000, "end");
  const Verdict verdict = run("dashboard_convergence", b.history());
  // The failure excuses the window it falls in, not the silence after it:
  // stopped polling (at the last call), stale after the next change, stale at the end.
  expect_fails(verdict, (std::vector<size_t>{d1, d2, last_call, next}), "dashboard_convergence.stale_at_end");
}

TEST(DashboardConvergence, ALaterValueCountsAsFresh) {
  HistoryBuilder b = dashboard();
  polls(b, 0, 1000);
  b.feed_value(1000, "", "cpu", v(2));
  polls(b, 1000, 1100);
  b.feed_value(1100, "", "cpu", v(3));
  polls(b, 1100, 1200);
  b.data_update(1200, "d1", 1, "dash/x", "cpu", v(3));  // skipped 2 for the newer 3
  b.data_update(1200, "d2", 2, "dash/x", "cpu", v(3));
  polls(b, 1200, 3000);
  b.phase(3000, "end");
  EXPECT_TRUE(run("dashboard_convergence", b.history()).passed);
}

TEST(DashboardConvergence, StalenessIntervalsWidensTheBound) {
  HistoryBuilder b = dashboard();
  b.config("staleness_intervals", 5);  // S = 550ms
  polls(b, 0, 1000);
  b.feed_value(1000, "", "cpu", v(2));
  polls(b, 1000, 1400);
  b.data_update(1400, "d1", 1, "dash/x", "cpu", v(2));
  b.data_update(1400, "d2", 2, "dash/x", "cpu", v(2));
  polls(b, 1400, 3000);
  b.phase(3000, "end");
  EXPECT_TRUE(run("dashboard_convergence", b.history()).passed);
}

TEST(DashboardConvergence, RoomsWithoutARefreshPromiseAreNotJudged) {
  HistoryBuilder b;
  b.config("liveness_bound_ms", 50);
  b.subscribe(1, "d1", 1, "dash/y", "cpu");
  b.feed_value(2, "", "cpu", v(1));
  b.phase(1000, "end");
  const Verdict verdict = run("dashboard_convergence", b.history());
  EXPECT_TRUE(verdict.passed);
  EXPECT_TRUE(verdict.vacuous);
  EXPECT_NE(verdict.explanation.find("no refresh_interval_ms recorded: freshness not judged (room dash/y)"),
            std::string::npos)
      << verdict.explanation;
}

}  // namespace
}  // namespace roomsim::properties
