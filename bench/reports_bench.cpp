// bench/reports_bench.cpp: cost of the report outputs on a real run.
//
// The history is one seed of the built-in seed-rooms scenario (about 5k
// events, rate_limit violated), so the pictures are the ones a user sees.
//   ./build/bench/reports_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <sstream>

#include "properties/checker.hpp"
#include "reports/graphviz_room_timeline.hpp"
#include "reports/graphviz_sequence.hpp"
#include "reports/html_report.hpp"
#include "reports/junit.hpp"
#include "reports/topology_view.hpp"
#include "scenarios/runner.hpp"
#include "scenarios/scenario_loader.hpp"

namespace {

using namespace roomsim;

struct Run {
  scenarios::Scenario scenario;
  properties::History history;
  scenarios::SeedResult result;
  scenarios::SweepSummary summary;
};

const Run& real_run() {
  static const Run run = [] {
    Run r;
    r.scenario = *scenarios::load_scenario("seed-rooms").scenario;
    r.result = scenarios::run_seed(r.scenario, 1, scenarios::default_simulate(), {}, &r.history);
    r.summary = scenarios::summarize(r.scenario, {r.result}, 1.0, {});
    return r;
  }();
  return run;
}

const properties::Verdict& first_failed(const Run& r) {
  for (const auto& v : r.result.verdicts) {
    if (!v.passed) return v;
  }
  return r.result.verdicts.front();
}

void BM_JunitTenThousandFailures(benchmark::State& state) {
  scenarios::SweepSummary s;
  s.scenario_name = "bench";
  s.properties = {"fifo", "recovery"};
  s.per_property = {{"fifo", {0, 5000}}, {"recovery", {0, 5000}}};
  for (uint64_t seed = 0; seed < 10'000; ++seed) {
    scenarios::Failure f;
    f.seed = seed;
    f.property = seed % 2 == 0 ? "fifo" : "recovery";
    f.explanation = "client c17 received seq 42 before seq 41 in room chat/r3 at t=12.503s";
    f.replay_command = "roomsim replay bench --seed " + std::to_string(seed);
    s.failures.push_back(f);
  }
  for (auto _ : state) {
    std::ostringstream out;
    reports::write_junit(s, out);
    benchmark::DoNotOptimize(out.str().size());
  }
}
BENCHMARK(BM_JunitTenThousandFailures)->Unit(benchmark::kMillisecond);

void BM_SequenceDot(benchmark::State& state) {
  const Run& r = real_run();
  for (auto _ : state) benchmark::DoNotOptimize(reports::sequence_dot(r.history, first_failed(r)).size());
  state.counters["history_events"] = static_cast<double>(r.history.size());
}
BENCHMARK(BM_SequenceDot)->Unit(benchmark::kMillisecond);

void BM_SequencePictureSvg(benchmark::State& state) {
  const Run& r = real_run();
  for (auto _ : state) benchmark::DoNotOptimize(reports::sequence_picture(r.history, first_failed(r)).svg.size());
}
BENCHMARK(BM_SequencePictureSvg)->Unit(benchmark::kMillisecond);

void BM_RoomTimelineSvg(benchmark::State& state) {
  const Run& r = real_run();
  const std::string room = reports::failing_room(r.history, first_failed(r));
  for (auto _ : state) benchmark::DoNotOptimize(reports::room_timeline_picture(r.history, room).svg.size());
}
BENCHMARK(BM_RoomTimelineSvg)->Unit(benchmark::kMillisecond);

void BM_HtmlReportOfFailingSeed(benchmark::State& state) {
  const Run& r = real_run();
  reports::SeedDetails d;
  d.seed = 1;
  d.history = &r.history;
  d.verdicts = r.result.verdicts;
  d.topology = reports::topology_view(r.scenario.config, r.history);
  for (auto _ : state) {
    const reports::HtmlReport report = reports::build_html_report(r.summary, {d});
    benchmark::DoNotOptimize(report.index_html.size());
    state.counters["html_bytes"] = static_cast<double>(report.index_html.size());
  }
}
BENCHMARK(BM_HtmlReportOfFailingSeed)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
