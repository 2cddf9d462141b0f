// live/room_knowledge.cpp: see room_knowledge.hpp.
#include "live/room_knowledge.hpp"

#include <algorithm>

#include "auth/jwt.hpp"
#include "live/server_options.hpp"
#include "rooms/common/room_config.hpp"

namespace roomsim::live {

std::variant<RoomKnowledge, std::string> learn_room(const std::string& server_config_path, const std::string& kind,
                                                    const std::string& id, const rooms::RoomRegistry& registry,
                                                    int64_t server_max_frame_bytes) {
  ServerOptions server;
  if (std::string error = load_server_config(server_config_path, server); !error.empty()) return error;
  const rooms::RoomKindInfo* info = registry.find(kind);
  if (info == nullptr) {
    std::string known;
    for (const auto& k : registry.kinds()) known += (known.empty() ? "" : ", ") + k;
    return server_config_path + ": the URL's room kind \"" + kind + "\" is not registered (known: " + known + ")";
  }
  auto it = server.room_config.find(kind);
  const nlohmann::json config = it == server.room_config.end() ? nlohmann::json::object() : it->second;
  rooms::CreateResult probe = registry.create(rooms::RoomSpec{kind, id, config});
  if (auto* error = std::get_if<std::string>(&probe)) return server_config_path + ": rooms." + kind + ": " + *error;

  RoomKnowledge out;
  out.kind = kind;
  out.id = id;
  if (info->promises) out.promises = info->promises(config);
  if (auto frame = out.promises.limits.find("max_frame_bytes"); frame != out.promises.limits.end()) {
    frame->second = frame->second == 0 ? server_max_frame_bytes : std::min(frame->second, server_max_frame_bytes);
  }
  out.token_secret = rooms::RoomConfig{}.secret;
  if (auto secret = config.find("secret"); secret != config.end() && secret->is_string()) {
    out.token_secret = secret->get<std::string>();
  }
  return out;
}

bool token_valid(const RoomKnowledge& room, const std::string& token, int64_t now_unix_s) {
  if (token.empty()) return false;
  return std::holds_alternative<auth::TokenClaims>(
      auth::verify_for_room(token, room.token_secret, now_unix_s, room.kind, room.id));
}

}  // namespace roomsim::live
