// netsim/names.hpp: stable snake_case names of the config enums, used in fault
// descriptions, trace lines, coverage probes and scripted ClientAction texts.
#pragma once

#include <optional>
#include <string_view>

#include "netsim/simulation_config.hpp"

namespace roomsim::netsim {

const char* fault_kind_name(FaultKind kind);          // "partition", "latency_spike", ...
const char* hostile_action_name(HostileAction action);  // "bad_token", "flood", ...
std::optional<HostileAction> parse_hostile_action(std::string_view name);
const char* behaviour_name(Behaviour behaviour);      // "chatter", "dashboard", "lurker", "hostile"
const char* resume_mode_name(ResumeMode mode);        // "frame", "query", "no_history"

}  // namespace roomsim::netsim
