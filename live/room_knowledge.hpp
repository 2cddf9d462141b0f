// live/room_knowledge.hpp: what `roomsim load` knows about the room it drives,
// independently of the room itself, so that a live history is judged against
// the world and not against the room's own answers.
//
// The source is the file `roomsim serve --config` reads ({"rooms": {"<kind>":
// {...}}}; a server run without --config is the file `{}`): the kind's
// promises under that config (rooms::RoomPromises, the same the simulator
// records per room) and the secret the room checks tokens with (the config's
// "secret", docs/rooms.md, else the default every built-in kind uses).
// max_frame_bytes is the smaller of the room's promise and the server's own
// frame limit (`serve --max-frame-bytes`), since the server refuses larger
// frames before the room sees them.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "rooms/api/registry.hpp"

namespace roomsim::live {

struct RoomKnowledge {
  std::string kind;
  std::string id;
  rooms::RoomPromises promises;
  std::string token_secret;
};

// Returns the knowledge, or a message naming the file and what is wrong
// (unreadable, bad JSON, unknown kind, a config the kind's factory refuses).
std::variant<RoomKnowledge, std::string> learn_room(const std::string& server_config_path, const std::string& kind,
                                                    const std::string& id, const rooms::RoomRegistry& registry,
                                                    int64_t server_max_frame_bytes);

// True when the room accepts `token` at `now_unix_s` (signature, expiry and
// room scope, as auth::verify_for_room checks them in both hosts).
bool token_valid(const RoomKnowledge& room, const std::string& token, int64_t now_unix_s);

}  // namespace roomsim::live
