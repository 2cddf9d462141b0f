// netsim/names.cpp: enum names.
#include "netsim/names.hpp"

namespace roomsim::netsim {

const char* fault_kind_name(FaultKind kind) {
  switch (kind) {
    case FaultKind::kPartition: return "partition";
    case FaultKind::kLatencySpike: return "latency_spike";
    case FaultKind::kEdgeOutage: return "edge_outage";
    case FaultKind::kEdgeRestart: return "edge_restart";
    case FaultKind::kRoomEvict: return "room_evict";
    case FaultKind::kRoomCrash: return "room_crash";
    case FaultKind::kStorageSlow: return "storage_slow";
    case FaultKind::kStorageFail: return "storage_fail";
    case FaultKind::kStorageReadFail: return "storage_read_fail";
    case FaultKind::kClockSkew: return "clock_skew";
    case FaultKind::kRoomClockSkew: return "room_clock_skew";
    case FaultKind::kClientChurn: return "client_churn";
  }
  return "unknown";
}

namespace {
constexpr HostileAction kAllHostile[] = {
    HostileAction::kBadToken,       HostileAction::kExpiredToken, HostileAction::kNoToken,
    HostileAction::kFlood,          HostileAction::kMalformedJson, HostileAction::kOversizedFrame,
    HostileAction::kUnknownType,    HostileAction::kTooManyConnections, HostileAction::kNotMember};
}  // namespace

const char* hostile_action_name(HostileAction action) {
  switch (action) {
    case HostileAction::kBadToken: return "bad_token";
    case HostileAction::kExpiredToken: return "expired_token";
    case HostileAction::kNoToken: return "no_token";
    case HostileAction::kFlood: return "flood";
    case HostileAction::kMalformedJson: return "malformed_json";
    case HostileAction::kOversizedFrame: return "oversized_frame";
    case HostileAction::kUnknownType: return "unknown_type";
    case HostileAction::kTooManyConnections: return "too_many_connections";
    case HostileAction::kNotMember: return "not_member";
  }
  return "unknown";
}

std::optional<HostileAction> parse_hostile_action(std::string_view name) {
  for (HostileAction a : kAllHostile) {
    if (name == hostile_action_name(a)) return a;
  }
  return std::nullopt;
}

const char* behaviour_name(Behaviour behaviour) {
  switch (behaviour) {
    case Behaviour::kChatter: return "chatter";
    case Behaviour::kDashboard: return "dashboard";
    case Behaviour::kLurker: return "lurker";
    case Behaviour::kHostile: return "hostile";
  }
  return "unknown";
}

const char* resume_mode_name(ResumeMode mode) {
  switch (mode) {
    case ResumeMode::kFrame: return "frame";
    case ResumeMode::kQuery: return "query";
    case ResumeMode::kNoHistory: return "no_history";
  }
  return "unknown";
}

}  // namespace roomsim::netsim
