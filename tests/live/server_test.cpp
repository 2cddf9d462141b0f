// tests/live/server_test.cpp: end-to-end tests of the live host on an
// ephemeral 127.0.0.1 port with the probe room (tests/live/test_rooms.hpp):
// routes, refusals, fan-out, limits, storage durability, output gate, alarms.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "rooms/api/registry.hpp"
#include "tests/live/live_fixture.hpp"

namespace roomsim::live::testing {
namespace {

constexpr const char* kHost = "127.0.0.1";

TEST(LiveServer, HealthzMetricsAndUnknownPaths) {
  LiveServer s(LiveServer::defaults(fresh_dir("routes")));
  HttpResult health = http_request(kHost, s.port(), "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok\n");
  HttpResult metrics = http_request(kHost, s.port(), "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("# TYPE roomsim_connections gauge"), std::string::npos);
  EXPECT_NE(metrics.body.find("roomsim_commit_latency_ms_bucket{le=\"+Inf\"}"), std::string::npos);
  EXPECT_EQ(http_request(kHost, s.port(), "/nope").status, 404);
  EXPECT_EQ(http_request(kHost, s.port(), "/rooms/unknown-kind/x").status, 404);
  EXPECT_EQ(http_request(kHost, s.port(), "/dev/token?user=a").status, 404) << "/dev/token must be off without --dev";
  EXPECT_GE(metric_value(s.port(), "roomsim_rejections_total{reason=\"http_404\"}"), 3u);
}

TEST(LiveServer, RefusesToStartWithABadRoomConfigOrSyncMode) {
  ServerOptions o = LiveServer::defaults(fresh_dir("badconfig"));
  o.room_config["nope"] = nlohmann::json::object();
  Server unknown_kind(o, probe_registry());
  EXPECT_NE(unknown_kind.start().find("rooms.nope: unknown room kind"), std::string::npos);
  ServerOptions bad_sync = LiveServer::defaults(fresh_dir("sync"));
  bad_sync.synchronous = "SOMETIMES";
  Server sync(bad_sync, probe_registry());
  EXPECT_NE(sync.start().find("--synchronous"), std::string::npos);
}

TEST(LiveServer, ConfigFileErrorsNameTheField) {
  const std::string path = fresh_dir("config") + ".json";
  auto write = [&](const std::string& text) {
    std::ofstream(path) << text;
  };
  ServerOptions o;
  write(R"({"rooms":{"probe":{"x":1}},"services":{"feed":"http://127.0.0.1:9"}})");
  EXPECT_EQ(load_server_config(path, o), "");
  EXPECT_EQ(o.services["feed"], "http://127.0.0.1:9");
  write(R"({"servics":{}})");
  EXPECT_NE(load_server_config(path, o).find("unknown field \"servics\""), std::string::npos);
  write(R"({"services":{"feed":"https://x"}})");
  EXPECT_NE(load_server_config(path, o).find("services.feed"), std::string::npos);
  write("{not json");
  EXPECT_NE(load_server_config(path, o).find("not valid JSON"), std::string::npos);
  EXPECT_NE(load_server_config(path + ".missing", o).find("cannot read"), std::string::npos);
}

TEST(LiveServer, DevTokenIsValidForTheConfiguredSecret) {
  ServerOptions o = LiveServer::defaults(fresh_dir("dev"));
  o.dev = true;
  o.dev_secret = kProbeSecret;
  LiveServer s(o);
  HttpResult r = http_request(kHost, s.port(), "/dev/token?user=u7&name=Ann%20B");
  ASSERT_EQ(r.status, 200);
  auto j = nlohmann::json::parse(r.body);
  auto claims = auth::verify_hs256(j["token"].get<std::string>(), kProbeSecret, 0);
  ASSERT_TRUE(std::holds_alternative<auth::TokenClaims>(claims));
  EXPECT_EQ(std::get<auth::TokenClaims>(claims).name, "Ann B");
  EXPECT_EQ(http_request(kHost, s.port(), "/dev/token").status, 400);
}

TEST(LiveServer, RefusesMissingTokenAndPlainHttp) {
  LiveServer s(LiveServer::defaults(fresh_dir("refuse")));
  HttpResult plain = http_request(kHost, s.port(), "/rooms/probe/a");
  EXPECT_EQ(plain.status, 400);
  EXPECT_EQ(plain.body, "Expected websocket");
  BlockingWsClient c;
  EXPECT_EQ(c.connect(kHost, s.port(), "/rooms/probe/a"), 401);
  BlockingWsClient bad;
  EXPECT_EQ(bad.connect(kHost, s.port(), "/rooms/probe/a?token=not.a.token"), 401);
  EXPECT_GE(metric_value(s.port(), "roomsim_rejections_total{reason=\"http_401\"}"), 2u);
  EXPECT_GE(metric_value(s.port(), "roomsim_rejections_total{reason=\"http_400\"}"), 1u);
  // An upgrade without Sec-WebSocket-Key is a bad handshake.
  HttpResult no_key = http_request(kHost, s.port(), "/rooms/probe/a", {{"Connection", "Upgrade"}, {"Upgrade", "websocket"}});
  EXPECT_EQ(no_key.status, 400);
}

TEST(LiveServer, BroadcastReachesEveryoneAndDirectOnlyTheTarget) {
  LiveServer s(LiveServer::defaults(fresh_dir("fanout")));
  BlockingWsClient a, b, c;
  ASSERT_EQ(a.connect(kHost, s.port(), probe_path("r", "a")), 101);
  ASSERT_EQ(b.connect(kHost, s.port(), probe_path("r", "b")), 101);
  ASSERT_EQ(c.connect(kHost, s.port(), probe_path("r", "c")), 101);
  auto wa = receive_type(a, "welcome");
  auto wb = receive_type(b, "welcome");
  auto wc = receive_type(c, "welcome");
  ASSERT_TRUE(wa && wb && wc);
  ASSERT_TRUE(a.send(R"({"type":"broadcast","payload":{"x":1}})"));
  for (BlockingWsClient* cl : {&a, &b, &c}) {
    auto m = receive_type(*cl, "message");
    ASSERT_TRUE(m);
    EXPECT_EQ((*m)["seq"], 1);
    EXPECT_EQ((*m)["payload"]["x"], 1);
  }
  ASSERT_TRUE(a.send(nlohmann::json{{"type", "direct"}, {"targetId", (*wc)["sessionId"]}, {"payload", "hi"}}.dump()));
  auto d = receive_type(c, "direct");
  ASSERT_TRUE(d);
  EXPECT_EQ((*d)["from"], (*wa)["sessionId"]);
  // b gets nothing: the next frame b sees is the following broadcast.
  ASSERT_TRUE(a.send(R"({"type":"broadcast","payload":2})"));
  auto next = b.receive();
  ASSERT_TRUE(next);
  EXPECT_EQ(nlohmann::json::parse(*next)["type"], "message");
  // Closing a client tells the others.
  c.close();
  auto left = receive_type(a, "user_left");
  ASSERT_TRUE(left);
  EXPECT_EQ((*left)["code"], 1000);
}

TEST(LiveServer, OversizedFrameGetsErrorAndClose1009) {
  ServerOptions o = LiveServer::defaults(fresh_dir("big"));
  o.max_frame_bytes = 1024;
  LiveServer s(o);
  BlockingWsClient a;
  ASSERT_EQ(a.connect(kHost, s.port(), probe_path("r", "a")), 101);
  ASSERT_TRUE(receive_type(a, "welcome"));
  ASSERT_TRUE(a.send(std::string(2000, 'x')));
  auto err = receive_type(a, "error");
  ASSERT_TRUE(err);
  EXPECT_EQ((*err)["code"], "frame_too_large");
  EXPECT_FALSE(a.receive());
  EXPECT_EQ(a.close_code(), 1009);
  EXPECT_EQ(metric_value(s.port(), "roomsim_rejections_total{reason=\"frame_too_large\"}"), 1u);
}

TEST(LiveServer, MalformedFramesAndJson) {
  LiveServer s(LiveServer::defaults(fresh_dir("malformed")));
  BlockingWsClient a;
  ASSERT_EQ(a.connect(kHost, s.port(), probe_path("r", "a")), 101);
  ASSERT_TRUE(receive_type(a, "welcome"));
  ASSERT_TRUE(a.send("{not json"));
  auto err = receive_type(a, "error");
  ASSERT_TRUE(err);
  EXPECT_EQ((*err)["code"], "bad_json");
  // An unmasked client frame is a protocol error (RFC 6455 5.1): close 1002.
  ASSERT_TRUE(a.send_raw(std::string("\x81\x02hi", 4)));
  EXPECT_FALSE(a.receive());
  EXPECT_EQ(a.close_code(), 1002);
  EXPECT_EQ(metric_value(s.port(), "roomsim_rejections_total{reason=\"protocol_error\"}"), 1u);
}

// A masked client frame (zero mask: the payload goes as is) of fewer than 126 bytes.
std::string client_frame(uint8_t first_byte, const std::string& payload) {
  std::string f;
  f += static_cast<char>(first_byte);
  f += static_cast<char>(0x80 | payload.size());
  f += std::string(4, '\0');
  return f + payload;
}

// The broadcast count a new client of probe room `room` is welcomed with (-1: no welcome).
int64_t welcome_seq(uint16_t port, const std::string& room) {
  BlockingWsClient c;
  if (c.connect(kHost, port, probe_path(room, "observer")) != 101) return -1;
  auto w = receive_type(c, "welcome");
  return w ? (*w)["seq"].get<int64_t>() : -1;
}

TEST(LiveServer, InvalidUtf8TextClosesWith1007AndSplitCharactersAreFine) {
  LiveServer s(LiveServer::defaults(fresh_dir("utf8")));
  BlockingWsClient a;
  ASSERT_EQ(a.connect(kHost, s.port(), probe_path("r", "a")), 101);
  ASSERT_TRUE(receive_type(a, "welcome"));
  // A fragmented message split inside a two-byte character is valid once whole.
  const std::string json = "{\"type\":\"broadcast\",\"payload\":\"caf\xC3\xA9\"}";
  const size_t split = json.find('\xC3') + 1;
  ASSERT_TRUE(a.send_raw(client_frame(0x01, json.substr(0, split)) + client_frame(0x80, json.substr(split))));
  auto m = receive_type(a, "message");
  ASSERT_TRUE(m);
  EXPECT_EQ((*m)["payload"], "caf\xC3\xA9");
  // An overlong encoding in a text frame: close 1007, the room never sees it.
  ASSERT_TRUE(a.send_raw(client_frame(0x81, "{\"type\":\"broadcast\",\"payload\":\"\xC0\xAF\"}")));
  EXPECT_FALSE(receive_type(a, "message", 2000));
  EXPECT_EQ(a.close_code(), 1007);
  EXPECT_EQ(metric_value(s.port(), "roomsim_rejections_total{reason=\"invalid_utf8\"}"), 1u);
  EXPECT_EQ(welcome_seq(s.port(), "r"), 1) << "the invalid message must not have been handled";
}

TEST(LiveServer, BinaryFrameGetsUnsupportedDataErrorAndClose1003) {
  LiveServer s(LiveServer::defaults(fresh_dir("binary")));
  BlockingWsClient a;
  ASSERT_EQ(a.connect(kHost, s.port(), probe_path("r", "a")), 101);
  ASSERT_TRUE(receive_type(a, "welcome"));
  ASSERT_TRUE(a.send_raw(client_frame(0x82, R"({"type":"broadcast","payload":1})")));
  auto err = receive_type(a, "error");
  ASSERT_TRUE(err);
  EXPECT_EQ((*err)["code"], "unsupported_data");
  EXPECT_FALSE(a.receive());
  EXPECT_EQ(a.close_code(), 1003);
  EXPECT_EQ(metric_value(s.port(), "roomsim_rejections_total{reason=\"binary_frame\"}"), 1u);
  EXPECT_EQ(welcome_seq(s.port(), "r"), 0) << "the binary message must not have reached the room";
}

TEST(LiveServer, RoomCloseAndIdleTimeout) {
  ServerOptions o = LiveServer::defaults(fresh_dir("idle"));
  o.idle_timeout_ms = 400;
  o.ping_interval_ms = 100000;
  LiveServer s(o);
  BlockingWsClient a, b;
  ASSERT_EQ(a.connect(kHost, s.port(), probe_path("r", "a")), 101);
  ASSERT_EQ(b.connect(kHost, s.port(), probe_path("r", "b")), 101);
  ASSERT_TRUE(receive_type(a, "welcome"));
  ASSERT_TRUE(a.send(R"({"type":"kick"})"));
  EXPECT_FALSE(a.receive());
  EXPECT_EQ(a.close_code(), 4000);
  EXPECT_EQ(a.close_reason(), "kicked");
  // b never sends: closed for idleness.
  EXPECT_FALSE(receive_type(b, "never", 3000));
  EXPECT_EQ(b.close_code(), 1008);
  EXPECT_EQ(b.close_reason(), "idle timeout");
  EXPECT_GE(metric_value(s.port(), "roomsim_rejections_total{reason=\"idle_timeout\"}"), 1u);
}

TEST(LiveServer, PerIpCapAndHeaderLimit) {
  ServerOptions o = LiveServer::defaults(fresh_dir("cap"));
  o.max_connections_per_ip = 2;
  o.max_header_bytes = 1024;
  LiveServer s(o);
  BlockingWsClient a, b, c;
  ASSERT_EQ(a.connect(kHost, s.port(), probe_path("r", "a")), 101);
  ASSERT_EQ(b.connect(kHost, s.port(), probe_path("r", "b")), 101);
  EXPECT_NE(c.connect(kHost, s.port(), probe_path("r", "c"), 2000), 101);
  a.close();
  b.close();
  HttpResult after_close;
  for (int i = 0; i < 50 && after_close.status != 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    after_close = http_request(kHost, s.port(), "/healthz");
  }
  EXPECT_EQ(after_close.status, 200) << "closing sessions gives their per-IP slots back";
  EXPECT_EQ(http_request(kHost, s.port(), "/healthz", {{"X-Big", std::string(4000, 'y')}}).status, 431);
  EXPECT_GE(metric_value(s.port(), "roomsim_rejections_total{reason=\"per_ip_cap\"}"), 1u);
  EXPECT_EQ(metric_value(s.port(), "roomsim_rejections_total{reason=\"header_too_large\"}"), 1u);
}

TEST(LiveServer, SilentConnectionIsDroppedAfterTheHandshakeTimeout) {
  ServerOptions o = LiveServer::defaults(fresh_dir("handshake"));
  o.handshake_timeout_ms = 300;
  LiveServer s(o);
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(s.port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const auto start = std::chrono::steady_clock::now();
  char byte;
  const ssize_t n = ::recv(fd, &byte, 1, 0);  // the server closes: 0 (EOF) or an error, not a timeout
  const auto waited = std::chrono::steady_clock::now() - start;
  ::close(fd);
  EXPECT_LE(n, 0);
  EXPECT_LT(waited, std::chrono::seconds(4)) << "the server kept a silent connection open";
  EXPECT_EQ(metric_value(s.port(), "roomsim_rejections_total{reason=\"handshake_timeout\"}"), 1u);
}

TEST(LiveServer, WritesSurviveARestartOnTheSameData) {
  const std::string dir = fresh_dir("durable");
  {
    LiveServer s(LiveServer::defaults(dir));
    BlockingWsClient a;
    ASSERT_EQ(a.connect(kHost, s.port(), probe_path("r", "a")), 101);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(a.send(R"({"type":"broadcast","payload":0})"));
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(receive_type(a, "message"));
    s.stop();
    EXPECT_FALSE(receive_type(a, "never", 2000));
    EXPECT_EQ(a.close_code(), 1001) << "shutdown closes sockets with 1001";
  }
  LiveServer s2(LiveServer::defaults(dir));
  BlockingWsClient b;
  ASSERT_EQ(b.connect(kHost, s2.port(), probe_path("r", "b")), 101);
  auto w = receive_type(b, "welcome");
  ASSERT_TRUE(w);
  EXPECT_EQ((*w)["seq"], 5);
}

TEST(LiveServer, FailedCommitResetsTheRoomAndHoldsItsFrames) {
  LiveServer s(LiveServer::defaults(fresh_dir("fail")));
  BlockingWsClient a, b;
  ASSERT_EQ(a.connect(kHost, s.port(), probe_path("r", "a")), 101);
  ASSERT_EQ(b.connect(kHost, s.port(), probe_path("r", "b")), 101);
  ASSERT_TRUE(receive_type(a, "welcome"));
  ASSERT_TRUE(receive_type(b, "welcome"));
  ASSERT_TRUE(a.send(R"({"type":"broadcast","payload":"kept"})"));
  ASSERT_TRUE(receive_type(b, "message"));
  s.server().inject_commit_failures(1);
  ASSERT_TRUE(a.send(R"({"type":"broadcast","payload":"lost"})"));
  // The message written in the failed commit is never delivered; the room resets with 1011.
  auto text = b.receive();
  while (text && nlohmann::json::parse(*text)["type"] != "message") text = b.receive();
  EXPECT_FALSE(text) << "a frame held behind a failed commit was delivered: " << text.value_or("");
  EXPECT_EQ(b.close_code(), 1011);
  // The next connection sees the durable state only (seq 1).
  BlockingWsClient c;
  ASSERT_EQ(c.connect(kHost, s.port(), probe_path("r", "c")), 101);
  auto w = receive_type(c, "welcome");
  ASSERT_TRUE(w);
  EXPECT_EQ((*w)["seq"], 1);
  EXPECT_EQ(metric_value(s.port(), "roomsim_commits_failed_total"), 1u);
}

TEST(LiveServer, StalledDiskBoundsTheHeldBacklogAndClosesSenders1013) {
  ServerOptions o = LiveServer::defaults(fresh_dir("stall"));
  o.held_frames_max = 5;
  LiveServer s(o);
  BlockingWsClient a, b;
  ASSERT_EQ(a.connect(kHost, s.port(), probe_path("r", "a")), 101);
  ASSERT_EQ(b.connect(kHost, s.port(), probe_path("r", "b")), 101);
  ASSERT_TRUE(receive_type(a, "welcome"));
  ASSERT_TRUE(receive_type(b, "welcome"));
  s.server().pause_commits(true);
  // Three broadcasts: each is a commit that cannot complete, 2 held frames each (6 >= 5).
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(a.send(nlohmann::json{{"type", "broadcast"}, {"payload", i}}.dump()));
  ASSERT_TRUE(a.send(R"({"type":"broadcast","payload":"refused"})"));
  EXPECT_FALSE(a.receive(3000)) << "a frame behind a stalled commit was delivered";
  EXPECT_EQ(a.close_code(), 1013);
  EXPECT_EQ(metric_value(s.port(), "roomsim_rejections_total{reason=\"output_gate_full\"}"), 1u);
  // 6 broadcast frames and the user_left for b, all behind the stalled commits.
  EXPECT_EQ(metric_value(s.port(), "roomsim_output_gate_held_frames"), 7u);
  EXPECT_GT(metric_value(s.port(), "roomsim_output_gate_held_bytes"), 0u);
  // The disk answers again: b gets the three accepted messages in order, never the refused one.
  s.server().pause_commits(false);
  for (int i = 1; i <= 3; ++i) {
    auto m = receive_type(b, "message");
    ASSERT_TRUE(m) << "message " << i;
    EXPECT_EQ((*m)["seq"], i);
    EXPECT_EQ((*m)["payload"], i);
  }
  auto left = receive_type(b, "user_left");
  ASSERT_TRUE(left);
  EXPECT_EQ((*left)["code"], 1013);
  EXPECT_EQ(metric_value(s.port(), "roomsim_output_gate_held_frames"), 0u);
  EXPECT_EQ(metric_value(s.port(), "roomsim_output_gate_held_bytes"), 0u);
  // Once drained the room accepts messages again.
  ASSERT_TRUE(b.send(R"({"type":"broadcast","payload":"after"})"));
  auto after = receive_type(b, "message");
  ASSERT_TRUE(after);
  EXPECT_EQ((*after)["seq"], 4);
}

TEST(LiveServer, StoredAlarmFiresAfterRestart) {
  const std::string dir = fresh_dir("alarm");
  {
    LiveServer s(LiveServer::defaults(dir));
    BlockingWsClient a;
    ASSERT_EQ(a.connect(kHost, s.port(), probe_path("r", "a")), 101);
    ASSERT_TRUE(a.send(R"({"type":"alarm","in_ms":600})"));
    ASSERT_TRUE(a.send(R"({"type":"state"})"));
    auto st = receive_type(a, "state");
    ASSERT_TRUE(st);
    EXPECT_EQ((*st)["alarm_set"], true);
    s.stop();  // before the alarm is due
  }
  LiveServer s2(LiveServer::defaults(dir));
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  HttpResult state = http_request(kHost, s2.port(), "/rooms/probe/r/state");
  ASSERT_EQ(state.status, 200);
  auto j = nlohmann::json::parse(state.body);
  EXPECT_EQ(j["alarms"], 1) << "the stored alarm fired on the restarted server without any request";
  EXPECT_EQ(j["alarm_set"], false);
}

TEST(LiveServer, FetchFromTheBuiltInFeed) {
  LiveServer s(LiveServer::defaults(fresh_dir("fetch")));
  BlockingWsClient a;
  ASSERT_EQ(a.connect(kHost, s.port(), probe_path("r", "a")), 101);
  ASSERT_TRUE(a.send(R"({"type":"fetch","service":"feed"})"));
  auto f = receive_type(a, "fetched");
  ASSERT_TRUE(f);
  EXPECT_EQ((*f)["status"], 200);
  EXPECT_TRUE(nlohmann::json::parse((*f)["body"].get<std::string>()).contains("cpu"));
  ASSERT_TRUE(a.send(R"({"type":"fetch","service":"nowhere"})"));
  f = receive_type(a, "fetched");
  ASSERT_TRUE(f);
  EXPECT_EQ((*f)["status"], 0);
}


TEST(LiveServer, RelayKindSpeaksTheBenchmarkKitProtocol) {
  // The kit's reference servers deliver JSON.stringify(payload) to every other socket;
  // the `relay` kind does the same through the live host (keys in the order sent).
  LiveServer s(LiveServer::defaults(fresh_dir("relay")), rooms::builtin_registry());
  BlockingWsClient a, b;
  ASSERT_EQ(a.connect(kHost, s.port(), "/rooms/relay/bench"), 101);
  ASSERT_EQ(b.connect(kHost, s.port(), "/rooms/relay/bench"), 101);
  ASSERT_TRUE(receive_type(a, "welcome"));
  ASSERT_TRUE(receive_type(b, "welcome"));
  ASSERT_TRUE(a.send(R"({"type":"broadcast","payload":{"s":0,"q":1,"t":5}})"));
  auto got = b.receive();
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, R"({"s":0,"q":1,"t":5})");
  ASSERT_TRUE(a.send("{broken"));
  auto error = receive_type(a, "error");
  ASSERT_TRUE(error);
  EXPECT_EQ((*error)["code"], "bad_json");
  EXPECT_FALSE(b.receive(200));  // nothing relayed
}

}  // namespace
}  // namespace roomsim::live::testing
