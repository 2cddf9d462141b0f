// scenarios/sweep_summary.cpp: JSON form and shard merge of SweepSummary.
#include "scenarios/sweep_summary.hpp"

#include <algorithm>
#include <stdexcept>
#include <tuple>

namespace roomsim::scenarios {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& path, const std::string& expected, const json& got) {
  throw std::invalid_argument(path + ": expected " + expected + ", got " + got.dump());
}

const json& field(const json& j, const std::string& path, const char* key) {
  if (!j.is_object()) fail(path, "an object", j);
  auto it = j.find(key);
  if (it == j.end()) throw std::invalid_argument(path + "/" + key + ": missing");
  return *it;
}

std::string get_string(const json& j, const std::string& path, const char* key) {
  const json& v = field(j, path, key);
  if (!v.is_string()) fail(path + "/" + key, "a string", v);
  return v.get<std::string>();
}

uint64_t get_u64(const json& v, const std::string& path) {
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<int64_t>() >= 0)) {
    fail(path, "an unsigned integer", v);
  }
  return v.get<uint64_t>();
}

double get_double(const json& j, const std::string& path, const char* key) {
  const json& v = field(j, path, key);
  if (!v.is_number()) fail(path + "/" + key, "a number", v);
  return v.get<double>();
}

}  // namespace

uint64_t SweepSummary::failed_checks() const {
  uint64_t n = 0;
  for (const auto& [name, counts] : per_property) n += counts.second;
  return n;
}

void to_json(json& j, const Failure& f) {
  j = json{{"seed", f.seed},
           {"property", f.property},
           {"t_ns", f.t_ns},
           {"event_index", f.event_index},
           {"explanation", f.explanation},
           {"replay_command", f.replay_command},
           {"trace_hash", f.trace_hash}};
}

void to_json(json& j, const SweepSummary& s) {
  json per = json::object();
  for (const auto& [name, counts] : s.per_property) {
    per[name] = json{{"pass", counts.first}, {"fail", counts.second}};
  }
  json failures = json::array();
  for (const Failure& f : s.failures) failures.push_back(f);
  j = json{{"schema", kSweepSummarySchema},
           {"scenario_name", s.scenario_name},
           {"scenario_path", s.scenario_path},
           {"properties", s.properties},
           {"seeds_run", s.seeds_run},
           {"per_property", per},
           {"failures", failures},
           {"wall_seconds", s.wall_seconds},
           {"seeds_per_s", s.seeds_per_s},
           {"sim_wall_ratio", s.sim_wall_ratio},
           {"coverage", s.coverage},
           {"fault_pairs", s.fault_pairs},
           {"version", s.version},
           {"shard", s.shard}};
}

void from_json(const json& j, Failure& f) {
  // Called with the element; its path is prefixed by the caller's catch.
  f.seed = get_u64(field(j, "", "seed"), "/seed");
  f.property = get_string(j, "", "property");
  const json& t = field(j, "", "t_ns");
  if (!t.is_number_integer()) fail("/t_ns", "an integer", t);
  f.t_ns = t.get<int64_t>();
  f.event_index = get_u64(field(j, "", "event_index"), "/event_index");
  f.explanation = get_string(j, "", "explanation");
  f.replay_command = get_string(j, "", "replay_command");
  f.trace_hash = get_string(j, "", "trace_hash");
}

void from_json(const json& j, SweepSummary& s) {
  if (!j.is_object()) fail("", "an object", j);
  const std::string schema = get_string(j, "", "schema");
  if (schema != kSweepSummarySchema) {
    fail("/schema", std::string("\"") + kSweepSummarySchema + "\"", json(schema));
  }
  s = SweepSummary{};
  s.scenario_name = get_string(j, "", "scenario_name");
  s.scenario_path = get_string(j, "", "scenario_path");
  const json& props = field(j, "", "properties");
  if (!props.is_array()) fail("/properties", "an array of strings", props);
  for (size_t i = 0; i < props.size(); ++i) {
    if (!props[i].is_string()) fail("/properties/" + std::to_string(i), "a string", props[i]);
    s.properties.push_back(props[i].get<std::string>());
  }
  s.seeds_run = get_u64(field(j, "", "seeds_run"), "/seeds_run");
  const json& per = field(j, "", "per_property");
  if (!per.is_object()) fail("/per_property", "an object", per);
  for (auto it = per.begin(); it != per.end(); ++it) {
    const std::string path = "/per_property/" + it.key();
    s.per_property[it.key()] = {get_u64(field(it.value(), path, "pass"), path + "/pass"),
                                get_u64(field(it.value(), path, "fail"), path + "/fail")};
  }
  const json& failures = field(j, "", "failures");
  if (!failures.is_array()) fail("/failures", "an array", failures);
  for (size_t i = 0; i < failures.size(); ++i) {
    Failure f;
    try {
      from_json(failures[i], f);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("/failures/" + std::to_string(i) + e.what());
    }
    s.failures.push_back(std::move(f));
  }
  s.wall_seconds = get_double(j, "", "wall_seconds");
  s.seeds_per_s = get_double(j, "", "seeds_per_s");
  s.sim_wall_ratio = get_double(j, "", "sim_wall_ratio");
  const json& cov = field(j, "", "coverage");
  if (!cov.is_object()) fail("/coverage", "an object", cov);
  for (auto it = cov.begin(); it != cov.end(); ++it) {
    s.coverage[it.key()] = get_u64(it.value(), "/coverage/" + it.key());
  }
  if (const auto pairs = j.find("fault_pairs"); pairs != j.end()) {  // absent in summaries before it existed
    if (!pairs->is_object()) fail("/fault_pairs", "an object", *pairs);
    for (auto it = pairs->begin(); it != pairs->end(); ++it) {
      s.fault_pairs[it.key()] = get_u64(it.value(), "/fault_pairs/" + it.key());
    }
  }
  s.version = get_string(j, "", "version");
  s.shard = get_string(j, "", "shard");
}

const std::pair<const std::string, uint64_t>* SweepSummary::worst_fault_pair() const {
  const std::pair<const std::string, uint64_t>* worst = nullptr;
  for (const auto& entry : fault_pairs) {
    if (worst == nullptr || entry.second < worst->second) worst = &entry;
  }
  return worst;
}

MergeResult merge_summaries(const std::vector<SweepSummary>& parts) {
  MergeResult out;
  if (parts.empty()) {
    out.error = "nothing to merge";
    return out;
  }
  SweepSummary& m = out.summary;
  m.scenario_name = parts.front().scenario_name;
  m.scenario_path = parts.front().scenario_path;
  m.version = parts.front().version;
  double sim_seconds = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    const SweepSummary& p = parts[i];
    if (p.scenario_name != m.scenario_name) {
      out.error = "part " + std::to_string(i + 1) + " is scenario \"" + p.scenario_name + "\", part 1 is \"" +
                  m.scenario_name + "\"";
      return out;
    }
    if (p.version != m.version) {
      out.error = "part " + std::to_string(i + 1) + " was made by roomsim " + p.version + ", part 1 by " + m.version;
      return out;
    }
    for (const std::string& name : p.properties) {
      if (std::find(m.properties.begin(), m.properties.end(), name) == m.properties.end()) {
        m.properties.push_back(name);
      }
    }
    m.seeds_run += p.seeds_run;
    for (const auto& [name, counts] : p.per_property) {
      m.per_property[name].first += counts.first;
      m.per_property[name].second += counts.second;
    }
    m.failures.insert(m.failures.end(), p.failures.begin(), p.failures.end());
    m.wall_seconds += p.wall_seconds;
    sim_seconds += p.sim_wall_ratio * p.wall_seconds;
    for (const auto& [probe, hits] : p.coverage) m.coverage[probe] += hits;
    for (const auto& [pair, seeds] : p.fault_pairs) m.fault_pairs[pair] += seeds;
  }
  std::stable_sort(m.failures.begin(), m.failures.end(), [](const Failure& a, const Failure& b) {
    return std::tie(a.seed, a.property) < std::tie(b.seed, b.property);
  });
  m.seeds_per_s = m.wall_seconds > 0 ? static_cast<double>(m.seeds_run) / m.wall_seconds : 0;
  m.sim_wall_ratio = m.wall_seconds > 0 ? sim_seconds / m.wall_seconds : 0;
  m.shard = "";
  return out;
}

}  // namespace roomsim::scenarios
