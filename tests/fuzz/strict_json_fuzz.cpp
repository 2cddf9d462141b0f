// tests/fuzz/strict_json_fuzz.cpp: libFuzzer target for the bounded JSON
// reader every file reader uses (rooms/protocol/json_limits), checked against
// nlohmann's own parser: what parse_json_strict accepts, nlohmann parses to
// the same value, nested at most kJsonDepthMax; a syntax error is one for
// nlohmann too; a refusal with a path is a duplicate key or too deep a
// nesting; the bracket scan agrees with the parser on depth. No crash, no
// sanitizer report.
#include "rooms/protocol/json_limits.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace roomsim::rooms::protocol;
  using nlohmann::json;
  const std::string_view text = roomsim::fuzz::as_text(data, size);
  const bool shallow = json_text_depth_within(text);
  const json plain = shallow ? json::parse(text, nullptr, false) : json(json::value_t::discarded);
  const auto strict = parse_json_strict(text);
  if (const auto* value = std::get_if<json>(&strict)) {
    roomsim::fuzz::check(shallow, "an accepted document passes the bracket scan");
    roomsim::fuzz::check(!plain.is_discarded() && plain == *value, "the same value as nlohmann's parse");
    roomsim::fuzz::check(!find_json_too_deep(*value), "an accepted value is not too deep");
    return 0;
  }
  const JsonError& error = std::get<JsonError>(strict);
  if (error.path.empty()) {
    // A NUL byte is refused on purpose: nlohmann's lexer would end the input there.
    const bool has_nul = text.find('\0') != std::string_view::npos;
    roomsim::fuzz::check(plain.is_discarded() || has_nul, "a syntax error is one for nlohmann too (or the text has a NUL)");
    return 0;
  }
  // The parse stops at the first problem, so the rest of the text may be anything.
  const bool duplicate = error.message.rfind("duplicate key", 0) == 0;
  const bool deep = error.message.rfind("nested deeper", 0) == 0;
  roomsim::fuzz::check(duplicate || deep, "a refusal with a path is a duplicate key or too deep");
  if (deep) roomsim::fuzz::check(!shallow, "too deep for the parser is too deep for the scan");
  return 0;
}
