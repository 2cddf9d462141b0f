// tests/scenarios/scenario_loader_test.cpp: every kind of bad scenario field
// is reported with the file, the JSON path and the expectation; all errors
// are collected; the built-in scenarios load; writer and loader round-trip.
#include <gtest/gtest.h>

#include <algorithm>

#include "scenarios/builtin_scenarios.hpp"
#include "scenarios/runner.hpp"
#include "scenarios/scenario_loader.hpp"
#include "scenarios/scenario_writer.hpp"
#include "tests/scenarios/test_catalog.hpp"

namespace roomsim::scenarios {
namespace {

using nlohmann::json;

json minimal() {
  return json::parse(R"({
    "name": "t",
    "rooms": [{"kind": "chat", "id": "lobby"}],
    "clients": [{"name": "users", "count": 3, "room": "lobby"}]
  })");
}

std::vector<std::string> errors_of(const json& j) {
  return load_scenario_json(j, "chat.json", "chat.json", testing::test_catalog()).errors;
}

// The single error of `j`.
std::string error_of(const json& j) {
  const auto errors = errors_of(j);
  EXPECT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors);
  return errors.empty() ? "" : errors.front();
}

// minimal() with the value at `pointer` replaced must give exactly `message`.
struct PointerCase {
  std::string pointer;
  json value;
  std::string message;
};

void expect_each_error(const std::vector<PointerCase>& cases) {
  for (const PointerCase& c : cases) {
    json j = minimal();
    j[json::json_pointer(c.pointer)] = c.value;
    EXPECT_EQ(error_of(j), c.message) << c.pointer;
  }
}

TEST(ScenarioLoader, MinimalScenarioLoadsWithDefaults) {
  const LoadResult r = load_scenario_json(minimal(), "t.json", "t.json", testing::test_catalog());
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(r.errors);
  const Scenario& s = *r.scenario;
  EXPECT_EQ(s.name, "t");
  EXPECT_EQ(s.config.name, "t");
  EXPECT_EQ(s.source, "t.json");
  EXPECT_EQ(s.default_seeds, 20u);
  EXPECT_TRUE(s.properties.empty());
  EXPECT_EQ(s.config.topology.builtin, "small");
  ASSERT_EQ(s.config.clients.size(), 1u);
  EXPECT_EQ(s.config.clients[0].count, 3);
  EXPECT_EQ(s.config.clients[0].behaviour, netsim::Behaviour::kChatter);
}

TEST(ScenarioLoader, TheIssueExampleMessage) {
  json j = minimal();
  j["faults"] = json::array({
      {{"kind", "room-evict"}, {"start_ms", 10}, {"room", "lobby"}},
      {{"kind", "room-crash"}, {"start_ms", 20}, {"room", "lobby"}},
      {{"kind", "partition"}, {"start_ms", 30}, {"duration_ms", "10s"}, {"client", "users-0"}},
  });
  const auto errors = errors_of(j);
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors.front(), "chat.json: /faults/2/duration_ms: expected an integer in [1, 10000000000], got \"10s\"");
}

TEST(ScenarioLoader, UnknownFieldsAreErrorsAtEveryLevel) {
  json j = minimal();
  j["colour"] = "blue";
  j["clients"][0]["sendrate"] = 3;
  const auto errors = errors_of(j);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].rfind("chat.json: /clients/0/sendrate: unknown field (known fields: ", 0), 0u) << errors[0];
  EXPECT_NE(errors[0].find("send_rate_per_s"), std::string::npos);
  EXPECT_EQ(errors[1].rfind("chat.json: /colour: unknown field", 0), 0u) << errors[1];
}

TEST(ScenarioLoader, WrongTypesAndRanges) {
  expect_each_error({
      {"/seeds", 0, "chat.json: /seeds: expected an integer in [1, 1000000], got 0"},
      {"/seeds", "many", "chat.json: /seeds: expected an integer in [1, 1000000], got \"many\""},
      {"/name", "", "chat.json: /name: expected a non-empty string, got \"\""},
      {"/expect_failures", "yes", "chat.json: /expect_failures: expected true or false, got \"yes\""},
      {"/clients/0/count", 0, "chat.json: /clients/0/count: expected an integer in [1, 1000000], got 0"},
      {"/clients/0/count", 2.5, "chat.json: /clients/0/count: expected an integer in [1, 1000000], got 2.5"},
      {"/clients/0/send_rate_per_s", -1, "chat.json: /clients/0/send_rate_per_s: expected a number in [0, 10000], got -1"},
      {"/clients/0/keys", "*", "chat.json: /clients/0/keys: expected an array of strings, got \"*\""},
      {"/clients/0/behaviour", "talker",
       "chat.json: /clients/0/behaviour: expected one of \"chatter\", \"dashboard\", \"lurker\", \"hostile\", got \"talker\""},
      {"/rooms/0/placement", "nearest",
       "chat.json: /rooms/0/placement: expected one of \"first-connect\", \"location-hint\", \"key-derived\", got \"nearest\""},
      {"/rooms/0/config", 5, "chat.json: /rooms/0/config: expected an object (the room kind's settings), got 5"},
      {"/phases", json{{"safety_ms", -5}}, "chat.json: /phases/safety_ms: expected an integer in [1, 10000000000], got -5"},
      {"/limits", json{{"max_frame_bytes", 1e12}}, "chat.json: /limits/max_frame_bytes: expected an integer in [1, 67108864], got 1000000000000.0"},
      {"/topology", "tiny",
       "chat.json: /topology: expected a built-in topology (one of \"small\", \"mid\", \"full\") or a topology object, got \"tiny\""},
      {"/topology", json{{"jitter", {{"kind", "uniform"}, {"min_ms", 5}, {"max_ms", 1}}}},
       "chat.json: /topology/jitter/max_ms: expected a number >= min_ms (5.0), got 1.0"},
      {"/clients", json::object(), "chat.json: /clients: expected an array of client populations, got {}"},
      {"/rooms", json::array(), "chat.json: /rooms: expected a non-empty array of at most 100000 rooms, got []"},
      {"/event_budget", -1, "chat.json: /event_budget: expected an integer in [1, 10000000000], got -1"},
      {"/services", json{{"failure_probability", 1.5}},
       "chat.json: /services/failure_probability: expected a probability in [0, 1], got 1.5"},
      {"/services", json{{"latency", {{"kind", "constant"}}}},
       "chat.json: /services/latency/value_ms: missing required field"},
  });
}

// Issue 15: values `check` used to accept that then aborted `run` (overflowed ms -> ns, factor x latency, start +
// duration). Each is refused with its JSON path and the accepted range.
TEST(ScenarioLoader, ValuesThatOverflowedAtRunTimeAreRefusedWithTheirRange) {
  const int64_t max = INT64_MAX;
  expect_each_error({
      {"/phases/safety_ms", 10'000'000'000'000,
       "chat.json: /phases/safety_ms: expected an integer in [1, 10000000000], got 10000000000000"},
      {"/faults", json::array({{{"kind", "latency-spike"}, {"start_ms", 0}, {"duration_ms", 10}, {"factor", 1e300}}}),
       "chat.json: /faults/0/factor: expected a number in [0, 1000], got 1e+300"},
      {"/faults", json::array({{{"kind", "storage-slow"}, {"start_ms", 0}, {"duration_ms", 10}, {"room", "lobby"},
                                {"factor", 1e300}}}),
       "chat.json: /faults/0/factor: expected a number in [0, 1000], got 1e+300"},
      {"/limits/heartbeat_timeout_ms", max,
       "chat.json: /limits/heartbeat_timeout_ms: expected an integer in [1, 10000000000], got 9223372036854775807"},
      {"/faults", json::array({{{"kind", "partition"}, {"start_ms", max}, {"duration_ms", 1}, {"client", "users-0"}}}),
       "chat.json: /faults/0/start_ms: expected an integer in [0, 10000000000], got 9223372036854775807"},
      {"/phases/convergence_bound_ms", max - 1,
       "chat.json: /phases/convergence_bound_ms: expected an integer in [1, 10000000000], got 9223372036854775806"},
  });
}

// Every numeric field has an upper bound (docs/scenario.md, "Ranges"): one past it is an error naming the range.
TEST(ScenarioLoader, EveryNumericFieldIsBoundedAboveAndBelow) {
  struct Case {
    std::string pointer;
    json value;
    std::string expected;  // what the message says was expected
  };
  const json region = {{"code", "A"}, {"lat", 0}, {"lon", 0}};
  const std::vector<Case> cases = {
      {"/seeds", 1'000'001, "an integer in [1, 1000000]"},
      {"/event_budget", 10'000'000'001, "an integer in [1, 10000000000]"},
      {"/topology/route_stretch", 101, "a number in [1, 100]"},
      {"/topology/fibre_km_per_ms", 0.5, "a number in [1, 300]"},
      {"/topology/hop_overhead_ms", 3'600'001, "a number in [0, 3600000]"},
      {"/topology/hop_overhead_ms", -0.5, "a number in [0, 3600000]"},
      {"/topology/latency_model", "geodesic", "one of \"measured\", \"distance\""},
      {"/topology/jitter", {{"kind", "constant"}, {"value_ms", 3'600'001}}, "a number in [0, 3600000]"},
      {"/topology/jitter", {{"kind", "exponential"}, {"mean_ms", 0}}, "a number in (0, 3600000]"},
      {"/topology/jitter", {{"kind", "lognormal"}, {"mu", -101}, {"sigma", 1}}, "a number in [-100, 100]"},
      {"/topology/jitter", {{"kind", "lognormal"}, {"mu", 1}, {"sigma", 101}}, "a number in [0, 100]"},
      {"/topology/jitter", {{"kind", "pareto"}, {"scale_ms", 1}, {"shape", 1001}}, "a number in (0, 1000]"},
      {"/topology/last_mile", {{"kind", "uniform"}, {"min_ms", 0}, {"max_ms", 1e9}}, "a number in [0, 3600000]"},
      {"/topology/regions", json::array({region}), ""},  // valid; the matrix below is checked against it
      {"/clients/0/count", 1'000'001, "an integer in [1, 1000000]"},
      {"/clients/0/send_rate_per_s", 10'001, "a number in [0, 10000]"},
      {"/clients/0/payload_bytes", 65'537, "an integer in [0, 65536]"},
      {"/clients/0/users", 1'000'001, "an integer in [0, 1000000]"},
      {"/clients/0/backoff_base_ms", 0, "a number in (0, 10000000000]"},
      {"/clients/0/connect_at_ms_max", 1e11, "a number in [0, 10000000000]"},
      {"/clients/0/token_ttl_s", -10'000'001, "an integer in [-10000000, 10000000]"},
      {"/clients/0/region_weights", {{"ENAM", 1e7}}, "a number in [0, 1000000]"},
      {"/fault_rates/per_minute", {{"partition", 10'001}}, "a number in [0, 10000] (faults per simulated minute)"},
      {"/fault_rates/duration_ms_mean", 10'000'000'001, "an integer in [1, 10000000000]"},
      {"/phases/liveness_ms", 10'000'000'001, "an integer in [0, 10000000000]"},
      {"/phases/latency_p99_bound_ms", 10'000'000'001, "an integer in [1, 10000000000]"},
      {"/limits/max_frame_bytes", 67'108'865, "an integer in [1, 67108864]"},
      {"/limits/send_queue_max_frames", 1'000'001, "an integer in [1, 1000000]"},
      {"/services/feed_period_ms", 10'000'000'001, "an integer in [1, 10000000000]"},
      {"/storage/commit_latency", {{"kind", "normal"}, {"mean_ms", 1}, {"stddev_ms", 3'600'001}},
       "a number in [0, 3600000]"},
      {"/actions", json::array({{{"at_ms", 10'000'000'001}, {"client", "users-0"}, {"kind", "send"}}}),
       "an integer in [0, 10000000000]"},
      {"/faults", json::array({{{"kind", "clock-skew"}, {"start_ms", 0}, {"duration_ms", 5}, {"client", "users-0"},
                                {"skew_ms", -10'000'000'001}}}),
       "an integer in [-10000000000, 10000000000]"},
      {"/faults", json::array({{{"kind", "client-churn"}, {"start_ms", 0}, {"duration_ms", 5}, {"population", "users"},
                                {"rate_per_s", 1e6}}}),
       "a number in [0, 10000]"},
      {"/faults", json::array({{{"kind", "room-evict"}, {"start_ms", 0}, {"duration_ms", 10'000'000'001},
                                {"room", "lobby"}}}),
       "an integer in [0, 10000000000]"},
  };
  for (const Case& c : cases) {
    json j = minimal();
    j["topology"] = json::object();
    j["fault_rates"] = json::object();
    j["phases"] = json::object();
    j["limits"] = json::object();
    j["services"] = json::object();
    j["storage"] = json::object();
    j[json::json_pointer(c.pointer)] = c.value;
    const auto errors = errors_of(j);
    if (c.expected.empty()) {
      EXPECT_TRUE(errors.empty()) << c.pointer << ": " << ::testing::PrintToString(errors);
      continue;
    }
    ASSERT_FALSE(errors.empty()) << c.pointer;
    EXPECT_NE(errors.front().find(": expected " + c.expected + ", got "), std::string::npos)
        << c.pointer << ": " << errors.front();
  }
  json m = minimal();
  m["topology"] = {{"regions", json::array({region})}, {"latency_matrix_ms", json::array({json::array({3'600'001})})}};
  EXPECT_EQ(error_of(m), "chat.json: /topology/latency_matrix_ms/0/0: expected a number in [0, 3600000], got 3600001");
  json total = minimal();
  total["clients"] = json::array({{{"name", "a"}, {"count", 600'000}, {"room", "lobby"}},
                                  {{"name", "b"}, {"count", 600'000}, {"room", "lobby"}}});
  EXPECT_EQ(error_of(total), "chat.json: /clients: expected at most 1000000 clients over all populations, got 1200000");
}

TEST(ScenarioLoader, ADuplicatedKeyIsAnErrorWithItsPath) {
  const std::string text = R"({"name": "t", "rooms": [{"kind": "chat", "id": "lobby",
      "config": {"history_max": 5, "history_max": 7}}],
      "clients": [{"name": "users", "count": 3, "room": "lobby"}]})";
  const LoadResult r = load_scenario_text(text, "dup.json", "dup.json", testing::test_catalog());
  EXPECT_EQ(r.errors, std::vector<std::string>{"dup.json: /rooms/0/config/history_max: duplicate key \"history_max\""});
  const LoadResult top = load_scenario_text(R"({"name": "a", "name": "b"})", "dup.json", "dup.json", testing::test_catalog());
  EXPECT_EQ(top.errors, std::vector<std::string>{"dup.json: /name: duplicate key \"name\""});
}

TEST(ScenarioLoader, NestingDeeperThanTheLimitIsRefusedBeforeAnyRecursion) {
  const std::string deep = std::string(70'000, '[') + std::string(70'000, ']');
  const LoadResult text = load_scenario_text(deep, "deep.json", "deep.json", testing::test_catalog());
  ASSERT_EQ(text.errors.size(), 1u);
  EXPECT_EQ(text.errors[0].rfind("deep.json: /0/0/0/", 0), 0u) << text.errors[0].substr(0, 200);
  EXPECT_NE(text.errors[0].find(": nested deeper than 64 levels of arrays and objects"), std::string::npos);
  // 64 levels are fine (the config's own checks then run); 65 are not.
  auto nested = [](int levels) {  // moves, never copies (a copy recurses)
    json v = 1;
    for (int i = 0; i < levels; ++i) {
      json outer = json::array();
      outer.push_back(std::move(v));
      v = std::move(outer);
    }
    return v;
  };
  // root object + rooms array + room object + config object + 60 arrays = 64
  json ok = minimal();
  ok["rooms"][0]["config"]["host"] = nested(60);
  EXPECT_TRUE(errors_of(ok).empty()) << ::testing::PrintToString(errors_of(ok));
  json too_deep = minimal();
  too_deep["rooms"][0]["config"]["host"] = nested(61);
  EXPECT_EQ(error_of(too_deep).rfind("chat.json: /rooms/0/config/host/0/", 0), 0u) << error_of(too_deep);
  // A value built in memory, as deep as the file above: refused, not recursed into.
  json in_memory = minimal();
  in_memory["rooms"][0]["config"]["host"] = nested(70'000);
  EXPECT_NE(error_of(in_memory).find(": nested deeper than 64 levels"), std::string::npos);
}

TEST(ScenarioLoader, MissingRequiredFields) {
  json j = minimal();
  j.erase("name");
  j["clients"][0].erase("count");
  j["rooms"][0].erase("kind");
  const auto errors = errors_of(j);
  ASSERT_EQ(errors.size(), 3u) << ::testing::PrintToString(errors);
  EXPECT_EQ(errors[0], "chat.json: /name: missing required field");
  EXPECT_EQ(errors[1], "chat.json: /rooms/0/kind: missing required field");
  EXPECT_EQ(errors[2], "chat.json: /clients/0/count: missing required field");
}

TEST(ScenarioLoader, EveryErrorIsCollected) {
  json j = minimal();
  j["seeds"] = "x";
  j["clients"][0]["count"] = -1;
  j["faults"] = json::array({{{"kind", "earthquake"}, {"start_ms", 0}}});
  j["phases"] = {{"liveness_ms", "long"}};
  EXPECT_EQ(errors_of(j).size(), 4u) << ::testing::PrintToString(errors_of(j));
}

TEST(ScenarioLoader, FaultKindSpecificRequirements) {
  struct Case {
    json fault;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{{"kind", "partition"}, {"start_ms", 0}, {"duration_ms", 100}},
       "chat.json: /faults/0/regions_a: expected regions_a and regions_b (or client, or region to isolate) for kind \"partition\""},
      {{{"kind", "partition"}, {"start_ms", 0}, {"client", "users-0"}},
       "chat.json: /faults/0/duration_ms: expected a positive integer (how long the fault lasts) for kind \"partition\""},
      {{{"kind", "latency-spike"}, {"start_ms", 0}, {"duration_ms", 100}, {"factor", 0.5}},
       "chat.json: /faults/0/factor: expected a number >= 1 for kind \"latency-spike\""},
      {{{"kind", "edge-restart"}, {"start_ms", 0}}, "chat.json: /faults/0/region: expected a region code for kind \"edge-restart\""},
      {{{"kind", "room-crash"}, {"start_ms", 0}}, "chat.json: /faults/0/room: expected a room id for kind \"room-crash\""},
      {{{"kind", "storage-fail"}, {"start_ms", 0}, {"duration_ms", 10}, {"room", "lobby"}, {"probability", 2}},
       "chat.json: /faults/0/probability: expected a probability in [0, 1], got 2"},
      {{{"kind", "storage-read-fail"}, {"start_ms", 0}, {"duration_ms", 10}},
       "chat.json: /faults/0/room: expected a room id for kind \"storage-read-fail\""},
      {{{"kind", "room-clock-skew"}, {"start_ms", 0}, {"duration_ms", 10}, {"room", "lobby"}, {"skew_ms", 600001}},
       "chat.json: /faults/0/skew_ms: expected an integer in [-600000, 600000] for kind \"room-clock-skew\""},
      {{{"kind", "clock-skew"}, {"start_ms", 0}, {"duration_ms", 10}},
       "chat.json: /faults/0/client: expected a client id (\"<population>-<index>\") for kind \"clock-skew\""},
      {{{"kind", "client-churn"}, {"start_ms", 0}, {"duration_ms", 10}, {"population", "users"}},
       "chat.json: /faults/0/rate_per_s: expected a positive number for kind \"client-churn\""},
      {{{"kind", "quake"}, {"start_ms", 0}},
       "chat.json: /faults/0/kind: expected one of \"partition\", \"latency-spike\", \"edge-outage\", \"edge-restart\", "
       "\"room-evict\", \"room-crash\", \"storage-slow\", \"storage-fail\", \"storage-read-fail\", \"clock-skew\", "
       "\"room-clock-skew\", \"client-churn\", got \"quake\""},
  };
  for (const Case& c : cases) {
    json j = minimal();
    j["faults"] = json::array({c.fault});
    EXPECT_EQ(error_of(j), c.message) << c.fault.dump();
  }
}

TEST(ScenarioLoader, DanglingReferences) {
  expect_each_error({
      {"/clients/0/room", "attic", "chat.json: /clients/0/room: expected a room id declared in /rooms, got \"attic\""},
      {"/rooms/0/kind", "poker",
       "chat.json: /rooms/0/kind: expected a room kind (one of \"broadcast\", \"chat\", \"dashboard\", \"persistent\", "
       "\"relay\", \"seed-broadcast\", \"seed-chat\", \"seed-dashboard\", \"seed-persistent\"), got \"poker\""},
      {"/faults", json::array({{{"kind", "room-evict"}, {"start_ms", 1}, {"room", "attic"}}}),
       "chat.json: /faults/0/room: expected a room id declared in /rooms, got \"attic\""},
      {"/faults", json::array({{{"kind", "edge-restart"}, {"start_ms", 1}, {"region", "XXX"}}}),
       "chat.json: /faults/0/region: expected a region code of topology \"small\", got \"XXX\""},
      {"/faults", json::array({{{"kind", "clock-skew"}, {"start_ms", 1}, {"duration_ms", 5}, {"client", "users-3"}}}),
       "chat.json: /faults/0/client: expected a client \"<population>-<index>\" of a declared population, got \"users-3\""},
      {"/faults", json::array({{{"kind", "partition"}, {"start_ms", 29000}, {"duration_ms", 5000}, {"client", "users-1"}}}),
       "chat.json: /faults/0/start_ms: expected the fault to heal by the end of the safety phase (30000 ms), but it ends "
       "at 34000 ms"},
      {"/properties", json::array({"fifo", "speed"}),
       "chat.json: /properties/1: expected a property name (one of \"fifo\", \"total_order\", \"no_duplicates\", "
       "\"no_phantoms\", \"durability\", \"recovery\", \"liveness\", \"connection_limits\", \"rate_limit\", "
       "\"authorization\", \"addressed_delivery\", \"admission\", \"history_bound\", \"dashboard_convergence\", "
       "\"presence_convergence\", \"latency_slo\"), got \"speed\""},
      {"/actions", json::array({{{"at_ms", 5}, {"client", "ghost-0"}, {"kind", "send"}}}),
       "chat.json: /actions/0/client: expected a client \"<population>-<index>\" of a declared population, got \"ghost-0\""},
  });
}

TEST(ScenarioLoader, DuplicatesAndOrdering) {
  json j = minimal();
  j["rooms"].push_back({{"kind", "chat"}, {"id", "lobby"}});
  EXPECT_EQ(error_of(j), "chat.json: /rooms/1/id: duplicate room id \"lobby\"");
  json k = minimal();
  k["actions"] = json::array({{{"at_ms", 50}, {"client", "users-0"}, {"kind", "send"}},
                              {{"at_ms", 10}, {"client", "users-1"}, {"kind", "send"}}});
  EXPECT_EQ(error_of(k),
            "chat.json: /actions/1/at_ms: expected actions in non-decreasing at_ms order (previous 50), got 10");
}

TEST(ScenarioLoader, HostileActionTextsUseFileNamesAndRoundTrip) {
  json j = minimal();
  j["actions"] = json::array({{{"at_ms", 5}, {"client", "users-0"}, {"kind", "hostile"}, {"text", "bad-token"}}});
  const LoadResult r = load_scenario_json(j, "t.json", "t.json", testing::test_catalog());
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(r.errors);
  EXPECT_EQ(r.scenario->config.actions[0].text, "bad_token");  // netsim's name
  EXPECT_EQ(scenario_to_json(*r.scenario)["actions"][0]["text"], "bad-token");
  j["actions"][0]["text"] = "rude";
  EXPECT_EQ(error_of(j).rfind("chat.json: /actions/0/text: expected one of \"bad-token\", ", 0), 0u);
}

TEST(ScenarioLoader, ASendActionMayBeABurst) {
  json j = minimal();
  j["actions"] = json::array({{{"at_ms", 5}, {"client", "users-0"}, {"kind", "send"}, {"count", 120}}});
  const LoadResult r = load_scenario_json(j, "t.json", "t.json", testing::test_catalog());
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(r.errors);
  EXPECT_EQ(r.scenario->config.actions[0].count, 120);
  EXPECT_EQ(scenario_to_json(*r.scenario)["actions"][0]["count"], 120);
  j["actions"][0].erase("count");
  const LoadResult one = load_scenario_json(j, "t.json", "t.json", testing::test_catalog());
  ASSERT_TRUE(one.ok());
  EXPECT_FALSE(scenario_to_json(*one.scenario)["actions"][0].contains("count"));  // 1 is the default
  j["actions"][0]["count"] = 0;
  EXPECT_EQ(error_of(j), "chat.json: /actions/0/count: expected an integer in [1, 10000], got 0");
  j["actions"][0]["count"] = 2;
  j["actions"][0]["kind"] = "close";
  EXPECT_EQ(error_of(j), "chat.json: /actions/0/count: only a send action has a count");
}

TEST(ScenarioLoader, NotJsonAndMissingFiles) {
  const LoadResult r = load_scenario_text("{ \"name\": ", "broken.json", "broken.json", testing::test_catalog());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].rfind("broken.json: not valid JSON: ", 0), 0u) << r.errors[0];
  const LoadResult m = load_scenario("/nonexistent/x.json", testing::test_catalog());
  ASSERT_EQ(m.errors.size(), 1u);
  EXPECT_EQ(m.errors[0].rfind("/nonexistent/x.json: no such file, and not a built-in scenario (built-in: ", 0), 0u);
  EXPECT_NE(m.errors[0].find("smoke"), std::string::npos);
}

TEST(ScenarioLoader, EveryBuiltinScenarioLoadsAndRoundTrips) {
  const std::vector<std::string> expected = {"chat-partition", "chat-restarts", "dashboard-global", "hostile-clients",
                                             "seed-rooms",     "smoke",         "swarm"};
  EXPECT_EQ(builtin_scenario_names(), expected);
  for (const auto& name : builtin_scenario_names()) {
    const LoadResult r = load_scenario(name, testing::test_catalog());
    ASSERT_TRUE(r.ok()) << name << ": " << ::testing::PrintToString(r.errors);
    EXPECT_EQ(r.scenario->name, name);
    EXPECT_EQ(r.scenario->source, name);
    const json written = scenario_to_json(*r.scenario);
    const LoadResult again = load_scenario_json(written, name, name, testing::test_catalog());
    ASSERT_TRUE(again.ok()) << name << ": " << ::testing::PrintToString(again.errors);
    EXPECT_EQ(scenario_to_json(*again.scenario), written) << name;
  }
  EXPECT_TRUE(load_scenario("seed-rooms", testing::test_catalog()).scenario->expect_failures);
}

TEST(ScenarioLoader, DefaultPropertiesAreThoseThatApplyToTheRoomKinds) {
  json j = minimal();
  Scenario chat = *load_scenario_json(j, "t.json", "t.json", testing::test_catalog()).scenario;
  const auto props = properties_to_check(chat);
  EXPECT_NE(std::find(props.begin(), props.end(), "presence_convergence"), props.end());
  EXPECT_EQ(std::find(props.begin(), props.end(), "dashboard_convergence"), props.end());
  EXPECT_EQ(std::find(props.begin(), props.end(), "latency_slo"), props.end());
  j["rooms"][0]["kind"] = "dashboard";
  j["phases"] = {{"latency_p99_bound_ms", 500}};
  Scenario dash = *load_scenario_json(j, "t.json", "t.json", testing::test_catalog()).scenario;
  const auto dprops = properties_to_check(dash);
  EXPECT_EQ(std::find(dprops.begin(), dprops.end(), "presence_convergence"), dprops.end());
  EXPECT_NE(std::find(dprops.begin(), dprops.end(), "dashboard_convergence"), dprops.end());
  EXPECT_NE(std::find(dprops.begin(), dprops.end(), "latency_slo"), dprops.end());
  j["properties"] = json::array({"fifo"});
  EXPECT_EQ(properties_to_check(*load_scenario_json(j, "t.json", "t.json", testing::test_catalog()).scenario),
            std::vector<std::string>{"fifo"});
}

}  // namespace
}  // namespace roomsim::scenarios
