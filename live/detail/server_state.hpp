// live/detail/server_state.hpp: Server::Impl, the state every live pipeline
// stage shares (options, registry, metrics, storage, the room directory, the
// web client's files, per-IP counts).
// Internal to live/*.cpp.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "live/detail/asio.hpp"
#include "live/metrics.hpp"
#include "live/server.hpp"
#include "live/server_options.hpp"
#include "live/sqlite_store.hpp"
#include "live/static_files.hpp"
#include "rooms/api/registry.hpp"

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace roomsim::live {

namespace detail {
class RoomHost;
class RoomDirectory;
class Listener;
class FetchClient;
}  // namespace detail

struct Server::Impl {
  Impl(ServerOptions o, const rooms::RoomRegistry& r);
  ~Impl();

  // Per-IP connection cap: false (and counted) when `ip` already has the maximum.
  bool acquire_ip(const std::string& ip);
  void release_ip(const std::string& ip);
  uint64_t next_session_id() { return next_session_id_.fetch_add(1, std::memory_order_relaxed); }
  void log(const std::string& line);

  ServerOptions options;
  const rooms::RoomRegistry& registry;
  Metrics metrics;

 private:
  // Declared before ioc: handlers destroyed with ioc release IP slots and log.
  std::atomic<uint64_t> next_session_id_{1};
  std::mutex ip_mutex_;
  std::map<std::string, int> per_ip_;
  std::mutex log_mutex_;

 public:
  // Set with --tls-cert/--tls-key; declared before ioc so it outlives the TLS streams
  // that handlers destroyed with ioc hold.
  std::unique_ptr<boost::asio::ssl::context> tls_context;
  detail::asio::io_context ioc;
  // Declared after ioc: its timer is destroyed before the io_context.
  std::unique_ptr<detail::RoomDirectory> directory;
  StaticFiles web_files;  // the allow-list served at / (read at start())
  std::unique_ptr<SqliteStore> store;
  std::unique_ptr<detail::FetchClient> fetcher;
  std::shared_ptr<detail::Listener> listener;
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};
  bool started = false;
  uint16_t bound_port = 0;
  std::optional<detail::asio::executor_work_guard<detail::asio::io_context::executor_type>> work;
};

namespace detail {

// Holds one per-IP connection slot; releases it when destroyed.
class IpSlot {
 public:
  IpSlot(Server::Impl& server, std::string ip) : server_(&server), ip_(std::move(ip)) {}
  ~IpSlot() { release(); }
  void release() {
    if (server_ != nullptr) server_->release_ip(ip_);
    server_ = nullptr;
  }
  IpSlot(IpSlot&& o) noexcept : server_(o.server_), ip_(std::move(o.ip_)) { o.server_ = nullptr; }
  IpSlot& operator=(IpSlot&&) = delete;
  IpSlot(const IpSlot&) = delete;
  const std::string& ip() const { return ip_; }

 private:
  Server::Impl* server_;
  std::string ip_;
};

}  // namespace detail
}  // namespace roomsim::live
