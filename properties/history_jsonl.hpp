// properties/history_jsonl.hpp: a History as JSONL, so a history recorded
// anywhere (simulator, live load tool) can be stored and checked offline.
//
// Format (docs/properties.md has the full table): an optional first line
// {"history":1,"events":N} (N optional: when given, the reader checks it), then
// one JSON object per event in history order:
//   {"t_ns":12503000000,"kind":"receive","client":"c17","conn":4,"room":"chat/r3",
//    "sender":"c2","msg":"8c1d0e5f2a3b4c6d","digest":"0123456789abcdef","seq":42,"epoch":1}
// Names (client, room, user, session, sender, target, channel, text) are
// strings; msg and digest are 16 lower-case hex digits (64-bit values do not
// survive tools that read JSON numbers as doubles); only fields that differ
// from their defaults are written. "t_ns" and "kind" are always present.
//
// Reading never crashes and never drops input silently: the first problem is
// returned as "<source>:<line>: field \"seq\": expected an integer, got \"x\"".
// Writing then reading gives an equal history (same events, same names).
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <variant>

#include "properties/history.hpp"

namespace roomsim::properties {

inline constexpr int kHistoryJsonlVersion = 1;

// Writes the header line and one line per event.
void write_history_jsonl(const History& history, std::ostream& out);

// Reads a history; `source` names the input in error messages.
std::variant<History, std::string> read_history_jsonl(std::istream& in, std::string_view source = "history.jsonl");
// Reads the file at `path`; an unreadable file is an error value too.
std::variant<History, std::string> read_history_jsonl(const std::string& path);

}  // namespace roomsim::properties
