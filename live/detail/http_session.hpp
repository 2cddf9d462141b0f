// live/detail/http_session.hpp: one TCP connection before (or without) a
// WebSocket upgrade. Reads HTTP/1.1 requests under the header/body limits and
// the handshake timeout, routes them (live/http_route.hpp: /healthz, /metrics,
// /dev/token, the web client's allow-list, /rooms/<kind>/<id>...) and writes the answers; a room that accepts
// an upgrade takes the socket over. With --tls-cert the TLS handshake comes
// first (same timeout) and the upgrade hands over the whole TLS stream. Internal to live/*.cpp.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "live/detail/http_exchange.hpp"
#include "live/detail/server_state.hpp"
#include "live/http_route.hpp"

namespace roomsim::live::detail {

namespace beast = boost::beast;
namespace http = beast::http;

class HttpSession : public HttpExchange, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(Server::Impl& server, tcp::socket socket, IpSlot slot);
  ~HttpSession() override;
  void run();

  void respond(const rooms::HttpResponse& response) override;
  tcp::socket release_socket() override;
  std::unique_ptr<TlsStream> release_tls() override;
  IpSlot release_slot() override { return std::move(slot_); }
  std::string release_leftover() override;

 private:
  void read();
  void on_read(const error_code& ec);
  void answer(const rooms::HttpResponse& response);  // on the connection's strand
  void route();
  void route_room(const Route& route);
  void dev_token(const Route& route);
  void write(http::response<http::string_body> response);
  // The TCP layer (plain, or under TLS) and a call of `f` with the stream HTTP runs over.
  beast::tcp_stream& tcp_layer();
  template <class F>
  void with_stream(F&& f);

  Server::Impl& server_;
  beast::tcp_stream stream_;        // plain connections
  std::unique_ptr<TlsStream> tls_;  // TLS connections (stream_ then stays unopened)
  IpSlot slot_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool keep_alive_ = false;
  unsigned version_ = 11;
  bool head_ = false;
};

}  // namespace roomsim::live::detail
