// scenarios/sweep_summary.cpp: JSON form, file reading, checks and shard merge of SweepSummary.
#include "scenarios/sweep_summary.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <variant>
#include <limits>
#include <set>
#include <stdexcept>

#include "engine/rng.hpp"
#include "engine/trace.hpp"
#include "rooms/protocol/json_limits.hpp"
#include "scenarios/shard.hpp"

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

std::vector<std::string> get_strings(const json& j, const char* key) {
  const json& v = field(j, "", key);
  const std::string path = std::string("/") + key;
  if (!v.is_array()) fail(path, "an array of strings", v);
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string()) fail(path + "/" + std::to_string(i), "a string", v[i]);
    out.push_back(v[i].get<std::string>());
  }
  return out;
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
           {"scenario_hash", s.scenario_hash},
           {"properties", s.properties},
           {"first_seed", s.first_seed},
           {"seeds_total", s.seeds_total},
           {"seeds_run", s.seeds_run},
           {"per_property", per},
           {"failures", failures},
           {"wall_seconds", s.wall_seconds},
           {"seeds_per_s", s.seeds_per_s},
           {"sim_wall_ratio", s.sim_wall_ratio},
           {"coverage", s.coverage},
           {"fault_pairs", s.fault_pairs},
           {"version", s.version},
           {"build", s.build},
           {"shard", s.shard},
           {"sweep_trace_hash", s.sweep_trace_hash},
           {"missing_shards", s.missing_shards},
           {"seeds_missing", s.seeds_missing}};
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
  s.scenario_hash = get_string(j, "", "scenario_hash");
  s.properties = get_strings(j, "properties");
  s.first_seed = get_u64(field(j, "", "first_seed"), "/first_seed");
  s.seeds_total = get_u64(field(j, "", "seeds_total"), "/seeds_total");
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
  s.build = get_string(j, "", "build");
  s.shard = get_string(j, "", "shard");
  s.sweep_trace_hash = get_string(j, "", "sweep_trace_hash");
  s.missing_shards = get_strings(j, "missing_shards");
  s.seeds_missing = get_u64(field(j, "", "seeds_missing"), "/seeds_missing");
}

const std::pair<const std::string, uint64_t>* SweepSummary::worst_fault_pair() const {
  const std::pair<const std::string, uint64_t>* worst = nullptr;
  for (const auto& entry : fault_pairs) {
    if (worst == nullptr || entry.second < worst->second) worst = &entry;
  }
  return worst;
}



std::string replay_command(const std::string& source, uint64_t seed, const std::string& trace_hash,
                           const std::string& build) {
  std::string quoted = source;
  if (source.empty() || source.find_first_of(" \t\n'\"$\\;&|()<>*?`#~{}[]!") != std::string::npos) {
    quoted = "'";
    for (char c : source) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    quoted += "'";
  }
  std::string command = "roomsim replay " + quoted + " --seed " + std::to_string(seed);
  if (!trace_hash.empty()) command += " --expect-trace-hash " + trace_hash;
  if (!build.empty()) command += " --expect-build " + build;
  return command;
}

uint64_t sweep_trace_word(uint64_t seed, uint64_t trace_hash) {
  uint64_t state = seed;
  state = splitmix64(state) ^ trace_hash;
  return splitmix64(state);
}

std::optional<uint64_t> parse_hex16(const std::string& text) {
  if (text.size() != 16) return std::nullopt;
  uint64_t v = 0;
  for (char c : text) {
    int digit = -1;
    if (c >= '0' && c <= '9') digit = c - '0';
    if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    if (digit < 0) return std::nullopt;
    v = (v << 4) | static_cast<uint64_t>(digit);
  }
  return v;
}

SummaryReadResult read_summary_file(const std::string& path) {
  SummaryReadResult out;
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  std::ifstream in(path, std::ios::binary);
  if (ec || !in) {
    out.error = path + ": cannot open";
    return out;
  }
  if (size > kSummaryFileBytesMax) {
    out.error = path + ": " + std::to_string(size) + " bytes, more than a summary may have (" +
                std::to_string(kSummaryFileBytesMax) + ")";
    return out;
  }
  // Strict: nesting beyond kSummaryJsonDepthMax is refused before it is
  // built, and a key given twice is an error, not a silent "last one wins".
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto parsed = rooms::protocol::parse_json_strict(text, kSummaryJsonDepthMax);
  if (const auto* bad = std::get_if<rooms::protocol::JsonError>(&parsed)) {
    out.error = path + ": " + (bad->path.empty() ? "" : bad->path + ": ") + bad->message;
    return out;
  }
  try {
    out.summary = std::get<json>(parsed).get<SweepSummary>();
  } catch (const std::exception& e) {
    out.error = path + ": " + e.what();
  }
  return out;
}

namespace {

std::string quoted(const std::string& s) { return json(s).dump(); }

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// Failures are ordered by seed, then by the property's position in
// `properties` (the check order, in which a run records them).
// The pseudo-property "simulation" (a seed whose run itself failed; it is
// that seed's only verdict) ranks after them all.
std::map<std::string, size_t> check_order(const std::vector<std::string>& properties) {
  std::map<std::string, size_t> rank;
  for (size_t i = 0; i < properties.size(); ++i) rank.emplace(properties[i], i);
  rank.emplace(kSimulationProperty, properties.size());
  return rank;
}

std::string check_failures(const SweepSummary& s, const Shard& shard) {
  const std::string source = s.scenario_path.empty() ? s.scenario_name : s.scenario_path;
  const std::map<std::string, size_t> rank = check_order(s.properties);
  const uint64_t last_seed = s.first_seed + (s.seeds_total - 1);  // seeds_total > 0 when there are failures
  std::map<std::string, uint64_t> per_property_listed;
  for (size_t i = 0; i < s.failures.size(); ++i) {
    const Failure& f = s.failures[i];
    const std::string path = "/failures/" + std::to_string(i);
    if (s.seeds_total == 0 || f.seed < s.first_seed || f.seed > last_seed || !shard.contains(f.seed)) {
      return path + "/seed: " + std::to_string(f.seed) + " is not one of this summary's " +
             shard.describe(s.first_seed, s.seeds_total);
    }
    if (rank.count(f.property) == 0) {
      return path + "/property: " + quoted(f.property) + " is not one of the checked properties";
    }
    if (i > 0 && std::make_pair(s.failures[i - 1].seed, rank.at(s.failures[i - 1].property)) >=
                     std::make_pair(f.seed, rank.at(f.property))) {
      return path + ": failures must be ordered by seed, then in check order (properties), each pair once";
    }
    if (!parse_hex16(f.trace_hash)) return path + "/trace_hash: expected 16 hex digits, got " + quoted(f.trace_hash);
    const std::string expected = replay_command(source, f.seed, f.trace_hash, s.build);
    if (f.replay_command != expected) {
      return path + "/replay_command: expected " + quoted(expected) + ", got " + quoted(f.replay_command);
    }
    ++per_property_listed[f.property];
  }
  for (const auto& [name, counts] : s.per_property) {
    const auto it = per_property_listed.find(name);
    const uint64_t listed = it == per_property_listed.end() ? 0 : it->second;
    if (counts.second != listed) {
      return "/per_property/" + name + "/fail: " + std::to_string(counts.second) + ", but failures lists " +
             std::to_string(listed);
    }
  }
  return "";
}

}  // namespace

std::string check_summary(const SweepSummary& s) {
  if (!s.complete()) {
    return "missing_shards: this is a partial merge (missing " + joined(s.missing_shards) +
           "); merge the shard summaries themselves";
  }
  std::string error;
  const auto shard = parse_summary_shard(s.shard, error);
  if (!shard) return error;
  if (shard->count > kMergeShardsMax) {
    return "shard: " + quoted(s.shard) + " has more than " + std::to_string(kMergeShardsMax) + " shards";
  }
  if (s.seeds_total > 0 && s.first_seed > std::numeric_limits<uint64_t>::max() - (s.seeds_total - 1)) {
    return "seeds_total: the range from first_seed " + std::to_string(s.first_seed) + " passes 2^64 - 1";
  }
  if (!parse_hex16(s.scenario_hash)) return "scenario_hash: expected 16 hex digits, got " + quoted(s.scenario_hash);
  if (!parse_hex16(s.sweep_trace_hash)) {
    return "sweep_trace_hash: expected 16 hex digits, got " + quoted(s.sweep_trace_hash);
  }
  const uint64_t expected_seeds = shard->seeds_in(s.first_seed, s.seeds_total);
  if (s.seeds_run != expected_seeds) {
    return "seeds_run: " + std::to_string(s.seeds_run) + ", but " + (s.shard.empty() ? "the range" : "shard " + s.shard) +
           " holds " + std::to_string(expected_seeds) + " (" + shard->describe(s.first_seed, s.seeds_total) + ")";
  }
  const std::set<std::string> names(s.properties.begin(), s.properties.end());
  if (names.size() != s.properties.size()) return "properties: a property is listed twice";
  for (const auto& [name, counts] : s.per_property) {
    if (names.count(name) == 0 && name != kSimulationProperty) {
      return "/per_property/" + name + ": not one of the checked properties";
    }
    if (counts.first > s.seeds_run || counts.second > s.seeds_run - counts.first) {
      return "/per_property/" + name + ": pass + fail is more than seeds_run (" + std::to_string(s.seeds_run) + ")";
    }
  }
  for (const auto& [pair, seeds] : s.fault_pairs) {
    if (seeds > s.seeds_run) {
      return "/fault_pairs/" + pair + ": " + std::to_string(seeds) + " seeds, more than seeds_run (" +
             std::to_string(s.seeds_run) + ")";
    }
  }
  return check_failures(s, *shard);
}

namespace {

// The first field in which `b` differs from `a` that makes them incomparable
// as shards of one sweep, as "<field>: <a's value> vs <b's value>"; "" if none.
std::string comparability_difference(const SweepSummary& a, const SweepSummary& b) {
  auto differ = [](const char* name, const std::string& x, const std::string& y) {
    return std::string(name) + " (" + quoted(x) + " vs " + quoted(y) + ")";
  };
  if (a.scenario_name != b.scenario_name) return differ("scenario_name", a.scenario_name, b.scenario_name);
  if (a.scenario_hash != b.scenario_hash) return differ("scenario_hash", a.scenario_hash, b.scenario_hash);
  if (a.first_seed != b.first_seed) {
    return differ("first_seed", std::to_string(a.first_seed), std::to_string(b.first_seed));
  }
  if (a.seeds_total != b.seeds_total) {
    return differ("seeds_total", std::to_string(a.seeds_total), std::to_string(b.seeds_total));
  }
  std::string ignored;
  if (parse_summary_shard(a.shard, ignored)->count != parse_summary_shard(b.shard, ignored)->count) {
    return differ("shard count", a.shard, b.shard);
  }
  if (a.properties != b.properties) return differ("properties", joined(a.properties), joined(b.properties));
  if (a.version != b.version) return differ("version", a.version, b.version);
  if (a.build != b.build) return differ("build", a.build, b.build);
  return "";
}

bool checked_add(uint64_t& sum, uint64_t add) {
  if (sum > std::numeric_limits<uint64_t>::max() - add) return false;
  sum += add;
  return true;
}

}  // namespace

MergeResult merge_summaries(const std::vector<SummaryPart>& parts, const MergeOptions& options) {
  MergeResult out;
  if (parts.empty()) {
    out.error = "nothing to merge";
    return out;
  }
  for (const SummaryPart& p : parts) {
    if (std::string e = check_summary(p.summary); !e.empty()) {
      out.error = p.name + ": " + e;
      return out;
    }
  }
  const SummaryPart& first = parts.front();
  std::string ignored;
  const uint32_t shard_count = parse_summary_shard(first.summary.shard, ignored)->count;
  std::map<uint32_t, const SummaryPart*> by_index;
  for (const SummaryPart& p : parts) {
    if (std::string d = comparability_difference(first.summary, p.summary); !d.empty()) {
      out.error = first.name + " and " + p.name + " differ in " + d +
                  ": only shards of one sweep (same scenario content, seed range, properties and binary) merge";
      return out;
    }
    const uint32_t index = parse_summary_shard(p.summary.shard, ignored)->index;
    const auto [it, inserted] = by_index.emplace(index, &p);
    if (!inserted) {
      out.error = it->second->name + " and " + p.name + " are both " +
                  (shard_count == 1 ? std::string("the unsharded run") : "shard " + p.summary.shard) +
                  ": each shard may be merged once";
      return out;
    }
  }

  SweepSummary& m = out.summary;
  const SweepSummary& f = first.summary;
  m.scenario_name = f.scenario_name;
  m.scenario_path = f.scenario_path;
  m.scenario_hash = f.scenario_hash;
  m.properties = f.properties;
  m.first_seed = f.first_seed;
  m.seeds_total = f.seeds_total;
  m.version = f.version;
  m.build = f.build;
  m.shard = "";
  for (uint32_t k = 1; k <= shard_count; ++k) {
    if (by_index.count(k) > 0) continue;
    const Shard missing{k, shard_count};
    m.missing_shards.push_back(missing.text());
    m.seeds_missing += missing.seeds_in(f.first_seed, f.seeds_total);
  }
  if (!m.complete() && !options.allow_partial) {
    const size_t listed_max = 10;
    std::vector<std::string> listed(m.missing_shards.begin(),
                                    m.missing_shards.begin() + std::min(m.missing_shards.size(), listed_max));
    if (m.missing_shards.size() > listed_max) {
      listed.push_back("and " + std::to_string(m.missing_shards.size() - listed_max) + " more");
    }
    out.error = "missing shard" + std::string(m.missing_shards.size() == 1 ? " " : "s ") + joined(listed) + " of " +
                std::to_string(shard_count) + ": " + std::to_string(m.seeds_missing) + " of the " +
                std::to_string(f.seeds_total) + " seeds " + std::to_string(f.first_seed) + ".." +
                std::to_string(f.first_seed + (f.seeds_total - 1)) +
                " did not run (pass --allow-partial to merge the rest; the result is never a pass)";
    return out;
  }

  for (const auto& name : m.properties) m.per_property[name] = {0, 0};
  uint64_t trace_sum = 0;
  double sim_seconds = 0;
  for (const auto& [index, part] : by_index) {
    const SweepSummary& p = part->summary;
    m.seeds_run += p.seeds_run;  // bounded by seeds_total: each part holds its shard's count
    for (const auto& [name, counts] : p.per_property) {
      m.per_property[name].first += counts.first;
      m.per_property[name].second += counts.second;
    }
    m.failures.insert(m.failures.end(), p.failures.begin(), p.failures.end());
    m.wall_seconds += p.wall_seconds;
    sim_seconds += p.sim_wall_ratio * p.wall_seconds;
    for (const auto& [probe, hits] : p.coverage) {
      if (!checked_add(m.coverage[probe], hits)) {
        out.error = part->name + ": /coverage/" + probe + ": the sum over shards passes 2^64 - 1";
        return out;
      }
    }
    trace_sum += *parse_hex16(p.sweep_trace_hash);  // mod 2^64 by design
    for (const auto& [pair, seeds] : p.fault_pairs) {
      if (!checked_add(m.fault_pairs[pair], seeds)) {
        out.error = part->name + ": /fault_pairs/" + pair + ": the sum over shards passes 2^64 - 1";
        return out;
      }
    }
  }
  const std::map<std::string, size_t> rank = check_order(m.properties);
  std::sort(m.failures.begin(), m.failures.end(), [&rank](const Failure& a, const Failure& b) {
    return std::make_pair(a.seed, rank.at(a.property)) < std::make_pair(b.seed, rank.at(b.property));
  });
  m.sweep_trace_hash = hex16(trace_sum);
  m.seeds_per_s = m.wall_seconds > 0 ? static_cast<double>(m.seeds_run) / m.wall_seconds : 0;
  m.sim_wall_ratio = m.wall_seconds > 0 ? sim_seconds / m.wall_seconds : 0;
  return out;
}

}  // namespace roomsim::scenarios
