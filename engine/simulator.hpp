// engine/simulator.hpp: the deterministic discrete-event loop.
//
// Guarantees:
// - Events run in order of (time, insertion sequence): two events at the same
//   time run in the order they were scheduled. Nothing else (addresses,
//   hashing, the standard library) influences the order.
// - `now()` never goes backwards. Scheduling an event before `now()` is a
//   programming error and aborts (ROOMSIM_ASSERT).
// - `cancel` is O(1): the slot is emptied and the heap entry skipped when it
//   surfaces (lazy deletion). A cancelled event never runs.
// - Every run stops after `event_budget` events with StopReason::kBudgetExhausted,
//   so a runaway simulation ends with a reason instead of hanging.
// - Prefetch hints (addresses an event's callback will read first) are only
//   hints: the loop prefetches them one event ahead, which changes no order,
//   time or result. A stale address is harmless (a prefetch never faults).
// Not thread-safe: one Simulator belongs to one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <new>
#include <string>
#include <vector>

#include "engine/time.hpp"

namespace roomsim {

// Identifies a scheduled event for `cancel`. 0 is never a valid id.
using EventId = uint64_t;

enum class StopReason {
  kIdle,             // no event left
  kTimeReached,      // run_until/run_for reached its limit time
  kBudgetExhausted,  // the event budget was used up
  kStopped,          // stop() was called from inside an event
};
const char* to_string(StopReason reason);

// Up to four addresses an event's callback reads first (nullptr = none).
// While an event runs, the loop prefetches the next event's hints, so a
// callback whose state is a cache miss finds it loaded (a large world's
// deliveries touch scattered per-connection state).
struct EventPrefetch {
  const void* a = nullptr;
  const void* b = nullptr;
  const void* c = nullptr;
  const void* d = nullptr;
};

class Simulator {
 public:
  using Callback = std::function<void()>;
  static constexpr uint64_t kDefaultEventBudget = 1'000'000'000;
  using Prefetch = EventPrefetch;

  explicit Simulator(uint64_t event_budget = kDefaultEventBudget);

  Time now() const { return now_; }

  // REQUIRES: at >= now(). Returns an id for cancel().
  EventId schedule_at(Time at, Callback fn, const Prefetch& hints = {});
  // REQUIRES: delay >= 0.
  EventId schedule_after(Duration delay, Callback fn, const Prefetch& hints = {});
  // Returns true if the event was pending and is now cancelled; false if it
  // already ran, was already cancelled, or the id is unknown.
  bool cancel(EventId id);

  // Runs the next pending event, if any (budget permitting). Returns false
  // when nothing ran.
  bool step();
  // Runs every event with time <= limit, then sets now() to limit.
  StopReason run_until(Time limit);
  StopReason run_for(Duration span) { return run_until(now_ + span); }
  // Runs until no event is left.
  StopReason run();
  // Called from inside an event: the current run_* returns kStopped after it.
  void stop() { stop_requested_ = true; }

  uint64_t events_run() const { return events_run_; }
  uint64_t event_budget() const { return event_budget_; }
  bool budget_exhausted() const { return events_run_ >= event_budget_; }
  // Pending events, cancelled ones excluded.
  size_t pending() const { return live_events_; }
  // Time of the next pending (not cancelled) event, or Time::max().
  Time next_event_time();

 private:
  // 16-byte heap entry: `key` = insertion sequence (high 40 bits) | slot
  // (low 24 bits). Ordering by (time_ns, key) is ordering by (time,
  // sequence) because sequences are unique. The key doubles as the EventId
  // (plus one, so 0 is never an id).
  struct HeapEntry {
    int64_t time_ns;
    uint64_t key;
  };
  struct Slot {
    Callback fn;
    uint64_t key = 0;  // key of the pending event owning this slot; 0 when free or cancelled
  };
  static constexpr int kSlotBits = 24;
  static constexpr uint64_t kSlotMask = (uint64_t{1} << kSlotBits) - 1;
  static constexpr uint64_t kMaxSequence = (uint64_t{1} << (64 - kSlotBits)) - 2;

  static bool before(const HeapEntry& a, const HeapEntry& b) {
    return a.time_ns < b.time_ns || (a.time_ns == b.time_ns && a.key < b.key);
  }
  void push(HeapEntry e);
  void pop_top();
  void drop_cancelled_top();
  uint32_t take_slot();
  void release_slot(uint32_t slot);

  Time now_ = Time::zero();
  uint64_t next_sequence_ = 0;
  uint64_t events_run_ = 0;
  uint64_t event_budget_;
  size_t live_events_ = 0;
  bool stop_requested_ = false;
  // 64-byte aligned storage, so a node's four children (4 x 16 bytes) fill
  // exactly one cache line: the heap starts after kHeapPad unused entries.
  template <class T>
  struct LineAligned {
    using value_type = T;
    LineAligned() = default;
    template <class U>
    LineAligned(const LineAligned<U>&) {}
    T* allocate(size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{64})); }
    void deallocate(T* p, size_t) { ::operator delete(p, std::align_val_t{64}); }
    template <class U>
    bool operator==(const LineAligned<U>&) const { return true; }
  };
  static constexpr size_t kHeapPad = 3;  // logical entry i lives at heap_[i + 3]: children 4i+1.. start a line
  size_t heap_size() const { return heap_.size() - kHeapPad; }
  const HeapEntry& heap_top() const { return heap_[kHeapPad]; }
  std::vector<HeapEntry, LineAligned<HeapEntry>> heap_ = std::vector<HeapEntry, LineAligned<HeapEntry>>(kHeapPad);
  std::vector<Slot> slots_;
  std::vector<Prefetch> slot_hints_;  // by slot, beside slots_ (two per cache line)
  std::vector<uint32_t> free_slots_;
};

}  // namespace roomsim
