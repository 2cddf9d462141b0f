// scenarios/scenario_loader.cpp: field-by-field reading and cross-reference
// validation of scenario JSON (schema: docs/scenario.md).
#include "scenarios/scenario_loader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "scenarios/builtin_scenarios.hpp"
#include "scenarios/enum_names.hpp"
#include "scenarios/json_reader.hpp"
#include "netsim/names.hpp"
#include "rooms/protocol/json_limits.hpp"

namespace roomsim::scenarios {
namespace {

using nlohmann::json;
using namespace roomsim::netsim;

using namespace roomsim::netsim::limits;

// The smallest double above 0: "v >= kPositive" means "v > 0".
constexpr double kPositive = std::numeric_limits<double>::denorm_min();
constexpr double kOptionMsMax = 1e9;  // population option times: about 11.6 days of virtual time
constexpr double kStormsPerMinuteMax = 10'000;

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// --- leaves -----------------------------------------------------------------

void read_distribution(const json& j, const std::string& path, ErrorList& errors, Distribution& out) {
  ObjectReader r(j, path, errors);
  if (!r.ok()) return;
  Distribution d;
  d.kind = Distribution::Kind::kNone;
  if (r.require("kind")) r.enumeration("kind", d.kind, distribution_kind_names());
  // Every parameter name is accepted by the reader; those that do not belong
  // to the kind are reported below.
  const std::vector<std::pair<Distribution::Kind, std::vector<const char*>>> params = {
      {Distribution::Kind::kNone, {}},
      {Distribution::Kind::kConstant, {"value_ms"}},
      {Distribution::Kind::kUniform, {"min_ms", "max_ms"}},
      {Distribution::Kind::kExponential, {"mean_ms"}},
      {Distribution::Kind::kNormal, {"mean_ms", "stddev_ms"}},
      {Distribution::Kind::kLognormal, {"mu", "sigma"}},
      {Distribution::Kind::kPareto, {"scale_ms", "shape"}},
  };
  std::vector<const char*> wanted;
  for (const auto& [kind, keys] : params) {
    if (kind == d.kind) wanted = keys;
  }
  double* slots[2] = {&d.a, &d.b};
  for (size_t i = 0; i < wanted.size(); ++i) {
    const char* key = wanted[i];
    if (!r.require(key)) continue;
    const std::string name = key;
    if (name == "mu") {
      r.number(key, *slots[i], -kLognormalMuMax, kLognormalMuMax);
    } else if (name == "sigma") {
      r.number(key, *slots[i], 0, kLognormalSigmaMax);
    } else if (name == "shape") {
      r.number(key, *slots[i], kPositive, kParetoShapeMax, positive_number_range(kParetoShapeMax));
    } else if (name == "scale_ms" || (name == "mean_ms" && d.kind == Distribution::Kind::kExponential)) {
      r.number(key, *slots[i], kPositive, kLatencyMsMax, positive_number_range(kLatencyMsMax));
    } else {
      r.number(key, *slots[i], 0, kLatencyMsMax);
    }
  }
  if (d.kind == Distribution::Kind::kUniform && d.b < d.a) {
    errors.add(child_path(path, "max_ms"), "expected a number >= min_ms (" + json(d.a).dump() + "), got " +
                                               json(d.b).dump());
  }
  r.finish();
  out = d;
}

void read_topology(const json& j, const std::string& path, ErrorList& errors, const Catalog& catalog,
                   TopologyConfig& out) {
  std::vector<std::string> topologies = catalog.topologies;
  if (!contains(topologies, "custom")) topologies.push_back("custom");
  if (j.is_string()) {
    if (!contains(topologies, j.get<std::string>()) || j.get<std::string>() == "custom") {
      std::vector<std::string> builtins = catalog.topologies;
      builtins.erase(std::remove(builtins.begin(), builtins.end(), "custom"), builtins.end());
      errors.expected(path, "a built-in topology (" + one_of(builtins) + ") or a topology object", j);
      return;
    }
    out.builtin = j.get<std::string>();
    return;
  }
  ObjectReader r(j, path, errors);
  if (!r.ok()) return;
  const json* builtin = r.raw("builtin");
  if (builtin != nullptr) {
    if (!builtin->is_string() || !contains(topologies, builtin->get<std::string>())) {
      errors.expected(child_path(path, "builtin"), one_of(topologies), *builtin);
    } else {
      out.builtin = builtin->get<std::string>();
    }
  }
  if (const json* regions = r.raw("regions")) {
    if (builtin == nullptr) out.builtin = "custom";
    const std::string rpath = child_path(path, "regions");
    if (!regions->is_array() || regions->empty() || regions->size() > kRegionsMax) {
      errors.expected(rpath, "a non-empty array of at most " + std::to_string(kRegionsMax) + " regions", *regions);
    } else {
      std::set<std::string> codes;
      for (size_t i = 0; i < regions->size(); ++i) {
        const std::string p = child_path(rpath, i);
        ObjectReader rr((*regions)[i], p, errors);
        if (!rr.ok()) continue;
        RegionSpec spec;
        if (rr.require("code")) rr.string("code", spec.code, true);
        rr.string("city", spec.city);
        rr.string("continent", spec.continent);
        if (rr.require("lat")) rr.number("lat", spec.lat, -90, 90, "a latitude in [-90, 90]");
        if (rr.require("lon")) rr.number("lon", spec.lon, -180, 180, "a longitude in [-180, 180]");
        rr.finish();
        if (!spec.code.empty() && !codes.insert(spec.code).second) {
          errors.add(child_path(p, "code"), "duplicate region code \"" + spec.code + "\"");
        }
        out.regions.push_back(spec);
      }
    }
  }
  if (out.builtin == "custom" && out.regions.empty() && r.ok() && !r.has("regions")) {
    errors.add(child_path(path, "regions"), "missing required field (a custom topology lists its regions)");
  }
  if (out.builtin != "custom" && r.has("regions")) {
    errors.add(child_path(path, "builtin"), "expected \"custom\" (or no builtin) when regions are given, got \"" +
                                                out.builtin + "\"");
  }
  if (const json* matrix = r.raw("latency_matrix_ms")) {
    const std::string mpath = child_path(path, "latency_matrix_ms");
    const size_t n = out.regions.size();
    if (!matrix->is_array() || matrix->size() != n || n == 0) {
      errors.expected(mpath, "a " + std::to_string(n) + "x" + std::to_string(n) +
                                 " array of arrays of non-negative numbers (one row per region)",
                      *matrix);
    } else {
      std::vector<std::vector<double>> m(n, std::vector<double>(n, 0));
      for (size_t i = 0; i < n; ++i) {
        const json& row = (*matrix)[i];
        if (!row.is_array() || row.size() != n) {
          errors.expected(child_path(mpath, i), "an array of " + std::to_string(n) + " non-negative numbers", row);
          continue;
        }
        for (size_t k = 0; k < n; ++k) {
          const double ms = row[k].is_number() ? row[k].get<double>() : -1;
          if (!(ms >= 0 && ms <= kLatencyMsMax)) {  // also refuses NaN and infinity
            errors.expected(child_path(child_path(mpath, i), k), number_range(0, kLatencyMsMax), row[k]);
            continue;
          }
          m[i][k] = row[k].get<double>();
        }
      }
      out.latency_matrix_ms = std::move(m);
    }
  }
  r.enumeration("latency_model", out.latency_model, latency_model_names());
  r.number("route_stretch", out.route_stretch, 1.0, 100.0, "a number in [1, 100]");
  r.number("fibre_km_per_ms", out.fibre_km_per_ms, 1.0, 300.0, "a number in [1, 300]");
  r.number("hop_overhead_ms", out.hop_overhead_ms, 0, kLatencyMsMax);
  if (const json* jitter = r.raw("jitter")) read_distribution(*jitter, child_path(path, "jitter"), errors, out.jitter);
  if (const json* lm = r.raw("last_mile")) read_distribution(*lm, child_path(path, "last_mile"), errors, out.last_mile);
  r.finish();
}

// --- sections ----------------------------------------------------------------

void read_rooms(const json& j, const std::string& path, ErrorList& errors, const Catalog& catalog,
                std::vector<RoomInstanceConfig>& out) {
  if (!j.is_array() || j.empty() || j.size() > kRoomsMax) {
    errors.expected(path, "a non-empty array of at most " + std::to_string(kRoomsMax) + " rooms", j);
    return;
  }
  std::set<std::string> ids;
  for (size_t i = 0; i < j.size(); ++i) {
    const std::string p = child_path(path, i);
    ObjectReader r(j[i], p, errors);
    if (!r.ok()) continue;
    RoomInstanceConfig room;
    if (r.require("kind")) {
      const json* kind = r.raw("kind");
      if (!kind->is_string() || !contains(catalog.room_kinds, kind->get<std::string>())) {
        errors.expected(child_path(p, "kind"), "a room kind (" + one_of(catalog.room_kinds) + ")", *kind);
      } else {
        room.kind = kind->get<std::string>();
      }
    }
    r.string("id", room.id, true);
    if (const json* config = r.raw("config")) {
      if (!config->is_object()) {
        errors.expected(child_path(p, "config"), "an object (the room kind's settings)", *config);
      } else {
        room.config = *config;
      }
    }
    r.enumeration("placement", room.placement, placement_names());
    r.string("location_hint", room.location_hint);
    if (room.placement == HomePlacement::kLocationHint && room.location_hint.empty()) {
      errors.add(child_path(p, "location_hint"), "expected a region code when placement is \"location-hint\"");
    }
    r.finish();
    if (!ids.insert(room.id).second) errors.add(child_path(p, "id"), "duplicate room id \"" + room.id + "\"");
    out.push_back(std::move(room));
  }
}

// The population options (docs/scenario.md, "Population options"): late
// joins, resume modes, going away and leaving, bursts, the per-seed switch.
void read_population_options(ObjectReader& r, ClientPopulation& c) {
  ErrorList& errors = r.errors();
  const std::string& p = r.path();
  auto window = [&](const char* min_key, double& min, const char* max_key, double& max) {
    r.number(min_key, min, 0, kOptionMsMax, "a number of ms in [0, 1e9]");
    r.number(max_key, max, 0, kOptionMsMax, "a number of ms in [0, 1e9]");
    if (max < min) {
      errors.add(child_path(p, max_key), std::string("expected a number >= ") + min_key + " (" + json(min).dump() +
                                             "), got " + json(max).dump());
    }
  };
  r.number("enabled_probability", c.enabled_probability, 0, 1, "a probability in [0, 1]");
  r.number("connect_at_ms_min", c.connect_at_ms_min, 0, kOptionMsMax, "a number of ms in [0, 1e9]");
  if (c.connect_at_ms_max < c.connect_at_ms_min) {
    errors.add(child_path(p, "connect_at_ms_max"), "expected a number >= connect_at_ms_min (" +
                                                       json(c.connect_at_ms_min).dump() + "), got " +
                                                       json(c.connect_at_ms_max).dump());
  }
  if (const json* modes = r.raw("resume_modes")) {
    const std::string mpath = child_path(p, "resume_modes");
    std::vector<std::string> all;
    for (const auto& [name, v] : resume_mode_names()) all.push_back(name);
    if (!modes->is_array() || modes->empty()) {
      errors.expected(mpath, "a non-empty array of resume modes (" + one_of(all) + ")", *modes);
    } else {
      c.resume_modes.clear();
      for (size_t k = 0; k < modes->size(); ++k) {
        const json& m = (*modes)[k];
        bool found = false;
        for (const auto& [name, v] : resume_mode_names()) {
          if (m.is_string() && m.get<std::string>() == name) {
            c.resume_modes.push_back(v);
            found = true;
          }
        }
        if (!found) errors.expected(child_path(mpath, k), one_of(all), m);
      }
    }
  }
  r.boolean("resume_mode_per_client", c.resume_mode_per_client);
  r.number("away_probability", c.away_probability, 0, 1, "a probability in [0, 1]");
  window("away_at_ms_min", c.away_at_ms_min, "away_at_ms_max", c.away_at_ms_max);
  window("away_ms_min", c.away_ms_min, "away_ms_max", c.away_ms_max);
  r.boolean("away_for_good", c.away_for_good);
  r.number("away_vanish_probability", c.away_vanish_probability, 0, 1, "a probability in [0, 1]");
  r.integer("burst_size", c.burst_size, 0, kBurstSizeMax);
  r.number("bursts_per_min", c.bursts_per_min, 0, 600, "a number in [0, 600]");
  if (int64_t{c.burst_size} * std::max(c.payload_bytes, 0) > kBurstBytesMax) {
    errors.add(child_path(p, "burst_size"), "burst_size x payload_bytes (" + std::to_string(c.payload_bytes) +
                                                ") must be at most 16 MiB: one burst is queued at once");
  }
  if (c.burst_size > 0 && c.behaviour != Behaviour::kChatter) {
    errors.add(child_path(p, "burst_size"), "only allowed with behaviour \"chatter\"");
  }
}

void read_clients(const json& j, const std::string& path, ErrorList& errors, std::vector<ClientPopulation>& out) {
  if (!j.is_array()) {
    errors.expected(path, "an array of client populations", j);
    return;
  }
  std::set<std::string> names;
  int64_t total = 0;  // clients over all populations
  for (size_t i = 0; i < j.size(); ++i) {
    const std::string p = child_path(path, i);
    ObjectReader r(j[i], p, errors);
    if (!r.ok()) continue;
    ClientPopulation c;
    r.string("name", c.name, true);
    if (r.require("count")) r.integer("count", c.count, 1, kClientsMax);
    if (const json* weights = r.raw("region_weights")) {
      const std::string wpath = child_path(p, "region_weights");
      if (!weights->is_object()) {
        errors.expected(wpath, "an object mapping region codes to non-negative weights", *weights);
      } else {
        for (auto it = weights->begin(); it != weights->end(); ++it) {
          const double w = it.value().is_number() ? it.value().get<double>() : -1;
          if (!(w >= 0 && w <= kRegionWeightMax)) {
            errors.expected(child_path(wpath, it.key()), number_range(0, kRegionWeightMax), it.value());
            continue;
          }
          c.region_weights[it.key()] = it.value().get<double>();
        }
      }
    }
    r.string("room", c.room, true);
    r.enumeration("behaviour", c.behaviour, behaviour_names());
    r.number("send_rate_per_s", c.send_rate_per_s, 0, kRatePerSMax);
    r.integer("payload_bytes", c.payload_bytes, 0, kPayloadBytesMax);
    r.string_list("keys", c.keys);
    r.string("sub_room", c.sub_room);
    r.integer("users", c.users, 0, kClientsMax);
    r.boolean("reconnect", c.reconnect);
    r.boolean("scripted", c.scripted);
    const double time_ms_max = static_cast<double>(kTimeMsMax);
    r.number("backoff_base_ms", c.backoff_base_ms, kPositive, time_ms_max, positive_number_range(time_ms_max));
    r.number("backoff_max_ms", c.backoff_max_ms, 0, time_ms_max);
    r.number("connect_at_ms_max", c.connect_at_ms_max, 0, time_ms_max);
    if (const json* hostile = r.raw("hostile")) {
      const std::string hpath = child_path(p, "hostile");
      std::vector<std::string> all;
      for (const auto& [name, v] : hostile_action_names()) all.push_back(name);
      if (!hostile->is_array()) {
        errors.expected(hpath, "an array of hostile actions (" + one_of(all) + ")", *hostile);
      } else {
        for (size_t k = 0; k < hostile->size(); ++k) {
          bool found = false;
          for (const auto& [name, v] : hostile_action_names()) {
            if ((*hostile)[k].is_string() && (*hostile)[k].get<std::string>() == name) {
              c.hostile.push_back(v);
              found = true;
            }
          }
          if (!found) errors.expected(child_path(hpath, k), one_of(all), (*hostile)[k]);
        }
      }
    }
    r.integer("token_ttl_s", c.token_ttl_s, -kTokenTtlSMax, kTokenTtlSMax);
    read_population_options(r, c);
    r.finish();
    if (c.backoff_max_ms < c.backoff_base_ms) {
      errors.add(child_path(p, "backoff_max_ms"), "expected a number >= backoff_base_ms (" +
                                                     json(c.backoff_base_ms).dump() + "), got " +
                                                     json(c.backoff_max_ms).dump());
    }
    if (c.behaviour == Behaviour::kHostile && c.hostile.empty()) {
      errors.add(child_path(p, "hostile"), "expected a non-empty array of hostile actions for behaviour \"hostile\"");
    }
    if (c.behaviour != Behaviour::kHostile && !c.hostile.empty()) {
      errors.add(child_path(p, "hostile"), "only allowed with behaviour \"hostile\"");
    }
    if (!names.insert(c.name).second) errors.add(child_path(p, "name"), "duplicate population name \"" + c.name + "\"");
    total += c.count;
    out.push_back(std::move(c));
  }
  if (total > kClientsMax) {
    errors.add(path, "expected at most " + std::to_string(kClientsMax) + " clients over all populations, got " +
                         std::to_string(total));
  }
}

void read_fault(const json& j, const std::string& p, ErrorList& errors, FaultSpec& f) {
  ObjectReader r(j, p, errors);
  if (!r.ok()) return;
  bool kind_ok = false;
  if (r.require("kind")) {
    const size_t before = errors.messages().size();
    r.enumeration("kind", f.kind, fault_kind_names());
    kind_ok = errors.messages().size() == before;
  }
  if (r.require("start_ms")) r.integer("start_ms", f.start_ms, 0, kTimeMsMax);
  // Instant faults (restarts, evictions, crashes) take no duration.
  const bool windowed = f.kind != FaultKind::kEdgeRestart && f.kind != FaultKind::kRoomEvict &&
                        f.kind != FaultKind::kRoomCrash;
  r.integer("duration_ms", f.duration_ms, kind_ok && windowed ? 1 : 0, kTimeMsMax);
  r.string_list("regions_a", f.regions_a);
  r.string_list("regions_b", f.regions_b);
  r.boolean("one_way", f.one_way);
  r.string("region", f.region);
  r.string("client", f.client);
  r.string("room", f.room);
  r.string("population", f.population);
  r.number("factor", f.factor, 0, kFactorMax);
  r.number("probability", f.probability, 0, 1, "a probability in [0, 1]");
  r.number("rate_per_s", f.rate_per_s, 0, kRatePerSMax);
  r.integer("skew_ms", f.skew_ms, -kTimeMsMax, kTimeMsMax);
  r.finish();
  if (!kind_ok) return;
  const std::string kind = "\"" + name_of(f.kind) + "\"";
  auto need = [&](bool ok, const char* key, const std::string& what) {
    if (!ok) errors.add(child_path(p, key), "expected " + what + " for kind " + kind);
  };
  need(!windowed || r.has("duration_ms"), "duration_ms", "a positive integer (how long the fault lasts)");
  switch (f.kind) {
    case FaultKind::kPartition:
      need((!f.regions_a.empty() && !f.regions_b.empty()) || !f.client.empty() || !f.region.empty(), "regions_a",
           "regions_a and regions_b (or client, or region to isolate)");
      break;
    case FaultKind::kLatencySpike:
      need(f.factor >= 1, "factor", "a number >= 1");
      break;
    case FaultKind::kEdgeOutage:
    case FaultKind::kEdgeRestart:
      need(!f.region.empty(), "region", "a region code");
      break;
    case FaultKind::kRoomEvict:
    case FaultKind::kRoomCrash:
      need(!f.room.empty(), "room", "a room id");
      break;
    case FaultKind::kStorageSlow:
      need(!f.room.empty(), "room", "a room id");
      need(f.factor >= 1, "factor", "a number >= 1");
      break;
    case FaultKind::kStorageFail:
    case FaultKind::kStorageReadFail:
      need(!f.room.empty(), "room", "a room id");
      break;
    case FaultKind::kRoomClockSkew:
      need(!f.room.empty(), "room", "a room id");
      need(f.skew_ms >= -kRoomClockSkewMsMax && f.skew_ms <= kRoomClockSkewMsMax, "skew_ms",
           "an integer in [-" + std::to_string(kRoomClockSkewMsMax) + ", " + std::to_string(kRoomClockSkewMsMax) + "]");
      break;
    case FaultKind::kClockSkew:
      need(!f.client.empty(), "client", "a client id (\"<population>-<index>\")");
      break;
    case FaultKind::kClientChurn:
      need(!f.population.empty(), "population", "a population name");
      need(f.rate_per_s > 0, "rate_per_s", "a positive number");
      break;
  }
}

void read_storms(const json& j, const std::string& path, ErrorList& errors, StormRates& out) {
  ObjectReader r(j, path, errors);
  if (!r.ok()) return;
  r.number("per_minute", out.per_minute, 0, kStormsPerMinuteMax, "a number in [0, 10000] (storms per simulated minute)");
  const size_t kinds = fault_kind_names().size();
  auto kinds_field = [&](const char* key, int& value) {
    r.integer(key, value, 1, static_cast<int64_t>(kinds));
  };
  kinds_field("kinds_min", out.kinds_min);
  kinds_field("kinds_max", out.kinds_max);
  if (out.kinds_max < out.kinds_min) {
    errors.add(child_path(path, "kinds_max"), "expected an integer >= kinds_min (" + std::to_string(out.kinds_min) +
                                                  "), got " + std::to_string(out.kinds_max));
  }
  r.integer("window_ms", out.window_ms, 1, 3'600'000);
  r.finish();
}

void read_fault_rates(const json& j, const std::string& path, ErrorList& errors, FaultRates& out) {
  ObjectReader r(j, path, errors);
  if (!r.ok()) return;
  r.boolean("swarm", out.swarm);
  if (const json* per = r.raw("per_minute")) {
    const std::string ppath = child_path(path, "per_minute");
    std::vector<std::string> all;
    for (const auto& [name, v] : fault_kind_names()) all.push_back(name);
    if (!per->is_object()) {
      errors.expected(ppath, "an object mapping fault kinds to rates per minute", *per);
    } else {
      for (auto it = per->begin(); it != per->end(); ++it) {
        bool found = false;
        for (const auto& [name, kind] : fault_kind_names()) {
          if (name != it.key()) continue;
          found = true;
          const double rate = it.value().is_number() ? it.value().get<double>() : -1;
          if (!(rate >= 0 && rate <= kFaultsPerMinuteMax)) {
            errors.expected(child_path(ppath, it.key()),
                            number_range(0, kFaultsPerMinuteMax) + " (faults per simulated minute)", it.value());
          } else {
            out.per_minute[kind] = it.value().get<double>();
          }
        }
        if (!found) errors.add(child_path(ppath, it.key()), "expected a fault kind (" + one_of(all) + ")");
      }
    }
  }
  r.integer("duration_ms_mean", out.duration_ms_mean, 1, kTimeMsMax);
  if (const json* storms = r.raw("storms")) read_storms(*storms, child_path(path, "storms"), errors, out.storms);
  r.finish();
  if (out.swarm && out.per_minute.empty()) {
    errors.add(child_path(path, "per_minute"), "expected at least one fault kind when swarm is true");
  }
  if (out.storms.per_minute > 0 && out.per_minute.size() < 2) {
    errors.add(child_path(path, "per_minute"), "expected at least two fault kinds for storms to draw from");
  }
}

void read_actions(const json& j, const std::string& path, ErrorList& errors, std::vector<ClientAction>& out) {
  if (!j.is_array() || j.size() > kActionsMax) {
    errors.expected(path, "an array of at most " + std::to_string(kActionsMax) + " client actions", j);
    return;
  }
  int64_t previous_ms = 0;
  for (size_t i = 0; i < j.size(); ++i) {
    const std::string p = child_path(path, i);
    ObjectReader r(j[i], p, errors);
    if (!r.ok()) continue;
    ClientAction a;
    if (r.require("at_ms")) r.integer("at_ms", a.at_ms, 0, kTimeMsMax);
    if (r.require("client")) r.string("client", a.client, true);
    if (r.require("kind")) r.enumeration("kind", a.kind, action_kind_names());
    r.string("text", a.text);
    if (r.has("count")) {
      r.integer("count", a.count, 1, netsim::kActionSendCountMax);
      if (a.kind != ClientAction::Kind::kSend) errors.add(child_path(p, "count"), "only a send action has a count");
    }
    r.finish();
    if (a.at_ms < previous_ms) {
      errors.add(child_path(p, "at_ms"), "expected actions in non-decreasing at_ms order (previous " +
                                             std::to_string(previous_ms) + "), got " + std::to_string(a.at_ms));
    }
    previous_ms = std::max(previous_ms, a.at_ms);
    if (a.kind == ClientAction::Kind::kHostile) {
      // Files use the same names as `hostile` lists; netsim reads its own.
      bool known = false;
      std::vector<std::string> all;
      for (const auto& [name, v] : hostile_action_names()) {
        all.push_back(name);
        if (name == a.text) {
          a.text = netsim::hostile_action_name(v);
          known = true;
          break;
        }
      }
      if (!known) errors.expected(child_path(p, "text"), one_of(all), json(a.text));
    }
    out.push_back(std::move(a));
  }
}

void read_phases(const json& j, const std::string& path, ErrorList& errors, PhaseConfig& out) {
  ObjectReader r(j, path, errors);
  if (!r.ok()) return;
  r.integer("safety_ms", out.safety_ms, 1, kTimeMsMax);
  r.integer("liveness_ms", out.liveness_ms, 0, kTimeMsMax);
  r.integer("convergence_bound_ms", out.convergence_bound_ms, 1, kTimeMsMax);
  if (r.has("latency_p99_bound_ms")) {
    int64_t bound = 0;
    const size_t before = errors.messages().size();
    r.integer("latency_p99_bound_ms", bound, 1, kTimeMsMax);
    if (errors.messages().size() == before) out.latency_p99_bound_ms = bound;
  } else {
    r.raw("latency_p99_bound_ms");
  }
  r.finish();
}

void read_limits(const json& j, const std::string& path, ErrorList& errors, LimitsConfig& out) {
  ObjectReader r(j, path, errors);
  if (!r.ok()) return;
  r.integer("heartbeat_timeout_ms", out.heartbeat_timeout_ms, 1, kTimeMsMax);
  r.integer("max_frame_bytes", out.max_frame_bytes, 1, kFrameBytesMax);
  r.integer("send_queue_max_frames", out.send_queue_max_frames, 1, kSendQueueFramesMax);
  r.integer("held_frames_max", out.held_frames_max, 1, kHeldFramesMax);
  r.integer("held_bytes_max", out.held_bytes_max, 1, kHeldBytesMax);
  r.finish();
}

// --- cross references --------------------------------------------------------

void check_references(const Scenario& s, ErrorList& errors, const Catalog& catalog) {
  const SimulationConfig& c = s.config;
  std::set<std::string> room_ids;
  for (const auto& room : c.rooms) room_ids.insert(room.id);
  std::map<std::string, int> populations;
  for (const auto& pop : c.clients) populations[pop.name] = pop.count;
  // Region codes of the topology; when the catalog cannot list a built-in
  // topology's regions, the simulator reports unknown codes instead.
  std::set<std::string> regions;
  for (const auto& r : c.topology.regions) regions.insert(r.code);
  bool check_regions = c.topology.builtin == "custom";
  if (!check_regions && catalog.topology_regions) {
    if (auto codes = catalog.topology_regions(c.topology.builtin)) {
      regions.insert(codes->begin(), codes->end());
      check_regions = true;
    }
  }
  auto region_ok = [&](const std::string& path, const std::string& code) {
    if (check_regions && regions.count(code) == 0) {
      errors.add(path, "expected a region code of topology \"" + c.topology.builtin + "\", got \"" + code + "\"");
    }
  };
  auto client_ok = [&](const std::string& path, const std::string& client) {
    const auto dash = client.rfind('-');
    bool ok = dash != std::string::npos && dash + 1 < client.size();
    if (ok) {
      const std::string pop = client.substr(0, dash);
      const std::string index = client.substr(dash + 1);
      ok = populations.count(pop) != 0 && index.find_first_not_of("0123456789") == std::string::npos &&
           index.size() < 9 && std::stoi(index) < populations[pop];
    }
    if (!ok) errors.add(path, "expected a client \"<population>-<index>\" of a declared population, got \"" + client + "\"");
  };
  for (size_t i = 0; i < c.rooms.size(); ++i) {
    if (c.rooms[i].placement == HomePlacement::kLocationHint && !c.rooms[i].location_hint.empty()) {
      region_ok(child_path(child_path("/rooms", i), "location_hint"), c.rooms[i].location_hint);
    }
  }
  for (size_t i = 0; i < c.clients.size(); ++i) {
    const std::string p = child_path("/clients", i);
    if (room_ids.count(c.clients[i].room) == 0) {
      errors.add(child_path(p, "room"), "expected a room id declared in /rooms, got \"" + c.clients[i].room + "\"");
    }
    for (const auto& [code, w] : c.clients[i].region_weights) region_ok(child_path(child_path(p, "region_weights"), code), code);
  }
  for (size_t i = 0; i < c.faults.size(); ++i) {
    const FaultSpec& f = c.faults[i];
    const std::string p = child_path("/faults", i);
    for (const auto& code : f.regions_a) region_ok(child_path(p, "regions_a"), code);
    for (const auto& code : f.regions_b) region_ok(child_path(p, "regions_b"), code);
    if (!f.region.empty()) region_ok(child_path(p, "region"), f.region);
    if (!f.client.empty()) client_ok(child_path(p, "client"), f.client);
    if (!f.room.empty() && room_ids.count(f.room) == 0) {
      errors.add(child_path(p, "room"), "expected a room id declared in /rooms, got \"" + f.room + "\"");
    }
    if (!f.population.empty() && populations.count(f.population) == 0) {
      errors.add(child_path(p, "population"), "expected a population name declared in /clients, got \"" +
                                                  f.population + "\"");
    }
    if (f.start_ms + f.duration_ms > c.phases.safety_ms) {
      errors.add(child_path(p, "start_ms"), "expected the fault to heal by the end of the safety phase (" +
                                                std::to_string(c.phases.safety_ms) + " ms), but it ends at " +
                                                std::to_string(f.start_ms + f.duration_ms) + " ms");
    }
  }
  for (size_t i = 0; i < c.actions.size(); ++i) {
    client_ok(child_path(child_path("/actions", i), "client"), c.actions[i].client);
  }
  for (size_t i = 0; i < s.properties.size(); ++i) {
    if (!contains(catalog.property_names, s.properties[i])) {
      errors.expected(child_path("/properties", i), "a property name (" + one_of(catalog.property_names) + ")",
                      json(s.properties[i]));
    }
  }
  for (size_t i = 0; i < s.expected_failing_properties.size(); ++i) {
    if (!contains(catalog.property_names, s.expected_failing_properties[i])) {
      errors.expected(child_path("/expected_failing_properties", i), "a property name",
                      json(s.expected_failing_properties[i]));
    }
  }
  if (!s.expected_failing_properties.empty() && !s.expect_failures) {
    errors.add("/expected_failing_properties", "only allowed with \"expect_failures\": true");
  }
}

}  // namespace

LoadResult load_scenario_json(const json& j, const std::string& source_name, const std::string& source,
                              const Catalog& catalog) {
  ErrorList errors(source_name);
  Scenario s;
  s.source = source;
  if (auto deep = rooms::protocol::find_json_too_deep(j)) {  // before anything copies or dumps it (recursive)
    errors.add(deep->path, deep->message);
    return LoadResult{std::nullopt, errors.messages()};
  }
  ObjectReader r(j, "", errors);
  if (r.ok()) {
    if (r.require("name")) r.string("name", s.name, true);
    s.config.name = s.name;
    r.string("description", s.description);
    r.unsigned_integer("seeds", s.default_seeds, 1, kScenarioSeedsMax);
    r.string_list("properties", s.properties);
    r.boolean("expect_failures", s.expect_failures);
    r.string_list("expected_failing_properties", s.expected_failing_properties);
    SimulationConfig& c = s.config;
    if (const json* t = r.raw("topology")) read_topology(*t, "/topology", errors, catalog, c.topology);
    if (r.require("rooms")) read_rooms(*r.raw("rooms"), "/rooms", errors, catalog, c.rooms);
    if (r.require("clients")) read_clients(*r.raw("clients"), "/clients", errors, c.clients);
    if (const json* faults = r.raw("faults")) {
      if (!faults->is_array() || faults->size() > kFaultsMax) {
        errors.expected("/faults", "an array of at most " + std::to_string(kFaultsMax) + " faults", *faults);
      } else {
        for (size_t i = 0; i < faults->size(); ++i) {
          FaultSpec f;
          read_fault((*faults)[i], child_path("/faults", i), errors, f);
          c.faults.push_back(f);
        }
      }
    }
    if (const json* rates = r.raw("fault_rates")) read_fault_rates(*rates, "/fault_rates", errors, c.fault_rates);
    if (const json* actions = r.raw("actions")) read_actions(*actions, "/actions", errors, c.actions);
    if (const json* phases = r.raw("phases")) read_phases(*phases, "/phases", errors, c.phases);
    if (const json* storage = r.raw("storage")) {
      ObjectReader sr(*storage, "/storage", errors);
      if (const json* cl = sr.raw("commit_latency")) {
        read_distribution(*cl, "/storage/commit_latency", errors, c.storage.commit_latency);
      }
      sr.finish();
    }
    if (const json* limits = r.raw("limits")) read_limits(*limits, "/limits", errors, c.limits);
    if (const json* services = r.raw("services")) {
      ObjectReader sr(*services, "/services", errors);
      if (const json* latency = sr.raw("latency")) {
        read_distribution(*latency, "/services/latency", errors, c.services.latency);
      }
      sr.number("failure_probability", c.services.failure_probability, 0, 1, "a probability in [0, 1]");
      sr.integer("feed_period_ms", c.services.feed_period_ms, 1, kTimeMsMax);
      sr.finish();
    }
    r.string("token_secret", c.token_secret, true);
    r.unsigned_integer("event_budget", c.event_budget, 1, kEventBudgetMax);
    r.finish();
    if (errors.empty()) check_references(s, errors, catalog);
  }
  LoadResult out;
  out.errors = errors.messages();
  if (out.errors.empty()) out.scenario = std::move(s);
  return out;
}

LoadResult load_scenario_text(const std::string& text, const std::string& source_name, const std::string& source,
                              const Catalog& catalog) {
  auto parsed = rooms::protocol::parse_json_strict(text);
  if (const auto* error = std::get_if<rooms::protocol::JsonError>(&parsed)) {
    if (error->path.empty()) return LoadResult{std::nullopt, {source_name + ": " + error->message}};
    ErrorList errors(source_name);
    errors.add(error->path, error->message);
    return LoadResult{std::nullopt, errors.messages()};
  }
  return load_scenario_json(std::get<json>(parsed), source_name, source, catalog);
}

LoadResult load_scenario(const std::string& name_or_path, const Catalog& catalog) {
  std::error_code ec;
  if (std::filesystem::is_directory(name_or_path, ec)) {
    return LoadResult{std::nullopt, {name_or_path + ": is a directory, expected a scenario file (JSON) or a built-in name"}};
  }
  std::ifstream in(name_or_path, std::ios::binary);
  if (in) {
    std::ostringstream text;
    text << in.rdbuf();
    std::string base = name_or_path;
    if (auto slash = base.rfind('/'); slash != std::string::npos) base = base.substr(slash + 1);
    return load_scenario_text(text.str(), base, name_or_path, catalog);
  }
  if (const BuiltinScenarioFile* file = find_builtin_scenario(name_or_path)) {
    return load_scenario_text(file->text, file->name + ".json", name_or_path, catalog);
  }
  LoadResult out;
  std::string names;
  for (const auto& n : builtin_scenario_names()) names += (names.empty() ? "" : ", ") + n;
  out.errors.push_back(name_or_path + ": no such file, and not a built-in scenario (built-in: " + names + ")");
  return out;
}

}  // namespace roomsim::scenarios
