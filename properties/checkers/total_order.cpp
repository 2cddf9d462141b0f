// properties/checkers/total_order.cpp: one common order per room.
//
// With seqs (corrected rooms):
//  1. one message per position: the first kAck or kReceive (live or
//     replayed) that reports (room, epoch, seq) fixes which message holds it
//     (PositionLedger); a later ack or receive that puts another message
//     there fails ("two_messages_one_seq"): two receivers would otherwise
//     order different messages the same.
//  2. on each receiving connection, live receives of room messages (not
//     "direct") in one (room, epoch) have strictly increasing seq
//     ("seq_not_increasing").
// Without seqs (seed rooms): the orders in which connections first see
// each room message (live or replayed, "direct" excluded) must all be
// consistent with one total order. Each connection's order contributes edges
// between consecutive messages; a topological order exists iff receivers
// agree. The checker builds one reference order (topological, ties and
// cycles broken by first appearance) and flags every receive that comes
// after a message the reference places later; with no cycle nothing is
// flagged, with a cycle at least one receive of it is.
//
// ("order_cycle").
//
// Judged against: the order the room itself reported (seqs) checked for
// consistency across every client; the identity of a message comes from what
// its sender sent (sender and message id), never from the room.
//
// Memory: seq mode keeps one entry per open connection and one per observed
// position; no-seq mode keeps the order graph (one node per message, one
// edge per first receive).
#include <queue>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "properties/checkers/checkers.hpp"
#include "properties/checkers/position_ledger.hpp"
#include "properties/checkers/support.hpp"

namespace roomsim::properties::internal {

namespace {

struct SeqState {
  int64_t epoch = -1;
  int64_t seq = -1;
  size_t index = 0;
};

struct FirstSeen {
  uint64_t conn;
  uint32_t node;
  size_t index;
};

// Nodes are numbered in order of first appearance; returns each node's
// position in a topological order of `edges`, breaking ties and cycles by the
// smallest node number.
std::vector<uint32_t> reference_order(uint32_t nodes, const std::vector<std::pair<uint32_t, uint32_t>>& edges) {
  std::vector<uint32_t> indegree(nodes, 0);
  std::vector<uint32_t> start(nodes + 1, 0);
  for (const auto& [from, to] : edges) {
    ++start[from + 1];
    ++indegree[to];
  }
  for (uint32_t n = 0; n < nodes; ++n) start[n + 1] += start[n];
  std::vector<uint32_t> adj(edges.size());
  std::vector<uint32_t> fill(start.begin(), start.end() - 1);
  for (const auto& [from, to] : edges) adj[fill[from]++] = to;

  std::vector<uint32_t> pos(nodes, 0);
  std::vector<bool> done(nodes, false);
  std::priority_queue<uint32_t, std::vector<uint32_t>, std::greater<>> ready;
  for (uint32_t n = 0; n < nodes; ++n) {
    if (indegree[n] == 0) ready.push(n);
  }
  uint32_t next_pos = 0;
  uint32_t scan = 0;  // smallest node that may not be done yet, to break cycles
  while (next_pos < nodes) {
    uint32_t n;
    if (!ready.empty()) {
      n = ready.top();
      ready.pop();
      if (done[n]) continue;
    } else {
      while (done[scan]) ++scan;
      n = scan;  // on a cycle: force the earliest remaining node
    }
    done[n] = true;
    pos[n] = next_pos++;
    for (uint32_t k = start[n]; k < start[n + 1]; ++k) {
      const uint32_t m = adj[k];
      if (indegree[m] > 0 && --indegree[m] == 0 && !done[m]) ready.push(m);
    }
  }
  return pos;
}

}  // namespace

Verdict check_total_order(const History& h) {
  VerdictBuilder out("total_order");
  const KnownNames names(h);
  const ConfigView config(h);
  RoomScope scope(h, config, out);
  const auto& events = h.events();
  PositionLedger ledger;

  std::unordered_map<uint64_t, SeqState> seq_state;  // open connections
  std::unordered_map<MsgKey, uint32_t, MsgKeyHash> node_of;
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  std::vector<FirstSeen> first_seen;
  std::unordered_map<uint64_t, std::pair<std::unordered_set<uint32_t>, int64_t>> conn_seen;  // nodes, last node

  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (e.kind == EventKind::kClose) {
      seq_state.erase(e.conn);
      continue;
    }
    if (e.kind != EventKind::kReceive && e.kind != EventKind::kAck) continue;
    if (!scope.judges(e.room)) continue;
    if (e.seq >= 0) {
      out.judged();
      if (auto held = ledger.claim(e, i)) {
        const PositionClaim was = *held;
        out.fail(i, e.t_ns, "two_messages_one_seq", [&] {
          const bool ack = e.kind == EventKind::kAck;
          return "room " + name_or_none(h, e.room) + " epoch " + std::to_string(e.epoch) + " seq " +
                 std::to_string(e.seq) + " holds " + PositionLedger::describe(h, was) + " (event " +
                 std::to_string(was.index) + ") but client " + name_or_none(h, e.client) +
                 (ack ? " was acked for " : " received ") +
                 PositionLedger::describe(h, PositionLedger::identity_of(e, i)) + " there at " + at_time(e.t_ns);
        });
      }
    }
    if (e.kind != EventKind::kReceive || names.is_direct(e)) continue;
    if (e.seq >= 0) {
      if (!is_live(e)) continue;
      SeqState& s = seq_state[e.conn];
      if (s.epoch == e.epoch && e.seq <= s.seq) {
        const SeqState prev = s;
        out.fail(i, e.t_ns, "seq_not_increasing", [&] {
          return "client " + name_or_none(h, e.client) + " received seq " + std::to_string(e.seq) + " after seq " +
                 std::to_string(prev.seq) + " (event " + std::to_string(prev.index) + ") in room " +
                 name_or_none(h, e.room) + " epoch " + std::to_string(e.epoch) + " at " + at_time(e.t_ns);
        });
        continue;
      }
      s = SeqState{e.epoch, e.seq, i};
      continue;
    }
    auto [it, fresh] = node_of.emplace(receive_key(e), static_cast<uint32_t>(node_of.size()));
    const uint32_t node = it->second;
    auto& [seen, last_node] = conn_seen.try_emplace(e.conn, std::unordered_set<uint32_t>{}, -1).first->second;
    if (!seen.insert(node).second) continue;  // repeats are no_duplicates' concern
    if (last_node >= 0) edges.emplace_back(static_cast<uint32_t>(last_node), node);
    last_node = node;
    first_seen.push_back(FirstSeen{e.conn, node, i});
  }
  conn_seen.clear();

  if (!first_seen.empty()) {
    const std::vector<uint32_t> pos = reference_order(static_cast<uint32_t>(node_of.size()), edges);
    std::unordered_map<uint64_t, std::pair<uint32_t, size_t>> max_pos;  // conn -> (position, event)
    out.judged(first_seen.size());
    for (const FirstSeen& f : first_seen) {
      auto [it, fresh] = max_pos.try_emplace(f.conn, pos[f.node], f.index);
      if (fresh) continue;
      if (pos[f.node] > it->second.first) {
        it->second = {pos[f.node], f.index};
        continue;
      }
      const Event& e = events[f.index];
      const Event& later = events[it->second.second];
      out.fail(f.index, e.t_ns, "order_cycle", [&] {
        return "client " + name_or_none(h, e.client) + " received " + message_label(e) + " from " +
               name_or_none(h, e.sender) + " after " + message_label(later) + " from " +
               name_or_none(h, later.sender) + " in room " + name_or_none(h, e.room) + " at " + at_time(e.t_ns) +
               ", an order other receivers contradict";
      });
    }
  }
  out.if_vacuous("no receive or ack recorded: nothing to order");
  return out.finish();
}

}  // namespace roomsim::properties::internal
