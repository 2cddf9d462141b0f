// tests/netsim/network_property_test.cpp: RapidCheck over random jitter and
// partition schedules. Partitions shorter than the heartbeat timeout never close
// a connection, so the network must be lossless and FIFO: every message reaches
// every member exactly once, and each connection sees strictly increasing seqs.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "tests/netsim/helpers.hpp"

namespace roomsim::netsim::testing {
namespace {

using properties::EventKind;

RC_GTEST_PROP(NetworkProperty, ShortPartitionsAndJitterNeverLoseOrReorder, ()) {
  SimulationConfig c = basic_config(4, 4);
  c.clients[0].region_weights = {{"IAD", 1}, {"FRA", 1}, {"SIN", 1}, {"GRU", 1}};
  c.phases.safety_ms = 6'000;
  c.phases.liveness_ms = 6'000;
  const int jitter = *rc::gen::inRange(0, 3);
  if (jitter == 0) c.topology.jitter = Distribution{};
  if (jitter == 1) c.topology.jitter = Distribution{Distribution::Kind::kUniform, 0, 200};
  if (jitter == 2) c.topology.jitter = Distribution{Distribution::Kind::kPareto, 2, 3};
  const std::vector<std::string> regions = {"IAD", "FRA", "SIN", "GRU", "SFO", "NRT"};
  const int partitions = *rc::gen::inRange(0, 4);
  for (int i = 0; i < partitions; ++i) {
    FaultSpec f;
    f.kind = FaultKind::kPartition;
    f.start_ms = *rc::gen::inRange<int64_t>(0, 5'000);
    f.duration_ms = *rc::gen::inRange<int64_t>(1, 4'000);
    f.one_way = *rc::gen::arbitrary<bool>();
    const size_t split = *rc::gen::inRange<size_t>(1, regions.size());
    f.regions_a.assign(regions.begin(), regions.begin() + static_cast<long>(split));
    f.regions_b.assign(regions.begin() + static_cast<long>(split), regions.end());
    c.faults.push_back(f);
  }
  const uint64_t seed = *rc::gen::inRange<uint64_t>(1, 1'000'000);
  SimulationResult r = run(c, seed);
  RC_ASSERT(r.config_errors.empty());
  RC_ASSERT(count_of(r, EventKind::kClose) == 0u);
  const size_t sends = count_of(r, EventKind::kSend);
  RC_ASSERT(count_of(r, EventKind::kAck) == sends);
  // Messages sent once all four clients were connected reach all four.
  int64_t all_connected_ns = 0;
  for (const auto& e : events_of(r, EventKind::kConnectResult)) all_connected_ns = std::max(all_connected_ns, e.t_ns);
  std::map<uint64_t, int64_t> last;
  std::map<uint64_t, std::set<properties::NameId>> receivers;
  for (const auto& e : events_of(r, EventKind::kReceive)) {
    RC_ASSERT(e.value == 0);  // nobody reconnected, so nothing was replayed
    auto [it, fresh] = last.emplace(e.conn, e.seq);
    if (!fresh) {
      RC_ASSERT(e.seq > it->second);
      it->second = e.seq;
    }
    RC_ASSERT(receivers[e.msg].insert(e.client).second);  // no duplicates
  }
  size_t late = 0;
  for (const auto& e : events_of(r, EventKind::kSend)) {
    if (e.t_ns <= all_connected_ns) continue;
    RC_ASSERT(receivers[e.msg].size() == 4u);
    ++late;
  }
  RC_ASSERT(late > 0u);
}

}  // namespace
}  // namespace roomsim::netsim::testing
