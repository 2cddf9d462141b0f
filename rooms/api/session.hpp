// rooms/api/session.hpp: a WebSocket session as a room sees it.
//
// The host owns sessions. A session exists from the moment a room accepts an
// upgrade (RoomContext::accept_websocket) until it closes. Its attachment is a
// small, room-defined record that lives exactly as long as the socket (like a
// Durable Object's serializeAttachment); it does not survive an eviction or a
// crash, because those close every socket.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rooms/api/room_time.hpp"

namespace roomsim::rooms {

// Host-assigned, unique within one host for its whole run, never reused.
using SessionId = uint64_t;

struct SessionAttachment {
  std::string user_id;                     // empty when the session is anonymous
  std::string name;
  RoomTime joined{};
  std::vector<std::string> subscriptions;  // dashboard keys, sub-room ids, ...
  nlohmann::json extra = nlohmann::json::object();  // anything else the room keeps per socket
};

// Wire form of a session id ("s17"), used in protocol frames such as `welcome` and `direct`.
// (Built with append: GCC 12 warns falsely (-Wrestrict) on `"s" + std::to_string(id)`.)
inline std::string session_wire_id(SessionId id) {
  std::string out = "s";
  out.append(std::to_string(id));
  return out;
}

}  // namespace roomsim::rooms
