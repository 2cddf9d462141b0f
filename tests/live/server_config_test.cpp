// tests/live/server_config_test.cpp: `roomsim serve --config FILE` refuses,
// with the JSON path, a duplicated key and nesting deeper than 64 levels
// (issue 15: room configs are copied recursively, so a deep one crashed).
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "live/server_options.hpp"

namespace roomsim::live {
namespace {

std::string write_config(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

TEST(ServerConfig, DuplicatedKeysAndDeepNestingAreErrorsWithTheirPath) {
  ServerOptions o;
  const std::string twice = write_config("twice.json", R"({"rooms":{"chat":{"history_max":5,"history_max":7}}})");
  EXPECT_EQ(load_server_config(twice, o), twice + ": /rooms/chat/history_max: duplicate key \"history_max\"");
  std::string deep = R"({"rooms":{"chat":{"host":)";
  deep.append(70'000, '[').append(70'000, ']').append("}}}");
  const std::string path = write_config("deep.json", deep);
  const std::string error = load_server_config(path, o);
  EXPECT_EQ(error.rfind(path + ": /rooms/chat/host/0/0/", 0), 0u) << error.substr(0, 200);
  EXPECT_NE(error.find(": nested deeper than 64 levels of arrays and objects"), std::string::npos);
  EXPECT_TRUE(o.room_config.empty());
}

}  // namespace
}  // namespace roomsim::live
