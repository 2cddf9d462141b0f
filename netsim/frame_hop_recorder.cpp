// netsim/frame_hop_recorder.cpp: the frame-hop log's bookkeeping.
#include "netsim/frame_hop_recorder.hpp"

#include "engine/assert.hpp"
#include "netsim/world.hpp"

namespace roomsim::netsim {

const char* to_string(FrameHopKind kind) {
  switch (kind) {
    case FrameHopKind::kText: return "text";
    case FrameHopKind::kUpgrade: return "upgrade";
    case FrameHopKind::kUpgradeResponse: return "upgrade_response";
    case FrameHopKind::kClose: return "close";
  }
  return "?";
}

namespace internal {

namespace {
FrameHopKind hop_kind(FrameKind kind) {
  switch (kind) {
    case FrameKind::kText: return FrameHopKind::kText;
    case FrameKind::kUpgrade: return FrameHopKind::kUpgrade;
    case FrameKind::kUpgradeResponse: return FrameHopKind::kUpgradeResponse;
    case FrameKind::kClose: return FrameHopKind::kClose;
  }
  return FrameHopKind::kText;
}
}  // namespace

FrameHopRecorder::FrameHopRecorder(FrameHopLog& log, size_t hops_max, const Topology& topology)
    : log_(log), hops_max_(hops_max) {
  log_.recorded = true;
  log_.region_codes.clear();
  for (size_t i = 0; i < topology.size(); ++i) log_.region_codes.push_back(topology.region(i).code);
}

FrameHopRecorder::InFlight& FrameHopRecorder::direction(uint64_t conn_id, bool up) {
  ROOMSIM_ASSERT(conn_id > 0);
  const size_t index = static_cast<size_t>(conn_id - 1) * 2 + (up ? 1 : 0);
  if (index >= directions_.size()) directions_.resize(index + 1);
  return directions_[index];
}

void FrameHopRecorder::queued(uint64_t conn_id, bool up, const Connection& c, const Frame& f,
                              uint64_t history_size) {
  InFlight& d = direction(conn_id, up);
  const uint32_t ordinal = d.queued++;
  if (log_.hops.size() >= hops_max_) {
    if (log_.frames_not_recorded++ == 0) log_.full_at_ns = f.sent_ns;
    d.hops.push_back(kNotRecorded);
    return;
  }
  FrameHop h;
  h.conn = conn_id;
  h.ordinal = ordinal;
  h.up = up;
  h.kind = hop_kind(f.kind);
  h.edge = c.edge;
  h.home = c.home;
  h.sent_ns = f.sent_ns;
  h.events_before_send = history_size;
  d.hops.push_back(static_cast<uint32_t>(log_.hops.size()));
  log_.hops.push_back(h);
}

uint32_t FrameHopRecorder::arriving(uint64_t conn_id, bool up, const Connection& c, const Frame& f, int64_t now_ns,
                                    uint64_t history_size) {
  InFlight& d = direction(conn_id, up);
  ROOMSIM_ASSERT(d.head < d.hops.size());
  const uint32_t handle = d.hops[d.head++];
  if (d.head == d.hops.size()) {
    d.hops.clear();
    d.head = 0;
  }
  if (handle == kNotRecorded) return handle;
  FrameHop& h = log_.hops[handle];
  ROOMSIM_ASSERT(h.conn == conn_id);
  h.arrived_ns = now_ns;
  if (f.sent_ns != h.sent_ns) h.retimed_ns = f.sent_ns;  // a partition's heal re-timed it
  h.edge_ns = up ? f.sent_ns + c.last_mile_ns : now_ns - c.last_mile_ns;
  h.first_event = history_size;
  return handle;
}

void FrameHopRecorder::handled(uint32_t handle, uint64_t history_size) {
  if (handle == kNotRecorded) return;
  FrameHop& h = log_.hops[handle];
  ROOMSIM_ASSERT(history_size >= h.first_event);
  h.event_count = static_cast<int32_t>(history_size - h.first_event);
}

void FrameHopRecorder::dropped(uint64_t conn_id) {
  for (bool up : {true, false}) {
    InFlight& d = direction(conn_id, up);
    d.hops.clear();
    d.head = 0;
  }
}

}  // namespace internal
}  // namespace roomsim::netsim
