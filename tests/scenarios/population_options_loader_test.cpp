// tests/scenarios/population_options_loader_test.cpp: the population options
// and fault storms of docs/scenario.md load with their defaults, refuse bad
// values with the file, path and expectation, and round-trip through the
// writer; simulate() refuses the same values when a config is built in code.
#include <gtest/gtest.h>

#include "netsim/simulation.hpp"
#include "scenarios/scenario_loader.hpp"
#include "scenarios/scenario_writer.hpp"
#include "tests/scenarios/test_catalog.hpp"

namespace roomsim::scenarios {
namespace {

using nlohmann::json;

json with_options(const json& options) {
  json j = json::parse(R"({
    "name": "t",
    "rooms": [{"kind": "chat", "id": "lobby"}],
    "clients": [{"name": "users", "count": 3, "room": "lobby"}],
    "fault_rates": {"per_minute": {"partition": 1, "room-crash": 1}}
  })");
  for (auto it = options.begin(); it != options.end(); ++it) j["clients"][0][it.key()] = it.value();
  return j;
}

std::vector<std::string> errors_of(const json& j) {
  return load_scenario_json(j, "s.json", "s.json", testing::test_catalog()).errors;
}

std::string error_of(const json& j) {
  const auto errors = errors_of(j);
  EXPECT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors);
  return errors.empty() ? "" : errors.front();
}

TEST(PopulationOptionsLoader, DefaultsChangeNothing) {
  const LoadResult r = load_scenario_json(with_options(json::object()), "s.json", "s.json", testing::test_catalog());
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(r.errors);
  const netsim::ClientPopulation& p = r.scenario->config.clients[0];
  EXPECT_EQ(p.connect_at_ms_min, 0);
  EXPECT_EQ(p.enabled_probability, 1);
  EXPECT_EQ(p.resume_modes, std::vector<netsim::ResumeMode>{netsim::ResumeMode::kFrame});
  EXPECT_EQ(p.away_probability, 0);
  EXPECT_EQ(p.burst_size, 0);
  EXPECT_EQ(r.scenario->config.fault_rates.storms.per_minute, 0);
}

TEST(PopulationOptionsLoader, EveryOptionLoadsAndRoundTrips) {
  json j = with_options({{"connect_at_ms_min", 500},
                         {"connect_at_ms_max", 900},
                         {"enabled_probability", 0.5},
                         {"resume_modes", {"query", "no-history", "frame"}},
                         {"resume_mode_per_client", true},
                         {"away_probability", 0.25},
                         {"away_at_ms_min", 100},
                         {"away_at_ms_max", 200},
                         {"away_ms_min", 300},
                         {"away_ms_max", 400},
                         {"away_for_good", true},
                         {"away_vanish_probability", 0.75},
                         {"burst_size", 120},
                         {"bursts_per_min", 3}});
  j["fault_rates"]["storms"] = {{"per_minute", 4}, {"kinds_min", 2}, {"kinds_max", 2}, {"window_ms", 250}};
  j["actions"] = json::array({{{"at_ms", 5}, {"client", "users-1"}, {"kind", "leave"}, {"text", "vanish"}}});
  const LoadResult r = load_scenario_json(j, "s.json", "s.json", testing::test_catalog());
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(r.errors);
  const netsim::ClientPopulation& p = r.scenario->config.clients[0];
  EXPECT_EQ(p.connect_at_ms_min, 500);
  EXPECT_EQ(p.resume_modes, (std::vector<netsim::ResumeMode>{netsim::ResumeMode::kQuery, netsim::ResumeMode::kNoHistory,
                                                             netsim::ResumeMode::kFrame}));
  EXPECT_TRUE(p.resume_mode_per_client);
  EXPECT_TRUE(p.away_for_good);
  EXPECT_EQ(p.away_vanish_probability, 0.75);
  EXPECT_EQ(p.burst_size, 120);
  EXPECT_EQ(r.scenario->config.fault_rates.storms.window_ms, 250);
  EXPECT_EQ(r.scenario->config.actions[0].kind, netsim::ClientAction::Kind::kLeave);
  EXPECT_TRUE(netsim::validate(r.scenario->config, rooms::builtin_registry()).empty());
  const json written = scenario_to_json(*r.scenario);
  EXPECT_EQ(written["clients"][0]["resume_modes"], json({"query", "no-history", "frame"}));
  const LoadResult again = load_scenario_json(written, "s.json", "s.json", testing::test_catalog());
  ASSERT_TRUE(again.ok()) << ::testing::PrintToString(again.errors);
  EXPECT_EQ(scenario_to_json(*again.scenario), written);
}

TEST(PopulationOptionsLoader, BadValuesNameTheFieldAndTheExpectation) {
  EXPECT_EQ(error_of(with_options({{"enabled_probability", 1.5}})),
            "s.json: /clients/0/enabled_probability: expected a probability in [0, 1], got 1.5");
  EXPECT_EQ(error_of(with_options({{"connect_at_ms_min", 2000}})),
            "s.json: /clients/0/connect_at_ms_max: expected a number >= connect_at_ms_min (2000.0), got 1000.0");
  EXPECT_EQ(error_of(with_options({{"resume_modes", json::array()}})),
            "s.json: /clients/0/resume_modes: expected a non-empty array of resume modes (one of \"frame\", \"query\", "
            "\"no-history\"), got []");
  EXPECT_EQ(error_of(with_options({{"resume_modes", {"frame", "carrier-pigeon"}}})),
            "s.json: /clients/0/resume_modes/1: expected one of \"frame\", \"query\", \"no-history\", got \"carrier-pigeon\"");
  EXPECT_EQ(error_of(with_options({{"away_at_ms_min", 50}, {"away_at_ms_max", 10}})),
            "s.json: /clients/0/away_at_ms_max: expected a number >= away_at_ms_min (50.0), got 10.0");
  EXPECT_EQ(error_of(with_options({{"away_ms_max", 2e9}})),
            "s.json: /clients/0/away_ms_max: expected a number of ms in [0, 1e9], got 2000000000.0");
  EXPECT_EQ(error_of(with_options({{"away_vanish_probability", -0.1}})),
            "s.json: /clients/0/away_vanish_probability: expected a probability in [0, 1], got -0.1");
  EXPECT_EQ(error_of(with_options({{"burst_size", 10001}})),
            "s.json: /clients/0/burst_size: expected an integer in [0, 10000], got 10001");
  EXPECT_EQ(error_of(with_options({{"bursts_per_min", 601}})),
            "s.json: /clients/0/bursts_per_min: expected a number in [0, 600], got 601");
  // One burst is queued at once: 10,000 x 64 KiB took 1.8 GB before event_budget could stop the run.
  EXPECT_EQ(error_of(with_options({{"burst_size", 10000}, {"payload_bytes", 65536}})),
            "s.json: /clients/0/burst_size: burst_size x payload_bytes (65536) must be at most 16 MiB: one burst is "
            "queued at once");
  EXPECT_TRUE(errors_of(with_options({{"burst_size", 256}, {"payload_bytes", 65536}})).empty());
  EXPECT_EQ(error_of(with_options({{"behaviour", "lurker"}, {"burst_size", 5}})),
            "s.json: /clients/0/burst_size: only allowed with behaviour \"chatter\"");
  EXPECT_EQ(error_of(with_options({{"away_for_good", "yes"}})),
            "s.json: /clients/0/away_for_good: expected true or false, got \"yes\"");
}

TEST(PopulationOptionsLoader, BadStormsNameTheFieldAndTheExpectation) {
  auto storms = [](const json& s) {
    json j = with_options(json::object());
    j["fault_rates"]["storms"] = s;
    return j;
  };
  EXPECT_EQ(error_of(storms({{"per_minute", -1}})),
            "s.json: /fault_rates/storms/per_minute: expected a number in [0, 10000] (storms per simulated minute), got -1");
  EXPECT_EQ(error_of(storms({{"kinds_min", 0}})), "s.json: /fault_rates/storms/kinds_min: expected an integer in [1, 12], got 0");
  EXPECT_EQ(error_of(storms({{"kinds_max", 13}})), "s.json: /fault_rates/storms/kinds_max: expected an integer in [1, 12], got 13");
  EXPECT_EQ(error_of(storms({{"kinds_min", 4}, {"kinds_max", 3}})),
            "s.json: /fault_rates/storms/kinds_max: expected an integer >= kinds_min (4), got 3");
  EXPECT_EQ(error_of(storms({{"window_ms", 3600001}})),
            "s.json: /fault_rates/storms/window_ms: expected an integer in [1, 3600000], got 3600001");
  EXPECT_EQ(error_of(storms({{"gusts", 3}})).rfind("s.json: /fault_rates/storms/gusts: unknown field", 0), 0u);
  json one_kind = storms({{"per_minute", 1}});
  one_kind["fault_rates"]["per_minute"] = {{"partition", 1}};
  EXPECT_EQ(error_of(one_kind), "s.json: /fault_rates/per_minute: expected at least two fault kinds for storms to draw from");
}

TEST(PopulationOptionsLoader, SimulateRefusesTheSameValuesInCode) {
  netsim::SimulationConfig c;
  c.rooms.push_back(netsim::RoomInstanceConfig{});
  netsim::ClientPopulation p;
  p.room = "lobby";
  p.enabled_probability = 2;
  p.resume_modes.clear();
  p.away_ms_min = 10;
  p.away_ms_max = 5;
  p.burst_size = -1;
  c.clients.push_back(p);
  c.fault_rates.per_minute = {{netsim::FaultKind::kPartition, 1}};
  c.fault_rates.storms.per_minute = 1;
  c.fault_rates.storms.kinds_min = 3;
  c.fault_rates.storms.kinds_max = 2;
  const auto errors = netsim::validate(c, rooms::builtin_registry());
  std::string all;
  for (const auto& e : errors) all += e + "\n";
  for (const char* expected :
       {"clients[0].enabled_probability: expected a probability in [0, 1]", "clients[0].resume_modes: expected at least one resume mode",
        "clients[0].away_ms_max: expected [away_ms_min, 1e9] ms", "clients[0].burst_size: expected [0, 10000]",
        "fault_rates.storms: expected 1 <= kinds_min <= kinds_max",
        "fault_rates.storms: expected at least two kinds in fault_rates.per_minute to draw from"}) {
    EXPECT_NE(all.find(expected), std::string::npos) << expected << "\nin:\n" << all;
  }
}

}  // namespace
}  // namespace roomsim::scenarios
