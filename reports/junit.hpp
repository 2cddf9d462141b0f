// reports/junit.hpp: JUnit XML for CI systems (GitHub Actions, GitLab,
// Jenkins), from sweep summaries.
//
// Shape: one <testsuites> root; one <testsuite> per scenario (name =
// scenario_name); one <testcase> per checked property (classname
// "roomsim.<scenario>", name = property). A property that failed on any seed
// has one <failure type="PropertyViolation"> whose message gives the number
// of failing seeds and the first one, and whose body lists each failing seed
// with its time, event index, explanation and replay command (at most
// kJunitSeedsListedMax per property; the rest are counted, and all of them are
// in the JSON summary). A property no seed checked is <skipped/>.
// Suite properties carry seeds_run, scenario_path, version and shard.
//
// Output is deterministic for a given summary (times are printed with 3
// decimals) and always well-formed XML: every string is escaped.
#pragma once

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <vector>

#include "reports/write_status.hpp"
#include "scenarios/sweep_summary.hpp"

namespace roomsim::reports {

inline constexpr size_t kJunitSeedsListedMax = 50;

void write_junit(const std::vector<scenarios::SweepSummary>& summaries, std::ostream& out);
void write_junit(const scenarios::SweepSummary& summary, std::ostream& out);

// `roomsim run --junit FILE`: writes the XML to `path`.
WriteStatus write_junit_file(const std::vector<scenarios::SweepSummary>& summaries, const std::filesystem::path& path);
WriteStatus write_junit_file(const scenarios::SweepSummary& summary, const std::filesystem::path& path);

}  // namespace roomsim::reports
