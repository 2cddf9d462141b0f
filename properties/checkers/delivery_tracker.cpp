// properties/checkers/delivery_tracker.cpp: see delivery_tracker.hpp.
#include "properties/checkers/delivery_tracker.hpp"

#include <algorithm>

namespace roomsim::properties::internal {

void DeliveryTracker::expire_before(int64_t t_ns) {
  while (!deadlines_.empty() && deadlines_.top().t_ns < t_ns) {
    const Deadline d = deadlines_.top();
    deadlines_.pop();
    auto s = pending_.find(d.key);
    if (s == pending_.end() || s->second.index != d.send_index) continue;  // everyone got it
    const Pending p = std::move(s->second);
    pending_.erase(s);
    if (!p.acked) {  // the room may never have taken it: refused, or in flight when the socket closed
      auto err = last_error_at_.find(p.conn);
      if (err != last_error_at_.end() && err->second >= p.sent_ns) continue;
      auto sender_closed = closed_at_.find(p.conn);
      if (sender_closed != closed_at_.end() && sender_closed->second <= d.t_ns) continue;
    }
    // Every event processed so far is at or before the deadline: a fault that
    // began since the send began inside the window.
    if (excuse_faults_ && (p.fault_seen || last_fault_begin_ns_ >= p.sent_ns)) continue;
    for (uint64_t receiver : p.waiting) {
      auto closed = closed_at_.find(receiver);
      if (closed != closed_at_.end() && closed->second <= d.t_ns) continue;  // the receiver left in the window
      on_miss_(Miss{p.index, d.t_ns, receiver});
    }
  }
}

void DeliveryTracker::observe(const Event& e) {
  expire_before(e.t_ns);
  switch (e.kind) {
    case EventKind::kClose:
      closed_at_.try_emplace(e.conn, e.t_ns);
      break;
    case EventKind::kError:
      last_error_at_[e.conn] = e.t_ns;
      break;
    case EventKind::kAck: {
      auto s = pending_.find(MsgKey{e.room, e.client, e.msg});
      if (s != pending_.end()) s->second.acked = true;
      break;
    }
    case EventKind::kReceive: {
      auto w = pending_.find(receive_key(e));
      if (w == pending_.end()) break;
      auto& waiting = w->second.waiting;
      auto it = std::find(waiting.begin(), waiting.end(), e.conn);
      if (it == waiting.end()) break;
      waiting.erase(it);
      if (waiting.empty()) pending_.erase(w);
      break;
    }
    case EventKind::kFaultBegin:
      ++faults_active_;
      last_fault_begin_ns_ = e.t_ns;
      break;
    case EventKind::kFaultEnd:
      if (faults_active_ > 0) --faults_active_;
      break;
    default:
      break;
  }
}

bool DeliveryTracker::expect(const Event& send, size_t index, std::vector<uint64_t> receivers, int64_t deadline_ns) {
  if (receivers.empty()) return false;
  const MsgKey key = send_key(send);
  auto [it, fresh] = pending_.try_emplace(key);
  if (!fresh) return false;  // a resend of a message still being judged
  it->second = Pending{index, send.t_ns, send.conn, false, faults_active_ > 0, std::move(receivers)};
  deadlines_.push(Deadline{deadline_ns, index, key});
  return true;
}

}  // namespace roomsim::properties::internal
