// scenarios/scenario_hash.hpp: a fingerprint of what a scenario asks the
// simulator to do, recorded in every sweep summary.
//
// Two shards are comparable only if they ran the same scenario; the name
// alone does not say that (two files may share a name and differ in a client
// count). The content hash is FNV-1a 64 over the canonical JSON of the loaded
// scenario (scenario_to_json, keys sorted, every field explicit), so it
// ignores formatting, key order and the path the scenario was named by, and
// changes with any field the loader keeps. 16 lowercase hex digits; the same
// on every platform and standard library.
#pragma once

#include <string>

#include "scenarios/scenario.hpp"

namespace roomsim::scenarios {

std::string scenario_content_hash(const Scenario& scenario);

}  // namespace roomsim::scenarios
