// rooms/kinds/relay_room.hpp: a plain pub/sub relay speaking the shared
// benchmark kit's protocol (the protocol of its Node ws, Bun and workerd
// reference servers), so live throughput compares like for like.
//
//   {"type":"broadcast","payload":X}               -> JSON of X to every other session
//   {"type":"direct","targetId":"s17","payload":X} -> JSON of X to session s17 only
//
// X is re-serialised with its keys in the order the client sent them, as
// JavaScript's JSON.stringify(JSON.parse(...)) does. The relay keeps no
// history, assigns no sequence numbers, sends no acks and touches no storage:
// a lost frame is lost (the checkers' ordering and recovery properties do not
// apply to it; use `broadcast` or `chat` for those). Each session gets one
// welcome frame telling its wire id (the target of directs).
// Guarantees: frames from one sender reach each receiver in the order sent
// (the host's per-connection order); bad input never crashes the room: a
// frame that is not JSON, not an object, of an unknown type, without a
// payload, or a direct to an unknown target gets one error frame
// (docs/protocol.md codes) and nothing is relayed. Connection limits, the
// per-user rate limit (in memory, keyed by user id, else by session) and the
// token mode (optional) come from the room config; the registry's defaults
// switch the limits off like the reference servers.
#pragma once

#include <string_view>

#include "rooms/api/room.hpp"
#include "rooms/common/rate_limiter.hpp"
#include "rooms/common/room_config.hpp"

namespace roomsim::rooms {

class RelayRoom : public Room {
 public:
  explicit RelayRoom(RoomConfig config)
      : config_(std::move(config)), rate_(config_.rate_limit_per_min, RateLimiter::Backing::kMemory) {}

  // The configured connection and rate limits (per user id), no token
  // required, no history; it does not check max_frame_bytes itself (the
  // host's limit applies) and promises neither recovery, durability nor a
  // history bound: a lost frame stays lost.
  static RoomPromises promises(const RoomConfig& config);

  void on_start(RoomContext& ctx) override { (void)ctx; }
  HttpResponse on_request(RoomContext& ctx, const HttpRequest& request) override;
  void on_message(RoomContext& ctx, SessionId session, std::string_view text) override;
  void on_close(RoomContext& ctx, SessionId session, int code, std::string_view reason) override;

 private:
  RoomConfig config_;
  RateLimiter rate_;
};

}  // namespace roomsim::rooms
