// netsim/embedded_csv.hpp: reading the CSV files embedded in the library at
// build time (pops.csv, rtt.csv, rtt_cities.csv). Internal to netsim/.
//
// The files are fixed and plain (no quotes, no commas inside fields), so a row
// is split on every comma. Numbers are read the same way with libstdc++ and
// libc++ and whatever the process locale.
#pragma once

#include <locale>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace roomsim::netsim::internal {

// Calls fn(fields) for every non-empty line after the header line.
template <typename Fn>
void for_each_csv_row(std::string_view text, Fn&& fn) {
  bool header = true;
  std::vector<std::string_view> fields;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (header || line.empty()) {
      header = false;
      continue;
    }
    fields.clear();
    size_t start = 0;
    for (size_t comma; (comma = line.find(',', start)) != std::string_view::npos; start = comma + 1) {
      fields.push_back(line.substr(start, comma - start));
    }
    fields.push_back(line.substr(start));
    fn(fields);
  }
}

// A decimal number, whatever the process locale. std::from_chars would do,
// but libc++ 14 (Debian 12's clang) has no floating-point from_chars; a stream
// on the classic locale gives the same correctly rounded double with
// libstdc++ and libc++ (`make check-portability` compares the traces).
inline double parse_decimal(std::string_view text) {
  std::istringstream in{std::string(text)};
  in.imbue(std::locale::classic());
  double value = 0;
  in >> value;
  return value;
}

}  // namespace roomsim::netsim::internal
