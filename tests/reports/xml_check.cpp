// tests/reports/xml_check.cpp: recursive-descent XML well-formedness checker.
#include "xml_check.hpp"

#include <cstdint>
#include <stdexcept>

namespace roomsim::reports::testing {

std::vector<const XmlElement*> XmlElement::children_named(std::string_view child_name) const {
  std::vector<const XmlElement*> out;
  for (const XmlElement& c : children) {
    if (c.name == child_name) out.push_back(&c);
  }
  return out;
}

void XmlElement::collect(std::string_view element_name, std::vector<const XmlElement*>& out) const {
  for (const XmlElement& c : children) {
    if (c.name == element_name) out.push_back(&c);
    c.collect(element_name, out);
  }
}

std::string XmlElement::all_text() const {
  std::string out = text;
  for (const XmlElement& c : children) out += c.all_text();
  return out;
}

namespace {

struct ParseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

bool is_name_start(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || u >= 0x80;
}

bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  XmlElement document() {
    skip_misc(/*allow_doctype=*/true);
    if (!starts_with("<")) fail("expected the root element");
    XmlElement root = element();
    skip_misc(/*allow_doctype=*/false);
    if (pos_ != s_.size()) fail("content after the root element");
    return root;
  }

  size_t pos() const { return pos_; }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw ParseError("offset " + std::to_string(pos_) + ": " + what);
  }

  bool starts_with(std::string_view p) const { return s_.substr(pos_, p.size()) == p; }

  void expect(std::string_view p) {
    if (!starts_with(p)) fail("expected '" + std::string(p) + "'");
    pos_ += p.size();
  }

  void skip_space() {
    while (pos_ < s_.size() && is_space(s_[pos_])) ++pos_;
  }

  void skip_until(std::string_view terminator, const char* what) {
    const size_t end = s_.find(terminator, pos_);
    if (end == std::string_view::npos) fail(std::string("unterminated ") + what);
    pos_ = end + terminator.size();
  }

  void comment() {
    expect("<!--");
    const size_t end = s_.find("--", pos_);
    if (end == std::string_view::npos) fail("unterminated comment");
    pos_ = end;
    expect("-->");  // "--" inside a comment is not allowed
  }

  void skip_misc(bool allow_doctype) {
    for (;;) {
      skip_space();
      if (starts_with("<?")) {
        skip_until("?>", "processing instruction");
      } else if (starts_with("<!--")) {
        comment();
      } else if (allow_doctype && starts_with("<!DOCTYPE")) {
        // DOCTYPE without an internal subset (what SVG and HTML use).
        skip_until(">", "DOCTYPE");
        allow_doctype = false;
      } else {
        return;
      }
    }
  }

  std::string name() {
    if (pos_ >= s_.size() || !is_name_start(s_[pos_])) fail("expected a name");
    const size_t start = pos_;
    while (pos_ < s_.size() && is_name_char(s_[pos_])) ++pos_;
    return std::string(s_.substr(start, pos_ - start));
  }

  void reference(std::string& out) {
    expect("&");
    if (starts_with("#")) {
      ++pos_;
      int base = 10;
      if (starts_with("x")) {
        base = 16;
        ++pos_;
      }
      uint32_t cp = 0;
      size_t digits = 0;
      while (pos_ < s_.size() && s_[pos_] != ';') {
        const char c = s_[pos_];
        uint32_t d = 0;
        if (c >= '0' && c <= '9') {
          d = static_cast<uint32_t>(c - '0');
        } else if (base == 16 && c >= 'a' && c <= 'f') {
          d = static_cast<uint32_t>(c - 'a' + 10);
        } else if (base == 16 && c >= 'A' && c <= 'F') {
          d = static_cast<uint32_t>(c - 'A' + 10);
        } else {
          fail("bad character reference");
        }
        cp = cp * static_cast<uint32_t>(base) + d;
        if (cp > 0x10FFFF) fail("character reference out of range");
        ++digits;
        ++pos_;
      }
      if (digits == 0) fail("empty character reference");
      expect(";");
      append_utf8(out, cp);
      return;
    }
    const std::string entity = name();
    expect(";");
    if (entity == "amp") {
      out += '&';
    } else if (entity == "lt") {
      out += '<';
    } else if (entity == "gt") {
      out += '>';
    } else if (entity == "quot") {
      out += '"';
    } else if (entity == "apos") {
      out += '\'';
    } else {
      fail("undeclared entity '&" + entity + ";'");
    }
  }

  std::string attribute_value() {
    if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\'')) fail("attribute value must be quoted");
    const char quote = s_[pos_++];
    std::string value;
    for (;;) {
      if (pos_ >= s_.size()) fail("unterminated attribute value");
      const char c = s_[pos_];
      if (c == quote) {
        ++pos_;
        return value;
      }
      if (c == '<') fail("'<' in an attribute value");
      if (c == '&') {
        reference(value);
      } else {
        value += c;
        ++pos_;
      }
    }
  }

  XmlElement element() {
    expect("<");
    XmlElement e;
    e.name = name();
    for (;;) {
      const size_t before = pos_;
      skip_space();
      if (starts_with("/>")) {
        pos_ += 2;
        return e;
      }
      if (starts_with(">")) {
        ++pos_;
        break;
      }
      if (pos_ == before) fail("expected whitespace before an attribute");
      const std::string attr = name();
      skip_space();
      expect("=");
      skip_space();
      std::string value = attribute_value();
      if (!e.attributes.emplace(attr, std::move(value)).second) fail("duplicate attribute '" + attr + "'");
    }
    content(e);
    expect("</");
    const std::string closing = name();
    if (closing != e.name) fail("</" + closing + "> closes <" + e.name + ">");
    skip_space();
    expect(">");
    return e;
  }

  void content(XmlElement& e) {
    for (;;) {
      if (pos_ >= s_.size()) fail("unclosed <" + e.name + ">");
      if (starts_with("</")) return;
      if (starts_with("<!--")) {
        comment();
      } else if (starts_with("<![CDATA[")) {
        pos_ += 9;
        const size_t end = s_.find("]]>", pos_);
        if (end == std::string_view::npos) fail("unterminated CDATA");
        e.text.append(s_.substr(pos_, end - pos_));
        pos_ = end + 3;
      } else if (starts_with("<?")) {
        skip_until("?>", "processing instruction");
      } else if (starts_with("<")) {
        e.children.push_back(element());
      } else if (starts_with("&")) {
        reference(e.text);
      } else {
        if (starts_with("]]>")) fail("']]>' in text");
        e.text += s_[pos_++];
      }
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

XmlParse parse_xml(std::string_view document) {
  XmlParse result;
  Parser parser(document);
  try {
    result.root = parser.document();
  } catch (const ParseError& e) {
    result.error = e.what();
  }
  return result;
}

}  // namespace roomsim::reports::testing
