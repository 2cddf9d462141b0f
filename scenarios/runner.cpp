// scenarios/runner.cpp: seed selection, the worker pool, and folding results.
#include "scenarios/runner.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "engine/assert.hpp"
#include "engine/rng.hpp"
#include "engine/trace.hpp"
#include "netsim/probe_names.hpp"
#include "properties/checker.hpp"
#include "scenarios/build_info.hpp"
#include "scenarios/enum_names.hpp"
#include "scenarios/property_defaults.hpp"
#include "scenarios/scenario_hash.hpp"

namespace roomsim::scenarios {

SimulateFn default_simulate() {
  return [](const netsim::SimulationConfig& config, uint64_t seed, const netsim::SimulationOutputs& outputs) {
    return netsim::simulate(config, seed, outputs);
  };
}

std::vector<uint64_t> seeds_to_run(const Scenario& scenario, const RunOptions& options) {
  std::vector<uint64_t> seeds;
  if (options.seed) {
    if (options.shard.contains(*options.seed)) seeds.push_back(*options.seed);
    return seeds;
  }
  const uint64_t n = options.seeds > 0 ? options.seeds : scenario.default_seeds;
  for (uint64_t i = 0; i < n; ++i) {
    const uint64_t seed = options.first_seed + i;
    if (options.shard.contains(seed)) seeds.push_back(seed);
  }
  return seeds;
}

std::vector<std::string> properties_to_check(const Scenario& scenario) {
  return scenario.properties.empty() ? default_properties(scenario.config) : scenario.properties;
}

namespace {

properties::Verdict simulation_failure(const std::string& rule, std::string explanation, int64_t t_ns) {
  properties::Verdict v;
  v.property = kSimulationProperty;
  v.passed = false;
  v.rule = std::string(kSimulationProperty) + "." + rule;
  v.explanation = std::move(explanation);
  v.t_ns = t_ns;
  v.violation_count = 1;
  return v;
}

// Simulates and judges one seed into `r`; may throw whatever `simulate` throws.
void simulate_and_check(const Scenario& scenario, uint64_t seed, const SimulateFn& simulate,
                        const netsim::SimulationOutputs& outputs, properties::History* history_out, SeedResult& r) {
  netsim::SimulationResult sim = simulate(scenario.config, seed, outputs);
  r.trace_hash = sim.trace_hash;
  r.simulated_ns = sim.simulated_ns;
  r.events_run = sim.events_run;
  r.coverage = std::move(sim.coverage);
  r.fault_pairs = std::move(sim.fault_pairs);
  r.stop_reason = sim.stop_reason;
  r.config_errors = std::move(sim.config_errors);
  if (r.config_errors.empty()) {
    if (auto failed = simulation_verdict(sim)) {
      // The history stops early: the properties' precondition (a run to the
      // end of its liveness phase) does not hold, so none is judged.
      r.verdicts = {std::move(*failed)};
    } else {
      r.verdicts = properties::check_properties(sim.history, properties_to_check(scenario));
    }
  }
  if (history_out != nullptr) *history_out = std::move(sim.history);
}

}  // namespace

std::optional<properties::Verdict> simulation_verdict(const netsim::SimulationResult& sim) {
  if (!sim.room_exception.empty()) return simulation_failure("room_exception", sim.room_exception, sim.simulated_ns);
  if (!sim.completed) {
    return simulation_failure("incomplete", "the run stopped before the end of its liveness phase: " + sim.stop_reason,
                              sim.simulated_ns);
  }
  return std::nullopt;
}

SeedResult run_seed(const Scenario& scenario, uint64_t seed, const SimulateFn& simulate,
                    const netsim::SimulationOutputs& outputs, properties::History* history_out) {
  // Wall time is measured around the simulation for seeds/s figures only; it never enters it.
  const auto start = std::chrono::steady_clock::now();
  SeedResult r;
  r.seed = seed;
  // Whatever escapes the simulator fails this seed, never the process: the
  // sweep goes on and the failure carries the seed's replay command.
  std::string thrown;
  try {
    simulate_and_check(scenario, seed, simulate, outputs, history_out, r);
  } catch (const std::exception& e) {
    thrown = e.what();
  } catch (...) {
    thrown = "an exception that is not a std::exception";
  }
  if (!thrown.empty()) {
    r.config_errors.clear();
    r.stop_reason = "the simulation threw: " + thrown;
    r.verdicts = {simulation_failure("exception", r.stop_reason, r.simulated_ns)};
    // No trace was finished; the hash names the failure instead, so that the
    // summary, its merge and the replay command stay well formed.
    if (r.trace_hash.empty()) r.trace_hash = hex16(fnv1a64(r.stop_reason));
  }
  r.passed = r.config_errors.empty() &&
             std::all_of(r.verdicts.begin(), r.verdicts.end(), [](const auto& v) { return v.passed; });
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

SeedRange seed_range(const Scenario& scenario, const RunOptions& options) {
  if (options.seed) return {*options.seed, 1};
  return {options.first_seed, options.seeds > 0 ? options.seeds : scenario.default_seeds};
}

std::string replay_command(const Scenario& scenario, uint64_t seed, const std::string& trace_hash) {
  return scenarios::replay_command(scenario.source.empty() ? scenario.name : scenario.source, seed, trace_hash,
                                   build_id());
}

SweepSummary summarize(const Scenario& scenario, const std::vector<SeedResult>& seeds, double wall_seconds,
                       const Shard& shard, std::optional<SeedRange> range) {
  SweepSummary s;
  s.scenario_name = scenario.name;
  s.scenario_path = scenario.source;
  s.scenario_hash = scenario_content_hash(scenario);
  s.properties = properties_to_check(scenario);
  if (!range) range = SeedRange{seeds.empty() ? 1 : seeds.front().seed, seeds.size()};
  s.first_seed = range->first_seed;
  s.seeds_total = range->seeds_total;
  s.seeds_run = seeds.size();
  s.version = roomsim_version();
  s.build = build_id();
  s.shard = shard.text();
  for (const auto& name : s.properties) s.per_property[name] = {0, 0};
  // Declared probes start at zero, so the summary shows those no seed reached.
  for (const std::string& probe : netsim::probe::sweep_required_probes()) s.coverage.emplace(probe, 0);
  const auto pair_name = [](const netsim::FaultKindPair& p) { return name_of(p.first) + "+" + name_of(p.second); };
  const std::vector<netsim::FaultKind> kinds = netsim::possible_fault_kinds(scenario.config);
  for (size_t a = 0; a < kinds.size(); ++a) {
    for (size_t b = a + 1; b < kinds.size(); ++b) s.fault_pairs[pair_name({kinds[a], kinds[b]})] = 0;
  }
  double simulated_s = 0;
  uint64_t trace_sum = 0;
  for (const SeedResult& r : seeds) {
    // A run the simulator refused (config_errors) has no trace; it makes the sweep exit 2 anyway.
    const std::optional<uint64_t> trace_hash = parse_hex16(r.trace_hash);
    ROOMSIM_ASSERT(trace_hash.has_value() || !r.config_errors.empty());
    trace_sum += sweep_trace_word(r.seed, trace_hash.value_or(0));
    simulated_s += static_cast<double>(r.simulated_ns) / 1e9;
    for (const auto& [probe, hits] : r.coverage) s.coverage[probe] += hits;
    for (const netsim::FaultKindPair& p : r.fault_pairs) ++s.fault_pairs[pair_name(p)];
    for (const properties::Verdict& v : r.verdicts) {
      auto& counts = s.per_property[v.property];
      if (v.passed) {
        ++counts.first;
        continue;
      }
      ++counts.second;
      Failure f;
      f.seed = r.seed;
      f.property = v.property;
      f.t_ns = v.t_ns;
      f.event_index = v.violating.empty() ? 0 : v.violating.front();
      f.explanation = v.explanation;
      f.replay_command = replay_command(scenario, r.seed, r.trace_hash);
      f.trace_hash = r.trace_hash;
      s.failures.push_back(std::move(f));
    }
  }
  s.sweep_trace_hash = hex16(trace_sum);
  s.wall_seconds = wall_seconds;
  s.seeds_per_s = wall_seconds > 0 ? static_cast<double>(seeds.size()) / wall_seconds : 0;
  s.sim_wall_ratio = wall_seconds > 0 ? simulated_s / wall_seconds : 0;
  return s;
}

namespace {

// Runs `seeds` on `jobs` threads; results[i] belongs to seeds[i]. With
// `stop_at_first_failure`, seeds after the smallest failing one are not
// started and are dropped from the results (those before it all run: seeds
// are taken in order, so each was started before the failure was known).
std::vector<SeedResult> run_pool(const Scenario& scenario, const std::vector<uint64_t>& seeds, int jobs,
                                 const SimulateFn& simulate, const ProgressFn& progress,
                                 bool stop_at_first_failure = false) {
  std::vector<SeedResult> results(seeds.size());
  std::atomic<size_t> next{0};
  std::atomic<size_t> stop_at{seeds.size()};  // index of the smallest failing seed so far
  std::mutex progress_mutex;
  uint64_t done = 0;
  uint64_t failing = 0;
  auto worker = [&] {
    for (;;) {
      const size_t i = next.fetch_add(1);
      if (i >= seeds.size() || i > stop_at.load()) return;
      SeedResult r = [&] {
        SeedScope scope(seeds[i]);
        return run_seed(scenario, seeds[i], simulate);
      }();
      std::lock_guard<std::mutex> lock(progress_mutex);
      ++done;
      if (!r.passed) {
        ++failing;
        if (stop_at_first_failure && i < stop_at.load()) stop_at.store(i);
      }
      results[i] = std::move(r);
      if (progress) progress(done, seeds.size(), failing, results[i]);
    }
  };
  const int threads = std::max(1, std::min<int>(jobs, static_cast<int>(seeds.size())));
  if (threads == 1) {
    worker();
  } else {
    // Worker threads each run whole seeds; every simulation stays single-threaded and
    // results are stored by seed index, so the output does not depend on scheduling.
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
  }
  if (stop_at.load() < seeds.size()) results.resize(stop_at.load() + 1);
  return results;
}

}  // namespace

SweepResult run_sweep(const Scenario& scenario, const RunOptions& options, const SimulateFn& simulate,
                      const ProgressFn& progress) {
  ROOMSIM_ASSERT(options.jobs >= 1);
  const auto start = std::chrono::steady_clock::now();
  SweepResult out;
  const std::vector<uint64_t> seeds = seeds_to_run(scenario, options);
  out.seeds = run_pool(scenario, seeds, options.jobs, simulate, progress, options.stop_at_first_failure);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const SeedResult& r : out.seeds) {
    if (!r.config_errors.empty()) {
      out.config_errors = r.config_errors;
      break;
    }
  }
  out.summary = summarize(scenario, out.seeds, wall, options.shard, seed_range(scenario, options));
  if (options.check_determinism && out.config_errors.empty()) {
    std::vector<uint64_t> again;
    std::vector<size_t> passing;
    for (size_t i = 0; i < out.seeds.size(); ++i) {
      if (!out.seeds[i].passed) {
        again.push_back(i);
      } else {
        passing.push_back(i);
      }
    }
    const size_t sample = std::min(options.determinism_sample, passing.size());
    for (size_t k = 0; k < sample; ++k) again.push_back(passing[k * passing.size() / sample]);
    std::sort(again.begin(), again.end());
    std::vector<uint64_t> rerun_seeds;
    for (uint64_t i : again) rerun_seeds.push_back(out.seeds[i].seed);
    const std::vector<SeedResult> rerun = run_pool(scenario, rerun_seeds, options.jobs, simulate, {});
    out.determinism_rerun = rerun.size();
    for (size_t k = 0; k < rerun.size(); ++k) {
      const SeedResult& first = out.seeds[again[k]];
      if (rerun[k].trace_hash != first.trace_hash) {
        out.determinism_mismatches.push_back({first.seed, first.trace_hash, rerun[k].trace_hash});
      }
    }
  }
  return out;
}

}  // namespace roomsim::scenarios
