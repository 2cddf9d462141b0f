// netsim/simulation.hpp: the public entry point of the simulated world.
//
// simulate() runs one scenario for one seed on a fresh engine Simulator:
// topology and latency, simulated WebSocket connections, one host per room id
// with Durable Object semantics (input gate, output gate, restarts, alarms,
// fetch), faults from the schedule and the per-seed rates, and the client
// agents. Every observation goes to SimulationResult::history (field meanings:
// properties/history.hpp) and, as a canonical line, to the engine Trace whose
// hash is the determinism fingerprint.
//
// Determinism: the result is a pure function of (binary, config, seed,
// registry). Single-threaded; independent calls may run on different threads.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "netsim/fault_pairs.hpp"
#include "netsim/frame_hops.hpp"
#include "netsim/simulation_config.hpp"
#include "netsim/topology.hpp"
#include "properties/history.hpp"
#include "rooms/api/registry.hpp"

namespace roomsim::netsim {

struct SimulationOutputs {
  std::ostream* trace_jsonl = nullptr;  // every trace line as JSONL, if set
  size_t keep_trace_lines = 0;          // canonical lines kept in SimulationResult::trace_lines_kept
  // false: observations reach only the trace hash, not SimulationResult::history
  // (for benchmarks whose history would not fit in memory).
  bool record_history = true;
  // true: SimulationResult::frame_hops logs when each frame passed the client's
  // edge and reached the other end (netsim/frame_hops.hpp), at most
  // frame_hops_max of them. Not part of the scenario format; changes no
  // trace line, event or history entry.
  bool record_frame_hops = false;
  size_t frame_hops_max = 1'000'000;
};

struct SimulationResult {
  properties::History history;
  std::string trace_hash;  // 16 hex digits
  uint64_t trace_lines = 0;
  uint64_t events_run = 0;
  int64_t simulated_ns = 0;
  // Why the run stopped: "end of liveness phase" for a complete run, else
  // the reason (the event budget, with the time reached; a room's exception).
  std::string stop_reason;
  bool budget_exhausted = false;
  // True only when the run reached the end of its liveness phase (the "end"
  // phase event is in the history). A run cut short proves nothing about
  // convergence: the runner fails such a seed ("simulation.incomplete").
  bool completed = false;
  // Non-empty: a room handler threw and the run stopped there at once, e.g.
  // "room chat/lobby: on_message threw: boom" (the runner's
  // "simulation.room_exception"). completed is then false.
  std::string room_exception;
  // Code-probe counters: "fault.partition", "storage.commit_failed", "conn.closed_1006", "agent.resume_gap", ...
  std::map<std::string, uint64_t> coverage;
  std::vector<std::string> trace_lines_kept;
  // Non-empty: the config was invalid (unknown region, unknown room kind, ...); nothing ran.
  std::vector<std::string> config_errors;
  uint64_t deliveries = 0;  // frames delivered to a client or a room
  // Frames carrying a room message (broadcast, direct, sub-room, replayed history) that reached
  // a client: what a user of a chat room counts as a delivery. Handshakes, acks, presence and
  // closes are not counted here (they are in `deliveries`).
  uint64_t message_deliveries = 0;
  // Where things were at the end: client id ("users-5") -> its edge region code,
  // room ("chat/lobby") -> its home region code (rooms never placed are absent).
  std::map<std::string, std::string> client_region;
  std::map<std::string, std::string> room_home;
  // Empty (recorded == false) unless SimulationOutputs::record_frame_hops.
  FrameHopLog frame_hops;
  // The pairs of fault kinds that occurred together (netsim/fault_pairs.hpp), ascending.
  std::vector<FaultKindPair> fault_pairs;
};

// Runs `config` with `seed` against rooms::builtin_registry().
SimulationResult simulate(const SimulationConfig& config, uint64_t seed, const SimulationOutputs& outputs = {});
// Same, with room kinds taken from `registry` (tests and benchmarks use their own rooms).
SimulationResult simulate(const SimulationConfig& config, uint64_t seed, const SimulationOutputs& outputs,
                          const rooms::RoomRegistry& registry);

// Checks a config without running it; returns the errors simulate() would report.
std::vector<std::string> validate(const SimulationConfig& config, const rooms::RoomRegistry& registry);

}  // namespace roomsim::netsim
