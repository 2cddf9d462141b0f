// tests/live/http_route_test.cpp: routing of raw request targets and the
// static allow-list, without sockets (live/http_route.hpp, live/static_files.hpp).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "live/http_route.hpp"
#include "live/static_files.hpp"
#include "tests/live/live_fixture.hpp"

namespace roomsim::live::testing {
namespace {

TEST(HttpRoute, ClassifiesTargets) {
  struct Case {
    std::string target;
    RouteKind kind;
    std::string room_kind, room_id;
  };
  const std::vector<Case> cases = {
      {"/rooms/chat/lobby", RouteKind::kRoom, "chat", "lobby"},
      {"/rooms/chat/lobby/info?x=1", RouteKind::kRoom, "chat", "lobby"},
      {"/rooms/chat/a%20b?token=t", RouteKind::kRoom, "chat", "a%20b"},
      {"/rooms/chat/", RouteKind::kBadRoom, "", ""},
      {"/rooms/chat", RouteKind::kBadRoom, "", ""},
      {"/rooms//lobby", RouteKind::kBadRoom, "", ""},
      {"/rooms/chat/lo\\bby", RouteKind::kBadRoom, "", ""},
      {std::string("/rooms/chat/lo\0b", 16), RouteKind::kBadRoom, "", ""},
      {"/rooms/chat/caf\xc3\xa9", RouteKind::kBadRoom, "", ""},
      {"/rooms/chat/a b", RouteKind::kBadRoom, "", ""},
      {"/rooms/chat/" + std::string(kRoomNameBytesMax, 'i'), RouteKind::kRoom, "chat", std::string(kRoomNameBytesMax, 'i')},
      {"/rooms/chat/" + std::string(kRoomNameBytesMax + 1, 'i'), RouteKind::kBadRoom, "", ""},
      {"/healthz", RouteKind::kHealthz, "", ""},
      {"/metrics?x", RouteKind::kMetrics, "", ""},
      {"/dev/token?user=u", RouteKind::kDevToken, "", ""},
      {"/", RouteKind::kStatic, "", ""},
      {"//etc/passwd", RouteKind::kStatic, "", ""},
      {"", RouteKind::kNotFound, "", ""},
      {"*", RouteKind::kNotFound, "", ""},
      {"http://h/rooms/chat/lobby", RouteKind::kNotFound, "", ""},
      {"?/rooms/chat/lobby", RouteKind::kNotFound, "", ""},
  };
  for (const Case& c : cases) {
    const Route r = route_target(c.target);
    EXPECT_EQ(r.kind, c.kind) << c.target;
    EXPECT_EQ(r.room_kind, c.room_kind) << c.target;
    EXPECT_EQ(r.room_id, c.room_id) << c.target;
  }
  EXPECT_EQ(route_target("/rooms/chat/lobby?token=a?b").query, "token=a?b");
}

TEST(HttpRoute, DecodesQueryComponentsOnly) {
  auto q = parse_query("user=a%20b&name=Ann+B&empty&bad=%zz%4&nul=%00&=v&&x=1&x=2");
  EXPECT_EQ(q["user"], "a b");
  EXPECT_EQ(q["name"], "Ann B");
  EXPECT_EQ(q["empty"], "");
  EXPECT_EQ(q["bad"], "%zz%4");
  EXPECT_EQ(q["nul"], std::string(1, '\0'));
  EXPECT_EQ(q[""], "v");
  EXPECT_EQ(q["x"], "2");
  EXPECT_EQ(percent_decode("%"), "%");
  EXPECT_EQ(percent_decode("%4"), "%4");
  EXPECT_EQ(percent_decode("%41%4a%4A"), "AJJ");
}

TEST(StaticFiles, LoadsOnlyPlainRegularFilesInsideTheDirectory) {
  namespace fs = std::filesystem;
  const fs::path web = fresh_dir("allow-list");
  const fs::path outside = fresh_dir("allow-list-outside");
  fs::create_directories(web / "sub");
  fs::create_directories(outside);
  std::ofstream(web / "index.html") << "I";
  std::ofstream(web / "app.js") << "A";
  std::ofstream(web / ".hidden") << "H";
  std::ofstream(web / "sub" / "x.js") << "S";
  std::ofstream(web / "big.js") << std::string(StaticFiles::kFileBytesMax + 1, 'b');
  std::ofstream(web / "exact.js") << std::string(StaticFiles::kFileBytesMax, 'e');
  std::ofstream(outside / "secret") << "X";
  fs::create_symlink(outside / "secret", web / "leak.js");
  fs::create_symlink(web / "app.js", web / "alias.js");  // inside: allowed
  fs::create_symlink("/etc/passwd", web / "passwd");
  std::vector<std::string> notes;
  auto loaded = StaticFiles::load(web.string(), notes);
  ASSERT_TRUE(std::holds_alternative<StaticFiles>(loaded)) << std::get<std::string>(loaded);
  const StaticFiles& files = std::get<StaticFiles>(loaded);
  EXPECT_EQ(files.size(), 4u);  // index.html, app.js, alias.js, exact.js
  ASSERT_NE(files.find("/"), nullptr);
  EXPECT_EQ(files.find("/")->body, "I");
  EXPECT_STREQ(files.find("/index.html")->content_type, "text/html; charset=utf-8");
  ASSERT_NE(files.find("/alias.js"), nullptr);
  EXPECT_EQ(files.find("/alias.js")->body, "A");
  EXPECT_EQ(files.find("/exact.js")->body.size(), StaticFiles::kFileBytesMax);
  for (const char* miss : {"/.hidden", "/sub/x.js", "/big.js", "/leak.js", "/passwd", "/sub", "index.html",
                           "//index.html", "/index.html/", "/INDEX.HTML", "/app.js%00", "/./app.js", ""}) {
    EXPECT_EQ(files.find(miss), nullptr) << miss;
  }
  std::string all_notes;
  for (const auto& n : notes) all_notes += n + "\n";
  for (const char* skipped : {".hidden", "sub", "big.js", "leak.js", "passwd"}) {
    EXPECT_NE(all_notes.find(std::string("/") + skipped + ": not served"), std::string::npos) << all_notes;
  }
  EXPECT_TRUE(std::holds_alternative<std::string>(StaticFiles::load((web / "nope").string(), notes)));
  EXPECT_EQ(StaticFiles().find("/"), nullptr);
}

}  // namespace
}  // namespace roomsim::live::testing
