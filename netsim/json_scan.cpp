// netsim/json_scan.cpp: see json_scan.hpp.
#include "netsim/json_scan.hpp"

#include <cstring>

namespace roomsim::netsim {

namespace {

constexpr size_t kNone = std::string_view::npos;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t skip_space(std::string_view s, size_t i) {
  while (i < s.size() && is_space(s[i])) ++i;
  return i;
}

// The end of the string whose opening quote is at i: the next quote not
// escaped (preceded by an even number of backslashes), found with memchr.
size_t string_end(std::string_view s, size_t i) {
  const char* const begin = s.data();
  const char* const end = begin + s.size();
  const char* p = begin + i + 1;
  while (p < end) {
    const char* quote = static_cast<const char*>(std::memchr(p, '"', static_cast<size_t>(end - p)));
    if (quote == nullptr) return kNone;
    size_t backslashes = 0;
    for (const char* b = quote; b > begin + i + 1 && b[-1] == '\\'; --b) ++backslashes;
    if (backslashes % 2 == 0) return static_cast<size_t>(quote - begin) + 1;
    p = quote + 1;
  }
  return kNone;
}

}  // namespace

size_t json_value_end(std::string_view s, size_t i) {
  if (i >= s.size()) return kNone;
  const char first = s[i];
  if (first == '"') return string_end(s, i);
  if (first == '{' || first == '[') {
    // Brackets nest (up to kDepthMax, deeper gives up); a bracket inside a
    // string does not count.
    constexpr int kDepthMax = 64;
    char closing[kDepthMax];
    int depth = 0;
    for (; i < s.size(); ++i) {
      const char c = s[i];
      if (c == '"') {
        i = string_end(s, i);
        if (i == kNone) return kNone;
        --i;
      } else if (c == '{' || c == '[') {
        if (depth == kDepthMax) return kNone;
        closing[depth++] = c == '{' ? '}' : ']';
      } else if (c == '}' || c == ']') {
        if (depth == 0 || closing[depth - 1] != c) return kNone;
        if (--depth == 0) return i + 1;
      }
    }
    return kNone;
  }
  // A scalar: up to the next structural character or whitespace.
  size_t j = i;
  while (j < s.size() && s[j] != ',' && s[j] != '}' && s[j] != ']' && s[j] != ':' && !is_space(s[j]) && s[j] != '"') ++j;
  return j == i ? kNone : j;
}

bool json_member_span(std::string_view s, std::string_view key, size_t& begin, size_t& end) {
  size_t i = skip_space(s, 0);
  if (i >= s.size() || s[i] != '{') return false;
  i = skip_space(s, i + 1);
  bool found = false;
  if (i < s.size() && s[i] == '}') return false;
  while (true) {
    if (i >= s.size() || s[i] != '"') return false;
    const size_t key_end = string_end(s, i);
    if (key_end == kNone) return false;
    const std::string_view name = s.substr(i + 1, key_end - i - 2);
    i = skip_space(s, key_end);
    if (i >= s.size() || s[i] != ':') return false;
    i = skip_space(s, i + 1);
    const size_t value_end = json_value_end(s, i);
    if (value_end == kNone) return false;
    if (name == key) {
      if (found) return false;  // a repeated key: leave it to the full parser
      found = true;
      begin = i;
      end = value_end;
    }
    i = skip_space(s, value_end);
    if (i >= s.size()) return false;
    if (s[i] == '}') return found && skip_space(s, i + 1) == s.size();
    if (s[i] != ',') return false;
    i = skip_space(s, i + 1);
  }
}

bool json_array_elements(std::string_view s, std::vector<std::string_view>& out) {
  out.clear();
  size_t i = skip_space(s, 0);
  if (i >= s.size() || s[i] != '[') return false;
  i = skip_space(s, i + 1);
  if (i < s.size() && s[i] == ']') return skip_space(s, i + 1) == s.size();
  while (true) {
    const size_t value_end = json_value_end(s, i);
    if (value_end == kNone) return false;
    out.push_back(s.substr(i, value_end - i));
    i = skip_space(s, value_end);
    if (i >= s.size()) return false;
    if (s[i] == ']') return skip_space(s, i + 1) == s.size();
    if (s[i] != ',') return false;
    i = skip_space(s, i + 1);
  }
}

}  // namespace roomsim::netsim
