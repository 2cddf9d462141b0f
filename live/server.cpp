// live/server.cpp: see server.hpp. Wires the pipeline stages together.
#include "live/server.hpp"

#include <boost/asio/signal_set.hpp>

#include <chrono>
#include <filesystem>
#include <cstdio>
#include <iostream>

#include "live/detail/fetch_client.hpp"
#include "live/detail/listener.hpp"
#include "live/detail/room_directory.hpp"
#include "live/detail/room_host.hpp"
#include "live/detail/server_state.hpp"
#include "live/detail/tls.hpp"

#ifndef ROOMSIM_WEB_DIR
#define ROOMSIM_WEB_DIR ""
#endif

namespace roomsim::live {

namespace fs = std::filesystem;

using detail::asio::post;

std::string default_web_dir() { return ROOMSIM_WEB_DIR; }

Server::Impl::Impl(ServerOptions o, const rooms::RoomRegistry& r) : options(std::move(o)), registry(r) {}

Server::Impl::~Impl() = default;

bool Server::Impl::acquire_ip(const std::string& ip) {
  std::lock_guard<std::mutex> lock(ip_mutex_);
  int& n = per_ip_[ip];
  if (n >= options.max_connections_per_ip) return false;
  ++n;
  return true;
}

void Server::Impl::release_ip(const std::string& ip) {
  std::lock_guard<std::mutex> lock(ip_mutex_);
  auto it = per_ip_.find(ip);
  if (it == per_ip_.end()) return;
  if (--it->second <= 0) per_ip_.erase(it);
}

void Server::Impl::log(const std::string& line) {
  std::lock_guard<std::mutex> lock(log_mutex_);
  std::fprintf(stderr, "roomsim serve: %s\n", line.c_str());
}

Server::Server(ServerOptions options, const rooms::RoomRegistry& registry)
    : impl_(std::make_unique<Impl>(std::move(options), registry)) {}

Server::~Server() { stop(); }

Metrics& Server::metrics() { return impl_->metrics; }

uint16_t Server::port() const { return impl_->bound_port; }

void Server::inject_commit_failures(int n) {
  if (impl_->store) impl_->store->inject_commit_failures(n);
}

void Server::pause_commits(bool paused) {
  if (impl_->store) impl_->store->pause_commits(paused);
}

std::string Server::start() {
  Impl& s = *impl_;
  if (s.started) return "server already started";
  if (!s.options.tls_cert.empty() || !s.options.tls_key.empty()) {
    std::string error;
    s.tls_context = detail::make_tls_context(s.options.tls_cert, s.options.tls_key, error);
    if (!s.tls_context) return error;
  }
  if (s.options.max_rooms < 1) return "--max-rooms must be at least 1";
  if (s.options.room_idle_timeout_ms < 0) return "--room-idle-timeout-ms must not be negative";
  if (s.options.close_timeout_ms < 0) return "--close-timeout-ms must not be negative";
  // Bad room configs are usage errors at start-up, not a 500 on the first request.
  for (const auto& [kind, config] : s.options.room_config) {
    if (!s.registry.has(kind)) {
      std::string known;
      for (const auto& k : s.registry.kinds()) known += (known.empty() ? "" : ", ") + k;
      return "--config: rooms." + kind + ": unknown room kind (known: " + known + ")";
    }
    rooms::CreateResult probe = s.registry.create(rooms::RoomSpec{kind, "config-check", config});
    if (auto* error = std::get_if<std::string>(&probe)) return "--config: " + *error;
  }
  if (!s.options.web_dir.empty()) {
    std::error_code ec;
    const fs::path web = fs::weakly_canonical(s.options.web_dir, ec);
    const fs::path data = fs::weakly_canonical(s.options.data_dir, ec);
    if (!web.empty() && web == data) {
      return "--web-dir and --data are the same directory (" + web.string() +
             "): the web client's files and the room database must not share one";
    }
    std::vector<std::string> notes;
    auto files = StaticFiles::load(s.options.web_dir, notes);
    if (auto* error = std::get_if<std::string>(&files)) {
      // The compiled-in default may be absent (an installed binary): serve no files then.
      if (s.options.web_dir != default_web_dir()) return *error;
      s.log(*error + "; no web client served");
    } else {
      s.web_files = std::move(std::get<StaticFiles>(files));
    }
    for (const std::string& note : notes) s.log(note);
  }
  auto opened = SqliteStore::open(SqliteStore::Options{s.options.data_dir, s.options.synchronous});
  if (auto* error = std::get_if<std::string>(&opened)) return *error;
  s.store = std::move(std::get<std::unique_ptr<SqliteStore>>(opened));
  s.fetcher = std::make_unique<detail::FetchClient>(s);
  s.directory = std::make_unique<detail::RoomDirectory>(s, s.ioc);
  s.listener = std::make_shared<detail::Listener>(s);
  if (std::string error = s.listener->open(s.options.bind, s.options.port); !error.empty()) {
    s.store->stop();
    return error;
  }
  s.bound_port = s.listener->port();
  s.listener->run();
  s.work.emplace(s.ioc.get_executor());
  // Stored alarms fire after a restart (at-least-once): each wakes its room when due.
  for (const auto& [room_key, at_ms] : s.store->load_alarms()) s.directory->wake_at(room_key, at_ms);
  int n = s.options.threads > 0 ? s.options.threads : static_cast<int>(std::thread::hardware_concurrency());
  if (n <= 0) n = 1;
  for (int i = 0; i < n; ++i) s.threads.emplace_back([&s] { s.ioc.run(); });
  s.started = true;
  return "";
}

void Server::stop() {
  Impl& s = *impl_;
  if (!s.started) return;
  s.started = false;
  s.stopping.store(true);
  s.listener->close();
  std::vector<std::shared_ptr<detail::RoomHost>> rooms = s.directory->hosts();
  for (auto& host : rooms) {
    post(host->strand(), [host] { host->close_all(rooms::close_code::kGoingAway, "server shutting down"); });
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(s.options.shutdown_grace_ms);
  while (std::chrono::steady_clock::now() < deadline && s.metrics.connections_open.load() > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  s.work.reset();
  s.ioc.stop();
  for (auto& t : s.threads) t.join();
  s.threads.clear();
  s.store->stop();  // every submitted commit is applied before this returns
  s.directory->clear();
  rooms.clear();
}

void Server::run_until_signal() {
  detail::asio::io_context signal_ioc;
  boost::asio::signal_set signals(signal_ioc, SIGINT, SIGTERM);
  signals.async_wait([](const detail::error_code&, int) {});
  signal_ioc.run();
  stop();
}

}  // namespace roomsim::live
