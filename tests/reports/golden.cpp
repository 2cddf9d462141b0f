// tests/reports/golden.cpp: golden-file comparison with ROOMSIM_UPDATE_GOLDEN.
#include "golden.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace roomsim::reports::testing {

void expect_matches_golden(const std::string& name, const std::string& actual) {
  const std::filesystem::path path = std::filesystem::path(ROOMSIM_SOURCE_DIR) / "tests/reports/golden" / name;
  const char* update = std::getenv("ROOMSIM_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << actual;
    ASSERT_TRUE(out.good()) << "cannot rewrite " << path;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in.good()) << path << " is missing; run the tests with ROOMSIM_UPDATE_GOLDEN=1 to create it";
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string expected = buffer.str();
  if (expected == actual) return;
  std::istringstream a(actual);
  std::istringstream e(expected);
  std::string line_a;
  std::string line_e;
  int line = 1;
  for (;; ++line) {
    const bool more_a = static_cast<bool>(std::getline(a, line_a));
    const bool more_e = static_cast<bool>(std::getline(e, line_e));
    if (!more_a && !more_e) break;
    if (!more_a || !more_e || line_a != line_e) {
      ADD_FAILURE() << path << " differs at line " << line << "\n  golden: " << (more_e ? line_e : "<end>")
                    << "\n  actual: " << (more_a ? line_a : "<end>")
                    << "\n(rerun with ROOMSIM_UPDATE_GOLDEN=1 if the change is intended)";
      return;
    }
  }
  ADD_FAILURE() << path << " differs (line endings?)";
}

}  // namespace roomsim::reports::testing
