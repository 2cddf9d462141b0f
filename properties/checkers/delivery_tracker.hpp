// properties/checkers/delivery_tracker.hpp: messages that must reach given
// connections within a deadline (liveness, addressed_delivery).
//
// A checker calls expect() for a send with the receiver connections it owes
// and a deadline, and observe() for every event in history order. When time
// passes a deadline, each receiver still waiting is reported through the
// miss callback, unless the miss is excused:
//  - the room may never have taken the message: it was not acked while the
//    sender got an `error` frame after sending, or while the sender's
//    connection closed by the deadline (the frame may have been in flight
//    when the room closed the socket);
//  - the receiver's connection closed by the deadline;
//  - with `excuse_faults`, a fault (kFaultBegin .. kFaultEnd) was active at
//    some moment between the send and the deadline.
// A receive (live or replayed) of the message on a waiting connection, at or
// before the deadline, satisfies it. A message already being tracked is not
// tracked again (a resend of the same id).
//
// Deterministic: deadlines expire in (deadline, send index) order; receivers
// are reported in the order expect() listed them.
// Memory: the tracked messages and their waiting receivers, and the close
// time of each closed connection.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "properties/checkers/support.hpp"
#include "properties/history.hpp"

namespace roomsim::properties::internal {

class DeliveryTracker {
 public:
  struct Miss {
    size_t send_index;
    int64_t deadline_ns;
    uint64_t receiver;
  };
  using MissFn = std::function<void(const Miss&)>;

  DeliveryTracker(bool excuse_faults, MissFn on_miss) : excuse_faults_(excuse_faults), on_miss_(std::move(on_miss)) {}

  // Reports the misses of every deadline before e.t_ns, then takes in `e`.
  void observe(const Event& e);
  // Expires every deadline up to and including `t_ns` (the end of judging).
  void finish(int64_t t_ns) { expire_before(saturating_add(t_ns, 1)); }

  // `send` (event `index`) must reach each of `receivers` by `deadline_ns`.
  // Returns false (and tracks nothing) when the message is already tracked
  // or `receivers` is empty.
  bool expect(const Event& send, size_t index, std::vector<uint64_t> receivers, int64_t deadline_ns);
  // True while the send tracked at `index` still waits for a receiver (its deadline has not expired).
  bool waiting(const Event& send, size_t index) const {
    auto it = pending_.find(send_key(send));
    return it != pending_.end() && it->second.index == index;
  }

 private:
  struct Pending {
    size_t index;
    int64_t sent_ns;
    uint64_t conn;
    bool acked = false;
    bool fault_seen = false;  // a fault was active at some moment since the send
    std::vector<uint64_t> waiting;
  };
  struct Deadline {
    int64_t t_ns;
    size_t send_index;
    MsgKey key;
    bool operator>(const Deadline& o) const { return std::tie(t_ns, send_index) > std::tie(o.t_ns, o.send_index); }
  };
  void expire_before(int64_t t_ns);

  bool excuse_faults_;
  MissFn on_miss_;
  // Hash maps are only looked up, never iterated: their order cannot reach a verdict.
  std::unordered_map<MsgKey, Pending, MsgKeyHash> pending_;
  std::unordered_map<uint64_t, int64_t> closed_at_;
  std::unordered_map<uint64_t, int64_t> last_error_at_;
  std::priority_queue<Deadline, std::vector<Deadline>, std::greater<>> deadlines_;
  int64_t faults_active_ = 0;
  int64_t last_fault_begin_ns_ = std::numeric_limits<int64_t>::min();
};

}  // namespace roomsim::properties::internal
