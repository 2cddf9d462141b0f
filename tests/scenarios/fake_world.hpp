// tests/scenarios/fake_world.hpp: a stand-in simulator for runner tests. Its
// history is a pure function of the seed: two chat clients; on seeds where
// `fifo_broken(seed)` the receiver sees the sender's two messages out of
// order (a real fifo violation the real checker must catch). The trace hash
// is derived from the seed, so determinism can be compared.
#pragma once

#include <functional>

#include "engine/rng.hpp"
#include "engine/trace.hpp"
#include "scenarios/runner.hpp"

namespace roomsim::scenarios::testing {

inline netsim::SimulationResult fake_simulate(const netsim::SimulationConfig& config, uint64_t seed,
                                              const std::function<bool(uint64_t)>& fifo_broken) {
  netsim::SimulationResult r;
  properties::History& h = r.history;
  const auto room = h.intern("chat/lobby");
  const auto a = h.intern("users-0");
  const auto b = h.intern("users-1");
  auto ev = [&](int64_t t_ms, properties::EventKind kind, properties::NameId client, uint64_t conn) {
    properties::Event e;
    e.t_ns = t_ms * 1'000'000;
    e.kind = kind;
    e.client = client;
    e.room = room;
    e.conn = conn;
    return e;
  };
  using K = properties::EventKind;
  for (uint64_t m = 1; m <= 2; ++m) {
    auto s = ev(100 * static_cast<int64_t>(m), K::kSend, a, 1);
    s.msg = m;
    s.digest = m;
    h.add(s);
  }
  const bool broken = fifo_broken(seed);
  for (uint64_t k = 0; k < 2; ++k) {
    const uint64_t m = broken ? 2 - k : 1 + k;
    auto e = ev(300 + 10 * static_cast<int64_t>(k), K::kReceive, b, 2);
    e.sender = a;
    e.msg = m;
    e.digest = m;
    e.seq = static_cast<int64_t>(m);
    e.epoch = 1;
    h.add(e);
  }
  Rng rng(seed);
  r.trace_hash = hex16(rng.fork(config.name).next_u64());
  r.events_run = 4;
  r.simulated_ns = 20'000'000'000;
  r.stop_reason = "end of liveness phase";
  r.completed = true;
  r.coverage["fake.seeds"] = 1;
  return r;
}

inline SimulateFn fake_simulate_fn(std::function<bool(uint64_t)> fifo_broken) {
  return [fifo_broken](const netsim::SimulationConfig& c, uint64_t seed, const netsim::SimulationOutputs&) {
    return fake_simulate(c, seed, fifo_broken);
  };
}

}  // namespace roomsim::scenarios::testing
