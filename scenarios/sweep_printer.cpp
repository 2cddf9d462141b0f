// scenarios/sweep_printer.cpp: progress lines and the sweep summary text.
#include "scenarios/sweep_printer.hpp"

#include <algorithm>
#include <cinttypes>
#include <ostream>
#include <set>
#include <vector>

namespace roomsim::scenarios {

ProgressPrinter::ProgressPrinter(std::FILE* out, bool tty, std::string label, double plain_interval_s)
    : out_(out), tty_(tty), label_(std::move(label)), interval_s_(plain_interval_s),
      start_(std::chrono::steady_clock::now()) {}

ProgressFn ProgressPrinter::callback() {
  return [this](uint64_t done, uint64_t total, uint64_t failing, const SeedResult&) { update(done, total, failing); };
}

void ProgressPrinter::update(uint64_t done, uint64_t total, uint64_t failing) {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
  if (tty_) {
    if (done != total && elapsed - last_print_s_ < 0.1) return;  // redraw at most 10 times a second
    last_print_s_ = elapsed;
    constexpr int kWidth = 30;
    const int filled = total == 0 ? kWidth : static_cast<int>(kWidth * done / total);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.resize(kWidth, '.');
    std::fprintf(out_, "\r%s [%s] %" PRIu64 "/%" PRIu64 " seeds  %.1f seeds/s  %" PRIu64 " failing ", label_.c_str(),
                 bar.c_str(), done, total, rate, failing);
    std::fflush(out_);
    printed_ = true;
    return;
  }
  if (done == total || elapsed - last_print_s_ >= interval_s_) {
    last_print_s_ = elapsed;
    std::fprintf(out_, "%s: %" PRIu64 "/%" PRIu64 " seeds, %.1f seeds/s, %" PRIu64 " failing\n", label_.c_str(), done,
                 total, rate, failing);
    std::fflush(out_);
  }
}

void ProgressPrinter::finish() {
  if (tty_ && printed_) std::fprintf(out_, "\n");
  printed_ = false;
}

std::string format_time(int64_t t_ns) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%" PRId64 ".%03" PRId64 "s", t_ns / 1'000'000'000,
                (t_ns % 1'000'000'000) / 1'000'000);
  return buf;
}

std::string fail_line(const Failure& f) {
  return "FAIL seed=" + std::to_string(f.seed) + " property=" + f.property + " t=" + format_time(f.t_ns) +
         " event=" + std::to_string(f.event_index) + ": " + f.explanation;
}

void print_probe_counts(std::ostream& out, const SweepSummary& s) {
  if (s.coverage.empty()) return;
  out << "probes (hits over all seeds):\n";
  size_t width = 8;
  for (const auto& [name, hits] : s.coverage) width = std::max(width, name.size());
  char cell[256];
  size_t column = 0;
  std::vector<std::string> never;
  for (const auto& [name, hits] : s.coverage) {
    if (hits == 0) never.push_back(name);
    std::snprintf(cell, sizeof cell, "  %-*s %10" PRIu64, static_cast<int>(width), name.c_str(), hits);
    out << cell << (++column % 2 == 0 ? "\n" : "");
  }
  if (column % 2 != 0) out << "\n";
  if (!never.empty()) {
    out << "never reached (" << never.size() << " declared probes):";
    for (const std::string& name : never) out << " " << name;
    out << "\n";
  }
}

void print_fault_pairs(std::ostream& out, const SweepSummary& s) {
  const auto* worst = s.worst_fault_pair();
  if (worst == nullptr || s.seeds_run == 0) return;
  const auto share = [&](uint64_t seeds) { return 100.0 * static_cast<double>(seeds) / static_cast<double>(s.seeds_run); };
  size_t below = 0;
  for (const auto& [pair, seeds] : s.fault_pairs) below += share(seeds) < kFaultPairTargetPercent ? 1 : 0;
  char line[256];
  std::snprintf(line, sizeof line, "fault pairs: %zu pairs of kinds, %zu together in under %.0f %% of seeds; worst %s in %" PRIu64
                " seeds (%.1f %%)\n", s.fault_pairs.size(), below, kFaultPairTargetPercent, worst->first.c_str(),
                worst->second, share(worst->second));
  out << line;
  for (const auto& [pair, seeds] : s.fault_pairs) {
    if (share(seeds) >= kFaultPairTargetPercent) continue;
    std::snprintf(line, sizeof line, "  %-36s %8" PRIu64 " seeds (%.1f %%)\n", pair.c_str(), seeds, share(seeds));
    out << line;
  }
  out << "\n";
}

void print_summary_table(std::ostream& out, const SweepSummary& s, size_t failures_shown_max) {
  out << "scenario " << s.scenario_name << ": " << s.seeds_run << " seeds";
  if (!s.shard.empty()) out << " (shard " << s.shard << ")";
  out << "\n\n";
  // The checked properties in check order, then any other verdict's name
  // (the "simulation" pseudo-property of a seed whose run failed).
  std::vector<std::string> names = s.properties;
  for (const auto& [name, counts] : s.per_property) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  size_t width = 8;
  for (const auto& name : names) width = std::max(width, name.size());
  char line[256];
  std::snprintf(line, sizeof line, "  %-*s %8s %8s\n", static_cast<int>(width), "property", "pass", "fail");
  out << line;
  for (const auto& name : names) {
    const auto it = s.per_property.find(name);
    const auto counts = it == s.per_property.end() ? std::pair<uint64_t, uint64_t>{0, 0} : it->second;
    std::snprintf(line, sizeof line, "  %-*s %8" PRIu64 " %8" PRIu64 "%s\n", static_cast<int>(width), name.c_str(),
                  counts.first, counts.second, counts.second > 0 ? "  <-" : "");
    out << line;
  }
  out << "\n";
  size_t shown = 0;
  for (const Failure& f : s.failures) {
    if (shown == failures_shown_max) break;
    out << fail_line(f) << "\n  replay: " << f.replay_command << "\n";
    ++shown;
  }
  if (s.failures.size() > shown) {
    out << "... and " << (s.failures.size() - shown) << " more failures (every one is in the --json summary)\n";
  }
  if (!s.failures.empty()) out << "\n";
  print_probe_counts(out, s);
  print_fault_pairs(out, s);
  std::set<uint64_t> failing_seeds;
  for (const Failure& f : s.failures) failing_seeds.insert(f.seed);
  char tail[256];
  std::snprintf(tail, sizeof tail, "%.2f s wall, %.1f seeds/s, %.0fx real time", s.wall_seconds, s.seeds_per_s,
                s.sim_wall_ratio);
  if (!s.complete()) {
    out << "missing shards: ";
    for (size_t i = 0; i < s.missing_shards.size(); ++i) out << (i > 0 ? ", " : "") << s.missing_shards[i];
    out << ": " << s.seeds_missing << " of the " << s.seeds_total << " seeds did not run and have no verdict\n";
  }
  const char* verdict = !s.failures.empty() ? "FAIL" : s.complete() ? "PASS" : "INCOMPLETE";
  out << verdict << ": " << failing_seeds.size() << " of " << s.seeds_run << " seeds violated a property (" << tail
      << ")\n";
}

void print_sweep_summary(std::ostream& out, const Scenario& scenario, const SweepResult& result,
                         size_t failures_shown_max) {
  const SweepSummary& s = result.summary;
  print_summary_table(out, s, failures_shown_max);
  if (result.determinism_rerun > 0) {
    if (result.determinism_mismatches.empty()) {
      out << "determinism: " << result.determinism_rerun << " seeds rerun, every trace hash identical\n";
    } else {
      for (const auto& m : result.determinism_mismatches) {
        out << "NONDETERMINISTIC seed=" << m.seed << ": trace-hash " << m.first_hash << " then " << m.second_hash
            << " (compare with `roomsim replay ... --trace` twice and `roomsim diff`)\n";
      }
    }
  }
  if (scenario.expect_failures) {
    out << "note: scenario " << scenario.name
        << " runs seed-faithful rooms and is EXPECTED to fail; violations here are the simulator finding the known "
           "flaws (docs/rooms.md)\n";
    for (const auto& p : scenario.expected_failing_properties) {
      const auto it = s.per_property.find(p);
      const bool found = it != s.per_property.end() && it->second.second > 0;
      out << "  expected flaw in " << p << ": " << (found ? "found" : "NOT found in these seeds") << "\n";
    }
  }
}

}  // namespace roomsim::scenarios
