// rooms/protocol/json_text.cpp: see json_text.hpp.
#include "rooms/protocol/json_text.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

namespace roomsim::rooms::protocol {

void append_json_string(std::string& out, std::string_view s) {
  // Printable ASCII other than '"' and '\\' is written as is; anything else
  // (escapes, control characters, UTF-8 and its validation) goes through
  // nlohmann's own serializer, so the bytes are the same by construction.
  for (char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    if (u < 0x20 || u >= 0x7f || ch == '"' || ch == '\\') {
      out += nlohmann::json(std::string(s)).dump();
      return;
    }
  }
  out += '"';
  out += s;
  out += '"';
}

void append_json_key(std::string& out, std::string_view key) {
  out += '"';
  out += key;
  out += "\":";
}

void append_json_member(std::string& out, std::string_view key, std::string_view value) {
  append_json_key(out, key);
  append_json_string(out, value);
}

void append_json_int(std::string& out, int64_t v) {
  char buf[24];
  out.append(buf, static_cast<size_t>(std::to_chars(buf, buf + sizeof buf, v).ptr - buf));
}

void append_json_uint(std::string& out, uint64_t v) {
  char buf[24];
  out.append(buf, static_cast<size_t>(std::to_chars(buf, buf + sizeof buf, v).ptr - buf));
}

}  // namespace roomsim::rooms::protocol
