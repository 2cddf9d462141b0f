// tests/live/live_fixture.hpp: starts a live Server on 127.0.0.1 with an
// ephemeral port and a fresh data directory, plus helpers to connect.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/jwt.hpp"
#include "live/blocking_client.hpp"
#include "live/server.hpp"
#include "tests/live/test_rooms.hpp"

namespace roomsim::live::testing {

// Removes every path fresh_dir handed out (and "<path>.*" files beside it) when the test binary exits.
struct TempPaths {
  std::vector<std::string> paths;
  ~TempPaths() {
    std::error_code ec;
    for (const auto& p : paths) {
      std::filesystem::remove_all(p, ec);
      for (const char* suffix : {".jsonl", ".json", ".txt", ".html"}) std::filesystem::remove(p + suffix, ec);
    }
  }
};
inline TempPaths temp_paths;

// A new, empty path under the temp directory, unique to this process.
inline std::string fresh_dir(const std::string& name) {
  static int counter = 0;
  auto dir = std::filesystem::temp_directory_path() /
             ("roomsim-live-" + name + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  temp_paths.paths.push_back(dir.string());
  return dir.string();
}

inline std::string probe_token(const std::string& user, int64_t ttl_s = 3600) {
  auth::TokenClaims c;
  c.sub = user;
  c.name = user;
  c.exp = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() +
          ttl_s;
  return auth::mint_hs256(kProbeSecret, c);
}

// The path of probe room `room` with a fresh token for `user`.
inline std::string probe_path(const std::string& room, const std::string& user) {
  return "/rooms/probe/" + room + "?token=" + probe_token(user);
}

class LiveServer {
 public:
  explicit LiveServer(ServerOptions options, const rooms::RoomRegistry& registry = probe_registry())
      : server_(std::make_unique<Server>(adjust(std::move(options)), registry)) {
    const std::string error = server_->start();
    EXPECT_EQ(error, "");
  }
  static ServerOptions defaults(const std::string& data_dir) {
    ServerOptions o;
    o.port = 0;
    o.threads = 2;
    o.data_dir = data_dir;
    o.synchronous = "NORMAL";
    o.shutdown_grace_ms = 1000;
    return o;
  }
  uint16_t port() const { return server_->port(); }
  Server& server() { return *server_; }
  void stop() { server_->stop(); }

 private:
  static ServerOptions adjust(ServerOptions o) {
    o.bind = "127.0.0.1";
    o.port = 0;
    return o;
  }
  std::unique_ptr<Server> server_;
};

// The value of the /metrics line that starts with `line_prefix` (0 when absent).
inline uint64_t metric_value(uint16_t port, const std::string& line_prefix) {
  HttpResult r = http_request("127.0.0.1", port, "/metrics");
  const size_t at = r.body.find("\n" + line_prefix + " ");
  if (at == std::string::npos) return 0;
  return std::stoull(r.body.substr(at + line_prefix.size() + 2));
}

// Receives frames until one has "type" == `type` (or nothing within the timeout).
inline std::optional<nlohmann::json> receive_type(BlockingWsClient& c, const std::string& type, int timeout_ms = 3000) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    const int left = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
    auto text = c.receive(std::max(left, 1));
    if (!text) return std::nullopt;
    auto j = nlohmann::json::parse(*text, nullptr, false);
    if (j.is_object() && j.value("type", "") == type) return j;
  }
  return std::nullopt;
}

}  // namespace roomsim::live::testing
