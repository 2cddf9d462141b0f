// netsim/validate.cpp: every check simulate() makes before it runs anything.
// Each error names the config field and what was expected.
#include <algorithm>
#include <set>
#include <type_traits>

#include "netsim/names.hpp"
#include "netsim/simulation.hpp"

namespace roomsim::netsim {

namespace {

using namespace limits;

// "field: expected a value in [min, max], got v" unless min <= v <= max (NaN is out of every range).
template <typename T>
void check_range(T v, T min, T max, const std::string& field, std::vector<std::string>& errors) {
  if (v >= min && v <= max) return;
  auto text = [](T x) {
    if constexpr (std::is_floating_point_v<T>) return nlohmann::json(x).dump();
    return std::to_string(x);
  };
  errors.push_back(field + ": expected a value in [" + text(min) + ", " + text(max) + "], got " + text(v));
}

void check_time_ms(int64_t v, int64_t min, const std::string& field, std::vector<std::string>& errors) {
  check_range<int64_t>(v, min, kTimeMsMax, field, errors);
}

void check_distribution(const Distribution& d, const std::string& field, std::vector<std::string>& errors) {
  using K = Distribution::Kind;
  auto bad = [&](const std::string& what) { errors.push_back(field + ": " + what); };
  // Parameters in ms are at most an hour; lognormal and pareto shapes are bounded too.
  const bool lognormal = d.kind == K::kLognormal;
  check_range(d.a, lognormal ? -kLognormalMuMax : -kLatencyMsMax, lognormal ? kLognormalMuMax : kLatencyMsMax,
              field + ".a", errors);
  check_range(d.b, 0.0, lognormal ? kLognormalSigmaMax : d.kind == K::kPareto ? kParetoShapeMax : kLatencyMsMax,
              field + ".b", errors);
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
  if (p.burst_size < 0 || p.burst_size > kBurstSizeMax) bad("burst_size", "expected [0, 10000]");
  if (int64_t{p.burst_size} * std::max(p.payload_bytes, 0) > kBurstBytesMax) {
    bad("burst_size", "burst_size x payload_bytes must be at most 16 MiB (one burst is queued at once)");
  }
  if (!in_range(p.bursts_per_min, 0, 600)) bad("bursts_per_min", "expected [0, 600]");
}

}  // namespace

std::vector<std::string> validate(const SimulationConfig& config, const rooms::RoomRegistry& registry) {
  std::vector<std::string> errors;
  if (config.topology.regions.size() > kRegionsMax) {
    errors.push_back("topology.regions: expected at most " + std::to_string(kRegionsMax) + " regions");
    return errors;  // the latency table would be their square
  }
  for (size_t i = 0; i < config.topology.latency_matrix_ms.size(); ++i) {
    for (size_t k = 0; k < config.topology.latency_matrix_ms[i].size(); ++k) {
      check_range(config.topology.latency_matrix_ms[i][k], 0.0, kLatencyMsMax,
                  "topology.latency_matrix_ms[" + std::to_string(i) + "][" + std::to_string(k) + "]", errors);
    }
  }
  check_range(config.topology.route_stretch, 1.0, 100.0, "topology.route_stretch", errors);
  check_range(config.topology.fibre_km_per_ms, 1.0, 300.0, "topology.fibre_km_per_ms", errors);
  check_range(config.topology.hop_overhead_ms, 0.0, kLatencyMsMax, "topology.hop_overhead_ms", errors);
  check_range(config.rooms.size(), size_t{0}, kRoomsMax, "rooms (count)", errors);
  check_range(config.faults.size(), size_t{0}, kFaultsMax, "faults (count)", errors);
  check_range(config.actions.size(), size_t{0}, kActionsMax, "actions (count)", errors);
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
  int64_t total_clients = 0;
  for (size_t i = 0; i < config.clients.size(); ++i) {
    const ClientPopulation& p = config.clients[i];
    const std::string where = "clients[" + std::to_string(i) + "]";
    if (p.name.empty()) errors.push_back(where + ".name: must not be empty");
    if (populations.count(p.name)) errors.push_back(where + ".name: duplicate population \"" + p.name + "\"");
    populations[p.name] = p.count;
    check_range(p.count, 0, kClientsMax, where + ".count", errors);
    total_clients += p.count;
    if (!room_ids.count(p.room)) errors.push_back(where + ".room: unknown room id \"" + p.room + "\"");
    double total = 0;
    for (const auto& [code, w] : p.region_weights) {
      region_ok(code, where + ".region_weights");
      check_range(w, 0.0, kRegionWeightMax, where + ".region_weights." + code, errors);
      total += w;
    }
    if (!p.region_weights.empty() && !(total > 0)) errors.push_back(where + ".region_weights: weights sum to 0");
    const double time_ms_max = static_cast<double>(kTimeMsMax);
    check_range(p.send_rate_per_s, 0.0, kRatePerSMax, where + ".send_rate_per_s", errors);
    check_range(p.payload_bytes, 0, kPayloadBytesMax, where + ".payload_bytes", errors);
    check_range(p.users, 0, kClientsMax, where + ".users", errors);
    if (!(p.backoff_base_ms > 0)) errors.push_back(where + ".backoff_base_ms: expected > 0");
    check_range(p.backoff_base_ms, 0.0, time_ms_max, where + ".backoff_base_ms", errors);
    if (!(p.backoff_max_ms >= p.backoff_base_ms)) errors.push_back(where + ".backoff_max_ms: expected >= backoff_base_ms");
    check_range(p.backoff_max_ms, 0.0, time_ms_max, where + ".backoff_max_ms", errors);
    check_range(p.connect_at_ms_max, 0.0, time_ms_max, where + ".connect_at_ms_max", errors);
    check_range(p.token_ttl_s, -kTokenTtlSMax, kTokenTtlSMax, where + ".token_ttl_s", errors);
    check_population_options(p, where, errors);
    if (p.behaviour == Behaviour::kHostile && p.hostile.empty()) {
      errors.push_back(where + ".hostile: a hostile population needs at least one action");
    }
  }
  check_range<int64_t>(total_clients, 0, kClientsMax, "clients (total count)", errors);
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
    check_time_ms(f.start_ms, 0, where + ".start_ms", errors);
    check_time_ms(f.duration_ms, 0, where + ".duration_ms", errors);
    check_range(f.skew_ms, -kTimeMsMax, kTimeMsMax, where + ".skew_ms", errors);
    check_range(f.rate_per_s, 0.0, kRatePerSMax, where + ".rate_per_s", errors);
    for (const auto& code : f.regions_a) region_ok(code, where + ".regions_a");
    for (const auto& code : f.regions_b) region_ok(code, where + ".regions_b");
    if (!f.region.empty()) region_ok(f.region, where + ".region");
    if (!f.client.empty()) client_ok(f.client, where + ".client");
    if (!f.room.empty() && !room_ids.count(f.room)) errors.push_back(where + ".room: unknown room id \"" + f.room + "\"");
    if (!f.population.empty() && !populations.count(f.population)) {
      errors.push_back(where + ".population: unknown population \"" + f.population + "\"");
    }
    if (!(f.factor > 0)) errors.push_back(where + ".factor: expected > 0");
    check_range(f.factor, 0.0, kFactorMax, where + ".factor", errors);
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
      case FaultKind::kStorageReadFail:
        if (f.room.empty() && config.rooms.empty()) errors.push_back(where + ".room: no room to fault");
        break;
      case FaultKind::kRoomClockSkew:
        if (f.room.empty() && config.rooms.empty()) errors.push_back(where + ".room: no room to fault");
        check_range(f.skew_ms, -kRoomClockSkewMsMax, kRoomClockSkewMsMax, where + ".skew_ms", errors);
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
    check_range(rate, 0.0, kFaultsPerMinuteMax, std::string("fault_rates.per_minute.") + fault_kind_name(kind), errors);
  }
  check_time_ms(config.fault_rates.duration_ms_mean, 1, "fault_rates.duration_ms_mean", errors);
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
    check_time_ms(a.at_ms, 0, where + ".at_ms", errors);
    client_ok(a.client, where + ".client");
    if (a.kind == ClientAction::Kind::kHostile && !parse_hostile_action(a.text)) {
      errors.push_back(where + ".text: unknown hostile action \"" + a.text + "\"");
    }
    check_range(a.count, 1, a.kind == ClientAction::Kind::kSend ? kActionSendCountMax : 1, where + ".count", errors);
  }
  check_time_ms(config.phases.safety_ms, 0, "phases.safety_ms", errors);
  check_time_ms(config.phases.liveness_ms, 0, "phases.liveness_ms", errors);
  check_time_ms(config.phases.convergence_bound_ms, 1, "phases.convergence_bound_ms", errors);
  if (config.phases.latency_p99_bound_ms) {
    check_time_ms(*config.phases.latency_p99_bound_ms, 1, "phases.latency_p99_bound_ms", errors);
  }
  check_time_ms(config.services.feed_period_ms, 1, "services.feed_period_ms", errors);
  check_time_ms(config.limits.heartbeat_timeout_ms, 1, "limits.heartbeat_timeout_ms", errors);
  check_range(config.limits.max_frame_bytes, 1, kFrameBytesMax, "limits.max_frame_bytes", errors);
  check_range(config.limits.send_queue_max_frames, 1, kSendQueueFramesMax, "limits.send_queue_max_frames", errors);
  check_range(config.limits.held_frames_max, int64_t{1}, kHeldFramesMax, "limits.held_frames_max", errors);
  check_range(config.limits.held_bytes_max, int64_t{1}, kHeldBytesMax, "limits.held_bytes_max", errors);
  check_range<uint64_t>(config.event_budget, 1, kEventBudgetMax, "event_budget", errors);
  return errors;
}

}  // namespace roomsim::netsim
