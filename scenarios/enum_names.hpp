// scenarios/enum_names.hpp: the names scenario files use for netsim enums
// ("partition", "chatter", "first-connect", ...), in both directions.
//
// Each table lists every enumerator exactly once, in declaration order;
// `name_of` on any enumerator returns its table name (asserted).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "netsim/simulation_config.hpp"

namespace roomsim::scenarios {

template <typename E>
using NameTable = std::vector<std::pair<std::string, E>>;

const NameTable<netsim::Distribution::Kind>& distribution_kind_names();
const NameTable<netsim::HomePlacement>& placement_names();
const NameTable<netsim::LatencyModel>& latency_model_names();
const NameTable<netsim::Behaviour>& behaviour_names();
const NameTable<netsim::HostileAction>& hostile_action_names();
const NameTable<netsim::FaultKind>& fault_kind_names();
const NameTable<netsim::ResumeMode>& resume_mode_names();
const NameTable<netsim::ClientAction::Kind>& action_kind_names();

std::string name_of(netsim::Distribution::Kind v);
std::string name_of(netsim::HomePlacement v);
std::string name_of(netsim::LatencyModel v);
std::string name_of(netsim::Behaviour v);
std::string name_of(netsim::HostileAction v);
std::string name_of(netsim::FaultKind v);
std::string name_of(netsim::ResumeMode v);
std::string name_of(netsim::ClientAction::Kind v);

}  // namespace roomsim::scenarios
