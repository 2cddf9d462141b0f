// live/detail/http_exchange.hpp: what a room host needs from the HTTP session
// that routed a request to it, without pulling Beast into room code paths.
// Internal to live/*.cpp.
#pragma once

#include <memory>
#include <string>

#include "live/detail/asio.hpp"
#include "live/detail/server_state.hpp"
#include "rooms/api/http.hpp"

namespace roomsim::live::detail {

struct TlsStream;

class HttpExchange {
 public:
  virtual ~HttpExchange() = default;
  // Answers the request (any thread: the answer is written on the connection's strand).
  virtual void respond(const rooms::HttpResponse& response) = 0;
  // For an accepted upgrade: hands over the socket, the per-IP slot and any bytes read past the request.
  // A TLS connection hands over its whole TlsStream (release_tls) and release_socket gives a closed socket.
  virtual tcp::socket release_socket() = 0;
  virtual std::unique_ptr<TlsStream> release_tls() = 0;
  virtual IpSlot release_slot() = 0;
  virtual std::string release_leftover() = 0;
};

}  // namespace roomsim::live::detail
