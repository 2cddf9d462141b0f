// Tests for engine/simulator: ordering, same-time FIFO, cancel, budget, past-scheduling death.
#include "engine/simulator.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <tuple>
#include <vector>

namespace roomsim {
namespace {

TEST(Simulator, RunsEventsInTimeOrder) {
  Simulator sim;
  std::vector<int> order;
  sim.schedule_at(Time::from_ns(30), [&] { order.push_back(3); });
  sim.schedule_at(Time::from_ns(10), [&] { order.push_back(1); });
  sim.schedule_at(Time::from_ns(20), [&] { order.push_back(2); });
  EXPECT_EQ(sim.run(), StopReason::kIdle);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(sim.now(), Time::from_ns(30));
  EXPECT_EQ(sim.events_run(), 3u);
}

TEST(Simulator, SameTimeEventsRunInInsertionOrder) {
  Simulator sim;
  std::vector<int> order;
  for (int i = 0; i < 100; ++i) sim.schedule_at(Time::from_ns(5), [&, i] { order.push_back(i); });
  sim.run();
  ASSERT_EQ(order.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(order[static_cast<size_t>(i)], i);
}

TEST(Simulator, EventsScheduledFromEventsAtSameTimeRunAfterEarlierOnes) {
  Simulator sim;
  std::vector<int> order;
  sim.schedule_at(Time::from_ns(1), [&] {
    order.push_back(1);
    sim.schedule_after(Duration::zero(), [&] { order.push_back(3); });
  });
  sim.schedule_at(Time::from_ns(1), [&] { order.push_back(2); });
  sim.run();
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(Simulator, CancelledEventNeverRuns) {
  Simulator sim;
  bool ran = false;
  const EventId id = sim.schedule_after(milliseconds(5), [&] { ran = true; });
  EXPECT_EQ(sim.pending(), 1u);
  EXPECT_TRUE(sim.cancel(id));
  EXPECT_FALSE(sim.cancel(id)) << "second cancel of the same id";
  EXPECT_EQ(sim.pending(), 0u);
  sim.run();
  EXPECT_FALSE(ran);
  EXPECT_EQ(sim.events_run(), 0u);
}

TEST(Simulator, CancelOfRunEventOrUnknownIdReturnsFalse) {
  Simulator sim;
  const EventId id = sim.schedule_after(milliseconds(1), [] {});
  sim.run();
  EXPECT_FALSE(sim.cancel(id));
  EXPECT_FALSE(sim.cancel(0));
  EXPECT_FALSE(sim.cancel(0xdeadbeef00000007ULL));
  // A recycled slot must not be cancellable through the old id.
  bool ran = false;
  sim.schedule_after(milliseconds(1), [&] { ran = true; });
  EXPECT_FALSE(sim.cancel(id));
  sim.run();
  EXPECT_TRUE(ran);
}

TEST(Simulator, RunUntilStopsAtLimitAndAdvancesClock) {
  Simulator sim;
  int count = 0;
  sim.schedule_at(Time::from_ns(100), [&] { ++count; });
  sim.schedule_at(Time::from_ns(200), [&] { ++count; });
  EXPECT_EQ(sim.run_until(Time::from_ns(150)), StopReason::kTimeReached);
  EXPECT_EQ(count, 1);
  EXPECT_EQ(sim.now(), Time::from_ns(150));
  EXPECT_EQ(sim.run_for(nanoseconds(50)), StopReason::kTimeReached);
  EXPECT_EQ(count, 2) << "events exactly at the limit run";
}

TEST(Simulator, BudgetStopsARunawaySimulation) {
  Simulator sim(1000);
  std::function<void()> forever = [&] { sim.schedule_after(milliseconds(1), forever); };
  sim.schedule_at(Time::zero(), forever);
  EXPECT_EQ(sim.run(), StopReason::kBudgetExhausted);
  EXPECT_EQ(sim.events_run(), 1000u);
  EXPECT_STREQ(to_string(StopReason::kBudgetExhausted), "event budget exhausted (runaway simulation?)");
}

TEST(Simulator, StopFromInsideAnEvent) {
  Simulator sim;
  int count = 0;
  sim.schedule_at(Time::from_ns(1), [&] { ++count; sim.stop(); });
  sim.schedule_at(Time::from_ns(2), [&] { ++count; });
  EXPECT_EQ(sim.run(), StopReason::kStopped);
  EXPECT_EQ(count, 1);
  EXPECT_EQ(sim.run(), StopReason::kIdle);
  EXPECT_EQ(count, 2);
}

TEST(SimulatorDeathTest, SchedulingInThePastAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        Simulator sim;
        sim.schedule_at(Time::from_ns(10), [] {});
        sim.run();
        sim.schedule_at(Time::from_ns(5), [] {});
      },
      "event scheduled in the past");
}

// For arbitrary (time, cancel?) insertions, execution order equals the
// reference order (sorted by time, then insertion) and no cancelled event runs.
RC_GTEST_PROP(SimulatorProperty, ExecutionOrderMatchesReference,
              (const std::vector<std::tuple<uint16_t, bool>>& inserts)) {
  Simulator sim;
  std::vector<size_t> ran;
  std::vector<EventId> ids;
  for (size_t i = 0; i < inserts.size(); ++i) {
    ids.push_back(sim.schedule_at(Time::from_ns(std::get<0>(inserts[i])), [&ran, i] { ran.push_back(i); }));
  }
  std::vector<size_t> expected;
  for (size_t i = 0; i < inserts.size(); ++i) {
    if (std::get<1>(inserts[i])) {
      RC_ASSERT(sim.cancel(ids[i]));
    } else {
      expected.push_back(i);
    }
  }
  std::stable_sort(expected.begin(), expected.end(),
                   [&](size_t a, size_t b) { return std::get<0>(inserts[a]) < std::get<0>(inserts[b]); });
  sim.run();
  RC_ASSERT(ran == expected);
}

// Prefetch hints are only hints: the same events with hints (valid, null or
// pointing at memory already freed) run in the same order at the same times.
TEST(Simulator, PrefetchHintsChangeNothing) {
  auto run = [](bool with_hints) {
    Simulator sim;
    std::vector<std::pair<int64_t, int>> order;
    std::vector<int> data(64, 0);
    // The address of freed memory. A hint is only ever an address; keeping it in
    // a volatile integer stops GCC 12 from tracking it as a pointer used after
    // the free (-Wuse-after-free), which is exactly what this test does on purpose.
    volatile std::uintptr_t freed_address = 0;
    {
      auto gone = std::make_unique<int>(1);
      freed_address = reinterpret_cast<std::uintptr_t>(gone.get());
    }
    const void* freed = reinterpret_cast<const void*>(freed_address);
    for (int i = 0; i < 200; ++i) {
      const Time at = Time::from_ns((i * 7919) % 97);
      const EventPrefetch hints =
          with_hints ? EventPrefetch{&data[static_cast<size_t>(i % 64)], freed, nullptr, &order} : EventPrefetch{};
      const EventId id = sim.schedule_at(at, [&, i, hints] {
        order.emplace_back(sim.now().ns(), i);
        if (i % 5 == 0) sim.schedule_after(Duration::nanoseconds(i % 3), [&, i] { order.emplace_back(sim.now().ns(), -i); }, hints);
      }, hints);
      if (i % 11 == 0) sim.cancel(id);
    }
    sim.run();
    return order;
  };
  const auto plain = run(false);
  EXPECT_EQ(plain.size(), 200u - 19u + 36u);
  EXPECT_EQ(run(true), plain);
}

}  // namespace
}  // namespace roomsim
