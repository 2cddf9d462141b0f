// scenarios/sweep_summary.hpp: the result of a seed sweep, and its JSON form.
//
// `SweepSummary` is what `roomsim run --json FILE` writes, what `roomsim
// merge` reads and combines across shards, and what reports/ turns into JUnit
// XML and HTML. The JSON schema ("roomsim.sweep-summary/1") is documented in
// docs/scenario.md ("Sweep summary JSON"); field names equal the member names
// below. `Failure` is one (seed, property) violation with the exact command
// that reproduces it.
//
// Determinism: a summary's content (except the wall-clock fields
// wall_seconds, seeds_per_s, sim_wall_ratio) is a pure function of (binary,
// scenario, seed set): failures are ordered by (seed, property).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace roomsim::scenarios {

inline constexpr const char* kSweepSummarySchema = "roomsim.sweep-summary/1";

struct Failure {
  uint64_t seed = 0;
  std::string property;
  int64_t t_ns = 0;         // virtual time of the first violating event
  size_t event_index = 0;   // index of the first violating event in the history
  std::string explanation;  // one line, from the checker
  std::string replay_command;  // "roomsim replay <scenario> --seed <S>"
  std::string trace_hash;      // 16 hex digits
};

struct SweepSummary {
  std::string scenario_name;
  std::string scenario_path;  // as given on the command line (built-in name or path)
  std::vector<std::string> properties;  // properties checked, in check order
  uint64_t seeds_run = 0;
  std::map<std::string, std::pair<uint64_t, uint64_t>> per_property;  // name -> (pass, fail)
  std::vector<Failure> failures;  // ordered by (seed, property)
  double wall_seconds = 0;
  double seeds_per_s = 0;
  double sim_wall_ratio = 0;  // simulated seconds per wall second, over all seeds
  std::map<std::string, uint64_t> coverage;  // coverage probe -> hits, summed over seeds
  // Fault pair coverage: "<kind>+<kind>" (scenario names, ascending) -> seeds
  // in which the two kinds occurred together (netsim/fault_pairs.hpp); every
  // pair of the scenario's possible kinds is present, 0 when never together.
  std::map<std::string, uint64_t> fault_pairs;
  std::string version;  // roomsim version that produced it
  std::string shard;    // "K/N", or "" for an unsharded run

  // Violations in total (sum of per_property fails).
  uint64_t failed_checks() const;
  bool passed() const { return failed_checks() == 0; }
  // The pair with the fewest seeds (the first such by name); nullptr when there are no pairs.
  const std::pair<const std::string, uint64_t>* worst_fault_pair() const;
};

void to_json(nlohmann::json& j, const Failure& f);
void to_json(nlohmann::json& j, const SweepSummary& s);
// Throws std::invalid_argument naming the JSON path and the expectation
// (e.g. "/failures/3/seed: expected an unsigned integer") on bad input.
void from_json(const nlohmann::json& j, Failure& f);
void from_json(const nlohmann::json& j, SweepSummary& s);

// Combines shard summaries into one: seeds, pass/fail counts, coverage and
// wall_seconds are summed (wall_seconds is the sum of shard wall times),
// failures are merged and reordered by (seed, property), properties are the
// union in first-seen order. Returns an error message instead when the shards
// disagree on the scenario name or version. REQUIRES: !parts.empty().
struct MergeResult {
  SweepSummary summary;
  std::string error;  // empty on success
};
MergeResult merge_summaries(const std::vector<SweepSummary>& parts);

}  // namespace roomsim::scenarios
