// netsim/chat_workload.cpp: see chat_workload.hpp.
#include "netsim/chat_workload.hpp"

#include <algorithm>

namespace roomsim::netsim {

SimulationConfig chat_workload_config(const ChatWorkload& w) {
  SimulationConfig c;
  c.name = w.name;
  c.topology.builtin = "mid";
  c.topology.jitter = Distribution{Distribution::Kind::kExponential, 2.0, 0};
  const int per_room = (w.clients + w.rooms - 1) / w.rooms;
  for (int r = 0; r < w.rooms; ++r) {
    RoomInstanceConfig room;
    room.kind = w.kind;
    room.id = std::string("room").append(std::to_string(r));  // append: GCC 12 warns falsely (-Wrestrict) on "x" + to_string
    c.rooms.push_back(room);
    ClientPopulation p;
    p.name = std::string("r").append(std::to_string(r));
    p.count = std::min(per_room, w.clients - r * per_room);
    p.room = room.id;
    p.send_rate_per_s = w.send_rate_per_s;
    p.payload_bytes = 64;
    p.connect_at_ms_max = w.connect_at_ms_max;
    if (p.count > 0) c.clients.push_back(p);
  }
  c.phases.safety_ms = w.total_ms * 4 / 5;
  c.phases.liveness_ms = w.total_ms - c.phases.safety_ms;
  const char* regions[] = {"FRA", "IAD", "SIN", "GRU", "SYD", "LHR"};
  for (int64_t t = w.fault_every_ms, i = 0; t < c.phases.safety_ms; t += w.fault_every_ms, ++i) {
    FaultSpec f;
    f.start_ms = t;
    f.duration_ms = w.fault_duration_ms;
    switch (i % 4) {
      case 0:
        f.kind = FaultKind::kPartition;
        f.regions_a = {regions[i % 6]};
        f.regions_b = {regions[(i + 1) % 6], regions[(i + 2) % 6]};
        break;
      case 1: f.kind = FaultKind::kRoomCrash; f.room = c.rooms[static_cast<size_t>(i) % c.rooms.size()].id; break;
      case 2: f.kind = FaultKind::kRoomEvict; f.room = c.rooms[static_cast<size_t>(i) % c.rooms.size()].id; break;
      default: f.kind = FaultKind::kEdgeRestart; f.region = regions[i % 6]; break;
    }
    c.faults.push_back(f);
  }
  return c;
}

}  // namespace roomsim::netsim
