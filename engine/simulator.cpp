// engine/simulator.cpp: binary heap of (time, sequence) over a slab of callbacks.
#include "engine/simulator.hpp"

#include <algorithm>
#include <utility>

#include "engine/assert.hpp"

namespace roomsim {

const char* to_string(StopReason reason) {
  switch (reason) {
    case StopReason::kIdle: return "idle (no pending events)";
    case StopReason::kTimeReached: return "time limit reached";
    case StopReason::kBudgetExhausted: return "event budget exhausted (runaway simulation?)";
    case StopReason::kStopped: return "stopped";
  }
  return "unknown";
}

Simulator::Simulator(uint64_t event_budget) : event_budget_(event_budget) {
  ROOMSIM_ASSERT(event_budget > 0);
}

uint32_t Simulator::take_slot() {
  if (!free_slots_.empty()) {
    const uint32_t slot = free_slots_.back();
    free_slots_.pop_back();
    return slot;
  }
  ROOMSIM_ASSERT(slots_.size() < UINT32_MAX);
  slots_.emplace_back();
  return static_cast<uint32_t>(slots_.size() - 1);
}

void Simulator::release_slot(uint32_t slot) {
  Slot& s = slots_[slot];
  s.fn = nullptr;
  s.armed = false;
  ++s.generation;
  free_slots_.push_back(slot);
}

void Simulator::push(HeapEntry e) {
  heap_.push_back(e);
  std::push_heap(heap_.begin(), heap_.end(), later);
}

Simulator::HeapEntry Simulator::pop() {
  std::pop_heap(heap_.begin(), heap_.end(), later);
  const HeapEntry e = heap_.back();
  heap_.pop_back();
  return e;
}

EventId Simulator::schedule_at(Time at, Callback fn) {
  ROOMSIM_ASSERT_MSG(at >= now_, "event scheduled in the past");
  ROOMSIM_ASSERT(fn != nullptr);
  const uint32_t slot = take_slot();
  Slot& s = slots_[slot];
  s.fn = std::move(fn);
  s.armed = true;
  push(HeapEntry{at.ns(), next_sequence_++, slot, s.generation});
  ++live_events_;
  // Id layout: generation in the high 32 bits, slot + 1 in the low 32 bits, so 0 is never an id.
  return (static_cast<uint64_t>(s.generation) << 32) | (static_cast<uint64_t>(slot) + 1);
}

EventId Simulator::schedule_after(Duration delay, Callback fn) {
  ROOMSIM_ASSERT_MSG(delay >= Duration::zero(), "negative delay");
  return schedule_at(now_ + delay, std::move(fn));
}

bool Simulator::cancel(EventId id) {
  const uint64_t low = id & 0xffffffffULL;
  if (low == 0) return false;
  const uint32_t slot = static_cast<uint32_t>(low - 1);
  const uint32_t generation = static_cast<uint32_t>(id >> 32);
  if (slot >= slots_.size()) return false;
  Slot& s = slots_[slot];
  if (!s.armed || s.generation != generation) return false;
  s.armed = false;
  s.fn = nullptr;  // free captured state now; the slot is recycled when its heap entry surfaces
  ROOMSIM_ASSERT(live_events_ > 0);
  --live_events_;
  return true;
}

void Simulator::drop_cancelled_top() {
  while (!heap_.empty()) {
    const HeapEntry& top = heap_.front();
    const Slot& s = slots_[top.slot];
    if (s.armed && s.generation == top.generation) return;
    const uint32_t slot = top.slot;
    const bool stale_generation = s.generation != top.generation;
    pop();
    if (!stale_generation) release_slot(slot);
  }
}

Time Simulator::next_event_time() {
  drop_cancelled_top();
  return heap_.empty() ? Time::max() : Time::from_ns(heap_.front().time_ns);
}

bool Simulator::step() {
  if (budget_exhausted()) return false;
  drop_cancelled_top();
  if (heap_.empty()) return false;
  const HeapEntry e = pop();
  ROOMSIM_ASSERT(e.time_ns >= now_.ns());
  now_ = Time::from_ns(e.time_ns);
  Callback fn = std::move(slots_[e.slot].fn);
  release_slot(e.slot);
  --live_events_;
  ++events_run_;
  fn();
  return true;
}

StopReason Simulator::run_until(Time limit) {
  ROOMSIM_ASSERT(limit >= now_);
  stop_requested_ = false;
  while (true) {
    if (budget_exhausted()) return StopReason::kBudgetExhausted;
    if (next_event_time() > limit) break;
    step();
    if (stop_requested_) return StopReason::kStopped;
  }
  now_ = limit;
  return StopReason::kTimeReached;
}

StopReason Simulator::run() {
  stop_requested_ = false;
  while (true) {
    if (budget_exhausted()) return StopReason::kBudgetExhausted;
    if (!step()) return StopReason::kIdle;
    if (stop_requested_) return StopReason::kStopped;
  }
}

}  // namespace roomsim
