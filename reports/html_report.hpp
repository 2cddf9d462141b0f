// reports/html_report.hpp: the self-contained HTML report of a sweep or a
// replay (`roomsim run --report DIR`, `roomsim replay --report DIR`).
//
// DIR/index.html needs no network access: CSS and every picture (SVG) are
// inline. It holds the summary (seeds, timings, per-property table), every
// failure with its explanation and the exact replay and shrink commands, the
// fault-coverage counters (which fault kinds and code paths the sweep
// reached; fault kinds never reached are listed as such), and, for each seed
// given with details: its verdicts, the message sequence diagram around each
// violation (with edge lanes when the seed's frame-hop log is given), the failing room's timeline, the topology map and the delivery
// latency histogram. The DOT and SVG of every picture are also written beside
// index.html (seed-<S>-<picture>.dot/.svg) so they can be edited or
// re-rendered. The page is well-formed XML (XHTML syntax), so tests can parse
// it. A picture Graphviz cannot render is replaced by its error message, never
// dropped silently.
//
// Deterministic: the same inputs give the same bytes (no wall clock is read;
// the summary's own timing fields are shown as given).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "properties/checker.hpp"
#include "properties/history.hpp"
#include "reports/graphviz_sequence.hpp"
#include "reports/graphviz_topology.hpp"
#include "reports/write_status.hpp"
#include "scenarios/sweep_summary.hpp"

namespace roomsim::reports {

// What is known about one seed beyond the summary (a replayed failing seed).
struct SeedDetails {
  uint64_t seed = 0;
  // REQUIRES: outlives the build/write call. Null: no pictures for this seed.
  const properties::History* history = nullptr;
  // REQUIRES: outlives the build/write call. The run's frame-hop log: edge lanes
  // in the sequence diagrams. Null or not recorded: client and room lanes only.
  const netsim::FrameHopLog* frame_hops = nullptr;
  std::vector<properties::Verdict> verdicts;
  std::optional<TopologyView> topology;  // nullopt: no map
  std::string trace_hash;
  std::string note;  // shown under the seed's heading (e.g. a trace hash mismatch on re-simulation)
};

struct HtmlReportOptions {
  size_t failures_listed_max = 200;     // rows of the failure table; the rest are counted
  size_t sequence_pictures_max = 4;     // per seed, one per failing property
  SequenceOptions sequence;
};

struct HtmlReport {
  std::string index_html;
  // Files written beside index.html: (file name, content), in a stable order.
  std::vector<std::pair<std::string, std::string>> files;
};

HtmlReport build_html_report(const scenarios::SweepSummary& summary, const std::vector<SeedDetails>& details = {},
                             const HtmlReportOptions& options = {});

// Writes DIR/index.html and the picture files, creating DIR if needed.
WriteStatus write_html_report(const std::filesystem::path& dir, const scenarios::SweepSummary& summary,
                              const std::vector<SeedDetails>& details = {}, const HtmlReportOptions& options = {});

// The exact shrink command for a failing seed of `summary`'s scenario.
std::string shrink_command(const scenarios::SweepSummary& summary, uint64_t seed);

}  // namespace roomsim::reports
