// tests/scenarios/shrinker_test.cpp: ddmin finds 1-minimal failing subsets
// within its budget, netsim fault descriptions parse back into FaultSpecs,
// and the shrinker refuses seeds that do not fail.
#include <gtest/gtest.h>

#include <set>

#include "scenarios/shrinker.hpp"
#include "scenarios/scenario_loader.hpp"
#include "tests/scenarios/fake_world.hpp"
#include "tests/scenarios/test_catalog.hpp"

namespace roomsim::scenarios {
namespace {

TEST(Ddmin, FindsTheMinimalPairAmongMany) {
  // Fails iff both 3 and 17 are present.
  size_t budget = 1000;
  size_t calls = 0;
  const auto kept = ddmin(40, [&](const std::vector<size_t>& s) {
    ++calls;
    const std::set<size_t> set(s.begin(), s.end());
    return set.count(3) != 0 && set.count(17) != 0;
  }, budget);
  EXPECT_EQ(kept, (std::vector<size_t>{3, 17}));
  EXPECT_EQ(budget, 1000 - calls);
}

TEST(Ddmin, EmptyWhenNothingIsNeededAndBudgetIsRespected) {
  size_t budget = 100;
  EXPECT_TRUE(ddmin(10, [](const std::vector<size_t>&) { return true; }, budget).empty());
  size_t tiny = 3;
  const auto kept = ddmin(64, [](const std::vector<size_t>& s) {
    return std::find(s.begin(), s.end(), 63) != s.end();
  }, tiny);
  EXPECT_EQ(tiny, 0u);
  EXPECT_FALSE(kept.empty());
  EXPECT_NE(std::find(kept.begin(), kept.end(), 63), kept.end());  // still failing
}

TEST(FaultDescription, ParsesNetsimDescriptions) {
  auto f = parse_fault_description("partition#3 a=IAD,SFO b=FRA one_way ms=100+2000");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->kind, netsim::FaultKind::kPartition);
  EXPECT_EQ(f->regions_a, (std::vector<std::string>{"IAD", "SFO"}));
  EXPECT_EQ(f->regions_b, (std::vector<std::string>{"FRA"}));
  EXPECT_TRUE(f->one_way);
  EXPECT_EQ(f->start_ms, 100);
  EXPECT_EQ(f->duration_ms, 2000);
  auto g = parse_fault_description("storage_fail#0 room=lobby p=0.250000 ms=5+7");
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->kind, netsim::FaultKind::kStorageFail);
  EXPECT_DOUBLE_EQ(g->probability, 0.25);
  auto h = parse_fault_description("clock_skew#2 client=users-1 skew_ms=-400 ms=0+10");
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->skew_ms, -400);
  for (const char* bad : {"", "partition", "earthquake#1 ms=1+2", "partition#1 a=X", "partition#1 ms=x+2",
                          "partition#1 colour=red ms=1+2"}) {
    EXPECT_FALSE(parse_fault_description(bad).has_value()) << bad;
  }
}

// A chat scenario of `count` clients for the fake world.
Scenario fake_scenario(int count) {
  const LoadResult r = load_scenario_json(nlohmann::json::parse(R"({
    "name": "fake", "properties": ["fifo"],
    "rooms": [{"kind": "chat", "id": "lobby"}],
    "clients": [{"name": "users", "count": )" + std::to_string(count) + R"(, "room": "lobby"}]
  })"), "fake.json", "fake.json", testing::test_catalog());
  EXPECT_TRUE(r.ok());
  return *r.scenario;
}

TEST(Shrinker, RefusesASeedThatPasses) {
  const Scenario fake = fake_scenario(2);
  const auto never = testing::fake_simulate_fn([](uint64_t) { return false; });
  const ShrinkResult s = shrink_scenario(fake, 4, ShrinkOptions{}, never);
  EXPECT_EQ(s.error, "seed 4 does not fail any property: nothing to shrink");
  const auto always = testing::fake_simulate_fn([](uint64_t) { return true; });
  const ShrinkResult t = shrink_scenario(fake, 4, ShrinkOptions{"fifo", 50}, always);
  EXPECT_TRUE(t.ok()) << t.error;
  EXPECT_EQ(t.property, "fifo");
  EXPECT_EQ(t.after.clients, 1u);  // the fake fails whatever the population
}

// A real room through the real simulator: two regions 600 ms apart and a
// liveness bound of 300 ms, so every broadcast across the ocean in the
// liveness phase is late. The shrinker must keep that violation (rule and
// event kind), make the chatters' actions explicit and cut them to a few.
TEST(Shrinker, KeepsTheSameViolationAndReducesActionsToAFew) {
  const LoadResult r = load_scenario_json(nlohmann::json::parse(R"({
    "name": "far", "properties": ["liveness"],
    "topology": {"regions": [{"code": "AAA", "lat": 0, "lon": 0}, {"code": "BBB", "lat": 0, "lon": 90}],
                 "latency_matrix_ms": [[1, 600], [600, 1]], "jitter": {"kind": "none"}},
    "rooms": [{"kind": "broadcast", "id": "lobby"}],
    "clients": [{"name": "east", "count": 5, "room": "lobby", "send_rate_per_s": 3, "region_weights": {"AAA": 1}},
                {"name": "west", "count": 5, "room": "lobby", "send_rate_per_s": 3, "region_weights": {"BBB": 1}}],
    "phases": {"safety_ms": 3000, "liveness_ms": 6000, "convergence_bound_ms": 300}
  })"), "far.json", "far.json");
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(r.errors);
  const SeedResult first = run_seed(*r.scenario, 1, default_simulate());
  ASSERT_FALSE(first.passed);
  const std::string rule = first.verdicts.front().rule;
  EXPECT_EQ(rule, "liveness.not_delivered_in_bound");
  ShrinkOptions o;
  o.property = "liveness";
  const ShrinkResult s = shrink_scenario(*r.scenario, 1, o, default_simulate());
  ASSERT_TRUE(s.ok()) << s.error;
  EXPECT_EQ(s.rule, rule);
  EXPECT_EQ(s.event_kind, "send");
  EXPECT_GT(s.before.clients, s.after.clients);
  EXPECT_LE(s.after.actions, 10u) << ::testing::PrintToString(s.notes);
  EXPECT_FALSE(s.budget_exhausted) << ::testing::PrintToString(s.notes);
  // The shrunk scenario replays the same violation.
  const SeedResult replay = run_seed(s.minimal, 1, default_simulate());
  ASSERT_EQ(replay.verdicts.size(), 1u);
  EXPECT_FALSE(replay.verdicts[0].passed);
  EXPECT_EQ(replay.verdicts[0].rule, rule);
}

// When the budget runs out the shrinker keeps what still fails the same way
// and says that the result may not be minimal.
TEST(Shrinker, ReportsWhenItsBudgetRunsOut) {
  const auto always = testing::fake_simulate_fn([](uint64_t) { return true; });
  const ShrinkResult t = shrink_scenario(fake_scenario(8), 4, ShrinkOptions{"fifo", 2}, always);
  ASSERT_TRUE(t.ok()) << t.error;
  EXPECT_TRUE(t.budget_exhausted);
  EXPECT_EQ(t.rule, "fifo.reordered");
  EXPECT_EQ(t.event_kind, "receive");
  bool noted = false;
  for (const auto& n : t.notes) noted = noted || n.find("ran out") != std::string::npos;
  EXPECT_TRUE(noted) << ::testing::PrintToString(t.notes);
}

}  // namespace
}  // namespace roomsim::scenarios
