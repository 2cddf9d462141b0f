// netsim/network.cpp: simulated WebSocket connections.
//
// Path: client -(last mile)- edge region -(base latency x spikes + jitter)- home
// region. Each direction is a FIFO: a frame's delivery time is
// max(now + path latency, the previous frame's delivery time), and a single
// event per direction delivers its head, so nothing overtakes. A partition
// stalls a direction's head; on heal the queued frames are re-timed from the
// heal time, still in order. A full queue closes the connection 1008. A head
// frame that would arrive more than heartbeat_timeout_ms after it was sent (or
// after its partition healed) closes the connection 1006 at both ends at that
// deadline, as ping/pong heartbeats would. A client frame reaching a server end
// that is gone (crash, reset, eviction, edge restart) is answered by a 1006
// close after the path latency, as a TCP RST answers a send to a dead peer.
#include <algorithm>
#include <cmath>

#include "engine/assert.hpp"
#include "netsim/world.hpp"
#include "rooms/common/planted_bug.hpp"

namespace roomsim::netsim::internal {

namespace {
constexpr EventId kDelivering = UINT64_MAX;  // marks a direction whose delivery loop is running
}  // namespace

uint64_t World::open_connection(uint32_t client, uint32_t room) {
  RoomHost& host = *rooms[room];
  if (host.home < 0) {
    host.home = clients[client].edge;  // first-connect placement: near the first client
    rec.note(sim.now(), "room_home",
             "room=" + rec.name(host.name()) + " region=" + topology.region(clients[client].edge).code + " policy=first_connect");
  }
  Connection c;
  c.client = client;
  c.room = room;
  c.edge = clients[client].edge;
  c.home = static_cast<uint16_t>(host.home);
  c.last_mile_ns = clients[client].last_mile_ns;
  c.client_name = client_name(client);
  conns.push_back(std::move(c));
  return conns.size();
}

bool World::blocked(const Connection& c, bool up) const {
  if (active_partitions == 0) return false;
  const uint16_t from = up ? c.edge : c.home;
  const uint16_t to = up ? c.home : c.edge;
  for (const ActiveFault& f : faults) {
    if (!f.active || f.spec.kind != FaultKind::kPartition) continue;
    if (f.client >= 0) {
      if (c.client == static_cast<uint64_t>(f.client)) return true;
      continue;
    }
    if (f.region >= 0) {
      if (c.edge == f.region || c.home == f.region) return true;
      continue;
    }
    if (f.in_a[from] && f.in_b[to]) return true;
    if (!f.spec.one_way && f.in_b[from] && f.in_a[to]) return true;
  }
  return false;
}

int64_t World::path_ns(const Connection& c, bool up) {
  const uint16_t from = up ? c.edge : c.home;
  const uint16_t to = up ? c.home : c.edge;
  int64_t base = topology.base_ns(from, to);
  const double factor = spike_factor(from, to);
  if (factor != 1.0) base = static_cast<int64_t>(std::llround(static_cast<double>(base) * factor));
  return c.last_mile_ns + base + draw_ns(net_rng, config.topology.jitter);
}

Simulator::Prefetch World::delivery_hints(const Connection& c, bool up, const Frame& head) const {
  // What deliver() and the receiving side read first: the direction, the head
  // frame, and the receiver (the room host; or the client's state and the
  // name its trace lines carry).
  if (up) return {&c.up, &head, rooms[c.room].get(), &c};
  return {&c, &head, &clients[c.client], &rec.name(c.client_name)};
}

bool World::send_frame(uint64_t conn_id, bool up, FrameKind kind, int32_t code, Text text) {
  Connection& c = conn(conn_id);
  Direction& d = up ? c.up : c.down;
  if (d.pending() >= static_cast<size_t>(config.limits.send_queue_max_frames)) {
    drop_connection(conn_id, rooms::close_code::kPolicyViolation, "slow consumer", "conn.closed_1008_slow_consumer");
    return false;
  }
  if (ROOMSIM_PLANTED(kNetworkOrdersByArrival)) {
    // Each frame at its own arrival time, the queue kept sorted by it.
    const int64_t own_at = now_ns() + path_ns(c, up);
    const auto later = std::upper_bound(d.frames.begin() + d.head, d.frames.end(), own_at,
                                        [](int64_t t, const Frame& f) { return t < f.at_ns; });
    d.frames.insert(later, Frame{own_at, kind, code, std::move(text), now_ns()});
    d.last_at_ns = std::max(d.last_at_ns, own_at);
    if (d.event == 0 && !d.stalled) {
      const Frame& head = d.frames[d.head];
      d.event = sim.schedule_at(Time::from_ns(std::min(head.at_ns, heartbeat_deadline_ns(head))),
                                [this, key = conn_id * 2 + (up ? 1 : 0)] { deliver(key); }, delivery_hints(c, up, head));
    }
    return true;
  }
  const int64_t at = std::max(now_ns() + path_ns(c, up), d.last_at_ns);
  ROOMSIM_ASSERT(at >= d.last_at_ns);
  d.last_at_ns = at;
  d.frames.push_back(Frame{at, kind, code, std::move(text), now_ns()});
  if (hops) hops->queued(conn_id, up, c, d.frames.back(), result.history.size());
  if (d.event == 0 && !d.stalled) {
    d.event = sim.schedule_at(Time::from_ns(std::min(at, heartbeat_deadline_ns(d.frames.back()))),
                              [this, key = conn_id * 2 + (up ? 1 : 0)] { deliver(key); }, delivery_hints(c, up, d.frames.back()));
  }
  return true;
}

void World::deliver(uint64_t key) {
  const uint64_t id = key / 2;
  const bool up = (key & 1) != 0;
  {
    Direction& d = up ? conn(id).up : conn(id).down;
    ROOMSIM_ASSERT(d.event != 0);
    d.event = kDelivering;
  }
  while (true) {
    Connection& c = conn(id);
    Direction& d = up ? c.up : c.down;
    if (d.pending() == 0) {
      d.event = 0;
      return;
    }
    const int64_t head_at = d.frames[d.head].at_ns;
    const int64_t deadline = heartbeat_deadline_ns(d.frames[d.head]);
    if (head_at > deadline && now_ns() >= deadline) {
      d.event = 0;
      drop_connection(id, rooms::close_code::kAbnormal, "heartbeat timeout", "net.heartbeat_timeout_slow_path");
      return;
    }
    if (head_at > now_ns()) {
      d.event = sim.schedule_at(Time::from_ns(std::min(head_at, deadline)), [this, key] { deliver(key); },
                                delivery_hints(c, up, d.frames[d.head]));
      return;
    }
    if (blocked(c, up)) {
      d.event = 0;
      d.stalled = true;
      stalled.push_back(id);
      probe("net.frame_stalled_by_partition");
      return;
    }
    Frame frame = std::move(d.frames[d.head]);
    ++d.head;
    if (d.head == d.frames.size()) {
      d.frames.clear();
      d.head = 0;
    }
    ++result.deliveries;
    const uint32_t hop = hops ? hops->arriving(id, up, c, frame, now_ns(), result.history.size()) : 0;
    dispatch(id, up, frame);  // may open connections (conns may move) or drop this one
    if (hops) hops->handled(hop, result.history.size());
    Direction& after = up ? conn(id).up : conn(id).down;
    if (after.event != kDelivering) return;  // dropped meanwhile
  }
}

void World::dispatch(uint64_t conn_id, bool up, Frame& frame) {
  if (!up) {
    on_client_frame(conn_id, frame);
    return;
  }
  Connection& c = conn(conn_id);
  if (c.room_side == RoomSide::kClosed && frame.kind != FrameKind::kUpgrade) {
    // The server end is gone. Unless the client already closed (or will hear a
    // close already on its way), the client learns of it from a reset.
    if (frame.kind == FrameKind::kClose || !c.client_open || c.reset_sent) return;
    c.reset_sent = true;
    probe("net.reset_after_send_to_gone_peer");
    auto reason = make_shared_text();
    reason->text = "connection reset";
    send_frame(conn_id, false, FrameKind::kClose, rooms::close_code::kAbnormal, std::move(reason));
    return;
  }
  RoomHost& host = *rooms[c.room];
  switch (frame.kind) {
    case FrameKind::kUpgrade: host.on_upgrade(conn_id, frame); break;
    case FrameKind::kText: host.on_text(conn_id, frame); break;
    case FrameKind::kClose:
      host.on_peer_close(conn_id, frame.code, frame.text ? std::string_view(frame.text->text) : std::string_view());
      break;
    case FrameKind::kUpgradeResponse: ROOMSIM_ASSERT_MSG(false, "upgrade response sent towards a room"); break;
  }
}

void World::heal_stalled() {
  std::vector<uint64_t> still;
  for (uint64_t id : stalled) {
    Connection& c = conn(id);
    bool keep = false;
    for (bool up : {true, false}) {
      Direction& d = up ? c.up : c.down;
      if (!d.stalled) continue;
      if (blocked(c, up)) {
        keep = true;
        continue;
      }
      d.stalled = false;
      int64_t prev = now_ns();
      for (size_t i = d.head; i < d.frames.size(); ++i) {
        prev = std::max(now_ns() + path_ns(c, up), prev);
        d.frames[i].at_ns = prev;
        d.frames[i].sent_ns = now_ns();  // the partition's own heartbeat covered the stall
      }
      d.last_at_ns = std::max(d.last_at_ns, prev);
      if (d.pending() > 0 && d.event == 0) {
        const Frame& head = d.frames[d.head];
        d.event = sim.schedule_at(Time::from_ns(std::min(head.at_ns, heartbeat_deadline_ns(head))),
                                  [this, key = id * 2 + (up ? 1 : 0)] { deliver(key); }, delivery_hints(c, up, head));
      }
    }
    if (keep && (still.empty() || still.back() != id)) still.push_back(id);
  }
  stalled = std::move(still);
}

void World::drop_connection(uint64_t conn_id, int code, const char* reason, const char* probe_name) {
  {
    Connection& c = conn(conn_id);
    for (Direction* d : {&c.up, &c.down}) {
      if (d->event != 0) sim.cancel(d->event);
      d->event = 0;
      d->stalled = false;
      d->frames.clear();
      d->frames.shrink_to_fit();
      d->head = 0;
    }
  }
  if (hops) hops->dropped(conn_id);
  if (probe_name != nullptr) probe(probe_name);
  if (conn(conn_id).room_side == RoomSide::kOpen) {
    rooms[conn(conn_id).room]->on_peer_close(conn_id, code, reason);
  }
  conn(conn_id).room_side = RoomSide::kClosed;
  if (conn(conn_id).client_open) client_closed(conn_id, code, reason, false);
}

}  // namespace roomsim::netsim::internal
