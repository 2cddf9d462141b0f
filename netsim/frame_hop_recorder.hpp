// netsim/frame_hop_recorder.hpp: fills SimulationResult::frame_hops from
// hooks in network.cpp (internal; see netsim/frame_hops.hpp for the meaning
// of every field). Present in a World only when SimulationOutputs asks for it.
//
// It mirrors each connection direction's FIFO with the indices of the hops in
// flight: queued() appends, arriving() takes the head, dropped() forgets what
// a dropped connection still had in flight. It reads the connection, the
// frame and the history size, and changes nothing else: no RNG draw, no
// event, no trace line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "netsim/frame_hops.hpp"

namespace roomsim::netsim {
class Topology;
}

namespace roomsim::netsim::internal {

struct Connection;
struct Frame;

class FrameHopRecorder {
 public:
  static constexpr uint32_t kNotRecorded = UINT32_MAX;

  // `log` must outlive the recorder; at most `hops_max` hops are kept.
  FrameHopRecorder(FrameHopLog& log, size_t hops_max, const Topology& topology);

  // `f` was just queued on a direction of `c` (connection number `conn_id`) at
  // f.sent_ns; the history then held `history_size` events.
  void queued(uint64_t conn_id, bool up, const Connection& c, const Frame& f, uint64_t history_size);
  // The head frame `f` of that direction is delivered now, before its
  // receiver handles it. Returns a handle for handled().
  uint32_t arriving(uint64_t conn_id, bool up, const Connection& c, const Frame& f, int64_t now_ns,
                    uint64_t history_size);
  // The receiver finished handling the frame; the history now holds `history_size` events.
  void handled(uint32_t handle, uint64_t history_size);
  // The connection dropped both its queues.
  void dropped(uint64_t conn_id);

 private:
  struct InFlight {
    std::vector<uint32_t> hops;  // hop indices (or kNotRecorded) in FIFO order
    size_t head = 0;
    uint32_t queued = 0;         // frames ever queued: the next ordinal
  };
  InFlight& direction(uint64_t conn_id, bool up);

  FrameHopLog& log_;
  size_t hops_max_;
  std::vector<InFlight> directions_;  // (conn_id - 1) * 2 + up
};

}  // namespace roomsim::netsim::internal
