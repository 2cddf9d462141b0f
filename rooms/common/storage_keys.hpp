// rooms/common/storage_keys.hpp: numbered storage keys that list in numeric order.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace roomsim::rooms {

// "<prefix><n as 20 digits>", so byte order equals numeric order.
inline std::string numbered_key(std::string_view prefix, int64_t n) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%020lld", static_cast<long long>(n));
  return std::string(prefix) + buf;
}

// The number of a key made by numbered_key, or nothing.
inline std::optional<int64_t> key_number(std::string_view key, std::string_view prefix) {
  if (key.size() != prefix.size() + 20 || key.substr(0, prefix.size()) != prefix) return std::nullopt;
  int64_t n = 0;
  for (char c : key.substr(prefix.size())) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

}  // namespace roomsim::rooms
