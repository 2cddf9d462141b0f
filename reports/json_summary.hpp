// reports/json_summary.hpp: the sweep summary as a JSON document.
//
// The schema ("roomsim.sweep-summary/1", docs/reports.md) is the to_json of
// scenarios::SweepSummary; this file fixes its textual form: 2-space
// indentation, object keys sorted, one trailing newline; invalid UTF-8 in a
// string becomes U+FFFD instead of aborting the write. The
// same bytes for the same summary, so the golden test and `roomsim merge`
// round-trips are stable.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>

#include "reports/write_status.hpp"
#include "scenarios/sweep_summary.hpp"

namespace roomsim::reports {

std::string json_summary_text(const scenarios::SweepSummary& summary);
void write_json_summary(const scenarios::SweepSummary& summary, std::ostream& out);
// `roomsim run --json FILE`.
WriteStatus write_json_summary_file(const scenarios::SweepSummary& summary, const std::filesystem::path& path);

}  // namespace roomsim::reports
