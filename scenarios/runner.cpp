// scenarios/runner.cpp: seed selection, the worker pool, and folding results.
#include "scenarios/runner.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "engine/assert.hpp"
#include "properties/checker.hpp"
#include "scenarios/enum_names.hpp"
#include "scenarios/property_defaults.hpp"

namespace roomsim::scenarios {

SimulateFn default_simulate() {
  return [](const netsim::SimulationConfig& config, uint64_t seed, const netsim::SimulationOutputs& outputs) {
    return netsim::simulate(config, seed, outputs);
  };
}

std::string Shard::text() const {
  if (count == 1) return "";
  return std::to_string(index) + "/" + std::to_string(count);
}

std::optional<Shard> parse_shard(const std::string& text, std::string& error) {
  const auto slash = text.find('/');
  auto digits = [](const std::string& s) {
    return !s.empty() && s.size() <= 9 && s.find_first_not_of("0123456789") == std::string::npos;
  };
  if (slash != std::string::npos && digits(text.substr(0, slash)) && digits(text.substr(slash + 1))) {
    Shard s;
    s.index = static_cast<uint32_t>(std::stoul(text.substr(0, slash)));
    s.count = static_cast<uint32_t>(std::stoul(text.substr(slash + 1)));
    if (s.index >= 1 && s.index <= s.count) return s;
  }
  error = "--shard: expected K/N with 1 <= K <= N (e.g. 2/8), got \"" + text + "\"";
  return std::nullopt;
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

SeedResult run_seed(const Scenario& scenario, uint64_t seed, const SimulateFn& simulate,
                    const netsim::SimulationOutputs& outputs, properties::History* history_out) {
  // Wall time is measured around the simulation for seeds/s figures only; it never enters it.
  const auto start = std::chrono::steady_clock::now();
  netsim::SimulationResult sim = simulate(scenario.config, seed, outputs);
  SeedResult r;
  r.seed = seed;
  r.trace_hash = sim.trace_hash;
  r.simulated_ns = sim.simulated_ns;
  r.events_run = sim.events_run;
  r.coverage = std::move(sim.coverage);
  r.fault_pairs = std::move(sim.fault_pairs);
  r.stop_reason = sim.stop_reason;
  r.config_errors = std::move(sim.config_errors);
  if (r.config_errors.empty()) {
    r.verdicts = properties::check_properties(sim.history, properties_to_check(scenario));
  }
  r.passed = r.config_errors.empty() &&
             std::all_of(r.verdicts.begin(), r.verdicts.end(), [](const auto& v) { return v.passed; });
  if (history_out != nullptr) *history_out = std::move(sim.history);
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

std::string replay_command(const Scenario& scenario, uint64_t seed) {
  std::string source = scenario.source.empty() ? scenario.name : scenario.source;
  if (source.find_first_of(" \t'\"$\\;&|()<>*?`") != std::string::npos) {
    std::string quoted = "'";
    for (char c : source) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    source = quoted + "'";
  }
  return "roomsim replay " + source + " --seed " + std::to_string(seed);
}

SweepSummary summarize(const Scenario& scenario, const std::vector<SeedResult>& seeds, double wall_seconds,
                       const Shard& shard) {
  SweepSummary s;
  s.scenario_name = scenario.name;
  s.scenario_path = scenario.source;
  s.properties = properties_to_check(scenario);
  s.seeds_run = seeds.size();
  s.version = ROOMSIM_VERSION;
  s.shard = shard.text();
  for (const auto& name : s.properties) s.per_property[name] = {0, 0};
  const auto pair_name = [](const netsim::FaultKindPair& p) { return name_of(p.first) + "+" + name_of(p.second); };
  const std::vector<netsim::FaultKind> kinds = netsim::possible_fault_kinds(scenario.config);
  for (size_t a = 0; a < kinds.size(); ++a) {
    for (size_t b = a + 1; b < kinds.size(); ++b) s.fault_pairs[pair_name({kinds[a], kinds[b]})] = 0;
  }
  double simulated_s = 0;
  for (const SeedResult& r : seeds) {
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
      f.replay_command = replay_command(scenario, r.seed);
      f.trace_hash = r.trace_hash;
      s.failures.push_back(std::move(f));
    }
  }
  s.wall_seconds = wall_seconds;
  s.seeds_per_s = wall_seconds > 0 ? static_cast<double>(seeds.size()) / wall_seconds : 0;
  s.sim_wall_ratio = wall_seconds > 0 ? simulated_s / wall_seconds : 0;
  return s;
}

namespace {

// Runs `seeds` on `jobs` threads; results[i] belongs to seeds[i].
std::vector<SeedResult> run_pool(const Scenario& scenario, const std::vector<uint64_t>& seeds, int jobs,
                                 const SimulateFn& simulate, const ProgressFn& progress) {
  std::vector<SeedResult> results(seeds.size());
  std::atomic<size_t> next{0};
  std::mutex progress_mutex;
  uint64_t done = 0;
  uint64_t failing = 0;
  auto worker = [&] {
    for (;;) {
      const size_t i = next.fetch_add(1);
      if (i >= seeds.size()) return;
      SeedResult r = [&] {
        SeedScope scope(seeds[i]);
        return run_seed(scenario, seeds[i], simulate);
      }();
      std::lock_guard<std::mutex> lock(progress_mutex);
      ++done;
      if (!r.passed) ++failing;
      results[i] = std::move(r);
      if (progress) progress(done, seeds.size(), failing, results[i]);
    }
  };
  const int threads = std::max(1, std::min<int>(jobs, static_cast<int>(seeds.size())));
  if (threads == 1) {
    worker();
    return results;
  }
  // Worker threads each run whole seeds; every simulation stays single-threaded and
  // results are stored by seed index, so the output does not depend on scheduling.
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  return results;
}

}  // namespace

SweepResult run_sweep(const Scenario& scenario, const RunOptions& options, const SimulateFn& simulate,
                      const ProgressFn& progress) {
  ROOMSIM_ASSERT(options.jobs >= 1);
  const auto start = std::chrono::steady_clock::now();
  SweepResult out;
  const std::vector<uint64_t> seeds = seeds_to_run(scenario, options);
  out.seeds = run_pool(scenario, seeds, options.jobs, simulate, progress);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const SeedResult& r : out.seeds) {
    if (!r.config_errors.empty()) {
      out.config_errors = r.config_errors;
      break;
    }
  }
  out.summary = summarize(scenario, out.seeds, wall, options.shard);
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
