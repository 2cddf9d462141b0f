// rooms/kinds/seed_room.cpp: see seed_room.hpp.
#include "rooms/kinds/seed_room.hpp"

#include <cstdio>
#include <cstdlib>

#include "rooms/common/frame_intake.hpp"
#include "rooms/common/probe_names.hpp"
#include "rooms/common/session_tools.hpp"

namespace roomsim::rooms {
namespace {

const std::vector<std::string_view> kAccepted = {"broadcast", "direct", "join_room", "pong", "sync"};
constexpr const char* kRoomDataKey = "roomData";
constexpr const char* kLoad = "load";
constexpr const char* kFlushRate = "flush_rate";
constexpr const char* kSync = "sync";
constexpr int64_t kRateWindowMs = 60'000;

// The seed identifies sessions by a random id kept server-side only.
std::string internal_id(const SessionAttachment& a) { return a.extra.value("seedId", ""); }

}  // namespace

RoomConfig SeedRoom::effective_config(RoomConfig config, const SeedRoomOptions& options) {
  if (!options.production) {
    config.max_connections = 0;
    config.max_connections_per_user = 0;
    config.heartbeat_interval_ms = 0;
  }
  return config;
}

RoomPromises SeedRoom::promises(const RoomConfig& config, const SeedRoomOptions& options) {
  const RoomConfig c = effective_config(config, options);
  RoomPromises p = config_promises(c);
  p.limits["rate_limit_per_min"] = options.production ? c.rate_limit_per_min : 0;
  p.limits["rate_limit_per_user"] = options.production ? 1 : 0;
  p.limits["history_max"] = options.stores_history ? c.history_max : 0;
  p.limits["auth_required"] = options.auth == AuthMode::kRequired ? 1 : 0;
  if (!options.stores_history) p.not_promised.push_back("durability");
  return p;
}

SeedRoom::SeedRoom(RoomConfig config, SeedRoomOptions options)
    : config_(effective_config(std::move(config), options)),
      options_(options),
      errors_(options_.production ? config_.error_log_max : 0),
      metrics_(options_.production ? config_.metrics_batch : 0, /*seed_faithful=*/true),
      roster_(/*with_session_ids=*/false, /*presence=*/options_.stores_history) {}

void SeedRoom::on_start(RoomContext& ctx) {
  created_ms_ = to_unix_ms(ctx.now());
  loaded_ = false;
  messages_.clear();
  // Flaw kept: the load does not block other events; it runs in a later handler.
  if (options_.stores_history) {
    ctx.probe(probe::kSeedLoadDeferred);
    alarms_.schedule(ctx, kLoad, ctx.now());
  }
  if (config_.sync_interval_ms > 0) alarms_.schedule(ctx, kSync, ctx.now() + RoomDuration(config_.sync_interval_ms));
  errors_.load(ctx);
  metrics_.load(ctx);
}

void SeedRoom::load(RoomContext& ctx) {
  loaded_ = true;
  auto text = ctx.storage().get(kRoomDataKey);
  if (!text) return;
  auto data = nlohmann::json::parse(*text, nullptr, false);
  if (!data.is_object() || !data.contains("messages") || !data["messages"].is_array()) {
    ctx.log(LogLevel::kError, "seed room: unreadable roomData, starting empty");
    return;
  }
  messages_.clear();
  for (const auto& j : data["messages"]) {
    if (auto m = protocol::RoomMessage::from_json(j)) messages_.push_back(std::move(*m));
  }
  if (data.contains("metadata") && data["metadata"].is_object()) {
    created_ms_ = data["metadata"].value("createdAt", created_ms_);
  }
}

nlohmann::json SeedRoom::history_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& m : messages_) out.push_back(protocol::message_object(m, std::nullopt));
  return out;
}

nlohmann::json SeedRoom::room_data(RoomContext& ctx) const {
  nlohmann::json messages = nlohmann::json::array();
  for (const auto& m : messages_) messages.push_back(m.to_json());
  return {{"messages", std::move(messages)},
          {"participants", participant_list(ctx, false)},
          {"metadata", {{"roomId", ctx.room_id()}, {"createdAt", created_ms_}, {"lastActivity", to_unix_ms(ctx.now())}}}};
}

void SeedRoom::save(RoomContext& ctx) {
  if (options_.stores_history) ctx.storage().put(kRoomDataKey, room_data(ctx).dump());
}

HttpResponse SeedRoom::on_request(RoomContext& ctx, const HttpRequest& request) {
  if (!request.websocket_upgrade) {
    const std::string suffix = endpoint_suffix(ctx, request);
    if (!options_.production || request.method != "GET") return expected_websocket();
    // The seed serves room info and history to anyone: no token asked.
    if (suffix == "/info") {
      nlohmann::json body = {{"roomId", ctx.room_id()},
                             {"kind", ctx.room_kind()},
                             {"connections", ctx.sessions().size()},
                             {"participants", participant_list(ctx, false)},
                             {"messageCount", messages_.size()},
                             {"createdAt", created_ms_}};
      return HttpResponse::json(200, body.dump());
    }
    if (suffix == "/history") return HttpResponse::json(200, nlohmann::json{{"messages", history_json()}}.dump());
    return expected_websocket();
  }
  Admission admission = admit(ctx, request, config_, options_.auth);
  if (admission.refusal) return *admission.refusal;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(ctx.random_u64()));
  admission.attachment.extra["seedId"] = hex;
  const SessionId id = ctx.accept_websocket(admission.attachment);
  ctx.send(id, protocol::welcome_frame(std::nullopt, user_object(admission.attachment), std::nullopt, std::nullopt,
                                       options_.stores_history ? participant_list(ctx, false) : nullptr));
  if (options_.stores_history) ctx.send(id, protocol::history_frame(history_json(), std::nullopt, std::nullopt));
  roster_.joined(ctx, id, alarms_, config_);
  save(ctx);
  return HttpResponse::text(101, "");
}

void SeedRoom::report(RoomContext& ctx, SessionId session, std::string_view code, std::string_view message) {
  if (options_.production) {
    ctx.send(session, protocol::error_frame(code, message));
    errors_.record(ctx, code, message, internal_id(*ctx.attachment(session)));
  } else {
    // Flaw kept: the seed's try/catch only logs; the client never hears why.
    ctx.log(LogLevel::kError, "seed room: " + std::string(code) + ": " + std::string(message));
  }
}

void SeedRoom::on_message(RoomContext& ctx, SessionId session, std::string_view text) {
  auto taken = take_frame(ctx, session, text, kAccepted, config_, roster_, alarms_,
                          [&](std::string_view code, std::string_view message) { report(ctx, session, code, message); });
  if (!taken) {
    if (ctx.attachment(session) == nullptr) save(ctx);  // closed for a too-large frame: participants changed
    return;
  }
  const protocol::ClientFrame& frame = *taken;
  if (frame.type == "broadcast") {
    handle_broadcast(ctx, session, frame);
  } else if (frame.type == "direct") {
    handle_direct(ctx, session, frame);
  } else if (frame.type == "join_room") {
    SessionAttachment* a = ctx.attachment(session);
    const std::string sub = frame.string_or_empty("roomId");
    if (static_cast<int64_t>(a->subscriptions.size()) < config_.max_sub_rooms) a->subscriptions.push_back(sub);
    ctx.send(session, protocol::sub_room_frame("joined_room", sub));
  } else if (frame.type == "sync") {
    sync_.start(ctx, room_data(ctx));
  }
}

bool SeedRoom::seed_rate_check(RoomContext& ctx, SessionId session) {
  if (!options_.production || config_.rate_limit_per_min <= 0) return true;
  std::string key = "rate/";
  key.append(internal_id(*ctx.attachment(session)));
  int64_t count = 0;
  if (auto text = ctx.storage().get(key)) count = std::atoll(text->c_str());
  if (count > config_.rate_limit_per_min) return false;  // flaw kept: `>` lets message limit+1 through
  // Flaw kept: the increment is written by a later handler, from the value read now.
  pending_rate_writes_[key] = count + 1;
  alarms_.schedule(ctx, kFlushRate, ctx.now());
  return true;
}

void SeedRoom::handle_broadcast(RoomContext& ctx, SessionId session, const protocol::ClientFrame& frame) {
  if (!seed_rate_check(ctx, session)) {
    ctx.probe(probe::kSeedRateLimited);
    report(ctx, session, protocol::error_code::kRateLimited, "Rate limit exceeded");
    return;
  }
  protocol::RoomMessage m = message_from(ctx, session, frame);
  m.from.clear();     // the seed never tells session ids
  // Flaw kept: roomId is echoed in the frame but membership is ignored: everyone receives it.
  const std::string text = protocol::message_frame(m, std::nullopt);
  if (options_.stores_history) {
    messages_.push_back(std::move(m));
    while (static_cast<int64_t>(messages_.size()) > config_.history_max) messages_.pop_front();
    save(ctx);
  }
  send_to_all(ctx, text, options_.echo_to_sender ? std::nullopt : std::optional(session));
  metrics_.record(ctx, "messages", 1);
}

void SeedRoom::handle_direct(RoomContext& ctx, SessionId session, const protocol::ClientFrame& frame) {
  const std::string target = frame.string_or_empty("targetId");
  for (SessionId s : ctx.sessions()) {
    if (internal_id(*ctx.attachment(s)) != target) continue;
    protocol::RoomMessage m = message_from(ctx, session, frame);
    m.from.clear();
    ctx.send(s, protocol::direct_frame(m));
    return;
  }
  ctx.probe(probe::kSeedUnknownTarget);
  report(ctx, session, protocol::error_code::kUnknownTarget, "Target session not found");
}

void SeedRoom::departed(RoomContext& ctx, SessionId session) {
  if (roster_.left(ctx, session, alarms_)) save(ctx);
}

void SeedRoom::on_close(RoomContext& ctx, SessionId session, int code, std::string_view reason) {
  (void)code;
  (void)reason;
  departed(ctx, session);
}

void SeedRoom::on_alarm(RoomContext& ctx) {
  for (const std::string& task : alarms_.take_due(ctx)) {
    if (task == kLoad) {
      load(ctx);
    } else if (task == kFlushRate) {
      for (const auto& [key, value] : pending_rate_writes_) {
        ctx.storage().put(key, std::to_string(value), RoomDuration(kRateWindowMs));
      }
      pending_rate_writes_.clear();
    } else if (task == Roster::kHeartbeatTask) {
      roster_.heartbeat(ctx, alarms_, config_);
      save(ctx);
    } else if (task == kSync) {
      sync_.start(ctx, room_data(ctx));
      alarms_.schedule(ctx, kSync, ctx.now() + RoomDuration(config_.sync_interval_ms));
    }
  }
}

void SeedRoom::on_fetch_result(RoomContext& ctx, uint64_t request_id, const FetchResponse& response) {
  if (sync_.finish(ctx, request_id, response)) return;
  if (metrics_.finish(ctx, request_id, response)) return;
  ctx.log(LogLevel::kWarn, "fetch result for unknown request " + std::to_string(request_id));
}

}  // namespace roomsim::rooms
