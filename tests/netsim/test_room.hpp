// tests/netsim/test_room.hpp: a tiny chat room for netsim tests, independent
// of the room kinds in rooms/ (which other tests cover). It speaks the subset
// of docs/protocol.md the client agents need: welcome, broadcast -> message
// (seq, epoch, payload) to everyone + ack to the sender after the write,
// resume -> resumed (all stored messages after `after`). Config:
//   "auth": true          verify ?token= (401 otherwise)
//   "alarm_ms": n         on_start sets an alarm n ms ahead; on_alarm counts
//                         firings in storage ("alarms") and re-arms
//   "no_storage": true    broadcast without writing (no output gate)
//   "after_welcome": "t"  sends the text t (any bytes) right after each welcome
//   "send_many": true     broadcast with one ctx.send_many call (plus a closed
//                         and an unknown session id) instead of a send() loop
//   "attachment_user": u  puts user id u in every session's attachment (a room
//                         that misreports who its sessions belong to)
//   "throw_on_message": t on_message throws std::runtime_error(t), or the int t
//                         itself when t is a number (not a std::exception)
//   "probe": p            every on_message calls ctx.probe(p)
//   "fetch": service      every broadcast also calls ctx.fetch(service)
//   "no_accept": true     answers an upgrade 101 without accepting it
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "rooms/api/registry.hpp"
#include "rooms/api/room.hpp"

namespace roomsim::netsim::testing {

class TestRoom final : public rooms::Room {
 public:
  explicit TestRoom(nlohmann::json config) : config_(std::move(config)) {}

  void on_start(rooms::RoomContext& ctx) override {
    seq_ = std::stoll(ctx.storage().get("seq").value_or("0"));
    if (config_.contains("alarm_ms") && !ctx.alarm()) {
      ctx.set_alarm(ctx.now() + rooms::RoomDuration(config_["alarm_ms"].get<int64_t>()));
    }
    ctx.metric("seq", static_cast<double>(seq_));
    ctx.metric("epoch", 1);
  }

  rooms::HttpResponse on_request(rooms::RoomContext& ctx, const rooms::HttpRequest& request) override {
    if (!request.websocket_upgrade) return rooms::HttpResponse::text(400, "Expected websocket");
    if (config_.value("no_accept", false)) return rooms::HttpResponse::text(101, "");
    rooms::SessionAttachment a;
    if (config_.value("auth", false)) {
      auto it = request.query.find("token");
      if (it == request.query.end()) return rooms::HttpResponse::text(401, "Unauthorized");
      auto user = ctx.verify_token(it->second, "roomsim-dev-secret");
      if (!user) return rooms::HttpResponse::text(401, "Unauthorized");
      a.user_id = user->id;
    }
    if (config_.contains("attachment_user")) a.user_id = config_["attachment_user"].get<std::string>();
    const rooms::SessionId s = ctx.accept_websocket(a);
    ctx.send(s, nlohmann::json{{"type", "welcome"},
                               {"sessionId", rooms::session_wire_id(s)},
                               {"seq", seq_},
                               {"epoch", 1},
                               {"participants", nlohmann::json::array()}}
                    .dump());
    if (config_.contains("after_welcome")) ctx.send(s, config_["after_welcome"].get<std::string>());
    return {};
  }

  void on_message(rooms::RoomContext& ctx, rooms::SessionId session, std::string_view text) override {
    if (config_.contains("probe")) ctx.probe(config_["probe"].get<std::string>());
    if (config_.contains("throw_on_message")) {
      const nlohmann::json& t = config_["throw_on_message"];
      if (t.is_number_integer()) throw t.get<int>();
      throw std::runtime_error(t.get<std::string>());
    }
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      ctx.send(session, R"({"type":"error","code":"bad_json","message":"not JSON"})");
      return;
    }
    const std::string type = j.value("type", "");
    if (type == "broadcast") {
      const bool store = !config_.value("no_storage", false);
      ++seq_;
      nlohmann::json m = {{"type", "message"}, {"seq", seq_}, {"epoch", 1}, {"from", rooms::session_wire_id(session)},
                          {"id", j.value("id", "")}, {"payload", j["payload"]}};
      const std::string frame = m.dump();
      if (config_.contains("fetch")) ctx.fetch(config_["fetch"].get<std::string>(), rooms::FetchRequest{});
      if (store) {
        ctx.storage().put("seq", std::to_string(seq_));
        ctx.storage().put("m/" + pad(seq_), frame);
      }
      if (config_.value("send_many", false)) {
        std::vector<rooms::SessionId> to = ctx.sessions();
        to.insert(to.begin() + static_cast<std::ptrdiff_t>(to.size() / 2), {session + 1'000'000, 0});
        ctx.send_many(to, frame);
      } else {
        for (rooms::SessionId s : ctx.sessions()) ctx.send(s, frame);
      }
      ctx.send(session, nlohmann::json{{"type", "ack"}, {"id", j.value("id", "")}, {"seq", seq_}, {"epoch", 1}}.dump());
    } else if (type == "resume") {
      const int64_t after = j.value("after", int64_t{0});
      nlohmann::json messages = nlohmann::json::array();
      for (auto& [k, v] : ctx.storage().list("m/", 100000)) {
        auto m = nlohmann::json::parse(v);
        if (m["seq"].get<int64_t>() > after) messages.push_back(m);
      }
      ctx.send(session, nlohmann::json{{"type", "resumed"}, {"after", after}, {"epoch", 1}, {"recovered", true},
                                       {"messages", messages}}
                            .dump());
    } else if (type == "pong") {
    } else {
      ctx.send(session, R"({"type":"error","code":"unknown_type","message":"unknown type"})");
    }
  }

  void on_close(rooms::RoomContext&, rooms::SessionId, int, std::string_view) override {}

  void on_alarm(rooms::RoomContext& ctx) override {
    const int64_t n = std::stoll(ctx.storage().get("alarms").value_or("0")) + 1;
    ctx.storage().put("alarms", std::to_string(n));
    if (config_.contains("alarm_ms")) ctx.set_alarm(ctx.now() + rooms::RoomDuration(config_["alarm_ms"].get<int64_t>()));
  }

 private:
  static std::string pad(int64_t n) {
    std::string s = std::to_string(n);
    return std::string(12 - s.size(), '0') + s;
  }
  nlohmann::json config_;
  int64_t seq_ = 0;
};

inline const rooms::RoomRegistry& test_registry() {
  static const rooms::RoomRegistry registry = [] {
    rooms::RoomRegistry r;
    r.add(rooms::RoomKindInfo{"test", "netsim test room", false, [](const rooms::RoomSpec& spec) -> rooms::CreateResult {
                                if (!spec.config.is_object()) return std::string("config must be an object");
                                return std::unique_ptr<rooms::Room>(new TestRoom(spec.config));
                              },
                              /*promises=*/{}});
    return r;
  }();
  return registry;
}

}  // namespace roomsim::netsim::testing
