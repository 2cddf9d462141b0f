// tests/live/security_test.cpp: what a stranger can reach and grow on a live
// server (issue 15): hostile static-file targets, room instances created and
// kept by anyone, a client that stops reading, token nbf and room scope.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "live/http_route.hpp"
#include "live/static_files.hpp"
#include "rooms/api/registry.hpp"
#include "tests/live/live_fixture.hpp"

namespace roomsim::live::testing {
namespace {

constexpr const char* kHost = "127.0.0.1";

struct RawAnswer {
  int status = 0;  // 0: no status line (connection closed without an answer)
  std::string head;  // status line and header fields
  std::string body;
};

// Sends `request_target` byte for byte (NUL, backslash and all) in a `method` request line.
RawAnswer raw_request(uint16_t port, const std::string& method, const std::string& request_target) {
  RawAnswer out;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return out;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  ::inet_pton(AF_INET, kHost, &addr.sin_addr);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return out;
  }
  const std::string request =
      method + " " + request_target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  (void)::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string raw;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    raw.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  if (raw.rfind("HTTP/1.1 ", 0) == 0 && raw.size() >= 12) out.status = std::stoi(raw.substr(9, 3));
  const size_t body = raw.find("\r\n\r\n");
  if (body != std::string::npos) {
    out.head = raw.substr(0, body);
    out.body = raw.substr(body + 4);
  }
  return out;
}

RawAnswer raw_get(uint16_t port, const std::string& request_target) { return raw_request(port, "GET", request_target); }

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// Waits up to `timeout_ms` for `done`, polling every 20 ms.
bool eventually(const std::function<bool()>& done, int timeout_ms = 5000) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

// ---- 1. Static files: only the allow-list, whatever the spelling ----

// A web directory with the three client files plus every trap a stranger could aim at.
struct HostileWebDir {
  std::string web = fresh_dir("web");
  std::string outside = fresh_dir("outside");
  std::string data = fresh_dir("web-data");
  HostileWebDir() {
    namespace fs = std::filesystem;
    write_file(fs::path(web) / "index.html", "<!doctype html>INDEX-OK");
    write_file(fs::path(web) / "app.js", "APP-OK");
    write_file(fs::path(web) / "style.css", "STYLE-OK");
    write_file(fs::path(outside) / "secret.txt", "OUTSIDE-SECRET");
    write_file(fs::path(web) / ".env", "DOTENV-SECRET");
    write_file(fs::path(web) / "sub" / "inner.js", "SUBDIR-SECRET");
    write_file(fs::path(web) / "we ird.js", "WEIRD-SECRET");
    write_file(fs::path(web) / "big.js", std::string(StaticFiles::kFileBytesMax + 1, 'B'));
    fs::create_symlink("/etc/passwd", fs::path(web) / "passwd");
    fs::create_symlink(fs::path(outside) / "secret.txt", fs::path(web) / "leak.js");
    fs::create_directory_symlink("/etc", fs::path(web) / "etc");
    fs::create_directory_symlink(outside, fs::path(web) / "out");
  }
};

// Bytes of files outside the allow-list; no answer may carry any of them.
const std::vector<std::string> kForbidden = {"root:x:0", "OUTSIDE-SECRET", "DOTENV-SECRET", "SUBDIR-SECRET",
                                             "WEIRD-SECRET", "BBBBBBBBBBBBBBBB", "SQLite format", "PATH="};

TEST(LiveSecurity, StaticFilesServeOnlyTheAllowListForEverySpelling) {
  HostileWebDir dir;
  ServerOptions o = LiveServer::defaults(dir.data);
  o.web_dir = dir.web;
  LiveServer s(o);
  // Put a room's data in the database, so it holds something worth stealing.
  {
    BlockingWsClient a;
    ASSERT_EQ(a.connect(kHost, s.port(), probe_path("vault", "a")), 101);
    ASSERT_TRUE(a.send(R"({"type":"broadcast","payload":"DB-SECRET"})"));
    ASSERT_TRUE(receive_type(a, "message"));
  }
  const std::string db = dir.data + "/rooms.sqlite3";
  ASSERT_TRUE(std::filesystem::exists(db));
  const std::string data_name = std::filesystem::path(dir.data).filename().string();
  const std::vector<std::string> hostile = {
      "//etc/passwd",
      "///etc/passwd",
      "//etc//passwd",
      "//proc/self/environ",
      "/..//proc/self/environ",
      "/etc/passwd",
      "/../../../../etc/passwd",
      "/..%2f..%2f..%2f..%2fetc%2fpasswd",
      "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
      "/%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
      "/%2fetc%2fpasswd",
      "/%252e%252e/%252e%252e/etc/passwd",
      "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
      "/%c0%af..%c0%af..%c0%afetc%c0%afpasswd",
      "/\\etc\\passwd",
      "/..\\..\\..\\..\\etc\\passwd",
      "/%5c..%5c..%5c..%5cetc%5cpasswd",
      "/index.html%00/../../../etc/passwd",
      "/app.js%00",
      std::string("/index.html\0/../../etc/passwd", 29),
      "/passwd",
      "/etc/passwd/",
      "/etc/hostname",
      "/leak.js",
      "/out/secret.txt",
      "/.env",
      "/sub/inner.js",
      "/sub%2finner.js",
      "/we%20ird.js",
      "/big.js",
      "/rooms.sqlite3",
      "/" + db,
      "/../" + data_name + "/rooms.sqlite3",
      "/%2e%2e/" + data_name + "/rooms.sqlite3",
      "/app.js/../../../../etc/passwd",
      "/./index.html/../../../etc/passwd",
      "/index.html;/../../../etc/passwd",
      "http://127.0.0.1/etc/passwd",
      "*",
      "/rooms/../../etc/passwd",
  };
  ASSERT_GE(hostile.size(), 25u);
  for (const std::string& target : hostile) {
    const RawAnswer r = raw_get(s.port(), target);
    EXPECT_TRUE(r.status == 400 || r.status == 404) << "GET " << target << " answered " << r.status;
    for (const std::string& marker : kForbidden) {
      EXPECT_EQ(r.body.find(marker), std::string::npos) << "GET " << target << " leaked " << marker;
    }
    EXPECT_EQ(r.body.find("DB-SECRET"), std::string::npos) << "GET " << target << " leaked the database";
  }
  // The allow-list itself is served, from memory.
  const std::vector<std::pair<std::string, std::string>> allowed = {{"/", "<!doctype html>INDEX-OK"},
                                                                    {"/index.html", "<!doctype html>INDEX-OK"},
                                                                    {"/app.js", "APP-OK"},
                                                                    {"/style.css", "STYLE-OK"},
                                                                    {"/app.js?../../etc/passwd", "APP-OK"}};
  for (const auto& [target, body] : allowed) {
    const RawAnswer r = raw_get(s.port(), target);
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.body, body) << target;
  }
}

// HEAD answers what GET would, without the body: Content-Length is the file's (it was 0).
TEST(LiveSecurity, HeadAnswersTheLengthOfTheFileWithoutItsBytes) {
  HostileWebDir dir;
  ServerOptions o = LiveServer::defaults(dir.data);
  o.web_dir = dir.web;
  LiveServer s(o);
  const RawAnswer head = raw_request(s.port(), "HEAD", "/app.js");
  EXPECT_EQ(head.status, 200);
  EXPECT_NE(head.head.find("Content-Length: 6"), std::string::npos) << head.head;
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(raw_get(s.port(), "/app.js").body, "APP-OK");
}

TEST(LiveSecurity, AnExplicitWebDirThatIsMissingRefusesToStart) {
  ServerOptions o = LiveServer::defaults(fresh_dir("noweb"));
  o.web_dir = fresh_dir("no-such-web-dir");
  Server s(o, probe_registry());
  EXPECT_NE(s.start().find("not a readable directory"), std::string::npos);
}

// The room database must never be servable: a web dir that is the data dir refuses to
// start, and a file a web client never ships (a database, a log) is not served even when
// an operator copies one into the web dir (issue 15 review: `--web-dir` = `--data` served
// rooms.sqlite3 after a restart).
TEST(LiveSecurity, TheDatabaseIsNeverAWebFile) {
  const std::string shared = fresh_dir("web-is-data");
  std::filesystem::create_directories(shared);
  ServerOptions same = LiveServer::defaults(shared);
  same.web_dir = shared;
  Server refused(same, probe_registry());
  EXPECT_NE(refused.start().find("--web-dir and --data are the same directory"), std::string::npos);
  same.web_dir = shared + "/./";
  Server refused_again(same, probe_registry());
  EXPECT_NE(refused_again.start().find("--web-dir and --data are the same directory"), std::string::npos);

  HostileWebDir dir;
  write_file(std::filesystem::path(dir.web) / "rooms.sqlite3", "SQLite format 3");
  write_file(std::filesystem::path(dir.web) / "rooms.sqlite3-wal", "SQLite format 3");
  write_file(std::filesystem::path(dir.web) / "server.log", "SQLite format 3");
  ServerOptions o = LiveServer::defaults(dir.data);
  o.web_dir = dir.web;
  LiveServer s(o);
  for (const char* target : {"/rooms.sqlite3", "/rooms.sqlite3-wal", "/server.log"}) {
    const HttpResult r = http_request(kHost, s.port(), target);
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(r.body.find("SQLite"), std::string::npos) << target;
  }
  EXPECT_EQ(http_request(kHost, s.port(), "/app.js").body, "APP-OK");
}

// ---- 2. Room instances: freed when idle, never kept by a refusal, capped ----

uint64_t live_rooms(uint16_t port) { return metric_value(port, "roomsim_rooms"); }

TEST(LiveSecurity, RefusedRequestsKeepNoRoomInstance) {
  ServerOptions o = LiveServer::defaults(fresh_dir("refused-rooms"));
  o.room_idle_timeout_ms = 600000;  // far away: what frees these rooms is the refusal, not the idle period
  LiveServer s(o);
  for (int i = 0; i < 150; ++i) {
    ASSERT_EQ(http_request(kHost, s.port(), "/rooms/probe/plain-" + std::to_string(i)).status, 400);
  }
  for (int i = 0; i < 50; ++i) {
    BlockingWsClient c;
    ASSERT_EQ(c.connect(kHost, s.port(), "/rooms/probe/denied-" + std::to_string(i)), 401);
  }
  // A malformed upgrade is refused before any room exists for it.
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(http_request(kHost, s.port(), "/rooms/probe/nokey-" + std::to_string(i),
                           {{"Connection", "Upgrade"}, {"Upgrade", "websocket"}})
                  .status,
              400);
  }
  EXPECT_TRUE(eventually([&] { return live_rooms(s.port()) == 0; })) << live_rooms(s.port()) << " rooms still live";
  EXPECT_EQ(metric_value(s.port(), "roomsim_rooms_evicted_total"), 200u);
  // Room names are bounded: they become storage keys.
  EXPECT_EQ(http_request(kHost, s.port(), "/rooms/probe/" + std::string(kRoomNameBytesMax + 1, 'x')).status, 404);
  EXPECT_EQ(http_request(kHost, s.port(), "/rooms/probe/" + std::string(kRoomNameBytesMax, 'x')).status, 400);
}

TEST(LiveSecurity, AnIdleRoomLeavesMemoryAndKeepsItsStorage) {
  ServerOptions o = LiveServer::defaults(fresh_dir("idle-room"));
  o.room_idle_timeout_ms = 300;
  LiveServer s(o);
  BlockingWsClient stay;
  ASSERT_EQ(stay.connect(kHost, s.port(), probe_path("stay", "s")), 101);
  {
    BlockingWsClient a;
    ASSERT_EQ(a.connect(kHost, s.port(), probe_path("leave", "a")), 101);
    ASSERT_TRUE(a.send(R"({"type":"broadcast","payload":"kept"})"));
    ASSERT_TRUE(receive_type(a, "message"));
    EXPECT_EQ(live_rooms(s.port()), 2u);
    a.close();
  }
  // The gauge returns to the rooms that still have sessions.
  EXPECT_TRUE(eventually([&] { return live_rooms(s.port()) == 1; })) << live_rooms(s.port());
  EXPECT_EQ(metric_value(s.port(), "roomsim_rooms_evicted_total"), 1u);
  // A new instance starts from storage: the broadcast's sequence number is still there.
  BlockingWsClient again;
  ASSERT_EQ(again.connect(kHost, s.port(), probe_path("leave", "a")), 101);
  auto welcome = receive_type(again, "welcome");
  ASSERT_TRUE(welcome);
  EXPECT_EQ((*welcome)["seq"], 1);
  EXPECT_TRUE(stay.send(R"({"type":"state"})"));
  EXPECT_TRUE(receive_type(stay, "state")) << "the room with a session was never evicted";
}

TEST(LiveSecurity, MaxRoomsRefusesOneMoreRoomWith503) {
  ServerOptions o = LiveServer::defaults(fresh_dir("max-rooms"));
  o.max_rooms = 2;
  o.room_idle_timeout_ms = 100;
  LiveServer s(o);
  auto a = std::make_unique<BlockingWsClient>();
  BlockingWsClient b, c, c_again, a2;
  ASSERT_EQ(a->connect(kHost, s.port(), probe_path("r1", "a")), 101);
  ASSERT_EQ(b.connect(kHost, s.port(), probe_path("r2", "b")), 101);
  EXPECT_EQ(c.connect(kHost, s.port(), probe_path("r3", "c")), 503);
  EXPECT_NE(c.refusal_body().find("--max-rooms"), std::string::npos) << c.refusal_body();
  EXPECT_EQ(metric_value(s.port(), "roomsim_rejections_total{reason=\"max_rooms\"}"), 1u);
  ASSERT_EQ(a2.connect(kHost, s.port(), probe_path("r1", "a2")), 101) << "live rooms still admit";
  a->close();
  a2.close();
  a.reset();
  ASSERT_TRUE(eventually([&] { return live_rooms(s.port()) == 1; }));
  EXPECT_EQ(c_again.connect(kHost, s.port(), probe_path("r3", "c")), 101);
}

// Instances kept only by past requests must not hold --max-rooms for their whole idle
// period (issue 15 review: 60 GETs of open endpoints filled a cap of 50 and a user with a
// valid token got 503 for 30 s). At the cap idle instances leave at once; a retry gets in,
// and a room with a session is never pushed out.
TEST(LiveSecurity, AtMaxRoomsIdleInstancesMakeWayButRoomsWithSessionsStay) {
  ServerOptions o = LiveServer::defaults(fresh_dir("max-rooms-idle"));
  o.max_rooms = 2;
  o.room_idle_timeout_ms = 600000;  // far away: only the cap can free these rooms in time
  LiveServer s(o);
  BlockingWsClient member;
  ASSERT_EQ(member.connect(kHost, s.port(), probe_path("busy", "m")), 101);
  ASSERT_EQ(http_request(kHost, s.port(), "/rooms/probe/idle/state").status, 200);
  ASSERT_EQ(live_rooms(s.port()), 2u);
  EXPECT_EQ(http_request(kHost, s.port(), "/rooms/probe/new/state").status, 503);
  EXPECT_TRUE(eventually([&] { return http_request(kHost, s.port(), "/rooms/probe/new/state").status == 200; }, 3000))
      << "the idle instance never made way";
  // The room with a session kept its instance: its member is still served.
  ASSERT_TRUE(member.send(R"({"type":"state"})"));
  EXPECT_TRUE(receive_type(member, "state"));
  EXPECT_EQ(http_request(kHost, s.port(), "/rooms/probe/third/state").status, 503);
  ASSERT_TRUE(member.send(R"({"type":"broadcast","payload":"still here"})"));
  auto m = receive_type(member, "message");
  ASSERT_TRUE(m);
  EXPECT_EQ((*m)["payload"], "still here");
}

TEST(LiveSecurity, TheAlarmOfAnEvictedRoomWakesANewInstance) {
  ServerOptions o = LiveServer::defaults(fresh_dir("evicted-alarm"));
  o.room_idle_timeout_ms = 100;
  LiveServer s(o);
  {
    BlockingWsClient a;
    ASSERT_EQ(a.connect(kHost, s.port(), probe_path("sleepy", "a")), 101);
    ASSERT_TRUE(a.send(R"({"type":"alarm","in_ms":1500})"));
    ASSERT_TRUE(a.send(R"({"type":"state"})"));
    auto st = receive_type(a, "state");
    ASSERT_TRUE(st);
    EXPECT_EQ((*st)["alarm_set"], true);
    a.close();
  }
  ASSERT_TRUE(eventually([&] { return live_rooms(s.port()) == 0; }, 1000)) << "the idle room was not evicted";
  EXPECT_EQ(metric_value(s.port(), "roomsim_alarms_fired_total"), 0u);
  EXPECT_TRUE(eventually([&] { return metric_value(s.port(), "roomsim_alarms_fired_total") == 1; }, 5000));
  HttpResult state = http_request(kHost, s.port(), "/rooms/probe/sleepy/state");
  ASSERT_EQ(state.status, 200);
  auto j = nlohmann::json::parse(state.body);
  EXPECT_EQ(j["alarms"], 1) << "the alarm ran in a new instance and its write is durable";
  EXPECT_EQ(j["alarm_set"], false);
}

// ---- 3. A client that stops reading ----

// Floods room `room` from `sender` with broadcasts of `payload_bytes` until the server has cut
// off a slow consumer (at most `messages_max`). The sender waits for the echo of each broadcast
// before the next, so only the sleeper's queue grows: on a loaded machine a sender that drained
// with a short timeout fell behind and was cut too.
void flood_until_cut(LiveServer& s, BlockingWsClient& sender, size_t payload_bytes = 60000, int messages_max = 600) {
  const std::string big = nlohmann::json{{"type", "broadcast"}, {"payload", std::string(payload_bytes, 'p')}}.dump();
  auto cut = [&] { return metric_value(s.port(), "roomsim_rejections_total{reason=\"slow_consumer\"}") != 0; };
  for (int i = 0; i < messages_max && (i % 16 != 0 || !cut()); ++i) {
    ASSERT_TRUE(sender.send(big));
    ASSERT_TRUE(receive_type(sender, "message", 10000)) << "the sender's own broadcast " << i << " never came back";
  }
  ASSERT_EQ(metric_value(s.port(), "roomsim_rejections_total{reason=\"slow_consumer\"}"), 1u);
}

// The documented 1008 reaches a client that stopped reading once it reads again within
// --close-timeout-ms, even slowly: little is queued ahead of the close frame.
TEST(LiveSecurity, ASlowConsumerThatReadsAgainSeesClose1008) {
  ServerOptions o = LiveServer::defaults(fresh_dir("slow-1008"));
  o.send_queue_max_bytes = 256 * 1024;
  LiveServer s(o);
  BlockingWsClient sender, sleeper;
  ASSERT_EQ(sender.connect(kHost, s.port(), probe_path("slow", "s")), 101);
  ASSERT_EQ(sleeper.connect(kHost, s.port(), probe_path("slow", "z")), 101);
  flood_until_cut(s, sender);
  // Read at about 400 KB/s: with the kernel's autotuned send buffer (megabytes ahead of the
  // close frame) the close timer fires first and the client sees only the end of the stream.
  size_t frames = 0;
  while (sleeper.receive(3000)) {
    ++frames;
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
  }
  EXPECT_EQ(sleeper.close_code(), 1008) << "after " << frames << " frames";
  EXPECT_EQ(sleeper.close_reason(), "slow consumer");
  EXPECT_EQ(metric_value(s.port(), "roomsim_close_resets_total"), 0u);
}

// The frame bound holds on its own: small frames that never reach the byte bound still cut a
// client that stops reading once --send-queue-frames are queued.
TEST(LiveSecurity, TheFrameBoundCutsASlowConsumerOfSmallFrames) {
  ServerOptions o = LiveServer::defaults(fresh_dir("slow-frames"));
  o.send_queue_max_bytes = 256u << 20;  // out of reach
  o.send_queue_max_frames = 16;
  LiveServer s(o);
  BlockingWsClient sender, sleeper;
  ASSERT_EQ(sender.connect(kHost, s.port(), probe_path("slowf", "s")), 101);
  ASSERT_EQ(sleeper.connect(kHost, s.port(), probe_path("slowf", "z")), 101);
  flood_until_cut(s, sender, 4000, 20000);
  EXPECT_TRUE(eventually([&] { return metric_value(s.port(), "roomsim_connections") == 1; }, 5000));
  ASSERT_TRUE(sender.send(R"({"type":"state"})"));
  EXPECT_TRUE(receive_type(sender, "state")) << "the reading client is still served";
}

// A client that reads nothing at all cannot see the close frame; the server resets it after
// --close-timeout-ms and holds nothing for it afterwards.
TEST(LiveSecurity, ASlowConsumerThatNeverReadsIsResetAndFreed) {
  ServerOptions o = LiveServer::defaults(fresh_dir("slow-reset"));
  o.send_queue_max_bytes = 256 * 1024;
  o.close_timeout_ms = 500;
  LiveServer s(o);
  BlockingWsClient sender, sleeper;
  ASSERT_EQ(sender.connect(kHost, s.port(), probe_path("slow", "s")), 101);
  ASSERT_EQ(sleeper.connect(kHost, s.port(), probe_path("slow", "z")), 101);
  flood_until_cut(s, sender);
  EXPECT_TRUE(eventually([&] { return metric_value(s.port(), "roomsim_close_resets_total") == 1; }, 3000));
  EXPECT_TRUE(eventually([&] { return metric_value(s.port(), "roomsim_connections") == 1; }, 3000));
  EXPECT_TRUE(eventually([&] { return metric_value(s.port(), "roomsim_send_queue_bytes") == 0; }, 3000));
  while (sleeper.receive(2000)) {
  }
  EXPECT_EQ(sleeper.close_code(), 1006) << "a reset connection has no close frame";
}

// ---- 4. Tokens ----

std::string scoped_token(const std::string& user, const std::string& room, int64_t nbf_offset_s = 0) {
  auth::TokenClaims c;
  c.sub = user;
  c.name = user;
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  c.exp = now + 3600;
  c.room = room;
  if (nbf_offset_s != 0) c.nbf = now + nbf_offset_s;
  return auth::mint_hs256(kProbeSecret, c);
}

TEST(LiveSecurity, ARoomScopedTokenOpensOnlyItsRoom) {
  ServerOptions o = LiveServer::defaults(fresh_dir("scoped"));
  o.dev = true;
  o.dev_secret = kProbeSecret;
  LiveServer s(o);
  const std::string token = scoped_token("u1", "probe/a");
  BlockingWsClient in_scope, out_of_scope, other_kind_path;
  EXPECT_EQ(in_scope.connect(kHost, s.port(), "/rooms/probe/a?token=" + token), 101);
  EXPECT_EQ(out_of_scope.connect(kHost, s.port(), "/rooms/probe/b?token=" + token), 401);
  EXPECT_EQ(other_kind_path.connect(kHost, s.port(), "/rooms/probe/a2?token=" + token), 401);
  // /dev/token mints scoped tokens too.
  HttpResult dev = http_request(kHost, s.port(), "/dev/token?user=u2&room=probe%2Fb");
  ASSERT_EQ(dev.status, 200);
  const std::string dev_token = nlohmann::json::parse(dev.body)["token"];
  BlockingWsClient dev_b, dev_a;
  EXPECT_EQ(dev_b.connect(kHost, s.port(), "/rooms/probe/b?token=" + dev_token), 101);
  EXPECT_EQ(dev_a.connect(kHost, s.port(), "/rooms/probe/a?token=" + dev_token), 401);
}

// Found by tests/fuzz/token_fuzz.cpp's mint round trip: a claim that is not UTF-8 made
// nlohmann::json throw on an io thread, and `serve --dev` aborted.
TEST(LiveSecurity, DevTokenRefusesClaimsThatAreNotUtf8) {
  ServerOptions o = LiveServer::defaults(fresh_dir("dev-utf8"));
  o.dev = true;
  LiveServer s(o);
  for (const char* target : {"/dev/token?user=%ff", "/dev/token?user=u&name=%c0%ae", "/dev/token?user=u&room=a%80"}) {
    HttpResult r = http_request(kHost, s.port(), target);
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_NE(r.body.find("not valid UTF-8"), std::string::npos) << r.body;
  }
  EXPECT_EQ(http_request(kHost, s.port(), "/healthz").status, 200);
}

// A scope no URL can match must not be minted: an empty room= minted an unscoped token
// silently, and "nonsense" or an id with a space minted tokens valid nowhere.
TEST(LiveSecurity, DevTokenRefusesRoomScopesNoUrlCanMatch) {
  ServerOptions o = LiveServer::defaults(fresh_dir("dev-scope"));
  o.dev = true;
  LiveServer s(o);
  for (const char* target : {"/dev/token?user=u&room=", "/dev/token?user=u&room=nonsense",
                             "/dev/token?user=u&room=probe%2Fa%20b", "/dev/token?user=u&room=probe%2F",
                             "/dev/token?user=u&room=probe%2Fa%2Fb"}) {
    HttpResult r = http_request(kHost, s.port(), target);
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_NE(r.body.find("room must be KIND/ID"), std::string::npos) << r.body;
  }
  EXPECT_EQ(http_request(kHost, s.port(), "/dev/token?user=u&room=probe%2Fa").status, 200);
}

// ?user=%ff reached the relay room as a user id that is not UTF-8; its JSON threw and the
// room reset, closing every session 1011.
TEST(LiveSecurity, QueryParametersThatAreNotUtf8NeverReachARoom) {
  LiveServer s(LiveServer::defaults(fresh_dir("query-utf8")), rooms::builtin_registry());
  BlockingWsClient a, b, c;
  ASSERT_EQ(a.connect(kHost, s.port(), "/rooms/relay/q?user=ok"), 101);
  EXPECT_EQ(b.connect(kHost, s.port(), "/rooms/relay/q?user=%ff&name=x"), 400);
  EXPECT_EQ(c.connect(kHost, s.port(), "/rooms/relay/q?%c0%ae=1"), 400);
  EXPECT_EQ(metric_value(s.port(), "roomsim_rejections_total{reason=\"bad_query\"}"), 2u);
  EXPECT_EQ(metric_value(s.port(), "roomsim_room_resets_total"), 0u);
  while (a.receive(300)) {
  }
  EXPECT_TRUE(a.open()) << "the room was reset: close " << a.close_code();
}

TEST(LiveSecurity, ATokenIsRefusedBeforeItsNotBefore) {
  LiveServer s(LiveServer::defaults(fresh_dir("nbf")));
  BlockingWsClient early, ok;
  EXPECT_EQ(early.connect(kHost, s.port(), "/rooms/probe/a?token=" + scoped_token("u1", "", 600)), 401);
  EXPECT_EQ(ok.connect(kHost, s.port(), "/rooms/probe/a?token=" + scoped_token("u1", "", -600)), 101);
}

}  // namespace
}  // namespace roomsim::live::testing
