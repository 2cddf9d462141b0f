// rooms/protocol/json_limits.hpp: JSON from a stranger, read without
// recursion and without silent loss.
//
// nlohmann::json parses iteratively, but dump(), copies and comparisons of a
// value recurse once per nesting level: a 200 KB document nested 70,000 deep
// overflows the stack of whoever touches it next. Every reader of untrusted
// JSON (client frames, scenario files, history and trace JSONL, room configs)
// therefore refuses nesting deeper than kJsonDepthMax before any recursive
// processing. Files also refuse duplicated object keys, which a plain parse
// resolves silently by keeping the last one.
//
// Depth counts open arrays and objects: `1` is 0 deep, `{}` and `[1]` are 1
// deep, `{"a":[1]}` is 2 deep. Every function here is iterative (its stack
// use does not grow with the input), deterministic, and never throws.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

namespace roomsim::rooms::protocol {

// The deepest nesting any reader accepts (docs/protocol.md, docs/scenario.md).
inline constexpr size_t kJsonDepthMax = 64;

// True when no array or object in `text` is nested deeper than `max_depth`.
// A bracket scan that skips strings, without parsing: O(size), no allocation.
// Text that is not JSON gets an answer too (the parser rejects it later).
bool json_text_depth_within(std::string_view text, size_t max_depth = kJsonDepthMax);

// Why a document was refused.
struct JsonError {
  std::string path;     // RFC 6901 pointer to the offending value or key; "" for a syntax error
  std::string message;  // "duplicate key \"faults\"", "nested deeper than 64 levels ...", "not valid JSON: ..."
};

// For a value built in memory: the first array or object nested deeper than
// `max_depth` (an explicit stack, not recursion), or nothing.
std::optional<JsonError> find_json_too_deep(const nlohmann::json& value, size_t max_depth = kJsonDepthMax);

// Parses one JSON document, refusing (with the JSON path) nesting deeper than
// `max_depth` and an object that names the same key twice. The parse stops at
// the first problem, so no value deeper than `max_depth` is ever built.
std::variant<nlohmann::json, JsonError> parse_json_strict(std::string_view text, size_t max_depth = kJsonDepthMax);

// "/a~1b/3": `path` extended by an object key (escaped as RFC 6901 says) or an array index.
std::string json_pointer_child(const std::string& path, std::string_view key);
std::string json_pointer_child(const std::string& path, size_t index);

}  // namespace roomsim::rooms::protocol
