// netsim/json_scan.hpp: spans inside a JSON text, found without building a
// document, so a client agent can take a history frame apart cheaply (its
// messages are usually texts it has parsed before; see client_agents.cpp).
//
// Guarantees: for valid JSON the spans are exact (strings, escapes and
// nesting are followed). Anything unexpected makes a call return false, and
// the caller parses the whole text the normal way. Scalars are not checked:
// callers parse every span they rely on, or know it from an earlier parse.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace roomsim::netsim {

// The end (one past the last byte) of the JSON value starting at `pos` (no
// leading whitespace), or std::string_view::npos.
size_t json_value_end(std::string_view text, size_t pos);

// [begin, end) of the value of the top-level member `key` of the object
// `text`. False when text is not an object, the key is absent or present more
// than once, or the scan fails. `key` is compared with the raw key text.
bool json_member_span(std::string_view text, std::string_view key, size_t& begin, size_t& end);

// The elements of the array `text` (exactly one array, whitespace around the
// elements and commas between them only). False otherwise.
bool json_array_elements(std::string_view text, std::vector<std::string_view>& out);

}  // namespace roomsim::netsim
