// reports/event_text.hpp: one short line per history event, for picture
// labels and report tables ("recv seq 42 from c3", "close 1006 heartbeat").
// Pure; the wording is for people, not for parsing.
#pragma once

#include <cstdint>
#include <string>

#include "properties/history.hpp"

namespace roomsim::reports {

// Short description of `e` without its time or observer. Numbers a room
// reports as unknown (-1: a room that does not number its messages) are left out.
std::string describe_event(const properties::History& history, const properties::Event& e);

// A latency for people: "0.4ms", "18.9ms", "250ms", "1.25s".
std::string format_latency(int64_t ns);

// "#1a2b3c" : the low 24 bits of a message id digest, in hex.
std::string short_digest(uint64_t digest);

// True for the kinds a room host records (start, crash, evict, commit, ...),
// false for client observations and run-wide facts (faults, phases, config).
bool is_room_side(properties::EventKind kind);
// True for faults and phases: facts that concern every lane.
bool is_run_wide(properties::EventKind kind);

}  // namespace roomsim::reports
