// tests/live/browser_test.cpp: a real browser speaks to the live server.
// Two headless Chromium pages (live/web) join the same chat room as alice and
// bob; bob says something, alice's page shows it and (test hook ?reply=1)
// answers "saw: <text>", which a plain WebSocket observer in the room must
// receive. A third page opens the dashboard view and must render the built-in
// feed's data, once over http/ws and once over https/wss (self-signed certificate,
// --ignore-certificate-errors). Skipped, with a message, when Chromium or the room kind is absent.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>
#include <vector>

#include "tests/live/child_process.hpp"
#include "tests/live/live_fixture.hpp"
#include "tests/live/self_signed_cert.hpp"

namespace roomsim::live::testing {
namespace {

constexpr const char* kChromium = "/usr/bin/chromium";

// A headless Chromium on `url` with its own profile directory.
class Browser {
 public:
  Browser(const std::string& url, const std::string& profile_dir)
      : profile_(profile_dir),
        process_({kChromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                  "--remote-debugging-port=0",  // keeps the headless browser running
                  "--user-data-dir=" + profile_dir, url}) {}
  ~Browser() {
    process_.stop(SIGTERM);
    std::error_code ec;
    std::filesystem::remove_all(profile_, ec);
  }
  bool started() const { return process_.started(); }

 private:
  std::string profile_;
  ChildProcess process_;
};

// Waits for a frame of `type` whose field `field` (or payload.text) equals `want`.
bool wait_for(BlockingWsClient& c, const std::string& type, const std::function<bool(const nlohmann::json&)>& match,
              int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    auto text = c.receive(200);
    if (!text) {
      if (!c.open()) return false;
      continue;
    }
    auto j = nlohmann::json::parse(*text, nullptr, false);
    if (j.is_object() && j.value("type", "") == "ping") {
      c.send(nlohmann::json{{"type", "pong"}, {"timestamp", j.value("timestamp", 0)}}.dump());
    }
    if (j.is_object() && j.value("type", "") == type && match(j)) return true;
  }
  return false;
}

TEST(LiveBrowser, TwoUsersChatThroughTheWebClient) {
  if (!std::filesystem::exists(kChromium)) GTEST_SKIP() << "chromium not installed at " << kChromium;
  if (!rooms::builtin_registry().has("chat")) GTEST_SKIP() << "room kind \"chat\" is not registered yet";
  ServerOptions o = LiveServer::defaults(fresh_dir("browser"));
  o.dev = true;
  o.web_dir = default_web_dir();
  LiveServer s(o, rooms::builtin_registry());
  ASSERT_EQ(http_request("127.0.0.1", s.port(), "/").status, 200);

  auth::TokenClaims claims{"observer", "observer", 0};
  claims.exp = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                   .count() +
               600;
  BlockingWsClient observer;
  ASSERT_EQ(observer.connect("127.0.0.1", s.port(), "/rooms/chat/web?token=" + auth::mint_hs256(o.dev_secret, claims)),
            101);
  const std::string base = "http://127.0.0.1:" + std::to_string(s.port()) + "/?kind=chat&room=web&auto=1";
  Browser alice(base + "&name=alice&reply=1", fresh_dir("chromium-alice"));
  ASSERT_TRUE(alice.started());
  ASSERT_TRUE(wait_for(observer, "user_joined", [](const nlohmann::json& j) { return j.value("name", "") == "alice"; },
                       30000))
      << "alice's page never joined the room";
  Browser bob(base + "&name=bob&say=hello%20from%20bob", fresh_dir("chromium-bob"));
  ASSERT_TRUE(bob.started());
  EXPECT_TRUE(wait_for(observer, "message",
                       [](const nlohmann::json& j) {
                         return j.contains("payload") && j["payload"].is_object() &&
                                j["payload"].value("text", "") == "saw: hello from bob";
                       },
                       30000))
      << "alice's page did not show bob's message";
}

// The dashboard page of `origin` (http://... or https://...) after chromium's --dump-dom.
// --dump-dom prints the page after 8 s of virtual time. Virtual time can outrun a slow real
// connection on a loaded machine (a CI run saw three 4 s dumps in a row still "connecting..."),
// so a dump without data is retried up to 6 times (the room then already holds the feed's
// data and answers the subscription with it).
std::string dump_dashboard(const std::string& origin, const std::vector<std::string>& extra_flags) {
  std::string dom;
  for (int attempt = 0; attempt < 6; ++attempt) {
    const std::string profile = fresh_dir("chromium-dash");
    const std::string dom_path = profile + ".html";
    {
      std::vector<std::string> args = {kChromium, "--headless", "--no-sandbox", "--disable-gpu",
                                       "--disable-background-networking", "--disable-component-update",
                                       "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                                       "--user-data-dir=" + profile, "--virtual-time-budget=8000", "--dump-dom"};
      args.insert(args.end(), extra_flags.begin(), extra_flags.end());
      args.push_back(origin + "/?kind=dashboard&room=d&name=viewer&auto=1");
      ChildProcess chromium(args, dom_path);
      EXPECT_TRUE(chromium.started());
      if (!chromium.started()) return "";
      EXPECT_NE(chromium.wait_exit(30000), -1) << "chromium --dump-dom did not finish";
    }
    std::ifstream in(dom_path);
    std::stringstream ss;
    ss << in.rdbuf();
    dom = ss.str();
    std::error_code ec;
    std::filesystem::remove_all(profile, ec);
    std::filesystem::remove(dom_path, ec);
    if (dom.find("data-key=\"cpu\"") != std::string::npos) break;
  }
  return dom;
}

TEST(LiveBrowser, DashboardPageShowsTheBuiltInFeed) {
  if (!std::filesystem::exists(kChromium)) GTEST_SKIP() << "chromium not installed at " << kChromium;
  if (!rooms::builtin_registry().has("dashboard")) GTEST_SKIP() << "room kind \"dashboard\" is not registered yet";
  ServerOptions o = LiveServer::defaults(fresh_dir("browser-dash"));
  o.dev = true;
  o.web_dir = default_web_dir();
  LiveServer s(o, rooms::builtin_registry());
  const std::string dom = dump_dashboard("http://127.0.0.1:" + std::to_string(s.port()), {});
  EXPECT_NE(dom.find("connected to dashboard/d as viewer"), std::string::npos) << dom;
  EXPECT_NE(dom.find("data-key=\"cpu\""), std::string::npos) << "no data_update rendered: " << dom;
}

// The same page served over https: the web client then connects with wss:// through the server's TLS.
TEST(LiveBrowser, DashboardPageOverHttpsUsesWss) {
  if (!std::filesystem::exists(kChromium)) GTEST_SKIP() << "chromium not installed at " << kChromium;
  if (!rooms::builtin_registry().has("dashboard")) GTEST_SKIP() << "room kind \"dashboard\" is not registered yet";
  const CertFiles files = make_self_signed("browser-tls-cert");
  ServerOptions o = LiveServer::defaults(fresh_dir("browser-tls"));
  o.dev = true;
  o.web_dir = default_web_dir();
  o.tls_cert = files.cert;
  o.tls_key = files.key;
  LiveServer s(o, rooms::builtin_registry());
  const std::string dom =
      dump_dashboard("https://127.0.0.1:" + std::to_string(s.port()), {"--ignore-certificate-errors"});
  EXPECT_NE(dom.find("connected to dashboard/d as viewer"), std::string::npos) << dom;
  EXPECT_NE(dom.find("data-key=\"cpu\""), std::string::npos) << "no data_update rendered over wss: " << dom;
  EXPECT_GE(s.server().metrics().connections_total.load(), 1u);
}

}  // namespace
}  // namespace roomsim::live::testing
