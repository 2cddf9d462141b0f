// scenarios/sweep_printer.hpp: what `roomsim run` shows a person: progress
// while the sweep runs, then the summary table by property and each failure
// with its exact replay command.
//
// Progress goes to stderr: on a terminal (isatty) one line redrawn in place
// with a bar, seeds/s and failures so far; otherwise (CI logs) a plain line at
// most every `plain_interval_s` seconds and at the end. The summary goes to
// the given stream and depends only on the results (never on wall time,
// except the throughput line), so it is identical for any --jobs.
#pragma once

#include <chrono>
#include <cstdio>
#include <iosfwd>
#include <string>

#include "scenarios/runner.hpp"

namespace roomsim::scenarios {

class ProgressPrinter {
 public:
  // `out` is normally stderr; `tty` selects the redrawn bar.
  ProgressPrinter(std::FILE* out, bool tty, std::string label, double plain_interval_s = 5.0);
  // A ProgressFn that prints through this printer (which must outlive the sweep).
  ProgressFn callback();
  // Ends the redrawn line (a newline on a terminal).
  void finish();

 private:
  void update(uint64_t done, uint64_t total, uint64_t failing);

  std::FILE* out_;
  bool tty_;
  std::string label_;
  double interval_s_;
  // Wall clock for the progress display (seeds/s) only; it never reaches a simulation.
  std::chrono::steady_clock::time_point start_;
  double last_print_s_ = -1e9;
  bool printed_ = false;
};

// "12.503s" from nanoseconds.
std::string format_time(int64_t t_ns);

// FAIL line of issue 6: `FAIL seed=<S> property=<name> t=<time> event=<index>: <explanation>`.
std::string fail_line(const Failure& f);

// The share of seeds every fault pair should reach (issue 18: 5 %).
inline constexpr double kFaultPairTargetPercent = 5.0;

// One line on fault pair coverage (how many pairs, how many below the
// target, the worst pair with its seed count), then each pair below the
// target. Prints nothing for a summary without pairs.
void print_fault_pairs(std::ostream& out, const SweepSummary& summary);

// The coverage probes with their hits, two to a line, then the declared
// probes no seed reached ("never reached (N declared probes): ..."; the
// runner gives each declared probe a 0 entry). Nothing when there is no coverage.
void print_probe_counts(std::ostream& out, const SweepSummary& summary);

// Summary table by property (the checked ones, then any other verdict such as
// "simulation"), then each failure (at most `failures_shown_max`, the rest
// counted) with its replay command, the probe counts, then the missing shards
// of a partial merge and the PASS/FAIL/INCOMPLETE line. Used by `run` and
// `merge`.
void print_summary_table(std::ostream& out, const SweepSummary& summary, size_t failures_shown_max = 25);

// print_summary_table plus the determinism results and, for scenarios that
// expect failures, which expected flaws were found.
void print_sweep_summary(std::ostream& out, const Scenario& scenario, const SweepResult& result,
                         size_t failures_shown_max = 25);

}  // namespace roomsim::scenarios
