// engine/simulator.cpp: 4-ary heap of (time, sequence|slot) over a slab of callbacks.
#include "engine/simulator.hpp"

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
  ROOMSIM_ASSERT_MSG(slots_.size() < kSlotMask, "more than 16M pending events");
  slots_.emplace_back();
  slot_hints_.emplace_back();
  return static_cast<uint32_t>(slots_.size() - 1);
}

void Simulator::release_slot(uint32_t slot) {
  Slot& s = slots_[slot];
  s.fn = nullptr;
  s.key = 0;
  free_slots_.push_back(slot);  // its hints stay until the next schedule_at: only pending slots' hints are read
}

// A 4-ary min-heap: half the depth of a binary heap, and the four children
// of a node share one cache line (4 x 16 bytes; see kHeapPad). `h` points at
// logical entry 0.
void Simulator::push(HeapEntry e) {
  heap_.push_back(e);
  HeapEntry* const h = heap_.data() + kHeapPad;
  size_t i = heap_size() - 1;
  while (i > 0) {
    const size_t parent = (i - 1) / 4;
    if (!before(e, h[parent])) break;
    h[i] = h[parent];
    i = parent;
  }
  h[i] = e;
}

void Simulator::pop_top() {
  const HeapEntry last = heap_.back();
  heap_.pop_back();
  const size_t n = heap_size();
  if (n == 0) return;
  HeapEntry* const h = heap_.data() + kHeapPad;
  size_t i = 0;
  while (true) {
    const size_t first_child = 4 * i + 1;
    if (first_child >= n) break;
    // The next level's group is one of the four lines holding i's
    // grandchildren (16i+5 .. 16i+20, contiguous): load them while comparing.
    const size_t first_grandchild = 16 * i + 5;
    if (first_grandchild < n) {
      for (size_t g = 0; g < 16; g += 4) __builtin_prefetch(h + first_grandchild + g);
    }
    size_t best = first_child;
    const size_t end = first_child + 4 < n ? first_child + 4 : n;
    for (size_t c = first_child + 1; c < end; ++c) {
      if (before(h[c], h[best])) best = c;
    }
    if (!before(h[best], last)) break;
    h[i] = h[best];
    i = best;
  }
  h[i] = last;
}

EventId Simulator::schedule_at(Time at, Callback fn, const Prefetch& hints) {
  ROOMSIM_ASSERT_MSG(at >= now_, "event scheduled in the past");
  ROOMSIM_ASSERT(fn != nullptr);
  ROOMSIM_ASSERT(next_sequence_ <= kMaxSequence);
  const uint32_t slot = take_slot();
  const uint64_t key = (next_sequence_++ << kSlotBits) | slot;
  Slot& s = slots_[slot];
  s.fn = std::move(fn);
  s.key = key;
  slot_hints_[slot] = hints;
  push(HeapEntry{at.ns(), key});
  ++live_events_;
  return key + 1;
}

EventId Simulator::schedule_after(Duration delay, Callback fn, const Prefetch& hints) {
  ROOMSIM_ASSERT_MSG(delay >= Duration::zero(), "negative delay");
  return schedule_at(now_ + delay, std::move(fn), hints);
}

bool Simulator::cancel(EventId id) {
  if (id == 0) return false;
  const uint64_t key = id - 1;
  const uint64_t slot = key & kSlotMask;
  if (slot >= slots_.size()) return false;
  Slot& s = slots_[slot];
  if (s.key != key || s.fn == nullptr) return false;
  s.fn = nullptr;  // free captured state now; the slot is recycled when its heap entry surfaces
  ROOMSIM_ASSERT(live_events_ > 0);
  --live_events_;
  return true;
}

void Simulator::drop_cancelled_top() {
  while (heap_size() > 0) {
    const HeapEntry top = heap_top();
    const uint32_t slot = static_cast<uint32_t>(top.key & kSlotMask);
    if (slots_[slot].fn != nullptr) return;
    // Cancelled: the slot still records this key, so it is ours to free.
    ROOMSIM_ASSERT(slots_[slot].key == top.key);
    pop_top();
    release_slot(slot);
  }
}

Time Simulator::next_event_time() {
  drop_cancelled_top();
  return heap_size() == 0 ? Time::max() : Time::from_ns(heap_top().time_ns);
}

bool Simulator::step() {
  if (budget_exhausted()) return false;
  drop_cancelled_top();
  if (heap_size() == 0) return false;
  const HeapEntry e = heap_top();
  pop_top();
  ROOMSIM_ASSERT(e.time_ns >= now_.ns());
  now_ = Time::from_ns(e.time_ns);
  const auto slot = static_cast<uint32_t>(e.key & kSlotMask);
  Callback fn = std::move(slots_[slot].fn);
  release_slot(slot);
  // Prefetch the next event's hints (its slot was prefetched one step ago as
  // the runner-up) and the runner-up's slot (the root's smallest child). Kept
  // in step() itself: GCC deletes calls to a function that only prefetches.
  if (const size_t n = heap_size(); n > 0) {
    const HeapEntry* const h = heap_.data() + kHeapPad;
    const Prefetch& next = slot_hints_[h[0].key & kSlotMask];
    for (const void* p : {next.a, next.b, next.c, next.d}) {
      if (p != nullptr) __builtin_prefetch(p);
    }
    if (n > 1) {
      size_t runner_up = 1;
      for (size_t c = 2; c < 5 && c < n; ++c) {
        if (before(h[c], h[runner_up])) runner_up = c;
      }
      __builtin_prefetch(&slots_[h[runner_up].key & kSlotMask]);
      __builtin_prefetch(&slot_hints_[h[runner_up].key & kSlotMask]);
    }
  }
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
