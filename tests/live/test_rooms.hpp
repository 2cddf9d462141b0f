// tests/live/test_rooms.hpp: a small room kind ("probe") that exercises
// every host capability the live server provides, independent of the room
// kinds in rooms/kinds: token checks, broadcast, direct, storage + output
// gate, alarms, close, fetch. Frames (client -> server):
//   {"type":"broadcast","payload":X}  store seq, send {"type":"message","seq":n,"payload":X} to all
//   {"type":"direct","targetId":"sN","payload":X}
//   {"type":"alarm","in_ms":N}         set an alarm; on_alarm stores "alarms" and broadcasts {"type":"alarm"}
//   {"type":"kick"}                    the room closes the sender with 4000
//   {"type":"fetch","service":S}       fetch, answer {"type":"fetched","status":..,"body":..}
//   {"type":"state"}                   answer {"type":"state","seq":n,"alarms":n}
// Anything else: {"type":"error","code":"bad_json"|"unknown_type"}.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "rooms/api/registry.hpp"
#include "rooms/api/room.hpp"

namespace roomsim::live::testing {

inline constexpr const char* kProbeSecret = "probe-secret";

class ProbeRoom final : public rooms::Room {
 public:
  void on_start(rooms::RoomContext& ctx) override {
    seq_ = std::stoll(ctx.storage().get("seq").value_or("0"));
  }

  rooms::HttpResponse on_request(rooms::RoomContext& ctx, const rooms::HttpRequest& request) override {
    if (request.path.size() > 6 && request.path.substr(request.path.size() - 6) == "/state") {
      return rooms::HttpResponse::json(200, state(ctx).dump());
    }
    if (!request.websocket_upgrade) return rooms::HttpResponse::text(400, "Expected websocket");
    auto token = request.query.find("token");
    if (token == request.query.end()) return rooms::HttpResponse::text(401, "Unauthorized");
    auto user = ctx.verify_token(token->second, kProbeSecret);
    if (!user) return rooms::HttpResponse::text(401, "Unauthorized");
    rooms::SessionAttachment a;
    a.user_id = user->id;
    a.name = user->name;
    const rooms::SessionId id = ctx.accept_websocket(a);
    ctx.send(id, nlohmann::json{{"type", "welcome"}, {"sessionId", rooms::session_wire_id(id)}, {"seq", seq_}}.dump());
    return {};
  }

  void on_message(rooms::RoomContext& ctx, rooms::SessionId session, std::string_view text) override {
    nlohmann::json m = nlohmann::json::parse(text, nullptr, false);
    if (m.is_discarded() || !m.is_object()) return error(ctx, session, "bad_json");
    const std::string type = m.value("type", "");
    if (type == "broadcast") {
      ++seq_;
      ctx.storage().put("seq", std::to_string(seq_));
      const std::string frame =
          nlohmann::json{{"type", "message"}, {"seq", seq_}, {"payload", m["payload"]}}.dump();
      for (rooms::SessionId s : ctx.sessions()) ctx.send(s, frame);
    } else if (type == "direct") {
      const std::string target = m.value("targetId", "");
      for (rooms::SessionId s : ctx.sessions()) {
        if (rooms::session_wire_id(s) == target) {
          ctx.send(s, nlohmann::json{{"type", "direct"}, {"from", rooms::session_wire_id(session)}, {"payload", m["payload"]}}.dump());
          return;
        }
      }
      error(ctx, session, "unknown_target");
    } else if (type == "alarm") {
      ctx.set_alarm(ctx.now() + rooms::RoomDuration(m.value("in_ms", 100)));
    } else if (type == "kick") {
      ctx.close(session, 4000, "kicked");
    } else if (type == "fetch") {
      fetch_session_ = session;
      ctx.fetch(m.value("service", "feed"), rooms::FetchRequest{});
    } else if (type == "state") {
      ctx.send(session, state(ctx).dump());
    } else {
      error(ctx, session, "unknown_type");
    }
  }

  void on_close(rooms::RoomContext& ctx, rooms::SessionId session, int code, std::string_view reason) override {
    (void)reason;
    const std::string frame =
        nlohmann::json{{"type", "user_left"}, {"sessionId", rooms::session_wire_id(session)}, {"code", code}}.dump();
    for (rooms::SessionId s : ctx.sessions()) ctx.send(s, frame);
  }

  void on_alarm(rooms::RoomContext& ctx) override {
    const int64_t n = std::stoll(ctx.storage().get("alarms").value_or("0")) + 1;
    ctx.storage().put("alarms", std::to_string(n));
    for (rooms::SessionId s : ctx.sessions()) ctx.send(s, R"({"type":"alarm"})");
  }

  void on_fetch_result(rooms::RoomContext& ctx, uint64_t, const rooms::FetchResponse& r) override {
    ctx.send(fetch_session_, nlohmann::json{{"type", "fetched"}, {"status", r.status}, {"body", r.body}}.dump());
  }

 private:
  nlohmann::json state(rooms::RoomContext& ctx) {
    return {{"type", "state"},
            {"seq", seq_},
            {"alarms", std::stoll(ctx.storage().get("alarms").value_or("0"))},
            {"alarm_set", ctx.alarm().has_value()}};
  }
  static void error(rooms::RoomContext& ctx, rooms::SessionId s, const std::string& code) {
    ctx.send(s, nlohmann::json{{"type", "error"}, {"code", code}, {"message", code}}.dump());
  }

  int64_t seq_ = 0;
  rooms::SessionId fetch_session_ = 0;
};

inline const rooms::RoomRegistry& probe_registry() {
  static const rooms::RoomRegistry registry = [] {
    rooms::RoomRegistry r;
    r.add({"probe", "test room for the live host", false,
           [](const rooms::RoomSpec&) -> rooms::CreateResult { return std::unique_ptr<rooms::Room>(new ProbeRoom()); },
           /*promises=*/{}});
    return r;
  }();
  return registry;
}

}  // namespace roomsim::live::testing
