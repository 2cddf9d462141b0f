// bench/scenarios_bench.cpp: seeds per second of the runner for the built-in
// `smoke` and `swarm` scenarios with 1 and 2 worker threads (each seed =
// simulate + check every applicable property). items_per_second is seeds/s
// (wall clock, UseRealTime). Run from a Release build:
//   ./build/bench/scenarios_bench --benchmark_min_time=2
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "scenarios/runner.hpp"
#include "scenarios/scenario_loader.hpp"

namespace {

using roomsim::scenarios::RunOptions;
using roomsim::scenarios::Scenario;

const Scenario& builtin(const char* name) {
  static std::map<std::string, Scenario> cache;
  auto it = cache.find(name);
  if (it == cache.end()) {
    auto r = roomsim::scenarios::load_scenario(name);
    if (!r.ok()) {
      std::fprintf(stderr, "%s: %s\n", name, r.errors.front().c_str());
      std::abort();
    }
    it = cache.emplace(name, *r.scenario).first;
  }
  return it->second;
}

void sweep(benchmark::State& state, const char* scenario) {
  const Scenario& s = builtin(scenario);
  RunOptions o;
  o.seeds = 16;
  o.jobs = static_cast<int>(state.range(0));
  uint64_t first = 1;
  uint64_t failing = 0;
  for (auto _ : state) {
    o.first_seed = first;
    first += o.seeds;
    const auto r = roomsim::scenarios::run_sweep(s, o, roomsim::scenarios::default_simulate());
    failing += r.summary.failures.size();
    benchmark::DoNotOptimize(r.summary.seeds_run);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(o.seeds));
  state.counters["failures"] = static_cast<double>(failing);
}

void BM_Smoke(benchmark::State& state) { sweep(state, "smoke"); }
void BM_Swarm(benchmark::State& state) { sweep(state, "swarm"); }

BENCHMARK(BM_Smoke)->ArgName("jobs")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Swarm)->ArgName("jobs")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
