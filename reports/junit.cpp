// reports/junit.cpp: SweepSummary -> JUnit XML.
#include "reports/junit.hpp"

#include <cstdio>
#include <map>
#include <ostream>
#include <sstream>
#include <string>

#include "engine/time.hpp"
#include "reports/text_escape.hpp"

namespace roomsim::reports {

namespace {

using scenarios::Failure;
using scenarios::SweepSummary;

std::string seconds3(double s) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", s < 0 ? 0.0 : s);
  return buf;
}

// Properties in check order, then any that only appear in counts or failures
// (a merged or hand-edited summary), so nothing is dropped.
std::vector<std::string> property_order(const SweepSummary& s) {
  std::vector<std::string> order = s.properties;
  auto add = [&order](const std::string& name) {
    for (const std::string& n : order) {
      if (n == name) return;
    }
    order.push_back(name);
  };
  for (const auto& [name, counts] : s.per_property) add(name);
  for (const Failure& f : s.failures) add(f.property);
  return order;
}

struct PropertyOutcome {
  uint64_t pass = 0;
  uint64_t fail = 0;
  std::vector<const Failure*> failures;
};

std::map<std::string, PropertyOutcome> outcomes(const SweepSummary& s) {
  std::map<std::string, PropertyOutcome> out;
  for (const auto& [name, counts] : s.per_property) {
    out[name].pass = counts.first;
    out[name].fail = counts.second;
  }
  for (const Failure& f : s.failures) out[f.property].failures.push_back(&f);
  for (auto& [name, o] : out) {
    // A failure record without a count (inconsistent input) still fails the case.
    if (o.fail < o.failures.size()) o.fail = o.failures.size();
  }
  return out;
}

void write_property(std::ostream& out, const std::string& key, const std::string& value) {
  out << "      <property name=\"" << xml_escape(key) << "\" value=\"" << xml_escape(value) << "\"/>\n";
}

void write_failure(std::ostream& out, const std::string& property, const PropertyOutcome& o) {
  std::ostringstream message;
  message << "violated in " << o.fail << " of " << (o.pass + o.fail) << " seeds";
  if (!o.failures.empty()) {
    const Failure& first = *o.failures.front();
    message << "; first: seed " << first.seed << ": " << first.explanation;
  }
  std::ostringstream body;
  size_t listed = 0;
  for (const Failure* f : o.failures) {
    if (listed == kJunitSeedsListedMax) break;
    body << "seed=" << f->seed << " property=" << property << " t=" << format_time(Time::from_ns(f->t_ns))
         << " event=" << f->event_index << ": " << f->explanation << "\n  replay: " << f->replay_command
         << "\n  trace-hash: " << f->trace_hash << "\n";
    ++listed;
  }
  if (o.failures.size() > listed) {
    body << "... and " << (o.failures.size() - listed) << " more failing seeds (all are in the JSON summary)\n";
  }
  out << "      <failure type=\"PropertyViolation\" message=\"" << xml_escape(message.str()) << "\">"
      << xml_escape(body.str()) << "</failure>\n";
}

// A partial merge (merge --allow-partial) is never a pass: the seeds that did
// not run are one test case in error.
void write_missing_shards(std::ostream& out, const SweepSummary& s) {
  std::string shards;
  for (const std::string& k : s.missing_shards) shards += (shards.empty() ? "" : ", ") + k;
  const std::string message = std::to_string(s.seeds_missing) + " of " + std::to_string(s.seeds_total) +
                              " seeds did not run: missing shards " + shards;
  out << "    <testcase classname=\"" << xml_escape("roomsim." + s.scenario_name)
      << "\" name=\"all seeds ran\">\n      <error type=\"MissingShards\" message=\"" << xml_escape(message) << "\">"
      << xml_escape(message + "\n") << "</error>\n    </testcase>\n";
}

void write_suite(std::ostream& out, const SweepSummary& s) {
  const std::vector<std::string> order = property_order(s);
  const std::map<std::string, PropertyOutcome> by_name = outcomes(s);
  size_t failing = 0;
  size_t skipped = 0;
  for (const std::string& name : order) {
    auto it = by_name.find(name);
    if (it == by_name.end() || it->second.pass + it->second.fail == 0) {
      ++skipped;
    } else if (it->second.fail > 0) {
      ++failing;
    }
  }
  const bool incomplete = !s.complete();
  out << "  <testsuite name=\"" << xml_escape(s.scenario_name) << "\" tests=\"" << order.size() + (incomplete ? 1 : 0)
      << "\" failures=\"" << failing << "\" errors=\"" << (incomplete ? 1 : 0) << "\" skipped=\"" << skipped
      << "\" time=\"" << seconds3(s.wall_seconds) << "\">\n";
  out << "    <properties>\n";
  write_property(out, "scenario_path", s.scenario_path);
  write_property(out, "scenario_hash", s.scenario_hash);
  write_property(out, "seed_range", std::to_string(s.first_seed) + "+" + std::to_string(s.seeds_total));
  write_property(out, "seeds_run", std::to_string(s.seeds_run));
  write_property(out, "version", s.version);
  write_property(out, "build", s.build);
  write_property(out, "shard", s.shard);
  write_property(out, "sweep_trace_hash", s.sweep_trace_hash);
  out << "    </properties>\n";
  if (incomplete) write_missing_shards(out, s);
  const std::string classname = "roomsim." + s.scenario_name;
  for (const std::string& name : order) {
    out << "    <testcase classname=\"" << xml_escape(classname) << "\" name=\"" << xml_escape(name) << "\"";
    auto it = by_name.find(name);
    if (it == by_name.end() || it->second.pass + it->second.fail == 0) {
      out << ">\n      <skipped message=\"no seed checked this property\"/>\n    </testcase>\n";
    } else if (it->second.fail > 0) {
      out << ">\n";
      write_failure(out, name, it->second);
      out << "    </testcase>\n";
    } else {
      out << "/>\n";
    }
  }
  out << "  </testsuite>\n";
}

}  // namespace

void write_junit(const std::vector<SweepSummary>& summaries, std::ostream& out) {
  size_t tests = 0;
  size_t failures = 0;
  size_t errors = 0;
  double time_s = 0;
  for (const SweepSummary& s : summaries) {
    const auto by_name = outcomes(s);
    tests += property_order(s).size() + (s.complete() ? 0 : 1);
    errors += s.complete() ? 0 : 1;
    for (const auto& [name, o] : by_name) failures += o.fail > 0 ? 1 : 0;
    time_s += s.wall_seconds;
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"roomsim\" tests=\"" << tests << "\" failures=\"" << failures << "\" errors=\"" << errors << "\" time=\""
      << seconds3(time_s) << "\">\n";
  for (const SweepSummary& s : summaries) write_suite(out, s);
  out << "</testsuites>\n";
}

void write_junit(const SweepSummary& summary, std::ostream& out) {
  write_junit(std::vector<SweepSummary>{summary}, out);
}

WriteStatus write_junit_file(const std::vector<SweepSummary>& summaries, const std::filesystem::path& path) {
  std::ostringstream out;
  write_junit(summaries, out);
  return write_text_file(path, out.str());
}

WriteStatus write_junit_file(const SweepSummary& summary, const std::filesystem::path& path) {
  return write_junit_file(std::vector<SweepSummary>{summary}, path);
}

}  // namespace roomsim::reports
