// tests/labels.hpp: "<prefix><n>" names ("m3", "c17") for test fixtures in
// every folder of tests/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace roomsim::testing {

// label("m", 3) == "m3". It appends instead of writing `"m" + std::to_string(n)`,
// which GCC 12 flags with a false -Wrestrict once inlined (GCC bug 105651).
inline std::string label(std::string_view prefix, int64_t n) {
  std::string out(prefix);
  out.append(std::to_string(n));
  return out;
}

}  // namespace roomsim::testing
