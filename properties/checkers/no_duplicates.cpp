// properties/checkers/no_duplicates.cpp: no connection receives the same room
// message live twice. Replayed receives (value=1: history on join, resume
// replay) may repeat what the connection already has and are not counted.
//
// Identity: with seqs, a room message on a connection is its (epoch, seq)
// (the room numbers its messages); without seqs it is (room, sender, client
// message id). The receive that repeats an earlier live one is the violation.
//
// Judged against: the message's identity from its sender (seed rooms) or
// the room's own numbering (each position delivered live at most once).
//
// Memory: per open connection one bit per seq of its room (with seqs; a seq far
// beyond the others costs one set node instead) or one key per received
// message (without seqs, seed rooms).
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "properties/checkers/checkers.hpp"
#include "properties/checkers/support.hpp"

namespace roomsim::properties::internal {

namespace {
// The live seqs one connection has seen in one epoch: a bitmap over the dense
// prefix that rooms produce (seqs count up from 1), and a set for any seq far
// beyond it, so a history that names seq 2^63-1 costs one set node, not a
// bitmap of that size.
class SeqsSeen {
 public:
  // Marks `seq` (>= 0) seen; returns whether it already was.
  bool mark(int64_t seq) {
    const auto s = static_cast<uint64_t>(seq);
    if (s < bits_.size() + kDenseGrowthMax) {
      if (s >= bits_.size()) bits_.resize(static_cast<size_t>(std::max<uint64_t>(s + 1, bits_.size() * 2)), false);
      const bool before = bits_[static_cast<size_t>(s)];
      bits_[static_cast<size_t>(s)] = true;
      return before;
    }
    return !sparse_.insert(seq).second;
  }

 private:
  static constexpr uint64_t kDenseGrowthMax = 1u << 16;  // the bitmap grows by at most this much past its end
  std::vector<bool> bits_;
  std::set<int64_t> sparse_;
};

struct ConnSeen {
  std::map<int64_t, SeqsSeen> seqs;  // epoch -> seqs seen live
  std::unordered_set<MsgKey, MsgKeyHash> keys;  // messages without seq
};
}  // namespace

Verdict check_no_duplicates(const History& h) {
  VerdictBuilder out("no_duplicates");
  const ConfigView config(h);
  RoomScope scope(h, config, out);
  std::unordered_map<uint64_t, ConnSeen> conns;
  const auto& events = h.events();
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (e.kind == EventKind::kClose) {
      conns.erase(e.conn);
      continue;
    }
    if (e.kind != EventKind::kReceive || !is_live(e) || !scope.judges(e.room)) continue;
    out.judged();
    ConnSeen& seen = conns[e.conn];
    const bool repeated =
        e.seq >= 0 ? seen.seqs[e.epoch].mark(e.seq) : !seen.keys.insert(receive_key(e)).second;
    if (!repeated) continue;
    out.fail(i, e.t_ns, "live_twice", [&] {
      return "client " + name_or_none(h, e.client) + " received " + message_label(e) + " from " +
             name_or_none(h, e.sender) + " live twice on connection " + std::to_string(e.conn) + " in room " +
             name_or_none(h, e.room) + " at " + at_time(e.t_ns);
    });
  }
  out.if_vacuous("no live receives recorded");
  return out.finish();
}

}  // namespace roomsim::properties::internal
