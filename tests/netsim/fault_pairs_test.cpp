// tests/netsim/fault_pairs_test.cpp: when two faults count as together
// (netsim/fault_pairs.hpp), and storms (FaultRates::storms): several kinds
// at once, aimed at the same room, inside their window.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "netsim/fault_pairs.hpp"
#include "netsim/simulation.hpp"
#include "tests/netsim/helpers.hpp"

namespace roomsim::netsim {
namespace {

using testing::fault;

TEST(FaultPairs, OverlappingWindowsOfDifferentKindsAreTogether) {
  const auto pairs = fault_pairs_together({fault(FaultKind::kPartition, 0, 3'000), fault(FaultKind::kStorageFail, 2'999, 10),
                                           fault(FaultKind::kPartition, 100, 50)},
                                          30'000);
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0], FaultKindPair(FaultKind::kPartition, FaultKind::kStorageFail));
}

TEST(FaultPairs, WindowsThatOnlyTouchAreNotTogether) {
  EXPECT_TRUE(fault_pairs_together({fault(FaultKind::kPartition, 0, 3'000), fault(FaultKind::kLatencySpike, 3'000, 500)}, 30'000)
                  .empty());
}

TEST(FaultPairs, InstantAndShortFaultsCountForTheMinimumWindow) {
  // A crash (no duration) and a storage failure starting 999 ms later are together; 1000 ms later they are not.
  EXPECT_EQ(fault_pairs_together({fault(FaultKind::kRoomCrash, 5'000, 0), fault(FaultKind::kStorageFail, 5'999, 1)}, 30'000).size(),
            1u);
  EXPECT_TRUE(fault_pairs_together({fault(FaultKind::kRoomCrash, 5'000, 0), fault(FaultKind::kStorageFail, 6'000, 1)}, 30'000)
                  .empty());
  EXPECT_EQ(kTogetherMinMs, 1'000);
}

TEST(FaultPairs, FaultsAfterTheSafetyPhaseCountNowhereAndWindowsEndWithIt) {
  EXPECT_TRUE(fault_pairs_together({fault(FaultKind::kPartition, 0, 60'000), fault(FaultKind::kRoomEvict, 10'000, 0)}, 10'000)
                  .empty());
  // Cut at the safety end (9 000 + 500 = 9 500 < 9 800 is not the end here: 9 000 + 1 000 = 10 000 is).
  EXPECT_EQ(fault_pairs_together({fault(FaultKind::kPartition, 9'000, 5'000), fault(FaultKind::kRoomEvict, 9'800, 0)}, 10'000).size(),
            1u);
}

TEST(FaultPairs, EveryPairIsNamedOnceInAscendingOrder) {
  std::vector<FaultSpec> all;
  for (int k = 0; k <= static_cast<int>(FaultKind::kClientChurn); ++k) all.push_back(fault(static_cast<FaultKind>(k), 100 * k, 5'000));
  const auto pairs = fault_pairs_together(all, 30'000);
  EXPECT_EQ(pairs.size(), all.size() * (all.size() - 1) / 2);
  EXPECT_TRUE(std::is_sorted(pairs.begin(), pairs.end()));
  for (const auto& [a, b] : pairs) EXPECT_LT(a, b);
}

TEST(FaultPairs, PossibleKindsAreTheRatedOnesOrEveryListedOneWithStorms) {
  SimulationConfig c;
  c.fault_rates.per_minute = {{FaultKind::kPartition, 1}, {FaultKind::kRoomCrash, 0}};
  c.faults.push_back(fault(FaultKind::kClockSkew, 0, 10));
  EXPECT_EQ(possible_fault_kinds(c), (std::vector<FaultKind>{FaultKind::kPartition, FaultKind::kClockSkew}));
  c.fault_rates.storms.per_minute = 1;
  EXPECT_EQ(possible_fault_kinds(c),
            (std::vector<FaultKind>{FaultKind::kPartition, FaultKind::kRoomCrash, FaultKind::kClockSkew}));
}

// A world whose only faults come from storms: kinds listed at rate 0.
SimulationConfig storm_world() {
  SimulationConfig c;
  c.name = "storms";
  c.rooms.push_back(RoomInstanceConfig{"chat", "a", nlohmann::json::object(), HomePlacement::kFirstConnect, ""});
  c.rooms.push_back(RoomInstanceConfig{"chat", "b", nlohmann::json::object(), HomePlacement::kFirstConnect, ""});
  ClientPopulation p;
  p.name = "u";
  p.count = 4;
  p.room = "a";
  c.clients.push_back(p);
  for (FaultKind k : {FaultKind::kRoomCrash, FaultKind::kStorageFail, FaultKind::kStorageSlow, FaultKind::kRoomEvict,
                      FaultKind::kPartition}) {
    c.fault_rates.per_minute[k] = 0;
  }
  c.fault_rates.storms.per_minute = 20;
  c.fault_rates.storms.kinds_min = 3;
  c.fault_rates.storms.kinds_max = 3;
  c.fault_rates.storms.window_ms = 500;
  c.phases.safety_ms = 12'000;
  c.phases.liveness_ms = 3'000;
  return c;
}

TEST(Storms, EachStormStrikesWithSeveralKindsAtOnceOnOneRoom) {
  const SimulationConfig c = storm_world();
  SimulationOutputs out;
  out.keep_trace_lines = 100'000;
  const SimulationResult r = simulate(c, 11, out);
  ASSERT_TRUE(r.config_errors.empty()) << r.config_errors.front();
  ASSERT_GT(r.coverage.count("fault.storm"), 0u);
  const uint64_t storms = r.coverage.at("fault.storm");
  // Every fault begins inside some storm's window with two other kinds of the
  // same storm: collect begin times and room targets from the descriptions.
  std::vector<std::pair<int64_t, std::string>> begins;  // (t, description)
  for (const auto& e : r.history.events()) {
    if (e.kind == properties::EventKind::kFaultBegin) begins.emplace_back(e.t_ns, r.history.name(e.text));
  }
  const auto skipped = r.coverage.count("fault.skipped_after_safety_phase") ? r.coverage.at("fault.skipped_after_safety_phase") : 0;
  EXPECT_EQ(begins.size() + skipped, 3 * storms);
  // Each storm's faults begin within its 500 ms window, and its room faults
  // (all but partitions here) hit one room: group begins by window.
  size_t grouped = 0;
  for (size_t i = 0; i < begins.size();) {
    size_t j = i;
    std::set<std::string> rooms;
    while (j < begins.size() && begins[j].first < begins[i].first + 500'000'000) {
      const std::string& d = begins[j].second;
      if (auto at = d.find(" room="); at != std::string::npos) rooms.insert(d.substr(at + 6, d.find(' ', at + 1) - at - 6));
      ++j;
    }
    if (j - i == 3) {  // a storm alone in its window
      ++grouped;
      EXPECT_LE(rooms.size(), 1u) << begins[i].second;
    }
    i = j;
  }
  EXPECT_GT(grouped, 0u);
  EXPECT_FALSE(r.fault_pairs.empty());
}

TEST(Storms, SwarmModeSwitchesStormsPerSeed) {
  SimulationConfig c = storm_world();
  c.fault_rates.swarm = true;
  int with = 0;
  for (uint64_t seed = 1; seed <= 30; ++seed) with += simulate(c, seed).coverage.count("fault.storm") ? 1 : 0;
  EXPECT_GT(with, 5);
  EXPECT_LT(with, 25);
}

TEST(Storms, StormsLeaveTheOtherKindsDrawsAlone) {
  // Adding storms never moves the faults the kinds draw on their own.
  SimulationConfig plain = storm_world();
  plain.fault_rates.storms.per_minute = 0;
  plain.fault_rates.per_minute[FaultKind::kPartition] = 6;
  SimulationConfig stormy = plain;
  stormy.fault_rates.storms.per_minute = 20;
  auto partitions = [](const SimulationResult& r) {
    std::vector<std::string> out;
    for (const auto& e : r.history.events()) {
      const std::string& d = r.history.name(e.text);
      if (e.kind == properties::EventKind::kFaultBegin && d.rfind("partition#", 0) == 0 && d.find(" room=") == std::string::npos) {
        out.push_back(d.substr(d.find(' ')));
      }
    }
    return out;
  };
  const auto a = partitions(simulate(plain, 4));
  const auto b = partitions(simulate(stormy, 4));
  ASSERT_FALSE(a.empty());
  for (const std::string& d : a) EXPECT_NE(std::find(b.begin(), b.end(), d), b.end()) << d;
}

}  // namespace
}  // namespace roomsim::netsim
