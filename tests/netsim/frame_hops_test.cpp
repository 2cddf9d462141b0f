// tests/netsim/frame_hops_test.cpp: the optional frame-hop log. Turning it on
// changes nothing a run observes (same trace, hash, history, events); its
// hops match the history's sends and receives by the documented keys; its
// times are ordered along the path; partitions show as re-timed hops; and it
// keeps its bound.
#include <gtest/gtest.h>

#include <sstream>

#include "tests/netsim/helpers.hpp"

namespace roomsim::netsim::testing {
namespace {

using properties::EventKind;

// Chatters at IAD, FRA and SIN, a room at IAD, partitions between the sites,
// a room crash and edge restarts: frames stall, re-time and get dropped.
SimulationConfig faulty_sites() {
  SimulationConfig c = basic_config(6, 3);
  c.rooms[0].placement = HomePlacement::kLocationHint;
  c.rooms[0].location_hint = "IAD";
  c.clients[0].region_weights = {{"IAD", 1}, {"FRA", 1}, {"SIN", 1}};
  c.topology.jitter = Distribution{Distribution::Kind::kLognormal, 1.0, 1.0};
  c.limits.heartbeat_timeout_ms = 2'000;
  FaultSpec p;
  p.kind = FaultKind::kPartition;
  p.start_ms = 1'000;
  p.duration_ms = 800;  // shorter than the heartbeat timeout: frames queue and flow on heal
  p.regions_a = {"IAD"};
  p.regions_b = {"FRA", "SIN"};
  c.faults.push_back(p);
  FaultSpec crash;
  crash.kind = FaultKind::kRoomCrash;
  crash.start_ms = 2'500;
  crash.room = "lobby";
  c.faults.push_back(crash);
  FaultSpec long_cut = p;
  long_cut.start_ms = 3'000;
  long_cut.duration_ms = 3'000;  // longer: connections close 1006 with frames in flight
  c.faults.push_back(long_cut);
  for (FaultKind k : {FaultKind::kEdgeRestart, FaultKind::kStorageSlow, FaultKind::kClientChurn}) {
    c.fault_rates.per_minute[k] = 12;
  }
  return c;
}

SimulationResult run_with_hops(const SimulationConfig& c, uint64_t seed, std::ostream* jsonl = nullptr,
                               size_t hops_max = 1'000'000) {
  SimulationOutputs out;
  out.trace_jsonl = jsonl;
  out.record_frame_hops = true;
  out.frame_hops_max = hops_max;
  return simulate(c, seed, out, test_registry());
}

TEST(FrameHops, OffByDefault) {
  const SimulationResult r = run(basic_config(2));
  EXPECT_FALSE(r.frame_hops.recorded);
  EXPECT_TRUE(r.frame_hops.hops.empty());
}

TEST(FrameHops, RecordingChangesNothingTheRunObserves) {
  const SimulationConfig c = faulty_sites();
  for (uint64_t seed : {3u, 4u}) {
    std::ostringstream jsonl_off, jsonl_on;
    SimulationOutputs off;
    off.trace_jsonl = &jsonl_off;
    const SimulationResult a = simulate(c, seed, off, test_registry());
    const SimulationResult b = run_with_hops(c, seed, &jsonl_on);
    ASSERT_TRUE(a.config_errors.empty());
    EXPECT_FALSE(a.frame_hops.recorded);
    EXPECT_TRUE(b.frame_hops.recorded);
    EXPECT_GT(b.frame_hops.hops.size(), 100u);
    EXPECT_EQ(a.trace_hash, b.trace_hash) << "seed " << seed;
    EXPECT_EQ(jsonl_off.str(), jsonl_on.str());
    EXPECT_EQ(a.events_run, b.events_run);
    EXPECT_EQ(a.deliveries, b.deliveries);
    EXPECT_EQ(a.coverage, b.coverage);
    ASSERT_EQ(a.history.size(), b.history.size());
    for (size_t i = 0; i < a.history.size(); ++i) {
      const auto& x = a.history.events()[i];
      const auto& y = b.history.events()[i];
      ASSERT_EQ(x.t_ns, y.t_ns) << i;
      ASSERT_EQ(x.kind, y.kind) << i;
      ASSERT_EQ(x.conn, y.conn) << i;
      ASSERT_EQ(x.msg, y.msg) << i;
    }
  }
}

TEST(FrameHops, SameSeedSameLog) {
  const SimulationResult a = run_with_hops(faulty_sites(), 4);
  const SimulationResult b = run_with_hops(faulty_sites(), 4);
  EXPECT_EQ(a.frame_hops.region_codes, b.frame_hops.region_codes);
  ASSERT_EQ(a.frame_hops.hops.size(), b.frame_hops.hops.size());
  EXPECT_TRUE(a.frame_hops.hops == b.frame_hops.hops);
  const SimulationResult other = run_with_hops(faulty_sites(), 5);
  EXPECT_FALSE(a.frame_hops.hops == other.frame_hops.hops);
}

TEST(FrameHops, MatchTheHistoryAndFollowThePath) {
  const SimulationResult r = run_with_hops(faulty_sites(), 3);
  const auto& events = r.history.events();
  const auto& hops = r.frame_hops.hops;
  ASSERT_EQ(r.frame_hops.frames_not_recorded, 0u);
  std::map<std::pair<uint64_t, uint64_t>, size_t> up_text;  // (conn, events_before_send) -> hops
  std::vector<int> receive_covered(events.size(), 0);
  size_t delivered = 0, retimed = 0, lost = 0;
  std::map<std::pair<uint64_t, bool>, uint32_t> next_ordinal;
  for (const FrameHop& h : hops) {
    EXPECT_EQ(h.ordinal, (next_ordinal[{h.conn, h.up}]++)) << "ordinals count a direction's frames in send order";
    if (h.up && h.kind == FrameHopKind::kText) ++up_text[{h.conn, h.events_before_send}];
    if (h.arrived_ns < 0) {
      ++lost;
      EXPECT_EQ(h.edge_ns, -1);
      continue;
    }
    ++delivered;
    if (h.retimed_ns >= 0) ++retimed;
    const int64_t from_ns = h.retimed_ns >= 0 ? h.retimed_ns : h.sent_ns;
    EXPECT_LE(h.sent_ns, from_ns);
    EXPECT_LE(from_ns, h.edge_ns);
    EXPECT_LE(h.edge_ns, h.arrived_ns);
    EXPECT_EQ(r.frame_hops.region(h.home), "IAD");
    for (uint64_t i = h.first_event; i < h.first_event + static_cast<uint64_t>(h.event_count); ++i) {
      ASSERT_LT(i, events.size());
      EXPECT_EQ(events[i].t_ns, h.arrived_ns);
      if (events[i].kind == EventKind::kReceive) {
        EXPECT_FALSE(h.up);
        EXPECT_EQ(events[i].conn, h.conn);
        ++receive_covered[i];
      }
    }
  }
  EXPECT_GT(delivered, 100u);
  EXPECT_GT(retimed, 0u) << "the short partition re-times queued frames";
  EXPECT_GT(lost, 0u) << "the long partition drops connections with frames in flight";
  size_t sends = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    if (events[i].kind == EventKind::kSend) {
      ++sends;
      EXPECT_EQ((up_text[{events[i].conn, i + 1}]), 1u) << "send #" << i << " has exactly one up text hop";
    }
    if (events[i].kind == EventKind::kReceive) {
      EXPECT_EQ(receive_covered[i], 1) << "receive #" << i;
    }
  }
  EXPECT_GT(sends, 20u);
}

TEST(FrameHops, EdgeRegionsAreTheClientsRegions) {
  const SimulationResult r = run_with_hops(two_sites(2, 2), 5);
  std::map<uint64_t, std::string> conn_client;
  for (const auto& e : r.history.events()) {
    if (e.kind == EventKind::kConnect) conn_client[e.conn] = r.history.name(e.client);
  }
  size_t checked = 0;
  for (const FrameHop& h : r.frame_hops.hops) {
    const std::string& client = conn_client.at(h.conn);
    EXPECT_EQ(r.frame_hops.region(h.edge), r.client_region.at(client));
    EXPECT_EQ(r.frame_hops.region(h.edge), client[0] == 'a' ? "IAD" : "SIN");
    EXPECT_EQ(r.frame_hops.region(h.home), "IAD");
    ++checked;
  }
  EXPECT_GT(checked, 50u);
}

TEST(FrameHops, KeepsItsBoundAndCountsTheRest) {
  const SimulationResult all = run_with_hops(basic_config(3), 2);
  const SimulationResult some = run_with_hops(basic_config(3), 2, nullptr, 10);
  ASSERT_GT(all.frame_hops.hops.size(), 10u);
  EXPECT_EQ(some.frame_hops.hops.size(), 10u);
  EXPECT_EQ(some.frame_hops.frames_not_recorded, all.frame_hops.hops.size() - 10);
  EXPECT_EQ(some.frame_hops.full_at_ns, all.frame_hops.hops[10].sent_ns);
  EXPECT_EQ(some.trace_hash, all.trace_hash);
  for (size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(some.frame_hops.hops[i].arrived_ns, all.frame_hops.hops[i].arrived_ns) << i;
  }
}

}  // namespace
}  // namespace roomsim::netsim::testing
