// tests/scenarios/seed_flaws_test.cpp: the seed-faithful rooms are caught.
// For each flaw the seed rooms keep (rooms/kinds/seed_room.hpp, docs/rooms.md)
// a small scenario, the property that must catch it, and the number of seeds
// within which the runner must find it; then shrinking the first failing seed
// must keep that property failing, and the shrunk scenario (written and
// loaded back) must fail it on replay.
#include <gtest/gtest.h>

#include "properties/checker.hpp"
#include "scenarios/runner.hpp"
#include "scenarios/scenario_loader.hpp"
#include "scenarios/scenario_writer.hpp"
#include "scenarios/shrinker.hpp"

namespace roomsim::scenarios {
namespace {

struct Flaw {
  const char* name;
  const char* property;
  uint64_t seeds_max;  // the runner finds it within this many seeds
  const char* scenario;
};

const Flaw kFlaws[] = {
    {"seed-chat rate limit counts with a stale read-modify-write and `count > limit`", "rate_limit", 5, R"({
      "name": "flaw-rate", "rooms": [{"kind": "seed-chat", "id": "lobby"}],
      "clients": [{"name": "users", "count": 1, "room": "lobby"},
                  {"name": "flooder", "count": 1, "room": "lobby", "behaviour": "hostile", "hostile": ["flood"]}],
      "phases": {"safety_ms": 2000, "liveness_ms": 1000, "convergence_bound_ms": 1000}})"},
    {"seed-broadcast has no seq and no resume: a reconnecting client silently misses messages", "recovery", 10, R"({
      "name": "flaw-resume", "rooms": [{"kind": "seed-broadcast", "id": "news"}],
      "clients": [{"name": "users", "count": 4, "room": "news", "send_rate_per_s": 2}],
      "faults": [{"kind": "room-evict", "start_ms": 2000, "room": "news"}],
      "phases": {"safety_ms": 4000, "liveness_ms": 5000, "convergence_bound_ms": 4000}})"},
    {"seed-persistent loads its state in an alarm after restart: presence is announced empty", "presence_convergence", 5,
     R"({
      "name": "flaw-load", "rooms": [{"kind": "seed-persistent", "id": "log"}],
      "clients": [{"name": "users", "count": 4, "room": "log", "send_rate_per_s": 3}],
      "faults": [{"kind": "room-evict", "start_ms": 2000, "room": "log"}],
      "phases": {"safety_ms": 4000, "liveness_ms": 5000, "convergence_bound_ms": 4000}})"},
    {"seed-chat ignores join_room membership: sub-room broadcasts reach non-members", "addressed_delivery", 5, R"({
      "name": "flaw-subroom", "rooms": [{"kind": "seed-chat", "id": "lobby"}],
      "clients": [{"name": "users", "count": 2, "room": "lobby", "send_rate_per_s": 1},
                  {"name": "team", "count": 2, "room": "lobby", "send_rate_per_s": 2, "sub_room": "team"}],
      "phases": {"safety_ms": 3000, "liveness_ms": 2000, "convergence_bound_ms": 1000}})"},
    {"seed-dashboard sends no snapshot: a subscriber joining after the last change sees nothing", "dashboard_convergence",
     10, R"({
      "name": "flaw-snapshot",
      "rooms": [{"kind": "seed-dashboard", "id": "ops", "config": {"refresh_interval_ms": 1000}}],
      "clients": [{"name": "watch", "count": 4, "room": "ops", "behaviour": "dashboard", "keys": ["*"],
                   "connect_at_ms_max": 12000}],
      "services": {"feed_period_ms": 5000},
      "phases": {"safety_ms": 8000, "liveness_ms": 8000, "convergence_bound_ms": 4000}})"},
};

class SeedFlaws : public ::testing::TestWithParam<Flaw> {};

TEST_P(SeedFlaws, RunnerFindsTheFlawAndShrinkingKeepsItFailing) {
  const Flaw& flaw = GetParam();
  const LoadResult loaded = load_scenario_text(flaw.scenario, std::string(flaw.name), "flaw.json");
  ASSERT_TRUE(loaded.ok()) << ::testing::PrintToString(loaded.errors);
  Scenario s = *loaded.scenario;
  s.properties = {flaw.property};
  RunOptions o;
  o.seeds = flaw.seeds_max;
  o.jobs = 2;
  const SweepResult sweep = run_sweep(s, o, default_simulate());
  ASSERT_TRUE(sweep.config_errors.empty()) << sweep.config_errors.front();
  ASSERT_FALSE(sweep.summary.failures.empty()) << flaw.name << ": not found in " << flaw.seeds_max << " seeds";
  const Failure& first = sweep.summary.failures.front();
  EXPECT_EQ(first.property, flaw.property);

  ShrinkOptions so;
  so.property = flaw.property;
  so.max_runs = 40;
  const ShrinkResult shrunk = shrink_scenario(s, first.seed, so, default_simulate());
  ASSERT_TRUE(shrunk.ok()) << shrunk.error;
  EXPECT_LE(shrunk.after.clients, shrunk.before.clients);
  EXPECT_LE(shrunk.after.history_events, shrunk.before.history_events);
  // Written and loaded back, the minimal scenario still fails the property.
  const LoadResult again = load_scenario_json(scenario_to_json(shrunk.minimal), "shrunk.json", "shrunk.json");
  ASSERT_TRUE(again.ok()) << ::testing::PrintToString(again.errors);
  const SeedResult replay = run_seed(*again.scenario, first.seed, default_simulate());
  ASSERT_EQ(replay.verdicts.size(), 1u);
  EXPECT_FALSE(replay.verdicts[0].passed) << flaw.name;
}

INSTANTIATE_TEST_SUITE_P(EachFlaw, SeedFlaws, ::testing::ValuesIn(kFlaws),
                         [](const ::testing::TestParamInfo<Flaw>& info) {
                           std::string n = info.param.property;
                           return n;
                         });

}  // namespace
}  // namespace roomsim::scenarios
