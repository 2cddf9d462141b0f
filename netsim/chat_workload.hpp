// netsim/chat_workload.hpp: the chat load of bench/netsim_bench as a config
// builder, so the benchmark and the golden trace test (tests/scenarios/
// golden_trace_test.cpp) run the same shape of world.
//
// `rooms` rooms of one kind on the built-in mid topology with exponential
// jitter (mean 2 ms), `clients` chatters spread evenly (the last rooms get
// fewer when it does not divide), each sending `send_rate_per_s` 64-byte
// messages and connecting within `connect_at_ms_max`. The safety phase is the
// first 4/5 of `total_ms`; in it a fault begins every `fault_every_ms` (from
// that time on) and lasts `fault_duration_ms`, in turn: a partition between
// regions, a room crash, a room eviction, an edge restart. Pure function of
// its arguments.
#pragma once

#include <cstdint>
#include <string>

#include "netsim/simulation_config.hpp"

namespace roomsim::netsim {

struct ChatWorkload {
  std::string name = "chat-workload";
  std::string kind = "chat";
  int rooms = 100;
  int clients = 10'000;
  double send_rate_per_s = 0.1;
  int64_t connect_at_ms_max = 10'000;
  int64_t total_ms = 600'000;
  int64_t fault_every_ms = 30'000;
  int64_t fault_duration_ms = 5'000;
};

SimulationConfig chat_workload_config(const ChatWorkload& w);

}  // namespace roomsim::netsim
