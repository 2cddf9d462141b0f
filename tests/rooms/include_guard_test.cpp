// Scans every file under rooms/ and fails on an #include outside the allowed
// set: standard headers (<name> without '/'), <nlohmann/...> and "rooms/...".
// This is what keeps one room class runnable in both the simulator and the
// live server (DESIGN.md, "rooms/ must never include engine, netsim, live,
// asio or beast headers").
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

// Returns the offending include lines of `text` ("file:line: include").
std::vector<std::string> bad_includes(const std::string& file, std::istream& in) {
  static const std::regex kInclude(R"(^\s*#\s*include\s*([<"])([^>"]+)[>"])");
  std::vector<std::string> bad;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    std::smatch m;
    if (!std::regex_search(line, m, kInclude)) continue;
    const bool angle = m[1] == "<";
    const std::string path = m[2];
    const bool ok = angle ? (path.find('/') == std::string::npos || path.rfind("nlohmann/", 0) == 0)
                          : path.rfind("rooms/", 0) == 0;
    if (!ok) bad.push_back(file + ":" + std::to_string(n) + ": " + line);
  }
  return bad;
}

TEST(RoomsIncludes, OnlyStandardNlohmannAndRoomsHeaders) {
  const std::filesystem::path root = std::filesystem::path(ROOMSIM_SOURCE_DIR) / "rooms";
  ASSERT_TRUE(std::filesystem::is_directory(root)) << root;
  std::vector<std::string> bad;
  int scanned = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path());
    auto found = bad_includes(entry.path().string(), in);
    bad.insert(bad.end(), found.begin(), found.end());
    ++scanned;
  }
  EXPECT_GT(scanned, 10);
  for (const auto& b : bad) ADD_FAILURE() << "forbidden include: " << b;
}

TEST(RoomsIncludes, CheckerRejectsForbiddenIncludes) {
  std::istringstream text(
      "#include <vector>\n#include <nlohmann/json.hpp>\n#include \"rooms/api/room.hpp\"\n"
      "#include \"engine/rng.hpp\"\n#include <boost/beast.hpp>\n  #  include \"auth/jwt.hpp\"\n#include \"local.hpp\"\n");
  auto bad = bad_includes("x.cpp", text);
  ASSERT_EQ(bad.size(), 4u);
  EXPECT_NE(bad[0].find("engine/rng.hpp"), std::string::npos);
  EXPECT_NE(bad[1].find("boost"), std::string::npos);
  EXPECT_NE(bad[2].find("auth/jwt.hpp"), std::string::npos);
  EXPECT_NE(bad[3].find("local.hpp"), std::string::npos);
}

}  // namespace
