// reports/html_report.cpp: SweepSummary + seed details -> index.html.
#include "reports/html_report.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "engine/time.hpp"
#include "netsim/names.hpp"
#include "reports/graphviz_room_timeline.hpp"
#include "reports/html_style.hpp"
#include "reports/latency_histogram.hpp"
#include "reports/text_escape.hpp"

namespace roomsim::reports {

namespace {

using scenarios::Failure;
using scenarios::SweepSummary;

std::string esc(std::string_view s) { return xml_escape(s); }

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// A file-name-safe form of a property or picture name.
std::string file_safe(std::string_view s) {
  std::string out;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    out += ok ? c : '_';
  }
  return out;
}

class Page {
 public:
  void raw(std::string_view s) { out_ += s; }
  void text(std::string_view s) { out_ += esc(s); }
  std::string& str() { return out_; }

 private:
  std::string out_;
};

void card(Page& p, const std::string& value, const std::string& key, bool failing = false) {
  p.raw(failing ? "<div class=\"card fail\">" : "<div class=\"card\">");
  p.raw("<div class=\"v\">");
  p.text(value);
  p.raw("</div><div class=\"k\">");
  p.text(key);
  p.raw("</div></div>");
}

void command_block(Page& p, const std::string& command) {
  p.raw("<pre class=\"cmd\">");
  p.text(command);
  p.raw("</pre>");
}

std::vector<std::string> property_order(const SweepSummary& s) {
  std::vector<std::string> order = s.properties;
  const auto add = [&order](const std::string& name) {
    if (std::find(order.begin(), order.end(), name) == order.end()) order.push_back(name);
  };
  for (const auto& [name, counts] : s.per_property) add(name);
  for (const Failure& f : s.failures) add(f.property);
  return order;
}

void write_header(Page& p, const SweepSummary& s) {
  const bool passed = s.passed() && s.failures.empty();
  const bool incomplete = s.failures.empty() && s.failed_checks() == 0 && !s.complete();
  p.raw("<header><h1>roomsim report: ");
  p.text(s.scenario_name.empty() ? "(unnamed scenario)" : s.scenario_name);
  p.raw(passed       ? " <span class=\"badge pass\">PASS</span>"
        : incomplete ? " <span class=\"badge fail\">INCOMPLETE</span>"
                     : " <span class=\"badge fail\">FAIL</span>");
  p.raw("</h1><div class=\"sub\">");
  std::string sub = "scenario " + (s.scenario_path.empty() ? s.scenario_name : s.scenario_path);
  if (!s.version.empty()) sub += " · roomsim " + s.version;
  if (!s.build.empty()) sub += " · build " + s.build;
  if (!s.shard.empty()) sub += " · shard " + s.shard;
  if (!s.sweep_trace_hash.empty()) sub += " · sweep trace hash " + s.sweep_trace_hash;
  p.text(sub);
  p.raw("</div></header>\n");

  std::set<uint64_t> failing_seeds;
  for (const Failure& f : s.failures) failing_seeds.insert(f.seed);
  p.raw("<div class=\"cards\">");
  card(p, std::to_string(s.seeds_run), "seeds run");
  card(p, std::to_string(failing_seeds.size()), "failing seeds", !failing_seeds.empty());
  card(p, std::to_string(s.failed_checks()), "property violations", s.failed_checks() > 0);
  card(p, fixed(s.seeds_per_s, 1), "seeds per second");
  card(p, fixed(s.sim_wall_ratio, 0) + "x", "simulated / wall time");
  card(p, fixed(s.wall_seconds, 2) + " s", "wall time");
  if (!s.complete()) card(p, std::to_string(s.seeds_missing), "seeds that did not run", true);
  p.raw("</div>\n");
  if (!s.complete()) {
    std::string shards;
    for (const std::string& k : s.missing_shards) shards += (shards.empty() ? "" : ", ") + k;
    p.raw("<p class=\"note\">");
    p.text("Partial merge: the summaries of shards " + shards + " were missing, so " +
           std::to_string(s.seeds_missing) + " of the " + std::to_string(s.seeds_total) +
           " seeds have no verdict. This is not a pass.");
    p.raw("</p>\n");
  }
}

void write_property_table(Page& p, const SweepSummary& s) {
  p.raw("<h2 id=\"properties\">Properties</h2>\n<table><thead><tr><th>property</th><th>what it checks</th>"
        "<th class=\"num\">passed</th><th class=\"num\">failed</th><th>status</th></tr></thead><tbody>\n");
  for (const std::string& name : property_order(s)) {
    uint64_t pass = 0;
    uint64_t fail = 0;
    if (auto it = s.per_property.find(name); it != s.per_property.end()) {
      pass = it->second.first;
      fail = it->second.second;
    }
    // A failure record without a count (a hand-edited summary) still fails the property.
    const auto listed = static_cast<uint64_t>(
        std::count_if(s.failures.begin(), s.failures.end(), [&name](const Failure& f) { return f.property == name; }));
    fail = std::max(fail, listed);
    p.raw(fail > 0 ? "<tr class=\"failed\">" : "<tr>");
    p.raw("<td><code>");
    p.text(name);
    p.raw("</code></td><td>");
    p.text(properties::describe_property(name));
    p.raw("</td><td class=\"num\">" + std::to_string(pass) + "</td><td class=\"num\">" + std::to_string(fail) +
          "</td><td>");
    if (fail > 0) {
      p.raw("<span class=\"pill fail\">FAIL</span>");
    } else if (pass == 0) {
      p.raw("<span class=\"pill skip\">not checked</span>");
    } else {
      p.raw("<span class=\"pill pass\">pass</span>");
    }
    p.raw("</td></tr>\n");
  }
  p.raw("</tbody></table>\n");
}

void write_failure_table(Page& p, const SweepSummary& s, const std::set<uint64_t>& detailed_seeds,
                         const HtmlReportOptions& options) {
  p.raw("<h2 id=\"failures\">Failures</h2>\n");
  if (s.failures.empty()) {
    p.raw("<p class=\"note\">No property was violated on any seed.</p>\n");
    return;
  }
  p.raw("<table><thead><tr><th class=\"num\">seed</th><th>property</th><th class=\"num\">time</th>"
        "<th class=\"num\">event</th><th>explanation and commands</th></tr></thead><tbody>\n");
  size_t listed = 0;
  for (const Failure& f : s.failures) {
    if (listed == options.failures_listed_max) break;
    ++listed;
    const std::string seed = std::to_string(f.seed);
    // Link to the seed's section when the report has one.
    p.raw("<tr class=\"failed\"><td class=\"num\">" +
          (detailed_seeds.count(f.seed) > 0 ? "<a href=\"#seed-" + seed + "\">" + seed + "</a>" : seed) +
          "</td><td><code>");
    p.text(f.property);
    p.raw("</code></td><td class=\"num\">");
    p.text(format_time(Time::from_ns(f.t_ns)));
    p.raw("</td><td class=\"num\">#" + std::to_string(f.event_index) + "</td><td class=\"explain\">");
    p.text(f.explanation);
    command_block(p, f.replay_command + "\n" + shrink_command(s, f.seed));
    if (!f.trace_hash.empty()) {
      p.raw("<div class=\"note\">trace hash <code>");
      p.text(f.trace_hash);
      p.raw("</code></div>");
    }
    p.raw("</td></tr>\n");
  }
  p.raw("</tbody></table>\n");
  if (s.failures.size() > listed) {
    p.raw("<p class=\"note\">" + std::to_string(s.failures.size() - listed) +
          " more failures are not listed here; the JSON summary (<code>--json</code>) has all of them.</p>\n");
  }
}

// A rendered picture inside a figure, plus its files beside index.html.
void write_picture(Page& p, HtmlReport& report, const Picture& picture, const std::string& file_stem, bool fit) {
  report.files.emplace_back(file_stem + ".dot", picture.dot);
  p.raw("<figure><figcaption>");
  p.text(picture.title);
  p.raw(" <a href=\"" + esc(file_stem) + ".dot\">DOT</a>");
  if (picture.ok()) {
    report.files.emplace_back(file_stem + ".svg", picture.svg);
    p.raw(" <a href=\"" + esc(file_stem) + ".svg\">SVG</a>");
  }
  p.raw("</figcaption>");
  if (picture.ok()) {
    p.raw(fit ? "<div class=\"picture fit\">" : "<div class=\"picture\">");
    p.raw(svg_element(picture.svg));
    p.raw("</div>");
  } else {
    p.raw("<div class=\"error\">This picture could not be rendered: ");
    p.text(picture.error);
    p.raw(" (the DOT source is in the linked file)</div>");
  }
  p.raw("</figure>\n");
}

void write_seed(Page& p, HtmlReport& report, const SweepSummary& s, const SeedDetails& d,
                const HtmlReportOptions& options) {
  const std::string seed = std::to_string(d.seed);
  p.raw("<section class=\"seed\" id=\"seed-" + seed + "\"><h2>Seed " + seed + "</h2>\n");
  if (!d.trace_hash.empty()) {
    p.raw("<p class=\"note\">trace hash <code>");
    p.text(d.trace_hash);
    p.raw("</code>");
    if (d.history != nullptr) p.raw(" · " + std::to_string(d.history->size()) + " history events");
    p.raw("</p>\n");
  }
  if (!d.note.empty()) {
    p.raw("<p class=\"error\">");
    p.text(d.note);
    p.raw("</p>\n");
  }
  std::vector<const properties::Verdict*> failed;
  for (const properties::Verdict& v : d.verdicts) {
    if (!v.passed) failed.push_back(&v);
  }
  if (!d.verdicts.empty()) {
    p.raw("<p>");
    p.text(std::to_string(d.verdicts.size() - failed.size()) + " of " + std::to_string(d.verdicts.size()) +
           " properties held");
    if (!failed.empty()) {
      p.text("; failed: ");
      for (size_t i = 0; i < failed.size(); ++i) {
        p.raw(i == 0 ? "<code>" : ", <code>");
        p.text(failed[i]->property);
        p.raw("</code>");
      }
    }
    p.raw(".</p>\n");
  }
  const std::string stem = "seed-" + seed;
  size_t drawn = 0;
  for (const properties::Verdict* v : failed) {
    p.raw("<div class=\"violation\"><h3><code>");
    p.text(v->property);
    p.raw("</code> violated at ");
    p.text(format_time(Time::from_ns(v->t_ns)));
    p.raw(" <span class=\"pill fail\">" + std::to_string(v->violation_count) + " violating events</span></h3><p>");
    p.text(v->explanation);
    p.raw("</p>");
    std::string replay;
    for (const Failure& f : s.failures) {
      if (f.seed == d.seed && f.property == v->property) replay = f.replay_command;
    }
    command_block(p, (replay.empty() ? std::string() : replay + "\n") + shrink_command(s, d.seed));
    if (d.history != nullptr && drawn < options.sequence_pictures_max) {
      ++drawn;
      if (!v->violating.empty()) {
        const std::string ev = "ev" + std::to_string(v->violating.front());
        p.raw("<p class=\"note\"><a href=\"#" + ev + "\">jump to the first violating event (#" +
              std::to_string(v->violating.front()) + ") in the diagram</a></p>");
      }
      write_picture(p, report, sequence_picture(*d.history, *v, options.sequence, d.frame_hops),
                    stem + "-sequence-" + file_safe(v->property), /*fit=*/false);
    }
    p.raw("</div>\n");
  }
  if (failed.size() > drawn && d.history != nullptr) {
    p.raw("<p class=\"note\">Sequence diagrams are drawn for the first " + std::to_string(drawn) +
          " failing properties only.</p>\n");
  }
  if (d.history != nullptr) {
    properties::Verdict focus;
    if (!failed.empty()) focus = *failed.front();
    const std::string room = failing_room(*d.history, focus);
    if (!room.empty()) {
      write_picture(p, report, room_timeline_picture(*d.history, room), stem + "-room", /*fit=*/true);
    }
  }
  if (d.topology) write_picture(p, report, topology_picture(*d.topology), stem + "-topology", /*fit=*/true);
  if (d.history != nullptr) {
    p.raw("<figure><figcaption>Delivery latency (simulated time)</figcaption><div class=\"picture fit\">");
    p.raw(latency_histogram_svg(delivery_latencies(*d.history), 60, 1100));
    p.raw("</div></figure>\n");
  }
  p.raw("</section>\n");
}

void write_coverage(Page& p, const SweepSummary& s) {
  p.raw("<h2 id=\"coverage\">Fault coverage</h2>\n");
  // Every fault kind netsim can inject, so the ones a sweep never reached show up as zero.
  std::map<std::string, uint64_t> probes = s.coverage;
  for (int k = static_cast<int>(netsim::FaultKind::kPartition); k <= static_cast<int>(netsim::FaultKind::kClientChurn);
       ++k) {
    probes.emplace(std::string("fault.") + netsim::fault_kind_name(static_cast<netsim::FaultKind>(k)), 0);
  }
  std::vector<std::string> unreached;
  for (const auto& [name, hits] : probes) {
    if (hits == 0 && name.rfind("fault.", 0) == 0) unreached.push_back(name.substr(6));
  }
  p.raw("<p class=\"note\">Code probes counted over every seed of the sweep: which fault kinds were injected and which "
        "rare paths (restarts, lost commits, resume gaps, refused connections) the runs actually reached.");
  if (!unreached.empty()) {
    p.raw(" <span class=\"pill warn\">fault kinds never injected: ");
    for (size_t i = 0; i < unreached.size(); ++i) p.text((i == 0 ? "" : ", ") + unreached[i]);
    p.raw("</span>");
  }
  p.raw("</p>\n");
  std::map<std::string, std::vector<std::pair<std::string, uint64_t>>> groups;
  for (const auto& [name, hits] : probes) {
    const size_t dot = name.find('.');
    groups[dot == std::string::npos ? std::string("other") : name.substr(0, dot)].emplace_back(name, hits);
  }
  p.raw("<div class=\"cov\">");
  for (const auto& [group, entries] : groups) {
    uint64_t max_hits = 1;
    for (const auto& e : entries) max_hits = std::max(max_hits, e.second);
    p.raw("<table><thead><tr><th>");
    p.text(group);
    p.raw("</th><th class=\"num\">hits</th><th></th></tr></thead><tbody>");
    for (const auto& [name, hits] : entries) {
      p.raw(hits == 0 ? "<tr class=\"zero\"><td><code>" : "<tr><td><code>");
      p.text(name);
      const int bar_px = hits == 0 ? 0 : std::max(2, static_cast<int>(120.0 * static_cast<double>(hits) / static_cast<double>(max_hits)));
      p.raw("</code></td><td class=\"num\">" + (hits == 0 ? std::string("not reached") : std::to_string(hits)) +
            "</td><td><span class=\"bar\" style=\"width:" + std::to_string(bar_px) + "px\"></span></td></tr>");
    }
    p.raw("</tbody></table>");
  }
  p.raw("</div>\n");
}

}  // namespace

std::string shrink_command(const SweepSummary& summary, uint64_t seed) {
  const std::string scenario = summary.scenario_path.empty() ? summary.scenario_name : summary.scenario_path;
  return "roomsim shrink " + scenario + " --seed " + std::to_string(seed) + " --out shrunk-seed-" +
         std::to_string(seed) + ".json";
}

HtmlReport build_html_report(const SweepSummary& s, const std::vector<SeedDetails>& details,
                             const HtmlReportOptions& options) {
  HtmlReport report;
  Page p;
  p.raw("<!DOCTYPE html>\n<html lang=\"en\" xmlns=\"http://www.w3.org/1999/xhtml\"><head><meta charset=\"utf-8\"/>"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/><title>");
  p.text("roomsim report: " + s.scenario_name + (s.passed() && s.failures.empty() ? " (pass)" : " (FAIL)"));
  p.raw("</title><style>");
  p.raw(kHtmlStyle);
  p.raw("</style></head>\n<body><main>\n");
  write_header(p, s);
  write_property_table(p, s);
  std::set<uint64_t> detailed_seeds;
  for (const SeedDetails& d : details) detailed_seeds.insert(d.seed);
  write_failure_table(p, s, detailed_seeds, options);
  for (const SeedDetails& d : details) write_seed(p, report, s, d, options);
  write_coverage(p, s);
  p.raw("<footer>");
  p.text("Generated by roomsim " + (s.version.empty() ? std::string("(unknown version)") : s.version) +
         ". This page is self-contained (no network access); the DOT and SVG of each picture are beside it.");
  p.raw("</footer>\n</main></body></html>\n");
  report.index_html = std::move(p.str());
  return report;
}

WriteStatus write_html_report(const std::filesystem::path& dir, const SweepSummary& summary,
                              const std::vector<SeedDetails>& details, const HtmlReportOptions& options) {
  const HtmlReport report = build_html_report(summary, details, options);
  for (const auto& [name, content] : report.files) {
    WriteStatus status = write_text_file(dir / name, content);
    if (!status.ok()) return status;
  }
  return write_text_file(dir / "index.html", report.index_html);
}

}  // namespace roomsim::reports
