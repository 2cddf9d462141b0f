// netsim/frame_hops.hpp: the optional frame-hop log of a run: when each frame
// passed the client's edge region and reached the other end, in simulated time.
//
// Off by default (SimulationOutputs::record_frame_hops): sweeps pay one null
// pointer test per frame. Reports turn it on when they re-simulate a failing
// seed, to draw edge lanes in the message sequence diagram
// (reports/graphviz_sequence.hpp). The log only reads the network's state: a
// run with it on has the same trace, history, events and trace hash as a run
// with it off (tests/netsim/frame_hops_test.cpp).
//
// Hop times are the network model's own numbers (netsim/network.cpp): a path
// is client -(last mile)- edge -(backbone: base latency x spikes + jitter)-
// home, and a frame is delivered at max(send + path, the previous frame's
// delivery) of its connection direction. So:
//   up (client -> room):   edge_ns = the time the frame left the client + last mile;
//                          arrived_ns = delivery to the room (any FIFO wait is on the backbone).
//   down (room -> client): edge_ns = arrived_ns - last mile (the last mile is the last leg;
//                          any FIFO wait is on the backbone).
// A partition stalls a direction; on heal the network re-times its queued
// frames from the heal time (the whole path again). Such a frame has
// retimed_ns = that heal time, and an up frame's edge time counts from it.
//
// Matching hops to history events (valid when the history is recorded,
// SimulationOutputs::record_history):
// - events_before_send is the history's size when the frame was queued. A
//   client records the observation of what it sends (kSend, kResume,
//   kSubscribe, kJoinRoom, ...) immediately before queuing the frame, so the
//   kSend at history index i (with conn c) has exactly one up text hop with
//   conn == c and events_before_send == i + 1.
// - [first_event, first_event + event_count) are the history events recorded
//   while the receiver handled the frame on arrival: for a down "message"
//   frame, its receiver's kReceive; for a history/resume frame, one kReceive
//   per replayed message; for an up frame, whatever the room host recorded.
// - ordinal counts the frames of one connection direction in send order
//   (0 = first), a key that needs no history.
//
// Only frames the network carries have hops: a connect refused by a down edge
// (503 after the last mile, netsim/client_agents.cpp) has none.
//
// Bounded: at most SimulationOutputs::frame_hops_max hops; later frames are
// counted in frames_not_recorded (and full_at_ns says when), never dropped silently.
// Deterministic: hops are in the order the frames were queued; the same
// (binary, config, seed) gives the same log.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace roomsim::netsim {

enum class FrameHopKind : uint8_t { kText, kUpgrade, kUpgradeResponse, kClose };

// "text", "upgrade", "upgrade_response", "close".
const char* to_string(FrameHopKind kind);

struct FrameHop {
  uint64_t conn = 0;      // connection number, as in the history's Event::conn
  uint32_t ordinal = 0;   // position in its connection direction, 0 = first queued
  bool up = true;         // true: client -> room; false: room -> client
  FrameHopKind kind = FrameHopKind::kText;
  uint16_t edge = 0;      // the client's edge region (index into FrameHopLog::region_codes)
  uint16_t home = 0;      // the room's home region for this connection (same index space)
  int32_t event_count = 0;
  int64_t sent_ns = 0;       // queued by its sender (a room's frame: when its output gate released it)
  int64_t edge_ns = -1;      // passed the client's edge region; -1 if never delivered
  int64_t arrived_ns = -1;   // delivered to the other end; -1 if its connection dropped first
  int64_t retimed_ns = -1;   // held by a partition and re-timed at this heal time; -1 if not
  uint64_t events_before_send = 0;
  uint64_t first_event = 0;

  bool operator==(const FrameHop&) const = default;
};

struct FrameHopLog {
  bool recorded = false;                  // the run was asked to record hops
  std::vector<std::string> region_codes;  // region index -> code ("FRA")
  std::vector<FrameHop> hops;             // in the order frames were queued
  uint64_t frames_not_recorded = 0;       // frames queued after `hops` reached its bound
  int64_t full_at_ns = -1;                // when the first of them was queued; -1 if none

  const std::string& region(uint16_t index) const { return region_codes.at(index); }
};

}  // namespace roomsim::netsim
