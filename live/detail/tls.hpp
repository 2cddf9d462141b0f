// live/detail/tls.hpp: the optional TLS layer (--tls-cert/--tls-key, wss://).
//
// TlsStream is the one TLS connection type of the server: the HTTP session
// does the handshake and reads the request over it, and an accepted upgrade
// moves it whole (session keys, buffered records) into the WebSocket session.
// Plain connections never touch this header's types. Internal to live/*.cpp.
#pragma once

#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "live/detail/asio.hpp"

namespace roomsim::live::detail {

struct TlsStream {
  TlsStream(tcp::socket socket, asio::ssl::context& context) : stream(std::move(socket), context) {}
  boost::beast::ssl_stream<boost::beast::tcp_stream> stream;

  tcp::socket& socket() { return stream.next_layer().socket(); }
};

// A server context holding the PEM certificate chain `cert_file` and private key `key_file`
// (TLS 1.2 and later). On failure returns nullptr and sets `error` to a message naming the file.
std::unique_ptr<asio::ssl::context> make_tls_context(const std::string& cert_file, const std::string& key_file,
                                                      std::string& error);

}  // namespace roomsim::live::detail
