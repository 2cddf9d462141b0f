// live/listener.cpp: see detail/listener.hpp.
#include "live/detail/listener.hpp"

#include "live/detail/http_session.hpp"

namespace roomsim::live::detail {

std::string Listener::open(const std::string& address, uint16_t port) {
  error_code ec;
  const auto ip = asio::ip::make_address(address, ec);
  if (ec) return "--bind: \"" + address + "\" is not an IP address";
  const tcp::endpoint endpoint(ip, port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return "cannot listen on " + address + ":" + std::to_string(port) + ": " + ec.message();
  return "";
}

uint16_t Listener::port() const {
  error_code ec;
  return acceptor_.local_endpoint(ec).port();
}

void Listener::close() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    error_code ignored;
    self->acceptor_.close(ignored);
    self->retry_timer_.cancel();
  });
}

void Listener::accept() {
  // Each connection gets its own strand: the io threads then never run two of its
  // operations at once (a tcp_stream's expiry timer closing the socket while a read
  // completion destroys the session closed one descriptor twice, found by TSan).
  acceptor_.async_accept(asio::make_strand(server_.ioc),
                         [self = shared_from_this()](const error_code& ec, tcp::socket socket) {
    self->on_accept(ec, std::move(socket));
  });
}

void Listener::on_accept(const error_code& ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_.is_open() || server_.stopping.load()) return;
  if (ec) {
    // Typically EMFILE: count it and retry shortly instead of spinning.
    server_.metrics.reject("accept_error");
    retry_timer_.expires_after(std::chrono::milliseconds(50));
    retry_timer_.async_wait([self = shared_from_this()](const error_code& tec) {
      if (!tec) self->accept();
    });
    return;
  }
  error_code rec;
  const auto remote = socket.remote_endpoint(rec);
  if (rec) {
    accept();
    return;
  }
  std::string ip = remote.address().to_string();
  if (!server_.acquire_ip(ip)) {
    server_.metrics.reject("per_ip_cap");
    error_code ignored;
    socket.close(ignored);
  } else {
    std::make_shared<HttpSession>(server_, std::move(socket), IpSlot(server_, std::move(ip)))->run();
  }
  accept();
}

}  // namespace roomsim::live::detail
