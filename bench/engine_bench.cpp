// bench/engine_bench.cpp: event-queue throughput of engine::Simulator against
// a bare std::priority_queue<pair<int64,uint64>> doing the same schedule/pop
// work, so the ratio is visible. Target: Simulator >= 0.5x the bare loop.
//   ./build/bench/engine_bench
#include <benchmark/benchmark.h>

#include <functional>
#include <queue>
#include <utility>
#include <vector>

#include "engine/rng.hpp"
#include "engine/simulator.hpp"

namespace {

using roomsim::Rng;
using roomsim::Simulator;
using roomsim::Time;

constexpr int64_t kHorizonNs = 1'000'000'000;

// Schedule N timers at random future times, then pop them all.
void BM_SimulatorScheduleThenRunAll(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  for (auto _ : state) {
    Rng rng(1);
    Simulator sim;
    uint64_t fired = 0;
    for (size_t i = 0; i < n; ++i) {
      sim.schedule_at(Time::from_ns(static_cast<int64_t>(rng.uniform_below(kHorizonNs))), [&fired] { ++fired; });
    }
    sim.run();
    benchmark::DoNotOptimize(fired);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
}
BENCHMARK(BM_SimulatorScheduleThenRunAll)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_BareHeapScheduleThenPopAll(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  for (auto _ : state) {
    Rng rng(1);
    std::priority_queue<std::pair<int64_t, uint64_t>, std::vector<std::pair<int64_t, uint64_t>>,
                        std::greater<>>
        heap;
    uint64_t fired = 0;
    for (size_t i = 0; i < n; ++i) heap.emplace(static_cast<int64_t>(rng.uniform_below(kHorizonNs)), i);
    while (!heap.empty()) {
      fired += heap.top().second & 1;
      heap.pop();
    }
    benchmark::DoNotOptimize(fired);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
}
BENCHMARK(BM_BareHeapScheduleThenPopAll)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// Steady state: P pending timers; each fired timer schedules one more at a random later time.
void BM_SimulatorSteadyState(benchmark::State& state) {
  const auto pending = static_cast<size_t>(state.range(0));
  // A timer callback captures one pointer, as netsim's do ([this] or [this, id]),
  // so it fits std::function's small-buffer and allocates nothing.
  struct Timers {
    Rng rng{2};
    Simulator sim;
    void rearm() {
      sim.schedule_after(roomsim::nanoseconds(static_cast<int64_t>(rng.uniform_below(kHorizonNs)) + 1),
                         [this] { rearm(); });
    }
  } timers;
  for (size_t i = 0; i < pending; ++i) {
    timers.sim.schedule_at(Time::from_ns(static_cast<int64_t>(timers.rng.uniform_below(kHorizonNs))),
                           [t = &timers] { t->rearm(); });
  }
  for (auto _ : state) timers.sim.step();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SimulatorSteadyState)->Arg(100'000);

void BM_BareHeapSteadyState(benchmark::State& state) {
  const auto pending = static_cast<size_t>(state.range(0));
  Rng rng(2);
  std::priority_queue<std::pair<int64_t, uint64_t>, std::vector<std::pair<int64_t, uint64_t>>, std::greater<>> heap;
  uint64_t seq = 0;
  for (size_t i = 0; i < pending; ++i) heap.emplace(static_cast<int64_t>(rng.uniform_below(kHorizonNs)), seq++);
  for (auto _ : state) {
    const int64_t now = heap.top().first;
    heap.pop();
    heap.emplace(now + static_cast<int64_t>(rng.uniform_below(kHorizonNs)) + 1, seq++);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BareHeapSteadyState)->Arg(100'000);

}  // namespace

BENCHMARK_MAIN();
