// reports/text_escape.hpp: escaping for the text formats reports write.
//
// Every user-controlled string (scenario names, property explanations, room
// ids, fault descriptions, replay commands) passes through one of these before
// it lands in XML, HTML, SVG or DOT, so no input can break the document
// structure. Pure functions; deterministic; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace roomsim::reports {

// XML/HTML text and attribute value: & < > " ' become entities. Control
// characters other than tab, newline and carriage return (not allowed in
// XML 1.0) become U+FFFD; invalid UTF-8 bytes become U+FFFD too, so the
// result is always well-formed UTF-8 XML character data.
std::string xml_escape(std::string_view text);

// A DOT double-quoted string body (without the quotes): '"' and '\' are
// escaped, newlines become "\n" (centred line break in a Graphviz label).
std::string dot_escape(std::string_view text);

}  // namespace roomsim::reports
