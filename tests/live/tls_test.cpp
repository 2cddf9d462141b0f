// tests/live/tls_test.cpp: `roomsim serve --tls-cert --tls-key` (wss://).
// A self-signed certificate is made at test time with OpenSSL's C API (no
// `openssl` CLI needed); clients are Beast WebSockets over TLS with
// verification off. Covers: upgrade + broadcast over TLS (including frames
// larger than a TLS record), prompt close handshakes (client close, 1003), a plain-text client on the TLS port failing
// cleanly while the server keeps serving, and start-up refusals for bad files.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <cstdio>
#include <fstream>

#include "live/load_tool.hpp"
#include "tests/live/live_fixture.hpp"
#include "tests/live/self_signed_cert.hpp"

namespace roomsim::live::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

constexpr const char* kHost = "127.0.0.1";

// A wss:// client with timeouts: each call runs the io_context until its operation finishes or time is up.
class TlsWsClient {
 public:
  TlsWsClient() : ssl_(asio::ssl::context::tls_client), ws_(ioc_, ssl_) { ssl_.set_verify_mode(asio::ssl::verify_none); }

  bool connect(uint16_t port, const std::string& target) {
    error_code ec;
    beast::get_lowest_layer(ws_).connect(tcp::endpoint(asio::ip::make_address(kHost), port), ec);
    if (ec) return false;
    ws_.next_layer().handshake(asio::ssl::stream_base::client, ec);
    if (ec) return false;
    ws_.handshake(kHost, target, ec);
    return !ec;
  }
  bool send(const std::string& text, bool binary = false) {
    error_code ec;
    ws_.binary(binary);
    ws_.write(asio::buffer(text), ec);
    return !ec;
  }
  int close_code() const { return static_cast<int>(ws_.reason().code); }
  // Close handshake (1000); returns the time it took.
  std::chrono::milliseconds close() {
    const auto start = std::chrono::steady_clock::now();
    error_code ec;
    ws_.close(websocket::close_code::normal, ec);
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  }
  // The next frame whose "type" is `type`, or nothing within the timeout.
  std::optional<nlohmann::json> receive_type(const std::string& type, int timeout_ms = 3000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
      beast::flat_buffer buffer;
      bool done = false;
      error_code rec;
      ws_.async_read(buffer, [&](const error_code& ec, size_t) {
        rec = ec;
        done = true;
      });
      ioc_.restart();
      ioc_.run_until(deadline);
      if (!done) {
        beast::get_lowest_layer(ws_).close();
        ioc_.restart();
        ioc_.run();
        return std::nullopt;
      }
      if (rec) return std::nullopt;
      auto j = nlohmann::json::parse(beast::buffers_to_string(buffer.data()), nullptr, false);
      if (j.is_object() && j.value("type", "") == type) return j;
    }
    return std::nullopt;
  }

 private:
  asio::io_context ioc_;
  asio::ssl::context ssl_;
  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws_;
};

ServerOptions tls_options(const std::string& name, const CertFiles& files) {
  ServerOptions o = LiveServer::defaults(fresh_dir(name));
  o.tls_cert = files.cert;
  o.tls_key = files.key;
  return o;
}

TEST(LiveTls, WssUpgradeBroadcastBigFramesCloseAndBinaryRefusal) {
  const CertFiles files = make_self_signed("tls-cert");
  LiveServer s(tls_options("tls", files));
  TlsWsClient a, b;
  ASSERT_TRUE(a.connect(s.port(), probe_path("t", "a")));
  ASSERT_TRUE(b.connect(s.port(), probe_path("t", "b")));
  ASSERT_TRUE(a.receive_type("welcome"));
  ASSERT_TRUE(b.receive_type("welcome"));
  ASSERT_TRUE(a.send(R"({"type":"broadcast","payload":{"x":1}})"));
  for (TlsWsClient* c : {&a, &b}) {
    auto m = c->receive_type("message");
    ASSERT_TRUE(m);
    EXPECT_EQ((*m)["seq"], 1);
    EXPECT_EQ((*m)["payload"]["x"], 1);
  }
  // 40 KB payloads span several TLS records both ways.
  const std::string big(40000, 'z');
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(b.send(nlohmann::json{{"type", "broadcast"}, {"payload", big}}.dump()));
  for (int i = 0; i < 5; ++i) {
    auto m = a.receive_type("message");
    ASSERT_TRUE(m) << "big message " << i;
    EXPECT_EQ((*m)["seq"], 2 + i);
    EXPECT_EQ((*m)["payload"], big);
  }
  // A client close completes without waiting for the server's close timeout, and the room hears of it.
  EXPECT_LT(a.close().count(), 1000);
  auto left = b.receive_type("user_left");
  ASSERT_TRUE(left);
  EXPECT_EQ((*left)["code"], 1000);
  // A binary message over TLS: error frame and close 1003, without waiting for the close timeout.
  TlsWsClient c;
  ASSERT_TRUE(c.connect(s.port(), probe_path("t", "c")));
  ASSERT_TRUE(c.receive_type("welcome"));
  ASSERT_TRUE(c.send("{}", true));
  auto err = c.receive_type("error");
  ASSERT_TRUE(err);
  EXPECT_EQ((*err)["code"], "unsupported_data");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(c.receive_type("message", 2000));
  EXPECT_EQ(c.close_code(), 1003);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1000));
}

TEST(LiveTls, PlainClientOnTheTlsPortFailsCleanly) {
  const CertFiles files = make_self_signed("tls-cert-plain");
  LiveServer s(tls_options("tls-plain", files));
  HttpResult plain_http = http_request(kHost, s.port(), "/healthz", {}, "GET", 2000);
  EXPECT_EQ(plain_http.status, 0) << "a plain HTTP request to the TLS port must not get an answer";
  BlockingWsClient plain_ws;
  EXPECT_NE(plain_ws.connect(kHost, s.port(), probe_path("p", "x"), 2000), 101);
  // The server still serves TLS clients and counted both refusals.
  TlsWsClient c;
  ASSERT_TRUE(c.connect(s.port(), probe_path("p", "c")));
  ASSERT_TRUE(c.receive_type("welcome"));
  const std::string metrics = s.server().metrics().render();
  const std::string line = "roomsim_rejections_total{reason=\"tls_handshake\"} ";
  const size_t at = metrics.find(line);
  ASSERT_NE(at, std::string::npos) << metrics;
  EXPECT_GE(std::stoull(metrics.substr(at + line.size())), 2u);
}

TEST(LiveTls, LoadToolRunsOverWssAndRefusesAPlainServerCleanly) {
  const CertFiles files = make_self_signed("tls-cert-load");
  LiveServer s(tls_options("tls-load", files));
  LoadOptions o;
  o.url = "wss://127.0.0.1:" + std::to_string(s.port()) + "/rooms/probe/load";
  o.clients = 5;
  o.senders = 2;
  o.messages = 20;
  o.secret = kProbeSecret;
  o.timeout_s = 20;
  auto result = run_load(o);
  ASSERT_TRUE(std::holds_alternative<nlohmann::json>(result)) << std::get<std::string>(result);
  const nlohmann::json& j = std::get<nlohmann::json>(result);
  EXPECT_EQ(j["sent"], 40);
  EXPECT_EQ(j["delivered"], 40 * 4);
  EXPECT_EQ(j["missing"], 0);
  EXPECT_EQ(j["connect_failures"], 0);
  // wss:// against a plain server: every TLS handshake fails, reported as an error.
  LiveServer plain(LiveServer::defaults(fresh_dir("tls-load-plain")));
  o.url = "wss://127.0.0.1:" + std::to_string(plain.port()) + "/rooms/probe/load";
  o.timeout_s = 2;
  auto refused = run_load(o);
  ASSERT_TRUE(std::holds_alternative<std::string>(refused));
  EXPECT_NE(std::get<std::string>(refused).find("TLS handshake"), std::string::npos) << std::get<std::string>(refused);
}

TEST(LiveTls, RefusesToStartWithMissingOrMismatchedFiles) {
  const CertFiles files = make_self_signed("tls-cert-bad");
  const CertFiles other = make_self_signed("tls-cert-other");
  ServerOptions only_cert = LiveServer::defaults(fresh_dir("tls-bad1"));
  only_cert.tls_cert = files.cert;
  EXPECT_NE(Server(only_cert, probe_registry()).start().find("must be given together"), std::string::npos);
  ServerOptions missing = tls_options("tls-bad2", files);
  missing.tls_cert = files.cert + ".missing";
  EXPECT_NE(Server(missing, probe_registry()).start().find("--tls-cert"), std::string::npos);
  ServerOptions not_a_key = tls_options("tls-bad3", files);
  not_a_key.tls_key = files.cert;
  EXPECT_NE(Server(not_a_key, probe_registry()).start().find("--tls-key"), std::string::npos);
  ServerOptions mismatched = tls_options("tls-bad4", files);
  mismatched.tls_key = other.key;
  const std::string mismatch_error = Server(mismatched, probe_registry()).start();
  EXPECT_NE(mismatch_error.find("--tls-key " + other.key), std::string::npos) << mismatch_error;
  EXPECT_NE(mismatch_error.find("mismatch"), std::string::npos) << mismatch_error;
}

}  // namespace
}  // namespace roomsim::live::testing
