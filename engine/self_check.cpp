// engine/self_check.cpp: see self_check.hpp.
#include "engine/self_check.hpp"

#include <string>
#include <vector>

#include "engine/assert.hpp"
#include "engine/rng.hpp"
#include "engine/simulator.hpp"
#include "engine/trace.hpp"

namespace roomsim {

SelfCheckResult run_engine_self_check(uint64_t seed, int workers, int duration_s) {
  ROOMSIM_ASSERT(workers > 0);
  SeedScope seed_scope(seed);
  Simulator sim;
  Trace trace;
  Rng root(seed);
  std::vector<Rng> streams;
  streams.reserve(static_cast<size_t>(workers));
  for (int w = 0; w < workers; ++w) streams.push_back(root.fork("worker", static_cast<uint64_t>(w)));
  std::vector<EventId> timeouts(static_cast<size_t>(workers), 0);

  std::function<void(int)> tick = [&](int w) {
    Rng& rng = streams[static_cast<size_t>(w)];
    trace.record(sim.now(), "tick", "worker=" + std::to_string(w));
    // Each tick arms a timeout and, half of the time, cancels the previous one.
    if (timeouts[static_cast<size_t>(w)] != 0 && rng.bernoulli(0.5)) {
      if (sim.cancel(timeouts[static_cast<size_t>(w)])) {
        trace.record(sim.now(), "cancel", "worker=" + std::to_string(w));
      }
    }
    timeouts[static_cast<size_t>(w)] = sim.schedule_after(milliseconds(rng.uniform_int(50, 500)), [&, w] {
      trace.record(sim.now(), "timeout", "worker=" + std::to_string(w));
    });
    const auto think_us = static_cast<int64_t>(rng.exponential(20'000.0));
    sim.schedule_after(microseconds(think_us), [&tick, w] { tick(w); });
  };
  for (int w = 0; w < workers; ++w) sim.schedule_at(Time::zero(), [&tick, w] { tick(w); });
  sim.run_until(Time::zero() + seconds(duration_s));

  SelfCheckResult result;
  result.seed = seed;
  result.events_run = sim.events_run();
  result.trace_lines = trace.size();
  result.trace_hash = trace.hash_hex();
  result.final_time_ns = sim.now().ns();
  return result;
}

}  // namespace roomsim
