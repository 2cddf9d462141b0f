// reports/run_reports.hpp: one-call report entry points for the CLI
// (`roomsim run --report DIR`, `roomsim replay --report DIR`).
//
// write_sweep_report re-simulates the first failing seeds of a sweep (the run
// is a pure function of binary, scenario and seed, so the history is the one
// the sweep saw; a different trace hash is reported on the page as a
// determinism bug) and writes the HTML report with their pictures.
// write_seed_report writes the report of one seed already run, from its
// result and recorded history. Both draw edge lanes in the sequence diagrams
// from the frame-hop log that simulate_keeping turns on (netsim/frame_hops.hpp;
// it changes nothing the run observes, so the trace hash is the sweep's).
#pragma once

#include <cstddef>
#include <filesystem>

#include "properties/history.hpp"
#include "reports/graphviz_topology.hpp"
#include "reports/write_status.hpp"
#include "scenarios/run_result.hpp"
#include "scenarios/runner.hpp"
#include "scenarios/scenario.hpp"
#include "scenarios/sweep_summary.hpp"

namespace roomsim::reports {

// REQUIRES: `summary` came from sweeping `scenario`. Re-simulates at most
// `detailed_seeds_max` distinct failing seeds (in summary order), on the
// calling thread.
WriteStatus write_sweep_report(const std::filesystem::path& dir, const scenarios::Scenario& scenario,
                               const scenarios::SweepSummary& summary, size_t detailed_seeds_max = 3);

// The simulator with SimulationOutputs::record_frame_hops on, keeping where
// the run put its clients and rooms and its frame-hop log in `placement`
// (which must outlive the returned function; each run overwrites it). The
// returned SimulationResult's own frame_hops is left empty.
scenarios::SimulateFn simulate_keeping(Placement& placement);

// The report of one seed: `summary` is the one-seed summary the CLI prints
// (scenarios::summarize of {result}); `history` the run's recorded history;
// `placement` what simulate_keeping recorded for that run (a placement
// without a frame-hop log gives diagrams with client and room lanes only).
WriteStatus write_seed_report(const std::filesystem::path& dir, const scenarios::Scenario& scenario,
                              const scenarios::SweepSummary& summary, const scenarios::SeedResult& result,
                              const properties::History& history, const Placement& placement);

}  // namespace roomsim::reports
