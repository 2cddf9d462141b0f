// live/server.hpp: `roomsim serve`, the live host for room kinds.
//
// Hosts the rooms of a RoomRegistry behind HTTP/1.1 + WebSocket on real
// sockets (Boost.Asio, kept out of this header), with durable SQLite storage
// (live/sqlite_store.hpp) and the same storage contract and output gate the
// simulator enforces. Routes: /rooms/<kind>/<id>[/...], /healthz, /metrics,
// /dev/token (with ServerOptions::dev), static files of the web client at /.
//
// Thread-safety: start(), stop() and wait() from one controlling thread;
// port() and metrics() from any thread after start().
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "live/metrics.hpp"
#include "live/server_options.hpp"
#include "rooms/api/registry.hpp"

namespace roomsim::live {

class Server {
 public:
  // `registry` must outlive the server.
  Server(ServerOptions options, const rooms::RoomRegistry& registry);
  ~Server();  // stop() if still running
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Opens storage, binds, starts io threads and re-arms stored alarms.
  // Returns an empty string or a message (port in use, bad TLS files, data dir).
  std::string start();
  uint16_t port() const;
  // Graceful drain: stop accepting, close every WebSocket 1001, let close
  // frames drain (shutdown_grace_ms at most), finish queued commits, join.
  void stop();
  // Blocks until SIGINT or SIGTERM, then stop().
  void run_until_signal();
  Metrics& metrics();
  // Test hook: the next `n` storage commits fail (the rooms reset).
  void inject_commit_failures(int n);
  // Test hook: stall (true) or resume (false) the storage thread, as a disk that stops answering.
  void pause_commits(bool paused);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// The directory of the web client shipped in the source tree (live/web).
std::string default_web_dir();

}  // namespace roomsim::live
