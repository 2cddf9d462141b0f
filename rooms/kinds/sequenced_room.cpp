// rooms/kinds/sequenced_room.cpp: see sequenced_room.hpp.
#include "rooms/kinds/sequenced_room.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

#include "rooms/common/frame_intake.hpp"
#include "rooms/common/planted_bug.hpp"
#include "rooms/common/probe_names.hpp"
#include "rooms/common/session_tools.hpp"
#include "rooms/protocol/server_frames.hpp"

namespace roomsim::rooms {
namespace {

const std::vector<std::string_view> kAccepted = {"broadcast", "direct", "join_room", "leave_room",
                                                 "resume",    "pong",   "sync"};
constexpr const char* kSync = "sync";

// A non-negative decimal query parameter, or nothing.
std::optional<int64_t> query_integer(const HttpRequest& request, const char* name) {
  auto it = request.query.find(name);
  if (it == request.query.end() || it->second.empty()) return std::nullopt;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  if (ec != std::errc() || ptr != it->second.data() + it->second.size() || v < 0) return std::nullopt;
  return v;
}

bool is_member(const SessionAttachment& a, std::string_view sub_room) {
  return std::find(a.subscriptions.begin(), a.subscriptions.end(), sub_room) != a.subscriptions.end();
}

}  // namespace

SequencedRoom::SequencedRoom(RoomConfig config, SequencedRoomOptions options)
    : config_(std::move(config)),
      options_(options),
      log_(config_.history_max, options.durable),
      rate_(config_.rate_limit_per_min, options.durable ? RateLimiter::Backing::kStorage : RateLimiter::Backing::kMemory),
      errors_(options.durable ? config_.error_log_max : 0),
      metrics_(options.durable ? config_.metrics_batch : 0, /*seed_faithful=*/false),
      roster_(/*with_session_ids=*/true, options.presence) {}

RoomPromises SequencedRoom::promises(const RoomConfig& config, const SequencedRoomOptions& options) {
  RoomPromises p = config_promises(config);
  p.limits["rate_limit_per_user"] = 1;  // keyed by user id (by session only when anonymous)
  p.limits["history_max"] = config.history_max;
  p.limits["auth_required"] = options.auth == AuthMode::kRequired ? 1 : 0;
  if (!options.durable) {
    // An in-memory history dies with its instance: a resume answered by a
    // later instance can announce the client's own epoch as lost, but not an
    // epoch the client saw that ended in a restart the new instance never knew.
    p.not_promised.push_back("durability");
    p.not_promised.push_back("recovery");
  }
  return p;
}

void SequencedRoom::on_start(RoomContext& ctx) {
  started_ms_ = to_unix_ms(ctx.now());
  log_.load(ctx);
  errors_.load(ctx);
  metrics_.load(ctx);
  if (config_.sync_interval_ms > 0) {
    alarms_.schedule(ctx, kSync, ctx.now() + RoomDuration(config_.sync_interval_ms));
  } else {
    alarms_.cancel(ctx, kSync);
  }
}

HttpResponse SequencedRoom::on_request(RoomContext& ctx, const HttpRequest& request) {
  const std::string suffix = endpoint_suffix(ctx, request);
  if (!request.websocket_upgrade) return endpoint(ctx, request, suffix);
  std::optional<std::pair<int64_t, uint64_t>> resume_point;
  if (request.query.count("after") != 0 || request.query.count("epoch") != 0) {
    auto after = query_integer(request, "after");
    auto epoch = query_integer(request, "epoch");
    if (!after || !epoch) {
      return HttpResponse::json(
          400, R"({"error":"bad_field","message":"query parameters after and epoch must both be integers >= 0"})");
    }
    resume_point = std::make_pair(*after, static_cast<uint64_t>(*epoch));
  }
  Admission admission = admit(ctx, request, config_, options_.auth);
  if (admission.refusal) {
    ctx.metric("connections_refused", 1);
    return *admission.refusal;
  }
  const SessionId id = ctx.accept_websocket(admission.attachment);
  log_.save_epoch(ctx);  // the welcome tells the epoch: it must survive a restart from now on
  const std::string participants = options_.presence ? participant_list_text(ctx, true) : std::string();
  ctx.send(id, protocol::welcome_frame(session_wire_id(id), user_object(admission.attachment), log_.seq(), log_.epoch(),
                                       options_.presence ? std::optional(protocol::JsonText(participants))
                                                         : std::nullopt));
  auto history = request.query.find("history");
  if (resume_point) {
    // Resume on connect: answered in the same handler as the welcome, so the
    // client can never hold a welcome whose catch-up was lost with the socket.
    ctx.probe(probe::kResumeQuery);
    ctx.send(id, protocol::resumed_frame(log_.resume(ctx, resume_point->first, resume_point->second)));
  } else if (history == request.query.end() || history->second != "none") {
    ctx.send(id, protocol::history_frame(protocol::JsonText(log_.history_text()), log_.seq(), log_.epoch()));
  } else {
    ctx.probe(probe::kHistoryNone);
  }
  roster_.joined(ctx, id, alarms_, config_);
  ctx.metric("connections", 1);
  return HttpResponse::text(101, "");
}

HttpResponse SequencedRoom::endpoint(RoomContext& ctx, const HttpRequest& request, const std::string& suffix) {
  if (!options_.endpoints || (suffix != "/info" && suffix != "/history")) return expected_websocket();
  if (request.method != "GET") return HttpResponse::text(405, "Method not allowed: use GET");
  if (options_.protect_endpoints && !authenticate(ctx, request, config_)) return unauthorized();
  nlohmann::json body;
  if (suffix == "/info") {
    body = {{"roomId", ctx.room_id()},
            {"kind", ctx.room_kind()},
            {"epoch", log_.epoch()},
            {"seq", log_.seq()},
            {"connections", ctx.sessions().size()},
            {"participants", participant_list(ctx, true)},
            {"messageCount", log_.size()},
            {"startedAt", started_ms_}};
  } else {
    body = {{"roomId", ctx.room_id()}, {"epoch", log_.epoch()}, {"seq", log_.seq()}, {"messages", log_.history_json()}};
  }
  return HttpResponse::json(200, body.dump());
}

void SequencedRoom::on_message(RoomContext& ctx, SessionId session, std::string_view text) {
  auto taken = take_frame(ctx, session, text, kAccepted, config_, roster_, alarms_,
                          [&](std::string_view code, std::string_view message) { reject(ctx, session, code, message); });
  if (!taken) return;
  const protocol::ClientFrame& frame = *taken;
  if (frame.type == "broadcast") {
    handle_broadcast(ctx, session, frame);
  } else if (frame.type == "direct") {
    handle_direct(ctx, session, frame);
  } else if (frame.type == "join_room" || frame.type == "leave_room") {
    handle_sub_room(ctx, session, frame);
  } else if (frame.type == "resume") {
    auto answer = log_.resume(ctx, protocol::integer_field(frame.body, "after"),
                              static_cast<uint64_t>(protocol::integer_field(frame.body, "epoch")));
    ctx.send(session, protocol::resumed_frame(answer));
  } else if (frame.type == "sync") {
    const SessionAttachment* a = ctx.attachment(session);
    if (!config_.allows("sync", a->user_id)) {
      ctx.probe(probe::kPermissionDenied);
      reject(ctx, session, protocol::error_code::kForbidden, "user may not start a sync in this room");
      return;
    }
    sync_.start(ctx, room_data(ctx));
  }
  // pong: touch() above already recorded the activity.
}

bool SequencedRoom::admit_message(RoomContext& ctx, SessionId session, std::string_view action) {
  const SessionAttachment* a = ctx.attachment(session);
  if (!config_.allows(action, a->user_id)) {
    ctx.probe(probe::kPermissionDenied);
    reject(ctx, session, protocol::error_code::kForbidden, "user may not " + std::string(action) + " in this room");
    return false;
  }
  const std::string key = a->user_id.empty() ? session_wire_id(session) : a->user_id;
  if (!rate_.try_acquire(ctx, key)) {
    ctx.metric("rate_limited", 1);
    reject(ctx, session, protocol::error_code::kRateLimited,
           "more than " + std::to_string(config_.rate_limit_per_min) + " messages in 60 s; message dropped");
    return false;
  }
  return true;
}

void SequencedRoom::handle_broadcast(RoomContext& ctx, SessionId session, const protocol::ClientFrame& frame) {
  protocol::RoomMessage m = message_from(ctx, session, frame);
  if (!m.room_id.empty() && !is_member(*ctx.attachment(session), m.room_id)) {
    ctx.probe(probe::kSubRoomNotMember);
    reject(ctx, session, protocol::error_code::kNotMember, "join_room \"" + m.room_id + "\" before broadcasting to it");
    return;
  }
  if (!admit_message(ctx, session, "broadcast")) return;
  const std::optional<SessionId> except = options_.echo_to_sender ? std::nullopt : std::optional(session);
  if (m.room_id.empty()) {
    const protocol::RoomMessage& stored = log_.append(ctx, std::move(m));
    send_to_all(ctx, log_.last_frame(), except);
    const int64_t acked_seq = ROOMSIM_PLANTED(kAckCarriesPreviousSeq) ? stored.seq - 1 : stored.seq;
    ctx.send(session, protocol::ack_frame(stored.id, acked_seq, log_.epoch()));
  } else {
    std::vector<SessionId> members;
    for (SessionId s : ctx.sessions()) {
      if (except == s) continue;
      const SessionAttachment* other = ctx.attachment(s);
      if (other != nullptr && (is_member(*other, m.room_id) || ROOMSIM_PLANTED(kSubRoomSentToEveryone))) {
        members.push_back(s);
      }
    }
    ctx.probe(probe::kSubRoomBroadcast);
    ctx.send_many(members, protocol::message_frame(m, std::nullopt));
    ctx.send(session, protocol::ack_frame(m.id, -1, log_.epoch()));
  }
  metrics_.record(ctx, "messages", 1);
}

void SequencedRoom::handle_direct(RoomContext& ctx, SessionId session, const protocol::ClientFrame& frame) {
  const std::string target_wire = frame.string_or_empty("targetId");
  auto target = find_session(ctx, target_wire);
  if (!target) {
    ctx.probe(probe::kDirectUnknownTarget);
    reject(ctx, session, protocol::error_code::kUnknownTarget, "no open session \"" + target_wire + "\" in this room");
    return;
  }
  if (!admit_message(ctx, session, "direct")) return;
  const protocol::RoomMessage m = message_from(ctx, session, frame);
  ctx.probe(probe::kDirectSent);
  ctx.send(*target, protocol::direct_frame(m));
  if (ROOMSIM_PLANTED(kDirectSentTwice)) ctx.send(*target, protocol::direct_frame(m));
  if (ROOMSIM_PLANTED(kDirectEchoedToSender) && *target != session) ctx.send(session, protocol::direct_frame(m));
  ctx.send(session, protocol::ack_frame(m.id, -1, log_.epoch()));
  metrics_.record(ctx, "directs", 1);
}

void SequencedRoom::handle_sub_room(RoomContext& ctx, SessionId session, const protocol::ClientFrame& frame) {
  SessionAttachment* a = ctx.attachment(session);
  const std::string sub = frame.string_or_empty("roomId");
  auto it = std::find(a->subscriptions.begin(), a->subscriptions.end(), sub);
  if (frame.type == "join_room") {
    if (it == a->subscriptions.end()) {
      if (static_cast<int64_t>(a->subscriptions.size()) >= config_.max_sub_rooms) {
        ctx.probe(probe::kSubRoomTooMany);
        reject(ctx, session, protocol::error_code::kTooManyRooms,
               "a session may join at most " + std::to_string(config_.max_sub_rooms) + " sub-rooms");
        return;
      }
      a->subscriptions.push_back(sub);
    }
    ctx.probe(probe::kSubRoomJoined);
    ctx.send(session, protocol::sub_room_frame("joined_room", sub));
    return;
  }
  if (it == a->subscriptions.end()) {
    ctx.probe(probe::kSubRoomNotMember);
    reject(ctx, session, protocol::error_code::kNotMember, "not a member of sub-room \"" + sub + "\"");
    return;
  }
  a->subscriptions.erase(it);
  ctx.probe(probe::kSubRoomLeft);
  ctx.send(session, protocol::sub_room_frame("left_room", sub));
}

void SequencedRoom::reject(RoomContext& ctx, SessionId session, std::string_view code, std::string_view message) {
  ctx.send(session, protocol::error_frame(code, message));
  errors_.record(ctx, code, message, session_wire_id(session));
}

void SequencedRoom::on_close(RoomContext& ctx, SessionId session, int code, std::string_view reason) {
  (void)code;
  (void)reason;
  roster_.left(ctx, session, alarms_);
}

void SequencedRoom::on_alarm(RoomContext& ctx) {
  for (const std::string& task : alarms_.take_due(ctx)) {
    if (task == Roster::kHeartbeatTask) {
      roster_.heartbeat(ctx, alarms_, config_);
    } else if (task == kSync) {
      if (!sync_.in_flight()) sync_.start(ctx, room_data(ctx));
      alarms_.schedule(ctx, kSync, ctx.now() + RoomDuration(config_.sync_interval_ms));
    }
  }
}

void SequencedRoom::on_fetch_result(RoomContext& ctx, uint64_t request_id, const FetchResponse& response) {
  if (sync_.finish(ctx, request_id, response)) return;
  if (metrics_.finish(ctx, request_id, response)) return;
  ctx.log(LogLevel::kWarn, "fetch result for unknown request " + std::to_string(request_id));
}

nlohmann::json SequencedRoom::room_data(RoomContext& ctx) const {
  return {{"roomId", ctx.room_id()},
          {"kind", ctx.room_kind()},
          {"epoch", log_.epoch()},
          {"seq", log_.seq()},
          {"messages", log_.history_json()},
          {"participants", participant_list(ctx, true)},
          {"metadata", {{"startedAt", started_ms_}, {"syncedAt", to_unix_ms(ctx.now())}}}};
}

}  // namespace roomsim::rooms
