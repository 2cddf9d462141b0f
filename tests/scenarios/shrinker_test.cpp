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

TEST(Shrinker, RefusesASeedThatPasses) {
  const LoadResult r = load_scenario_json(nlohmann::json::parse(R"({
    "name": "fake", "properties": ["fifo"],
    "rooms": [{"kind": "chat", "id": "lobby"}],
    "clients": [{"name": "users", "count": 2, "room": "lobby"}]
  })"), "fake.json", "fake.json", testing::test_catalog());
  ASSERT_TRUE(r.ok());
  const auto never = testing::fake_simulate_fn([](uint64_t) { return false; });
  const ShrinkResult s = shrink_scenario(*r.scenario, 4, ShrinkOptions{}, never);
  EXPECT_EQ(s.error, "seed 4 does not fail any property: nothing to shrink");
  const auto always = testing::fake_simulate_fn([](uint64_t) { return true; });
  const ShrinkResult t = shrink_scenario(*r.scenario, 4, ShrinkOptions{"fifo", 50}, always);
  EXPECT_TRUE(t.ok()) << t.error;
  EXPECT_EQ(t.property, "fifo");
  EXPECT_EQ(t.after.clients, 1u);  // the fake fails whatever the population
}

}  // namespace
}  // namespace roomsim::scenarios
