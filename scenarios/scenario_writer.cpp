// scenarios/scenario_writer.cpp: the inverse of the loader.
#include "scenarios/scenario_writer.hpp"

#include "netsim/names.hpp"
#include "scenarios/enum_names.hpp"

namespace roomsim::scenarios {

using nlohmann::json;
using namespace roomsim::netsim;

json distribution_to_json(const Distribution& d) {
  json j{{"kind", name_of(d.kind)}};
  switch (d.kind) {
    case Distribution::Kind::kNone: break;
    case Distribution::Kind::kConstant: j["value_ms"] = d.a; break;
    case Distribution::Kind::kUniform: j["min_ms"] = d.a; j["max_ms"] = d.b; break;
    case Distribution::Kind::kExponential: j["mean_ms"] = d.a; break;
    case Distribution::Kind::kNormal: j["mean_ms"] = d.a; j["stddev_ms"] = d.b; break;
    case Distribution::Kind::kLognormal: j["mu"] = d.a; j["sigma"] = d.b; break;
    case Distribution::Kind::kPareto: j["scale_ms"] = d.a; j["shape"] = d.b; break;
  }
  return j;
}

namespace {

json topology_to_json(const TopologyConfig& t) {
  json j{{"builtin", t.builtin},
         {"latency_model", name_of(t.latency_model)},
         {"route_stretch", t.route_stretch},
         {"fibre_km_per_ms", t.fibre_km_per_ms},
         {"hop_overhead_ms", t.hop_overhead_ms},
         {"jitter", distribution_to_json(t.jitter)},
         {"last_mile", distribution_to_json(t.last_mile)}};
  if (!t.regions.empty()) {
    json regions = json::array();
    for (const auto& r : t.regions) {
      regions.push_back({{"code", r.code}, {"city", r.city}, {"continent", r.continent}, {"lat", r.lat}, {"lon", r.lon}});
    }
    j["regions"] = regions;
  }
  if (!t.latency_matrix_ms.empty()) j["latency_matrix_ms"] = t.latency_matrix_ms;
  return j;
}

json client_to_json(const ClientPopulation& c) {
  json hostile = json::array();
  for (auto h : c.hostile) hostile.push_back(name_of(h));
  json j{{"name", c.name},
         {"count", c.count},
         {"region_weights", c.region_weights},
         {"room", c.room},
         {"behaviour", name_of(c.behaviour)},
         {"send_rate_per_s", c.send_rate_per_s},
         {"payload_bytes", c.payload_bytes},
         {"keys", c.keys},
         {"sub_room", c.sub_room},
         {"users", c.users},
         {"reconnect", c.reconnect},
         {"scripted", c.scripted},
         {"backoff_base_ms", c.backoff_base_ms},
         {"backoff_max_ms", c.backoff_max_ms},
         {"connect_at_ms_min", c.connect_at_ms_min},
         {"connect_at_ms_max", c.connect_at_ms_max},
         {"token_ttl_s", c.token_ttl_s}};
  if (!hostile.empty()) j["hostile"] = hostile;
  json modes = json::array();
  for (auto m : c.resume_modes) modes.push_back(name_of(m));
  j["enabled_probability"] = c.enabled_probability;
  j["resume_modes"] = modes;
  j["resume_mode_per_client"] = c.resume_mode_per_client;
  j["away_probability"] = c.away_probability;
  j["away_at_ms_min"] = c.away_at_ms_min;
  j["away_at_ms_max"] = c.away_at_ms_max;
  j["away_ms_min"] = c.away_ms_min;
  j["away_ms_max"] = c.away_ms_max;
  j["away_for_good"] = c.away_for_good;
  j["away_vanish_probability"] = c.away_vanish_probability;
  j["burst_size"] = c.burst_size;
  j["bursts_per_min"] = c.bursts_per_min;
  return j;
}

json fault_to_json(const FaultSpec& f) {
  return json{{"kind", name_of(f.kind)},
              {"start_ms", f.start_ms},
              {"duration_ms", f.duration_ms},
              {"regions_a", f.regions_a},
              {"regions_b", f.regions_b},
              {"one_way", f.one_way},
              {"region", f.region},
              {"client", f.client},
              {"room", f.room},
              {"population", f.population},
              {"factor", f.factor},
              {"probability", f.probability},
              {"rate_per_s", f.rate_per_s},
              {"skew_ms", f.skew_ms}};
}

}  // namespace

json scenario_to_json(const Scenario& s) {
  const SimulationConfig& c = s.config;
  json rooms = json::array();
  for (const auto& r : c.rooms) {
    rooms.push_back({{"kind", r.kind},
                     {"id", r.id},
                     {"config", r.config},
                     {"placement", name_of(r.placement)},
                     {"location_hint", r.location_hint}});
  }
  json clients = json::array();
  for (const auto& p : c.clients) clients.push_back(client_to_json(p));
  json faults = json::array();
  for (const auto& f : c.faults) faults.push_back(fault_to_json(f));
  json per_minute = json::object();
  for (const auto& [kind, rate] : c.fault_rates.per_minute) per_minute[name_of(kind)] = rate;
  json actions = json::array();
  for (const auto& a : c.actions) {
    std::string text = a.text;
    if (a.kind == ClientAction::Kind::kHostile) {
      if (auto h = netsim::parse_hostile_action(a.text)) text = name_of(*h);
    }
    json action{{"at_ms", a.at_ms}, {"client", a.client}, {"kind", name_of(a.kind)}, {"text", text}};
    if (a.count != 1) action["count"] = a.count;
    actions.push_back(std::move(action));
  }
  json phases{{"safety_ms", c.phases.safety_ms},
              {"liveness_ms", c.phases.liveness_ms},
              {"convergence_bound_ms", c.phases.convergence_bound_ms}};
  if (c.phases.latency_p99_bound_ms) phases["latency_p99_bound_ms"] = *c.phases.latency_p99_bound_ms;
  json j{{"name", s.name},
         {"description", s.description},
         {"seeds", s.default_seeds},
         {"properties", s.properties},
         {"expect_failures", s.expect_failures},
         {"topology", topology_to_json(c.topology)},
         {"rooms", rooms},
         {"clients", clients},
         {"faults", faults},
         {"fault_rates",
          {{"swarm", c.fault_rates.swarm},
           {"per_minute", per_minute},
           {"duration_ms_mean", c.fault_rates.duration_ms_mean},
           {"storms",
            {{"per_minute", c.fault_rates.storms.per_minute},
             {"kinds_min", c.fault_rates.storms.kinds_min},
             {"kinds_max", c.fault_rates.storms.kinds_max},
             {"window_ms", c.fault_rates.storms.window_ms}}}}},
         {"actions", actions},
         {"phases", phases},
         {"storage", {{"commit_latency", distribution_to_json(c.storage.commit_latency)}}},
         {"limits",
          {{"heartbeat_timeout_ms", c.limits.heartbeat_timeout_ms},
           {"max_frame_bytes", c.limits.max_frame_bytes},
           {"send_queue_max_frames", c.limits.send_queue_max_frames},
           {"held_frames_max", c.limits.held_frames_max},
           {"held_bytes_max", c.limits.held_bytes_max}}},
         {"services",
          {{"latency", distribution_to_json(c.services.latency)},
           {"failure_probability", c.services.failure_probability},
           {"feed_period_ms", c.services.feed_period_ms}}},
         {"token_secret", c.token_secret},
         {"event_budget", c.event_budget}};
  if (!s.expected_failing_properties.empty()) j["expected_failing_properties"] = s.expected_failing_properties;
  return j;
}

}  // namespace roomsim::scenarios
