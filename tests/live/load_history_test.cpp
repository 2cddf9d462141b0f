// tests/live/load_history_test.cpp: a live history carries what the checkers
// need, taken from the world and not from the room (issue 13, item 7):
// the room's promises from the server's config file, token validity checked
// against the room's secret, and phases. Each case runs real rooms behind the
// real server and judges the recording with the simulator's checkers; the
// "caught" cases show that what is recorded is what is judged: a room that
// breaks its promise, or a server configured otherwise than the load tool was
// told, fails the property that names it.
#include <gtest/gtest.h>

#include <fstream>

#include "live/load_tool.hpp"
#include "live/server_options.hpp"
#include "properties/checker.hpp"
#include "properties/history_jsonl.hpp"
#include "rooms/api/registry.hpp"
#include "tests/live/live_fixture.hpp"

namespace roomsim::live::testing {
namespace {

const char* const kDevSecret = "roomsim-dev-secret";

std::string write_file(const std::string& name, const std::string& text) {
  const std::string path = fresh_dir(name) + ".json";
  std::ofstream(path) << text;
  return path;
}

// A server whose room config is read from `config_path`, as `serve --config` does.
ServerOptions server_with_config(const std::string& data, const std::string& config_path) {
  ServerOptions o = LiveServer::defaults(fresh_dir(data));
  EXPECT_EQ(load_server_config(config_path, o), "");
  return o;
}

LoadOptions small_load(uint16_t port, const std::string& room) {
  LoadOptions o;
  o.url = "ws://127.0.0.1:" + std::to_string(port) + "/rooms/" + room;
  o.clients = 6;
  o.senders = 2;
  o.messages = 20;
  o.secret = kDevSecret;
  o.history_path = fresh_dir("load-history-" + room.substr(0, room.find('/'))) + ".jsonl";
  o.timeout_s = 20;
  o.idle_timeout_s = 1;
  return o;
}

properties::History run_and_read(const LoadOptions& o) {
  auto result = run_load(o);
  EXPECT_TRUE(std::holds_alternative<nlohmann::json>(result)) << std::get<std::string>(result);
  auto history = properties::read_history_jsonl(o.history_path);
  EXPECT_TRUE(std::holds_alternative<properties::History>(history)) << std::get<std::string>(history);
  return std::holds_alternative<properties::History>(history) ? std::get<properties::History>(history)
                                                              : properties::History{};
}

properties::Verdict verdict(const properties::History& h, const std::string& property) {
  return properties::check_properties(h, {property}).at(0);
}

std::optional<int64_t> room_config(const properties::History& h, const std::string& key) {
  std::optional<int64_t> out;
  for (const auto& e : h.events()) {
    if (e.kind == properties::EventKind::kConfig && e.room != properties::kNoName && h.name(e.text) == key) {
      out = e.value;
    }
  }
  return out;
}

TEST(LoadHistory, ServerConfigGivesTheRoomsOwnLimitsTokensAndPhases) {
  // Item 8's false alarm, live: a chat room configured above the defaults.
  const std::string config =
      write_file("server-config", R"({"rooms": {"chat": {"max_connections": 200, "rate_limit_per_min": 1000}}})");
  LiveServer s(server_with_config("load-history-chat", config), rooms::builtin_registry());
  LoadOptions o = small_load(s.port(), "chat/judged");
  o.server_config_path = config;
  o.bad_token_clients = 2;
  const properties::History h = run_and_read(o);

  EXPECT_EQ(room_config(h, "max_connections"), 200);
  EXPECT_EQ(room_config(h, "rate_limit_per_min"), 1000);
  EXPECT_EQ(room_config(h, "auth_required"), 1);
  EXPECT_EQ(room_config(h, "history_max"), 100);
  size_t valid = 0, invalid = 0, refused = 0, phases = 0;
  for (const auto& e : h.events()) {
    if (e.kind == properties::EventKind::kConnect) (e.value == 1 ? valid : invalid) += 1;
    if (e.kind == properties::EventKind::kConnectResult && e.code == 401) ++refused;
    if (e.kind == properties::EventKind::kPhase) ++phases;
  }
  EXPECT_EQ(valid, 4u) << "the four good clients' tokens verify against the room's secret";
  EXPECT_EQ(invalid, 2u) << "the bad-token clients are recorded as such, and do not retry";
  EXPECT_EQ(refused, 2u);
  EXPECT_EQ(phases, 2u) << "liveness from the start, then end";

  for (const auto& v : properties::check_properties(h, properties::all_property_names())) {
    EXPECT_TRUE(v.passed) << v.property << ": " << v.explanation << " (history " << o.history_path << ")";
  }
  // Judged, not vacuous: the properties a live recording could not feed before.
  for (const char* property : {"authorization", "connection_limits", "rate_limit", "liveness", "history_bound",
                               "presence_convergence", "admission"}) {
    const properties::Verdict v = verdict(h, property);
    EXPECT_FALSE(v.vacuous) << property << " judged nothing: " << v.explanation;
  }
}

TEST(LoadHistory, WithoutServerConfigNothingIsAssumedAndTheVerdictsSaySo) {
  LiveServer s(LiveServer::defaults(fresh_dir("load-history-plain")), rooms::builtin_registry());
  LoadOptions o = small_load(s.port(), "chat/unknown");
  const properties::History h = run_and_read(o);
  EXPECT_FALSE(room_config(h, "max_connections").has_value());
  EXPECT_FALSE(room_config(h, "history_max").has_value()) << "no default is assumed for the server's config";
  for (const auto& e : h.events()) {
    if (e.kind == properties::EventKind::kConnect) {
      EXPECT_EQ(e.value, 0) << "nobody can tell the token valid";
    }
  }
  // history_bound still judges that replays end at the room's latest message (no bound needed).
  const properties::Verdict bound = verdict(h, "history_bound");
  EXPECT_TRUE(bound.passed) << bound.explanation;
  EXPECT_NE(bound.explanation.find("no history_max recorded"), std::string::npos) << bound.explanation;
  for (const char* property : {"authorization", "connection_limits", "rate_limit"}) {
    const properties::Verdict v = verdict(h, property);
    EXPECT_TRUE(v.passed) << property << ": " << v.explanation;
    EXPECT_TRUE(v.vacuous) << property << " should say it judged nothing without the room's promises";
    EXPECT_FALSE(v.explanation.empty()) << property;
  }
}

TEST(LoadHistory, ARoomThatAdmitsBadTokensIsCaughtLive) {
  // A planted bug in a real room behind the live server: it promises what chat promises
  // (auth_required 1) but never checks the token (seed-broadcast's factory ignores tokens).
  rooms::RoomRegistry registry;
  const rooms::RoomKindInfo* lax = rooms::builtin_registry().find("seed-broadcast");
  const rooms::RoomKindInfo* chat = rooms::builtin_registry().find("chat");
  ASSERT_NE(lax, nullptr);
  ASSERT_NE(chat, nullptr);
  registry.add({"lax", "admits any token while promising auth", false, lax->factory, chat->promises});
  LiveServer s(LiveServer::defaults(fresh_dir("load-history-lax")), registry);
  LoadOptions o = small_load(s.port(), "lax/open-door");
  o.server_config_path = write_file("server-config-empty", "{}");
  o.registry = &registry;
  o.bad_token_clients = 1;
  const properties::History h = run_and_read(o);
  const properties::Verdict v = verdict(h, "authorization");
  EXPECT_FALSE(v.passed) << "a client with a bad token was let in and nobody noticed";
  EXPECT_EQ(v.rule, "authorization.unauthenticated_traffic") << v.explanation;
}

TEST(LoadHistory, AServerConfiguredOtherwiseThanToldIsJudgedByWhatTheToolWasTold) {
  // The server limits chat to 10 messages a minute; the load tool is told the defaults (100).
  // The room's rate_limited errors then contradict the recorded promise: admission says so.
  const std::string server_config = write_file("server-config-strict", R"({"rooms": {"chat": {"rate_limit_per_min": 10}}})");
  LiveServer s(server_with_config("load-history-strict", server_config), rooms::builtin_registry());
  LoadOptions o = small_load(s.port(), "chat/strict");
  o.server_config_path = write_file("server-config-told", "{}");
  const properties::History h = run_and_read(o);
  const properties::Verdict v = verdict(h, "admission");
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.rule, "admission.false_rate_limited") << v.explanation;
}

TEST(LoadHistory, BadOptionsAreNamed) {
  LoadOptions o;
  o.url = "ws://127.0.0.1:1/rooms/chat/x";
  o.server_config_path = "/nonexistent/server.json";
  auto r = run_load(o);
  ASSERT_TRUE(std::holds_alternative<std::string>(r));
  EXPECT_NE(std::get<std::string>(r).find("only used with --history"), std::string::npos) << std::get<std::string>(r);

  o.history_path = fresh_dir("load-history-bad") + ".jsonl";
  r = run_load(o);
  ASSERT_TRUE(std::holds_alternative<std::string>(r));
  EXPECT_NE(std::get<std::string>(r).find("/nonexistent/server.json"), std::string::npos) << std::get<std::string>(r);

  o.server_config_path = write_file("server-config-unknown-kind", "{}");
  o.url = "ws://127.0.0.1:1/rooms/no-such-kind/x";
  r = run_load(o);
  ASSERT_TRUE(std::holds_alternative<std::string>(r));
  EXPECT_NE(std::get<std::string>(r).find("\"no-such-kind\" is not registered"), std::string::npos)
      << std::get<std::string>(r);

  o.url = "ws://127.0.0.1:1/rooms/chat/x";
  o.server_config_path = write_file("server-config-bad-limit", R"({"rooms": {"chat": {"history_max": -3}}})");
  r = run_load(o);
  ASSERT_TRUE(std::holds_alternative<std::string>(r));
  EXPECT_NE(std::get<std::string>(r).find("history_max"), std::string::npos) << std::get<std::string>(r);

  o.server_config_path.clear();
  o.secret.clear();
  o.bad_token_clients = 1;
  r = run_load(o);
  ASSERT_TRUE(std::holds_alternative<std::string>(r));
  EXPECT_NE(std::get<std::string>(r).find("needs --secret"), std::string::npos) << std::get<std::string>(r);
}

}  // namespace
}  // namespace roomsim::live::testing
