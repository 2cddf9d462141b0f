// rooms/api/room.hpp: the interface every room kind implements.
//
// Lifecycle (Durable Object semantics):
// - One instance per room id, created by the host on the first request.
// - on_start runs first (after construction and after every restart), with
//   durable storage readable; no other handler runs before it returns.
// - Handlers run one at a time, each to completion; the RoomContext passed
//   in is valid only during the call.
// - An instance may be destroyed at any moment between handlers (eviction,
//   crash); only what was committed to storage survives.
#pragma once

#include <cstdint>
#include <string_view>

#include "rooms/api/http.hpp"
#include "rooms/api/room_context.hpp"
#include "rooms/api/session.hpp"

namespace roomsim::rooms {

class Room {
 public:
  virtual ~Room() = default;

  virtual void on_start(RoomContext& ctx) = 0;
  // An HTTP request for this room. To accept a WebSocket, call
  // ctx.accept_websocket(...) (the return value is then ignored; the host
  // answers 101). Otherwise return a status and body, e.g. 400 "Expected
  // websocket" or 401 "Unauthorized".
  virtual HttpResponse on_request(RoomContext& ctx, const HttpRequest& request) = 0;
  // A text frame from a session. Hosts have already refused frames above the
  // size limit (error frame + close 1009) before this is called.
  virtual void on_message(RoomContext& ctx, SessionId session, std::string_view text) = 0;
  // The client closed, or the connection was lost (1006). Called once per
  // session not closed by the room itself; the session is no longer listed.
  virtual void on_close(RoomContext& ctx, SessionId session, int code, std::string_view reason) = 0;
  virtual void on_alarm(RoomContext& ctx) { (void)ctx; }
  virtual void on_fetch_result(RoomContext& ctx, uint64_t request_id, const FetchResponse& response) {
    (void)ctx;
    (void)request_id;
    (void)response;
  }
};

}  // namespace roomsim::rooms
