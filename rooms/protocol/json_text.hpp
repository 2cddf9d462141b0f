// rooms/protocol/json_text.hpp: frames spliced from already-serialised JSON.
//
// A room that sends one list (participants, history) in many frames can
// serialise it once and splice the text into each frame instead of building
// and dumping an nlohmann::json tree per frame. Guarantee: every function here
// writes exactly the bytes nlohmann::json::dump() (no indent, ensure_ascii
// off, strict UTF-8) would write for the same value, so a frame's text does not
// depend on which way it was built (tests/rooms/json_text_test.cpp compares
// both ways). Callers splice object members in sorted key order, as dump()
// writes them (nlohmann::json objects are std::map-ordered).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace roomsim::rooms::protocol {

// Serialised JSON text to splice into a frame unchanged.
// REQUIRES: `text` is what nlohmann::json::dump() wrote for some value.
struct JsonText {
  explicit JsonText(std::string_view t) : text(t) {}
  std::string_view text;
};

// Appends `s` as a JSON string, as nlohmann::json(s).dump() writes it (throws
// nlohmann's type_error 316 on invalid UTF-8, as dump() does).
void append_json_string(std::string& out, std::string_view s);
// Appends `"key":` (key: plain ASCII without quotes or backslashes).
void append_json_key(std::string& out, std::string_view key);
// append_json_key(out, key) then append_json_string(out, value).
void append_json_member(std::string& out, std::string_view key, std::string_view value);
void append_json_int(std::string& out, int64_t v);
void append_json_uint(std::string& out, uint64_t v);

}  // namespace roomsim::rooms::protocol
