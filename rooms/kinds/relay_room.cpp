// rooms/kinds/relay_room.cpp: see relay_room.hpp.
#include "rooms/kinds/relay_room.hpp"

#include <nlohmann/json.hpp>

#include "rooms/common/admission.hpp"
#include "rooms/common/planted_bug.hpp"
#include "rooms/common/probe_names.hpp"
#include "rooms/common/session_tools.hpp"
#include "rooms/protocol/client_frame.hpp"
#include "rooms/protocol/json_limits.hpp"
#include "rooms/protocol/server_frames.hpp"

namespace roomsim::rooms {
namespace {

// Keeps object keys in the order they were sent (JSON.stringify order).
using OrderedJson = nlohmann::ordered_json;

void refuse(RoomContext& ctx, SessionId session, std::string_view code, std::string_view message) {
  // (A rate-limited message is probed by the rate limiter.)
  if (code == protocol::error_code::kUnknownTarget) {
    ctx.probe(probe::kRelayUnknownTarget);
  } else if (code != protocol::error_code::kRateLimited) {
    ctx.probe(probe::kRelayBadFrame);
  }
  ctx.send(session, protocol::error_frame(code, message));
}

}  // namespace

RoomPromises RelayRoom::promises(const RoomConfig& config) {
  RoomPromises p = config_promises(config);
  p.limits.erase("max_frame_bytes");
  p.limits["rate_limit_per_user"] = 1;
  p.limits["history_max"] = 0;
  p.limits["auth_required"] = 0;
  p.not_promised = {"recovery", "durability", "history_bound"};
  return p;
}

HttpResponse RelayRoom::on_request(RoomContext& ctx, const HttpRequest& request) {
  if (!request.websocket_upgrade) return expected_websocket();
  Admission admission = admit(ctx, request, config_, AuthMode::kOptional);
  if (admission.refusal) return *admission.refusal;
  const SessionId id = ctx.accept_websocket(admission.attachment);
  const std::string wire_id = session_wire_id(id);
  ctx.send(id, protocol::welcome_frame(wire_id, user_object(admission.attachment), std::nullopt, std::nullopt, nullptr));
  return HttpResponse::text(101, "");
}

void RelayRoom::on_message(RoomContext& ctx, SessionId session, std::string_view text) {
  if (!protocol::json_text_depth_within(text)) {  // the payload is dumped below, which recurses per level
    refuse(ctx, session, protocol::error_code::kBadJson,
           "frame nests arrays and objects deeper than " + std::to_string(protocol::kJsonDepthMax) + " levels");
    return;
  }
  OrderedJson frame = OrderedJson::parse(text, nullptr, /*allow_exceptions=*/false);
  if (frame.is_discarded()) {
    refuse(ctx, session, protocol::error_code::kBadJson, "frame is not valid JSON");
    return;
  }
  if (!frame.is_object()) {
    refuse(ctx, session, protocol::error_code::kBadFrame, "frame must be a JSON object");
    return;
  }
  auto type = frame.find("type");
  if (type == frame.end() || !type->is_string()) {
    refuse(ctx, session, protocol::error_code::kBadFrame, "frame needs a string field \"type\"");
    return;
  }
  const std::string& kind = type->get_ref<const std::string&>();
  if (kind != "broadcast" && kind != "direct") {
    refuse(ctx, session, protocol::error_code::kUnknownType,
           "unknown type \"" + kind + "\": the relay accepts broadcast and direct");
    return;
  }
  auto payload = frame.find("payload");
  if (payload == frame.end()) {
    refuse(ctx, session, protocol::error_code::kBadField, kind + " needs a field \"payload\"");
    return;
  }
  const SessionAttachment* sender = ctx.attachment(session);
  if (config_.rate_limit_per_min > 0 &&
      !rate_.try_acquire(ctx, sender != nullptr && !sender->user_id.empty() ? sender->user_id : session_wire_id(session))) {
    refuse(ctx, session, protocol::error_code::kRateLimited, "rate limit exceeded");
    return;
  }
  const std::string out = payload->dump();
  if (kind == "broadcast") {
    if (ROOMSIM_PLANTED(kRelaySkipsNewestSession)) {
      const std::vector<SessionId> all = ctx.sessions();
      std::vector<SessionId> to;
      for (size_t i = 0; i + 1 < all.size(); ++i) {
        if (all[i] != session) to.push_back(all[i]);
      }
      ctx.send_many(to, out);
      return;
    }
    send_to_all(ctx, out, session);
    return;
  }
  auto target_field = frame.find("targetId");
  if (target_field == frame.end() || !target_field->is_string()) {
    refuse(ctx, session, protocol::error_code::kBadField, "direct needs a string field \"targetId\"");
    return;
  }
  const std::optional<SessionId> target = find_session(ctx, target_field->get_ref<const std::string&>());
  if (!target || *target == session) {
    refuse(ctx, session, protocol::error_code::kUnknownTarget, "no other open session has that targetId");
    return;
  }
  ctx.send(*target, out);
}

void RelayRoom::on_close(RoomContext& ctx, SessionId session, int code, std::string_view reason) {
  (void)ctx;
  (void)session;
  (void)code;
  (void)reason;
}

}  // namespace roomsim::rooms
