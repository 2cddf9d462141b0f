// reports/run_reports.cpp: re-simulation of failing seeds + the HTML report.
#include "reports/run_reports.hpp"

#include <deque>
#include <set>

#include "reports/html_report.hpp"
#include "reports/topology_view.hpp"
#include "scenarios/build_info.hpp"
#include "scenarios/runner.hpp"

namespace roomsim::reports {

namespace {

SeedDetails details_of(const scenarios::Scenario& scenario, const scenarios::SeedResult& result,
                       const properties::History& history, const Placement* placement) {
  SeedDetails d;
  d.seed = result.seed;
  d.history = &history;
  d.verdicts = result.verdicts;
  d.trace_hash = result.trace_hash;
  d.topology = topology_view(scenario.config, history, placement);
  if (placement != nullptr && placement->frame_hops.recorded) d.frame_hops = &placement->frame_hops;
  return d;
}


}  // namespace

// The simulator with the frame-hop log on, keeping where the run put its
// clients and rooms and how its frames moved.
scenarios::SimulateFn simulate_keeping(Placement& placement) {
  return [&placement, simulate = scenarios::default_simulate()](const netsim::SimulationConfig& config, uint64_t seed,
                                                                const netsim::SimulationOutputs& outputs) {
    netsim::SimulationOutputs with_hops = outputs;
    with_hops.record_frame_hops = true;
    netsim::SimulationResult r = simulate(config, seed, with_hops);
    placement.client_region = r.client_region;
    placement.room_home = r.room_home;
    placement.frame_hops = std::move(r.frame_hops);
    r.frame_hops = {};
    return r;
  };
}

WriteStatus write_sweep_report(const std::filesystem::path& dir, const scenarios::Scenario& scenario,
                               const scenarios::SweepSummary& summary, size_t detailed_seeds_max) {
  std::set<uint64_t> chosen;
  std::deque<properties::History> histories;  // stable addresses for SeedDetails::history
  std::deque<Placement> placements;           // ... and SeedDetails::frame_hops
  std::vector<SeedDetails> details;
  Placement placement;
  const scenarios::SimulateFn simulate = simulate_keeping(placement);
  for (const scenarios::Failure& f : summary.failures) {
    if (chosen.size() == detailed_seeds_max) break;
    if (!chosen.insert(f.seed).second) continue;
    properties::History& history = histories.emplace_back();
    const scenarios::SeedResult result = scenarios::run_seed(scenario, f.seed, simulate, {}, &history);
    SeedDetails d = details_of(scenario, result, history, &placements.emplace_back(std::move(placement)));
    placement = {};
    if (!f.trace_hash.empty() && f.trace_hash != result.trace_hash) {
      d.note = "Re-simulating this seed gave trace hash " + result.trace_hash + " but the sweep saw " + f.trace_hash;
      d.note += summary.build.empty() || summary.build == scenarios::build_id()
                    ? ": the run is not deterministic (a bug; compare the traces with `roomsim diff`)."
                    : " with build " + summary.build + " (this is build " + scenarios::build_id() +
                          "): builds of one commit should agree; compare the traces with `roomsim diff`.";
    }
    details.push_back(std::move(d));
  }
  return write_html_report(dir, summary, details);
}

WriteStatus write_seed_report(const std::filesystem::path& dir, const scenarios::Scenario& scenario,
                              const scenarios::SweepSummary& summary, const scenarios::SeedResult& result,
                              const properties::History& history, const Placement& placement) {
  return write_html_report(dir, summary, {details_of(scenario, result, history, &placement)});
}

}  // namespace roomsim::reports
