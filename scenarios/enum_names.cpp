// scenarios/enum_names.cpp: name tables for the netsim enums.
#include "scenarios/enum_names.hpp"

#include "engine/assert.hpp"

namespace roomsim::scenarios {

using namespace roomsim::netsim;

const NameTable<Distribution::Kind>& distribution_kind_names() {
  static const NameTable<Distribution::Kind> t = {
      {"none", Distribution::Kind::kNone},         {"constant", Distribution::Kind::kConstant},
      {"uniform", Distribution::Kind::kUniform},   {"exponential", Distribution::Kind::kExponential},
      {"normal", Distribution::Kind::kNormal},     {"lognormal", Distribution::Kind::kLognormal},
      {"pareto", Distribution::Kind::kPareto}};
  return t;
}

const NameTable<HomePlacement>& placement_names() {
  static const NameTable<HomePlacement> t = {{"first-connect", HomePlacement::kFirstConnect},
                                             {"location-hint", HomePlacement::kLocationHint},
                                             {"key-derived", HomePlacement::kKeyDerived}};
  return t;
}

const NameTable<LatencyModel>& latency_model_names() {
  static const NameTable<LatencyModel> t = {{"measured", LatencyModel::kMeasured},
                                            {"distance", LatencyModel::kDistance}};
  return t;
}

const NameTable<Behaviour>& behaviour_names() {
  static const NameTable<Behaviour> t = {{"chatter", Behaviour::kChatter},
                                         {"dashboard", Behaviour::kDashboard},
                                         {"lurker", Behaviour::kLurker},
                                         {"hostile", Behaviour::kHostile}};
  return t;
}

const NameTable<HostileAction>& hostile_action_names() {
  static const NameTable<HostileAction> t = {{"bad-token", HostileAction::kBadToken},
                                             {"expired-token", HostileAction::kExpiredToken},
                                             {"no-token", HostileAction::kNoToken},
                                             {"flood", HostileAction::kFlood},
                                             {"malformed-json", HostileAction::kMalformedJson},
                                             {"oversized-frame", HostileAction::kOversizedFrame},
                                             {"unknown-type", HostileAction::kUnknownType},
                                             {"too-many-connections", HostileAction::kTooManyConnections},
                                             {"not-member", HostileAction::kNotMember}};
  return t;
}

const NameTable<FaultKind>& fault_kind_names() {
  static const NameTable<FaultKind> t = {{"partition", FaultKind::kPartition},
                                         {"latency-spike", FaultKind::kLatencySpike},
                                         {"edge-outage", FaultKind::kEdgeOutage},
                                         {"edge-restart", FaultKind::kEdgeRestart},
                                         {"room-evict", FaultKind::kRoomEvict},
                                         {"room-crash", FaultKind::kRoomCrash},
                                         {"storage-slow", FaultKind::kStorageSlow},
                                         {"storage-fail", FaultKind::kStorageFail},
                                         {"storage-read-fail", FaultKind::kStorageReadFail},
                                         {"clock-skew", FaultKind::kClockSkew},
                                         {"room-clock-skew", FaultKind::kRoomClockSkew},
                                         {"client-churn", FaultKind::kClientChurn}};
  return t;
}

const NameTable<ResumeMode>& resume_mode_names() {
  static const NameTable<ResumeMode> t = {
      {"frame", ResumeMode::kFrame}, {"query", ResumeMode::kQuery}, {"no-history", ResumeMode::kNoHistory}};
  return t;
}

const NameTable<ClientAction::Kind>& action_kind_names() {
  static const NameTable<ClientAction::Kind> t = {
      {"connect", ClientAction::Kind::kConnect},     {"send", ClientAction::Kind::kSend},
      {"close", ClientAction::Kind::kClose},         {"subscribe", ClientAction::Kind::kSubscribe},
      {"join-room", ClientAction::Kind::kJoinRoom}, {"hostile", ClientAction::Kind::kHostile},
      {"leave", ClientAction::Kind::kLeave}};
  return t;
}

namespace {
template <typename E>
std::string lookup(const NameTable<E>& table, E v) {
  for (const auto& [name, value] : table) {
    if (value == v) return name;
  }
  ROOMSIM_ASSERT_MSG(false, "enumerator missing from its scenario name table");
  return "";
}
}  // namespace

std::string name_of(Distribution::Kind v) { return lookup(distribution_kind_names(), v); }
std::string name_of(HomePlacement v) { return lookup(placement_names(), v); }
std::string name_of(LatencyModel v) { return lookup(latency_model_names(), v); }
std::string name_of(Behaviour v) { return lookup(behaviour_names(), v); }
std::string name_of(HostileAction v) { return lookup(hostile_action_names(), v); }
std::string name_of(FaultKind v) { return lookup(fault_kind_names(), v); }
std::string name_of(ResumeMode v) { return lookup(resume_mode_names(), v); }
std::string name_of(ClientAction::Kind v) { return lookup(action_kind_names(), v); }

}  // namespace roomsim::scenarios
