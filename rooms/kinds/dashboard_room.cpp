// rooms/kinds/dashboard_room.cpp: see dashboard_room.hpp.
#include "rooms/kinds/dashboard_room.hpp"

#include <algorithm>

#include "rooms/common/admission.hpp"
#include "rooms/common/frame_intake.hpp"
#include "rooms/common/planted_bug.hpp"
#include "rooms/common/probe_names.hpp"
#include "rooms/common/session_tools.hpp"
#include "rooms/protocol/json_limits.hpp"
#include "rooms/protocol/server_frames.hpp"

namespace roomsim::rooms {
namespace {

const std::vector<std::string_view> kAccepted = {"subscribe", "unsubscribe", "pong"};
constexpr const char* kRefresh = "refresh";
constexpr std::string_view kDataPrefix = "data/";
constexpr size_t kMaxKeys = 10'000;
constexpr size_t kMaxSubscriptions = 256;

bool wants(const SessionAttachment& a, const std::string& key) {
  return std::any_of(a.subscriptions.begin(), a.subscriptions.end(),
                     [&](const std::string& k) { return k == "*" || k == key; });
}

std::string data_key(const std::string& key) {
  std::string out(kDataPrefix);
  out.append(key);
  return out;
}

}  // namespace

RoomConfig DashboardRoom::effective_config(RoomConfig config, bool seed_faithful) {
  if (seed_faithful) {
    config.max_connections = 0;
    config.max_connections_per_user = 0;
    config.heartbeat_interval_ms = 0;
  }
  return config;
}

RoomPromises DashboardRoom::promises(const RoomConfig& config, bool seed_faithful) {
  const RoomConfig c = effective_config(config, seed_faithful);
  RoomPromises p = config_promises(c);
  p.limits["rate_limit_per_min"] = 0;
  p.limits["rate_limit_per_user"] = 0;
  p.limits["history_max"] = 0;
  p.limits["auth_required"] = seed_faithful ? 0 : 1;
  p.limits["refresh_interval_ms"] = c.refresh_interval_ms;
  return p;
}

DashboardRoom::DashboardRoom(RoomConfig config, bool seed_faithful)
    : config_(effective_config(std::move(config), seed_faithful)),
      seed_faithful_(seed_faithful),
      roster_(/*with_session_ids=*/true, /*presence=*/!seed_faithful) {}

void DashboardRoom::on_start(RoomContext& ctx) {
  cache_.clear();
  if (seed_faithful_) return;
  for (auto& [key, text] : ctx.storage().list(kDataPrefix, kMaxKeys)) {
    auto value = nlohmann::json::parse(text, nullptr, false);
    if (value.is_discarded()) {
      ctx.log(LogLevel::kError, "dashboard: unreadable cached value " + key);
      continue;
    }
    cache_[key.substr(kDataPrefix.size())] = std::move(value);
  }
  if (!cache_.empty()) ctx.probe(probe::kDashboardCacheReloaded);
}

HttpResponse DashboardRoom::on_request(RoomContext& ctx, const HttpRequest& request) {
  if (!request.websocket_upgrade) return expected_websocket();
  Admission admission = admit(ctx, request, config_, seed_faithful_ ? AuthMode::kIgnored : AuthMode::kRequired);
  if (admission.refusal) return *admission.refusal;
  const SessionId id = ctx.accept_websocket(admission.attachment);
  // Dashboards carry no message sequence: seq and epoch are 0 (omitted by the seed).
  ctx.send(id, protocol::welcome_frame(seed_faithful_ ? std::nullopt : std::optional<std::string_view>(session_wire_id(id)),
                                       user_object(admission.attachment),
                                       seed_faithful_ ? std::nullopt : std::optional<int64_t>(0),
                                       seed_faithful_ ? std::nullopt : std::optional<uint64_t>(0),
                                       seed_faithful_ ? nullptr : participant_list(ctx, true)));
  roster_.joined(ctx, id, alarms_, config_);
  alarms_.ensure(ctx, kRefresh, ctx.now());
  return HttpResponse::text(101, "");
}

void DashboardRoom::report(RoomContext& ctx, SessionId session, std::string_view code, std::string_view message) {
  std::string line = "dashboard: ";
  line.append(code).append(": ").append(message);
  ctx.log(seed_faithful_ ? LogLevel::kError : LogLevel::kWarn, line);
  if (!seed_faithful_) ctx.send(session, protocol::error_frame(code, message));
}

void DashboardRoom::on_message(RoomContext& ctx, SessionId session, std::string_view text) {
  auto taken = take_frame(ctx, session, text, kAccepted, config_, roster_, alarms_,
                          [&](std::string_view code, std::string_view message) { report(ctx, session, code, message); });
  if (!taken) return;
  const protocol::ClientFrame& frame = *taken;
  if (frame.type == "subscribe") {
    subscribe(ctx, session, frame);
  } else if (frame.type == "unsubscribe") {
    SessionAttachment* a = ctx.attachment(session);
    for (const auto& k : frame.body.at("keys")) {
      auto& subs = a->subscriptions;
      subs.erase(std::remove(subs.begin(), subs.end(), k.get<std::string>()), subs.end());
    }
  }
}

void DashboardRoom::subscribe(RoomContext& ctx, SessionId session, const protocol::ClientFrame& frame) {
  SessionAttachment* a = ctx.attachment(session);
  for (const auto& k : frame.body.at("keys")) {
    const std::string key = k.get<std::string>();
    if (std::find(a->subscriptions.begin(), a->subscriptions.end(), key) != a->subscriptions.end()) continue;
    if (a->subscriptions.size() >= kMaxSubscriptions) {
      report(ctx, session, protocol::error_code::kBadField, "a session may subscribe to at most 256 keys");
      return;
    }
    a->subscriptions.push_back(key);
  }
  if (seed_faithful_) return;  // flaw kept: nothing until the next change
  nlohmann::json data = nlohmann::json::object();
  for (const auto& [key, value] : cache_) {
    if (wants(*a, key)) data[key] = value;
  }
  ctx.probe(probe::kDashboardSnapshot);
  ctx.send(session, protocol::snapshot_frame(data, to_unix_ms(ctx.now())));
}

void DashboardRoom::on_close(RoomContext& ctx, SessionId session, int code, std::string_view reason) {
  (void)code;
  (void)reason;
  roster_.left(ctx, session, alarms_);
  if (ctx.sessions().empty()) alarms_.cancel(ctx, kRefresh);
}

void DashboardRoom::poll(RoomContext& ctx) {
  const bool stuck = poll_id_ && ctx.now() - poll_started_ >= RoomDuration(3 * config_.refresh_interval_ms);
  if (!poll_id_ || stuck) {
    if (stuck) {
      ctx.probe(probe::kDashboardPollAbandoned);
      ctx.log(LogLevel::kWarn, "dashboard: feed poll unanswered for 3 intervals; polling again");
    }
    FetchRequest req;
    req.path = "/data";
    poll_id_ = ctx.fetch("feed", std::move(req));
    poll_started_ = ctx.now();
  }
  alarms_.schedule(ctx, kRefresh, ctx.now() + RoomDuration(config_.refresh_interval_ms));
}

void DashboardRoom::on_alarm(RoomContext& ctx) {
  for (const std::string& task : alarms_.take_due(ctx)) {
    if (task == Roster::kHeartbeatTask) {
      roster_.heartbeat(ctx, alarms_, config_);
    } else if (task == kRefresh && !ctx.sessions().empty()) {
      poll(ctx);
    }
  }
}

void DashboardRoom::on_fetch_result(RoomContext& ctx, uint64_t request_id, const FetchResponse& response) {
  if (!poll_id_ || *poll_id_ != request_id) {
    ctx.probe(probe::kDashboardAnswerDropped);
    ctx.log(LogLevel::kWarn, "dashboard: dropping a superseded or unknown feed answer");
    return;
  }
  poll_id_.reset();
  if (!response.ok()) {
    ctx.probe(probe::kDashboardFeedFailed);
    ctx.log(LogLevel::kError, "dashboard: feed failed: " +
                                  (response.status == 0 ? response.error : "HTTP " + std::to_string(response.status)));
    ctx.metric("feed_failed", 1);
    if (ROOMSIM_PLANTED(kDashboardStopsPollingAfterFailure)) alarms_.cancel(ctx, kRefresh);
    return;
  }
  // A stranger's body: refuse deep nesting before the parse (values are compared and copied recursively).
  auto data = protocol::json_text_depth_within(response.body) ? nlohmann::json::parse(response.body, nullptr, false)
                                                              : nlohmann::json();
  if (!data.is_object()) {
    ctx.probe(probe::kDashboardFeedFailed);
    ctx.log(LogLevel::kError, "dashboard: feed answer is not a JSON object (nested at most " +
                                  std::to_string(protocol::kJsonDepthMax) + " levels)");
    ctx.metric("feed_failed", 1);
    return;
  }
  apply(ctx, data);
}

void DashboardRoom::apply(RoomContext& ctx, const nlohmann::json& data) {
  const int64_t now_ms = to_unix_ms(ctx.now());
  std::vector<std::string> changed;
  for (const auto& [key, value] : data.items()) {
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second == value) continue;
    if (it != cache_.end() && ROOMSIM_PLANTED(kDashboardSendsOnlyNewKeys)) {
      it->second = value;
      continue;
    }
    if (it == cache_.end() && cache_.size() >= kMaxKeys) {
      ctx.log(LogLevel::kError, "dashboard: more than 10000 keys; ignoring new key " + key);
      continue;
    }
    cache_[key] = value;
    if (!seed_faithful_) ctx.storage().put(data_key(key), value.dump());
    changed.push_back(key);
  }
  for (SessionId s : ctx.sessions()) {
    const SessionAttachment* a = ctx.attachment(s);
    for (const std::string& key : changed) {
      if (a != nullptr && wants(*a, key)) ctx.send(s, protocol::data_update_frame(key, cache_[key], now_ms));
    }
  }
  if (!changed.empty()) ctx.metric("data_updates", static_cast<double>(changed.size()));
}

}  // namespace roomsim::rooms
