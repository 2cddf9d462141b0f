// scenarios/sweep_summary.hpp: the result of a seed sweep, its JSON form,
// and the shard merge that refuses what must not be merged.
//
// `SweepSummary` is what `roomsim run --json FILE` writes, what `roomsim
// merge` reads and combines across shards, and what reports/ turns into JUnit
// XML and HTML. The JSON schema ("roomsim.sweep-summary/2") is documented in
// docs/reports.md; field names equal the member names below. `Failure` is
// one (seed, property) violation with the exact command that reproduces it.
//
// A summary names everything that makes two shards comparable: the
// scenario's content hash, the seed range, the shard, the properties, the
// roomsim version and the build identifier (scenarios/build_info.hpp).
//
// Determinism: a summary's content (except the wall-clock fields
// wall_seconds, seeds_per_s, sim_wall_ratio) is a pure function of (binary,
// scenario, seed set): failures are ordered by seed, then in check order
// (the property's position in `properties`), as a run records them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace roomsim::scenarios {

inline constexpr const char* kSweepSummarySchema = "roomsim.sweep-summary/2";

struct Failure {
  uint64_t seed = 0;
  std::string property;
  int64_t t_ns = 0;         // virtual time of the first violating event
  size_t event_index = 0;   // index of the first violating event in the history
  std::string explanation;  // one line, from the checker
  std::string replay_command;  // replay_command(scenario_path, seed, trace_hash, build) below
  std::string trace_hash;      // 16 hex digits
};

struct SweepSummary {
  std::string scenario_name;
  std::string scenario_path;  // as given on the command line (built-in name or path)
  std::string scenario_hash;  // scenario_content_hash (scenarios/scenario_hash.hpp)
  std::vector<std::string> properties;  // properties checked, in check order
  // The requested seed range, before sharding: first_seed .. first_seed + seeds_total - 1.
  uint64_t first_seed = 1;
  uint64_t seeds_total = 0;
  std::string shard;  // "K/N", or "" for an unsharded run or a merge
  uint64_t seeds_run = 0;
  std::map<std::string, std::pair<uint64_t, uint64_t>> per_property;  // name -> (pass, fail)
  std::vector<Failure> failures;  // ordered by seed, then in check order
  double wall_seconds = 0;
  double seeds_per_s = 0;
  double sim_wall_ratio = 0;  // simulated seconds per wall second, over all seeds
  std::map<std::string, uint64_t> coverage;  // coverage probe -> hits, summed over seeds
  // Fault pair coverage: "<kind>+<kind>" (scenario names, ascending) -> seeds
  // in which the two kinds occurred together (netsim/fault_pairs.hpp); every
  // pair of the scenario's possible kinds is present, 0 when never together.
  std::map<std::string, uint64_t> fault_pairs;
  std::string version;  // roomsim version that produced it
  std::string build;    // build identifier of the binary that produced it
  // Every seed's trace hash folded into one (sweep_trace_word, summed), so a
  // whole sweep compares across machines and shards merge to the value of
  // one unsharded run. 16 hex digits.
  std::string sweep_trace_hash;
  // Set only by a merge with allow_partial: the shards ("K/N") whose
  // summaries were missing, and how many seeds of the range they hold.
  std::vector<std::string> missing_shards;
  uint64_t seeds_missing = 0;

  // Violations in total (sum of per_property fails).
  uint64_t failed_checks() const;
  bool complete() const { return missing_shards.empty() && seeds_missing == 0; }
  // No violation AND every seed of the range ran: a partial merge never passes.
  bool passed() const { return failed_checks() == 0 && complete(); }
  // The pair with the fewest seeds (the first such by name); nullptr when there are no pairs.
  const std::pair<const std::string, uint64_t>* worst_fault_pair() const;
};

// The pseudo-property of a seed whose run itself failed (scenarios/runner.hpp):
// it may appear in per_property and failures although no scenario lists it.
inline constexpr const char* kSimulationProperty = "simulation";

// "roomsim replay <source> --seed <S> --expect-trace-hash <H> --expect-build
// <B>": the source quoted for a POSIX shell when needed; the two --expect
// flags are left out when empty. Replay checks the trace hash and warns
// about a different build, so the command also tells whether a machine
// reproduces the run byte for byte.
std::string replay_command(const std::string& source, uint64_t seed, const std::string& trace_hash,
                           const std::string& build);

// The fold of one seed into sweep_trace_hash: a 64-bit mix of the seed and
// its trace hash. Sums (mod 2^64) of these do not depend on order.
uint64_t sweep_trace_word(uint64_t seed, uint64_t trace_hash);
// 16 lowercase hex digits -> value; nullopt for anything else.
std::optional<uint64_t> parse_hex16(const std::string& text);

void to_json(nlohmann::json& j, const Failure& f);
void to_json(nlohmann::json& j, const SweepSummary& s);
// Throws std::invalid_argument naming the JSON path and the expectation
// (e.g. "/failures/3/seed: expected an unsigned integer") on bad input.
void from_json(const nlohmann::json& j, Failure& f);
void from_json(const nlohmann::json& j, SweepSummary& s);

// A summary read from a file; `name` (the file name) appears in every error.
struct SummaryPart {
  std::string name;
  SweepSummary summary;
};

// The most shards a merge accepts (the Kubernetes limit for an Indexed Job
// with per-index retries), which bounds the list of missing shards.
inline constexpr uint32_t kMergeShardsMax = 100'000;

struct MergeOptions {
  // Merge even when shards are missing; the result lists them
  // (missing_shards, seeds_missing) and never passes.
  bool allow_partial = false;
};

// Combines the summaries of the shards of one sweep. Refuses (error set,
// naming the files and the field):
//   - a part that does not hold what its own fields say (seeds_run against
//     its shard of the seed range, failures outside the shard or the
//     properties, failure counts, a replay command that is not the one its
//     seed, trace hash and build give, a partial merge as input);
//   - parts that differ in scenario_name, scenario_hash, first_seed,
//     seeds_total, shard count, properties, version or build;
//   - the same shard twice;
//   - missing shards, unless options.allow_partial.
// On success: seeds, pass/fail counts, coverage and wall_seconds are summed,
// failures merged in (seed, check order) order, sweep_trace_hash folded, shard
// is "", so the merge of all N shards equals one unsharded run except for
// the wall-clock fields.
struct MergeResult {
  SweepSummary summary;
  std::string error;  // empty on success
};
MergeResult merge_summaries(const std::vector<SummaryPart>& parts, const MergeOptions& options = {});

// Reads one summary file, e.g. a CI artifact: refuses files over
// kSummaryFileBytesMax, JSON nested deeper than kSummaryJsonDepthMax and
// objects that name a key twice
// before building anything from them. The error names the file.
inline constexpr uint64_t kSummaryFileBytesMax = uint64_t{256} << 20;
inline constexpr size_t kSummaryJsonDepthMax = 16;
struct SummaryReadResult {
  std::optional<SweepSummary> summary;
  std::string error;
};
SummaryReadResult read_summary_file(const std::string& path);

// What a merge checks of one part alone (see merge_summaries); "" when consistent.
std::string check_summary(const SweepSummary& s);

}  // namespace roomsim::scenarios
