// live/detail/fetch_client.hpp: outbound HTTP for RoomContext::fetch.
//
// Services are named in the server config (name -> http://host:port[/prefix]);
// a request goes to <base><request.path> over plain HTTP/1.1 on the server's
// io_context, with a 10 s timeout. The name "feed", when not configured, is a
// built-in demo data feed (live/demo_feed.hpp) so the dashboard works with no
// config. Unknown services answer status 0 with an error at once.
// Internal to live/*.cpp.
#pragma once

#include <functional>
#include <string>

#include "live/detail/server_state.hpp"
#include "rooms/api/http.hpp"

namespace roomsim::live::detail {

class FetchClient {
 public:
  explicit FetchClient(Server::Impl& server) : server_(server) {}
  // `done` runs exactly once, on an io thread (not on the caller's strand).
  void start(const std::string& service, const rooms::FetchRequest& request,
             std::function<void(rooms::FetchResponse)> done);

 private:
  Server::Impl& server_;
};

}  // namespace roomsim::live::detail
