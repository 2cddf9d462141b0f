// scenarios/scenario_loader.hpp: JSON scenario files -> validated Scenario.
//
// The schema is docs/scenario.md. Loading collects EVERY error, each naming
// the source, the JSON path and what was expected:
//   chat.json: /faults/2/duration_ms: expected a positive integer, got "10s"
// Unknown fields, wrong types, out-of-range values, unknown enum names and
// dangling references (room ids, populations, clients, regions of a custom
// topology, room kinds, property names) are all errors. Never throws on bad
// input. Deterministic: same text, same result.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenarios/catalog.hpp"
#include "scenarios/scenario.hpp"

namespace roomsim::scenarios {

struct LoadResult {
  std::optional<Scenario> scenario;  // set iff errors is empty
  std::vector<std::string> errors;
  bool ok() const { return scenario.has_value(); }
};

// Parses and validates `text`. `source_name` prefixes every message (a file
// name); `source` is stored in Scenario::source.
LoadResult load_scenario_text(const std::string& text, const std::string& source_name, const std::string& source,
                              const Catalog& catalog = builtin_catalog());
LoadResult load_scenario_json(const nlohmann::json& j, const std::string& source_name, const std::string& source,
                              const Catalog& catalog = builtin_catalog());

// `name_or_path` is a readable file, or else the name of a built-in scenario
// (scenarios/builtin/<name>.json, embedded in the binary). A path that is
// neither gives one error listing the built-in names.
LoadResult load_scenario(const std::string& name_or_path, const Catalog& catalog = builtin_catalog());

}  // namespace roomsim::scenarios
