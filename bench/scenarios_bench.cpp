// bench/scenarios_bench.cpp: the runner measured the way users run it.
//
// BM_Smoke, BM_Swarm: seeds per second of the built-in `smoke` and `swarm`
// scenarios with 1 and 2 worker threads (each seed = simulate + check every
// applicable property). items_per_second is seeds/s (wall clock, UseRealTime).
//
// BM_ChatAsRun/checks:C: one seed of the chat workload of bench/netsim_bench
// (--clients chatters at 0.1 msg/s in --rooms corrected `chat` rooms, mid
// topology, a fault every 30 s, --minutes simulated minutes). checks:0 is the
// simulation alone with history recording off (netsim_bench's figure);
// checks:1 is `roomsim run`'s path: run_seed records the history and checks
// every default property. Both run side by side in one process invocation, each
// in a forked child so that its CPU time and peak RSS are its own. Counters:
// room-message deliveries (frames carrying a room message to a client; not
// handshakes, acks, presence or closes) per CPU second, seeds per wall second,
// peak RSS, and whether the seed passed.
//
// BM_SoakMemory/seconds:S: peak RSS of one `run`-shaped seed (history and every
// property) of 10 chat rooms x 90 chatters sending 1 msg/s each, no faults,
// for S simulated seconds: how memory grows with the length of a run (today
// the history is kept whole, about 15 MB per simulated second here).
//
// Run from a Release build:
//   ./build/bench/scenarios_bench --benchmark_min_time=2 --benchmark_filter='Smoke|Swarm'
//   ./build/bench/scenarios_bench --benchmark_filter=ChatAsRun            # 10,000 clients, 1 minute
//   ./build/bench/scenarios_bench --benchmark_filter=ChatAsRun --clients=2000 --minutes=2
//   ./build/bench/scenarios_bench --benchmark_filter=SoakMemory
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "netsim/chat_workload.hpp"
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

int g_clients = 10'000;
int g_rooms = 100;
int g_minutes = 1;

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// What one measured seed reports from its child process.
struct SeedFigures {
  double message_deliveries = 0;
  double cpu_s = 0;
  double wall_s = 0;
  double peak_rss_mib = 0;
  double passed = 0;
  double history_events = 0;
};

// Runs `seed_fn` in a forked child (its own peak RSS and CPU time) and returns
// its figures, or false when the child failed.
bool in_child(const std::function<void(SeedFigures&)>& seed_fn, SeedFigures& out) {
  int fds[2];
  if (pipe(fds) != 0) return false;
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    SeedFigures f;
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = cpu_seconds();
    seed_fn(f);
    f.cpu_s = cpu_seconds() - cpu_start;
    f.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    f.peak_rss_mib = static_cast<double>(u.ru_maxrss) / 1024.0;
    _exit(write(fds[1], &f, sizeof f) == sizeof f ? 0 : 1);
  }
  close(fds[1]);
  const ssize_t n = read(fds[0], &out, sizeof out);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return n == sizeof out && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

Scenario scenario_of(const roomsim::netsim::SimulationConfig& config) {
  Scenario s;
  s.name = config.name;
  s.source = config.name;
  s.config = config;
  return s;
}

// One seed the way `roomsim run` runs it: history recorded, every default property checked.
void run_shaped_seed(const Scenario& scenario, SeedFigures& f) {
  uint64_t deliveries = 0;
  const roomsim::scenarios::SimulateFn simulate = [&](const roomsim::netsim::SimulationConfig& c, uint64_t seed,
                                                       const roomsim::netsim::SimulationOutputs& o) {
    roomsim::netsim::SimulationResult r = roomsim::netsim::simulate(c, seed, o);
    deliveries = r.message_deliveries;
    return r;
  };
  roomsim::properties::History history;
  const auto result = roomsim::scenarios::run_seed(scenario, 1, simulate, {}, &history);
  f.message_deliveries = static_cast<double>(deliveries);
  f.passed = result.passed ? 1 : 0;
  f.history_events = static_cast<double>(history.size());
}

void report(benchmark::State& state, const SeedFigures& f) {
  state.counters["message_deliveries"] = f.message_deliveries;
  state.counters["message_deliveries_per_cpu_s"] = f.message_deliveries / f.cpu_s;
  state.counters["seeds_per_wall_s"] = 1.0 / f.wall_s;
  state.counters["peak_rss_MiB"] = f.peak_rss_mib;
  state.counters["history_events"] = f.history_events;
  state.counters["passed"] = f.passed;
}

void BM_ChatAsRun(benchmark::State& state) {
  roomsim::netsim::ChatWorkload w;
  w.name = "scenarios-bench-chat";
  w.rooms = g_rooms;
  w.clients = g_clients;
  w.total_ms = int64_t{g_minutes} * 60'000;
  const Scenario scenario = scenario_of(roomsim::netsim::chat_workload_config(w));
  const bool checks = state.range(0) != 0;
  for (auto _ : state) {
    SeedFigures f;
    const bool ok = in_child(
        [&](SeedFigures& out) {
          if (checks) {
            run_shaped_seed(scenario, out);
            return;
          }
          roomsim::netsim::SimulationOutputs o;
          o.record_history = false;
          const auto r = roomsim::netsim::simulate(scenario.config, 1, o);
          out.message_deliveries = static_cast<double>(r.message_deliveries);
          out.passed = r.completed ? 1 : 0;
        },
        f);
    if (!ok) {
      state.SkipWithError("the measured child failed");
      return;
    }
    report(state, f);
  }
}
BENCHMARK(BM_ChatAsRun)->ArgName("checks")->Arg(0)->Arg(1)->Iterations(1)->Unit(benchmark::kSecond);

void BM_SoakMemory(benchmark::State& state) {
  roomsim::netsim::ChatWorkload w;
  w.name = "scenarios-bench-soak";
  w.rooms = 10;
  w.clients = 900;
  w.send_rate_per_s = 1.0;
  w.total_ms = state.range(0) * 1'000;
  w.fault_every_ms = w.total_ms * 2;  // no faults: the first would come after the end
  const Scenario scenario = scenario_of(roomsim::netsim::chat_workload_config(w));
  for (auto _ : state) {
    SeedFigures f;
    if (!in_child([&](SeedFigures& out) { run_shaped_seed(scenario, out); }, f)) {
      state.SkipWithError("the measured child failed");
      return;
    }
    report(state, f);
  }
}
BENCHMARK(BM_SoakMemory)->ArgName("seconds")->Arg(30)->Arg(60)->Arg(120)->Iterations(1)->Unit(benchmark::kSecond);

bool take_flag(const char* arg, const char* name, int& out) {
  const size_t n = std::strlen(name);
  if (std::strncmp(arg, name, n) != 0 || arg[n] != '=') return false;
  out = std::atoi(arg + n + 1);
  return out > 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (i > 0 && (take_flag(argv[i], "--clients", g_clients) || take_flag(argv[i], "--rooms", g_rooms) ||
                  take_flag(argv[i], "--minutes", g_minutes))) {
      continue;
    }
    rest.push_back(argv[i]);
  }
  int rest_argc = static_cast<int>(rest.size());
  std::printf("scenarios_bench: ChatAsRun clients=%d rooms=%d minutes=%d\n", g_clients, g_rooms, g_minutes);
  benchmark::Initialize(&rest_argc, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

