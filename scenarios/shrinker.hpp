// scenarios/shrinker.hpp: `roomsim shrink`: from a failing (scenario, seed)
// to a small explicit scenario that shows the same violation with the same seed.
//
// "The same violation" is the same property, the same rule of it
// (Verdict::rule) and the same kind of first violating event, so a shrink
// never trades the bug it was given for another failure of that property.
// Steps, each kept only if the violation is still the same (so the result
// always shows it; `roomsim replay OUT --seed S` does):
//   1. faults explicit: the faults the seed drew from fault_rates (read back
//      from the history's fault_begin events) become an explicit schedule and
//      the rates are removed;
//   2. delta debugging (ddmin) over the fault schedule;
//   3. client populations removed one at a time, then their counts reduced
//      (faults and actions naming removed clients go with them);
//   4. client actions explicit: chatter and lurker populations become
//      `scripted` with their connects, sends and closes as ClientActions
//      (dashboard and hostile clients stay behaviour-driven); actions after
//      the violation are cut, then ddmin over whole clients (all of one
//      client's actions), then over single actions;
//   5. steps 2 and 3 again, now that fewer clients act.
// Every simulation uses the same seed. Deterministic: the same input gives
// the same minimal scenario. The number of simulations is bounded by
// `max_runs`; when it runs out the smallest failing scenario so far is kept
// and a note says so.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/runner.hpp"
#include "scenarios/scenario.hpp"

namespace roomsim::scenarios {

struct ShrinkOptions {
  std::string property;  // empty: the first property the seed fails
  size_t max_runs = 600;
};

struct ScenarioSize {
  size_t faults = 0;            // explicit faults
  bool random_faults = false;   // fault_rates still drawn per seed
  size_t populations = 0;
  size_t clients = 0;
  size_t actions = 0;
  uint64_t history_events = 0;  // of the failing run
  std::string text() const;     // "3 faults, 2 populations / 5 clients, 12 actions, 3120 history events"
};

struct ShrinkResult {
  std::string error;  // non-empty: nothing to shrink (seed passes, unknown property, config error)
  std::string property;
  std::string rule;        // the violation kept: Verdict::rule ...
  std::string event_kind;  // ... and the kind of its first violating event ("receive")
  bool budget_exhausted = false;  // max_runs ran out before every step finished
  Scenario minimal;
  ScenarioSize before;
  ScenarioSize after;
  size_t runs = 0;
  std::vector<std::string> notes;  // which steps applied or were skipped, and why
  bool ok() const { return error.empty(); }
};

ShrinkResult shrink_scenario(const Scenario& scenario, uint64_t seed, const ShrinkOptions& options,
                             const SimulateFn& simulate);

// Zeller's ddmin over indices 0..n-1: a 1-minimal subset for which
// `fails(subset)` holds, assuming fails(all). Each call of `fails` counts
// against `budget` (decremented); when the budget is 0 the current subset is
// returned. Subsets are passed in ascending order.
std::vector<size_t> ddmin(size_t n, const std::function<bool(const std::vector<size_t>&)>& fails, size_t& budget);

// Parses a netsim fault description ("partition#3 a=IAD,SFO b=FRA ms=100+2000")
// back into a FaultSpec; nullopt when it does not parse.
std::optional<netsim::FaultSpec> parse_fault_description(const std::string& text);

}  // namespace roomsim::scenarios
