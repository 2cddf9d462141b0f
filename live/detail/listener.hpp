// live/detail/listener.hpp: accepts TCP connections, applies the per-IP cap
// and hands each socket to an HttpSession. The acceptor lives on its own
// strand, so close() (from the controlling thread) never races an accept.
// Internal to live/*.cpp.
#pragma once

#include <memory>
#include <string>

#include "live/detail/asio.hpp"
#include "live/detail/server_state.hpp"

namespace roomsim::live::detail {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  explicit Listener(Server::Impl& server)
      : server_(server), acceptor_(asio::make_strand(server.ioc)), retry_timer_(acceptor_.get_executor()) {}
  // Binds and listens; returns an empty string or what went wrong.
  std::string open(const std::string& address, uint16_t port);
  uint16_t port() const;
  void run() { accept(); }
  // Stops accepting (any thread).
  void close();

 private:
  void accept();
  void on_accept(const error_code& ec, tcp::socket socket);

  Server::Impl& server_;
  tcp::acceptor acceptor_;
  asio::steady_timer retry_timer_;
};

}  // namespace roomsim::live::detail
