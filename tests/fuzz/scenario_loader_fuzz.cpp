// tests/fuzz/scenario_loader_fuzz.cpp: libFuzzer target for the scenario
// loader (scenarios/scenario_loader) and the simulator's own checks.
//
// Any bytes as a scenario file: no crash, no exception, no sanitizer report,
// and every error names the file. A scenario that loads passes through
// netsim::validate (the rest of `roomsim check`) without a crash, and round
// trips: scenario_to_json then load_scenario_json gives a scenario that
// writes the same JSON (the writer's documented guarantee).
#include "netsim/simulation.hpp"
#include "rooms/api/registry.hpp"
#include "scenarios/scenario_loader.hpp"
#include "scenarios/scenario_writer.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace roomsim::scenarios;
  const std::string text(roomsim::fuzz::as_text(data, size));
  const LoadResult r = load_scenario_text(text, "fuzz.json", "fuzz.json");
  roomsim::fuzz::check(r.ok() == r.errors.empty(), "a scenario, or errors");
  for (const std::string& e : r.errors) roomsim::fuzz::check(e.rfind("fuzz.json: ", 0) == 0, "errors name the file");
  if (!r.ok()) return 0;
  (void)roomsim::netsim::validate(r.scenario->config, roomsim::rooms::builtin_registry());
  const nlohmann::json written = scenario_to_json(*r.scenario);
  const LoadResult again = load_scenario_json(written, "again.json", "again.json");
  roomsim::fuzz::check(again.ok(), "a written scenario loads");
  roomsim::fuzz::check(scenario_to_json(*again.scenario) == written, "load(write(s)) writes the same JSON");
  return 0;
}
