// netsim/validate.cpp: every check simulate() makes before it runs anything.
// Each error names the config field and what was expected.
#include <set>

#include "netsim/names.hpp"
#include "netsim/simulation.hpp"

namespace roomsim::netsim {

namespace {

void check_distribution(const Distribution& d, const std::string& field, std::vector<std::string>& errors) {
  using K = Distribution::Kind;
  auto bad = [&](const std::string& what) { errors.push_back(field + ": " + what); };
  switch (d.kind) {
    case K::kNone: break;
    case K::kConstant:
      if (!(d.a >= 0)) bad("constant value must be >= 0 ms");
      break;
    case K::kUniform:
      if (!(d.a >= 0 && d.b >= d.a)) bad("uniform needs 0 <= a <= b");
      break;
    case K::kExponential:
      if (!(d.a > 0)) bad("exponential mean a must be > 0");
      break;
    case K::kNormal:
      if (!(d.b >= 0)) bad("normal stddev b must be >= 0");
      break;
    case K::kLognormal:
      if (!(d.b >= 0)) bad("lognormal sigma b must be >= 0");
      break;
    case K::kPareto:
      if (!(d.a > 0 && d.b > 0)) bad("pareto needs scale a > 0 and shape b > 0");
      break;
  }
}

bool in_range(double v, double lo, double hi) { return v >= lo && v <= hi; }

// The population options (simulation_config.hpp); times at most 1e9 ms.
void check_population_options(const ClientPopulation& p, const std::string& where, std::vector<std::string>& errors) {
  constexpr double kMsMax = 1e9;
  auto bad = [&](const std::string& field, const std::string& what) { errors.push_back(where + "." + field + ": " + what); };
  if (!in_range(p.enabled_probability, 0, 1)) bad("enabled_probability", "expected a probability in [0, 1]");
  if (!in_range(p.connect_at_ms_min, 0, kMsMax)) bad("connect_at_ms_min", "expected [0, 1e9] ms");
  if (!(p.connect_at_ms_max >= p.connect_at_ms_min)) bad("connect_at_ms_max", "expected >= connect_at_ms_min");
  if (p.resume_modes.empty()) bad("resume_modes", "expected at least one resume mode");
  if (!in_range(p.away_probability, 0, 1)) bad("away_probability", "expected a probability in [0, 1]");
  if (!in_range(p.away_vanish_probability, 0, 1)) bad("away_vanish_probability", "expected a probability in [0, 1]");
  if (!in_range(p.away_at_ms_min, 0, kMsMax)) bad("away_at_ms_min", "expected [0, 1e9] ms");
  if (!in_range(p.away_at_ms_max, p.away_at_ms_min, kMsMax)) bad("away_at_ms_max", "expected [away_at_ms_min, 1e9] ms");
  if (!in_range(p.away_ms_min, 0, kMsMax)) bad("away_ms_min", "expected [0, 1e9] ms");
  if (!in_range(p.away_ms_max, p.away_ms_min, kMsMax)) bad("away_ms_max", "expected [away_ms_min, 1e9] ms");
  if (p.burst_size < 0 || p.burst_size > 10'000) bad("burst_size", "expected [0, 10000]");
  if (!in_range(p.bursts_per_min, 0, 600)) bad("bursts_per_min", "expected [0, 600]");
}

}  // namespace

std::vector<std::string> validate(const SimulationConfig& config, const rooms::RoomRegistry& registry) {
  std::vector<std::string> errors;
  const Topology topology = Topology::build(config.topology, errors);
  const bool have_regions = topology.size() > 0;
  auto region_ok = [&](const std::string& code, const std::string& field) {
    if (have_regions && topology.index_of(code) < 0) {
      errors.push_back(field + ": unknown region \"" + code + "\" (not in topology \"" + config.topology.builtin + "\")");
    }
  };
  check_distribution(config.topology.jitter, "topology.jitter", errors);
  check_distribution(config.topology.last_mile, "topology.last_mile", errors);
  check_distribution(config.storage.commit_latency, "storage.commit_latency", errors);
  check_distribution(config.services.latency, "services.latency", errors);
  if (!(config.services.failure_probability >= 0 && config.services.failure_probability <= 1)) {
    errors.push_back("services.failure_probability: expected a probability in [0, 1]");
  }

  std::set<std::string> room_ids;
  for (size_t i = 0; i < config.rooms.size(); ++i) {
    const RoomInstanceConfig& r = config.rooms[i];
    const std::string where = "rooms[" + std::to_string(i) + "]";
    if (r.id.empty()) errors.push_back(where + ".id: must not be empty");
    if (!room_ids.insert(r.id).second) errors.push_back(where + ".id: duplicate room id \"" + r.id + "\"");
    if (!registry.has(r.kind)) {
      std::string known;
      for (const std::string& k : registry.kinds()) known += (known.empty() ? "" : ", ") + k;
      errors.push_back(where + ".kind: unknown room kind \"" + r.kind + "\" (known: " + known + ")");
    } else {
      auto created = registry.create(rooms::RoomSpec{r.kind, r.id, r.config});
      if (auto* message = std::get_if<std::string>(&created)) errors.push_back(where + ".config: " + *message);
    }
    if (r.placement == HomePlacement::kLocationHint) {
      if (r.location_hint.empty()) {
        errors.push_back(where + ".location_hint: required for placement \"location_hint\"");
      } else {
        region_ok(r.location_hint, where + ".location_hint");
      }
    }
  }

  std::map<std::string, int> populations;
  for (size_t i = 0; i < config.clients.size(); ++i) {
    const ClientPopulation& p = config.clients[i];
    const std::string where = "clients[" + std::to_string(i) + "]";
    if (p.name.empty()) errors.push_back(where + ".name: must not be empty");
    if (populations.count(p.name)) errors.push_back(where + ".name: duplicate population \"" + p.name + "\"");
    populations[p.name] = p.count;
    if (p.count < 0) errors.push_back(where + ".count: expected >= 0");
    if (!room_ids.count(p.room)) errors.push_back(where + ".room: unknown room id \"" + p.room + "\"");
    double total = 0;
    for (const auto& [code, w] : p.region_weights) {
      region_ok(code, where + ".region_weights");
      if (!(w >= 0)) errors.push_back(where + ".region_weights." + code + ": expected a weight >= 0");
      total += w;
    }
    if (!p.region_weights.empty() && !(total > 0)) errors.push_back(where + ".region_weights: weights sum to 0");
    if (!(p.send_rate_per_s >= 0)) errors.push_back(where + ".send_rate_per_s: expected >= 0");
    if (p.payload_bytes < 0) errors.push_back(where + ".payload_bytes: expected >= 0");
    if (p.users < 0) errors.push_back(where + ".users: expected >= 0");
    if (!(p.backoff_base_ms > 0)) errors.push_back(where + ".backoff_base_ms: expected > 0");
    if (!(p.backoff_max_ms >= p.backoff_base_ms)) errors.push_back(where + ".backoff_max_ms: expected >= backoff_base_ms");
    if (!(p.connect_at_ms_max >= 0)) errors.push_back(where + ".connect_at_ms_max: expected >= 0");
    check_population_options(p, where, errors);
    if (p.behaviour == Behaviour::kHostile && p.hostile.empty()) {
      errors.push_back(where + ".hostile: a hostile population needs at least one action");
    }
  }
  auto client_ok = [&](const std::string& client, const std::string& field) {
    const size_t dash = client.rfind('-');
    bool ok = false;
    if (dash != std::string::npos && dash + 1 < client.size()) {
      auto it = populations.find(client.substr(0, dash));
      const std::string index = client.substr(dash + 1);
      if (it != populations.end() && index.find_first_not_of("0123456789") == std::string::npos && index.size() < 10) {
        ok = std::stoll(index) < it->second;
      }
    }
    if (!ok) errors.push_back(field + ": unknown client \"" + client + "\" (expected \"<population>-<index>\")");
  };

  for (size_t i = 0; i < config.faults.size(); ++i) {
    const FaultSpec& f = config.faults[i];
    const std::string where = "faults[" + std::to_string(i) + "]";
    if (f.start_ms < 0) errors.push_back(where + ".start_ms: expected >= 0");
    if (f.duration_ms < 0) errors.push_back(where + ".duration_ms: expected >= 0");
    for (const auto& code : f.regions_a) region_ok(code, where + ".regions_a");
    for (const auto& code : f.regions_b) region_ok(code, where + ".regions_b");
    if (!f.region.empty()) region_ok(f.region, where + ".region");
    if (!f.client.empty()) client_ok(f.client, where + ".client");
    if (!f.room.empty() && !room_ids.count(f.room)) errors.push_back(where + ".room: unknown room id \"" + f.room + "\"");
    if (!f.population.empty() && !populations.count(f.population)) {
      errors.push_back(where + ".population: unknown population \"" + f.population + "\"");
    }
    if (!(f.factor > 0)) errors.push_back(where + ".factor: expected > 0");
    if (!(f.probability >= 0 && f.probability <= 1)) errors.push_back(where + ".probability: expected [0, 1]");
    switch (f.kind) {
      case FaultKind::kPartition:
        if (f.client.empty() && f.region.empty() && (f.regions_a.empty() || f.regions_b.empty())) {
          errors.push_back(where + ": a partition needs regions_a and regions_b, or a client or region to isolate");
        }
        break;
      case FaultKind::kEdgeOutage:
      case FaultKind::kEdgeRestart:
        if (f.region.empty()) errors.push_back(where + ".region: required for " + fault_kind_name(f.kind));
        break;
      case FaultKind::kRoomEvict:
      case FaultKind::kRoomCrash:
      case FaultKind::kStorageSlow:
      case FaultKind::kStorageFail:
        if (f.room.empty() && config.rooms.empty()) errors.push_back(where + ".room: no room to fault");
        break;
      case FaultKind::kClockSkew:
        if (f.client.empty() && f.population.empty()) {
          errors.push_back(where + ": clock_skew needs a client or a population");
        }
        break;
      case FaultKind::kClientChurn:
        if (!(f.rate_per_s > 0)) errors.push_back(where + ".rate_per_s: client_churn needs a rate > 0");
        break;
      case FaultKind::kLatencySpike:
        break;
    }
  }
  for (const auto& [kind, rate] : config.fault_rates.per_minute) {
    if (!(rate >= 0)) errors.push_back(std::string("fault_rates.per_minute.") + fault_kind_name(kind) + ": expected >= 0");
  }
  if (config.fault_rates.duration_ms_mean <= 0) errors.push_back("fault_rates.duration_ms_mean: expected > 0");
  const StormRates& storms = config.fault_rates.storms;
  if (!in_range(storms.per_minute, 0, 10'000)) errors.push_back("fault_rates.storms.per_minute: expected [0, 10000]");
  if (storms.kinds_min < 1 || storms.kinds_max < storms.kinds_min) {
    errors.push_back("fault_rates.storms: expected 1 <= kinds_min <= kinds_max");
  }
  if (storms.window_ms < 1 || storms.window_ms > 3'600'000) errors.push_back("fault_rates.storms.window_ms: expected [1, 3600000]");
  if (storms.per_minute > 0 && config.fault_rates.per_minute.size() < 2) {
    errors.push_back("fault_rates.storms: expected at least two kinds in fault_rates.per_minute to draw from");
  }
  for (size_t i = 0; i < config.actions.size(); ++i) {
    const ClientAction& a = config.actions[i];
    const std::string where = "actions[" + std::to_string(i) + "]";
    if (a.at_ms < 0) errors.push_back(where + ".at_ms: expected >= 0");
    client_ok(a.client, where + ".client");
    if (a.kind == ClientAction::Kind::kHostile && !parse_hostile_action(a.text)) {
      errors.push_back(where + ".text: unknown hostile action \"" + a.text + "\"");
    }
  }
  if (config.phases.safety_ms < 0) errors.push_back("phases.safety_ms: expected >= 0");
  if (config.phases.liveness_ms < 0) errors.push_back("phases.liveness_ms: expected >= 0");
  if (config.phases.convergence_bound_ms <= 0) errors.push_back("phases.convergence_bound_ms: expected > 0");
  if (config.limits.heartbeat_timeout_ms <= 0) errors.push_back("limits.heartbeat_timeout_ms: expected > 0");
  if (config.limits.max_frame_bytes <= 0) errors.push_back("limits.max_frame_bytes: expected > 0");
  if (config.limits.send_queue_max_frames <= 0) errors.push_back("limits.send_queue_max_frames: expected > 0");
  if (config.event_budget == 0) errors.push_back("event_budget: expected > 0");
  return errors;
}

}  // namespace roomsim::netsim
