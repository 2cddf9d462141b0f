// tests/reports/xml_check.hpp: a small recursive-descent XML parser for the
// report tests. It accepts the XML the reports write (declaration, DOCTYPE,
// comments, processing instructions, CDATA, elements, attributes, the five
// named entities and numeric character references) and rejects anything not
// well-formed: mismatched or unclosed tags, duplicate attributes, unquoted
// attribute values, bare '&' or '<' in text, text or a second element after
// the root. It builds a tree so tests can check structure, not just syntax.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace roomsim::reports::testing {

struct XmlElement {
  std::string name;
  std::map<std::string, std::string> attributes;  // values with entities decoded
  std::vector<XmlElement> children;
  std::string text;  // all character data directly inside, entities decoded

  // Children named `name`, in document order.
  std::vector<const XmlElement*> children_named(std::string_view child_name) const;
  // Every descendant (depth-first, document order) named `name`.
  void collect(std::string_view element_name, std::vector<const XmlElement*>& out) const;
  // Text of this element and all descendants, concatenated.
  std::string all_text() const;
};

struct XmlParse {
  XmlElement root;
  std::string error;  // empty when well-formed; else "offset N: what"
  bool ok() const { return error.empty(); }
};

XmlParse parse_xml(std::string_view document);

}  // namespace roomsim::reports::testing
