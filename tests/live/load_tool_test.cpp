// tests/live/load_tool_test.cpp: the load tool against the probe room on an
// ephemeral port: counts, the JSON fields, the recorded history (readable,
// and judged by the property checkers), and refusal reporting.
#include <gtest/gtest.h>

#include <thread>

#include "live/load_tool.hpp"
#include "properties/checker.hpp"
#include "properties/history_jsonl.hpp"
#include "rooms/api/registry.hpp"
#include "tests/live/live_fixture.hpp"

namespace roomsim::live::testing {
namespace {

TEST(LoadTool, CountsEveryDeliveryAndWritesAHistory) {
  LiveServer s(LiveServer::defaults(fresh_dir("load")));
  LoadOptions o;
  o.url = "ws://127.0.0.1:" + std::to_string(s.port()) + "/rooms/probe/load";
  o.clients = 6;
  o.senders = 2;
  o.messages = 25;
  o.secret = kProbeSecret;
  o.history_path = fresh_dir("load-history") + ".jsonl";
  o.timeout_s = 20;
  auto result = run_load(o);
  ASSERT_TRUE(std::holds_alternative<nlohmann::json>(result)) << std::get<std::string>(result);
  const nlohmann::json& j = std::get<nlohmann::json>(result);
  EXPECT_EQ(j["sent"], 50);
  EXPECT_EQ(j["expected"], 50 * 5);
  EXPECT_EQ(j["delivered"], 50 * 5);
  EXPECT_EQ(j["missing"], 0);
  EXPECT_EQ(j["duplicates"], 0);
  EXPECT_EQ(j["self_echo"], 50) << "the probe room echoes to the sender";
  EXPECT_TRUE(j["latency_ms"].contains("p99"));
  auto history = properties::read_history_jsonl(o.history_path);
  ASSERT_TRUE(std::holds_alternative<properties::History>(history)) << std::get<std::string>(history);
  const properties::History& h = std::get<properties::History>(history);
  size_t sends = 0, receives = 0;
  for (const auto& e : h.events()) {
    sends += e.kind == properties::EventKind::kSend;
    receives += e.kind == properties::EventKind::kReceive;
  }
  EXPECT_EQ(sends, 50u);
  EXPECT_EQ(receives, 50u * 6);
  for (const auto& v : properties::check_properties(h, {"fifo", "no_duplicates", "no_phantoms", "total_order"})) {
    EXPECT_TRUE(v.passed) << v.property << ": " << v.explanation;
  }
}

TEST(LoadTool, MeasuresTheRelayKindWhoseFramesAreBarePayloads) {
  // The relay (rooms/kinds/relay_room.hpp) sends the payload alone, as the benchmark kit's
  // reference servers do; the load tool finds its s/q/t fields there too.
  LiveServer s(LiveServer::defaults(fresh_dir("load-relay")), rooms::builtin_registry());
  LoadOptions o;
  o.url = "ws://127.0.0.1:" + std::to_string(s.port()) + "/rooms/relay/load";
  o.clients = 8;
  o.senders = 3;
  o.messages = 20;
  o.timeout_s = 20;
  o.history_path = fresh_dir("load-relay-history") + ".jsonl";
  auto result = run_load(o);
  ASSERT_TRUE(std::holds_alternative<nlohmann::json>(result)) << std::get<std::string>(result);
  const nlohmann::json& j = std::get<nlohmann::json>(result);
  EXPECT_EQ(j["delivered"], 60 * 7);
  EXPECT_EQ(j["missing"], 0);
  EXPECT_EQ(j["self_echo"], 0);
  EXPECT_EQ(j["unparsed"], 0);
  // The history records the bare payloads as receives, with sender and message id.
  auto history = properties::read_history_jsonl(o.history_path);
  ASSERT_TRUE(std::holds_alternative<properties::History>(history)) << std::get<std::string>(history);
  const properties::History& h = std::get<properties::History>(history);
  size_t receives = 0;
  for (const auto& e : h.events()) {
    if (e.kind != properties::EventKind::kReceive) continue;
    ++receives;
    EXPECT_NE(e.sender, properties::kNoName);
    EXPECT_NE(e.msg, 0u);
  }
  EXPECT_EQ(receives, 60u * 7);
  for (const auto& v : properties::check_properties(h, {"fifo", "no_duplicates", "no_phantoms"})) {
    EXPECT_TRUE(v.passed) << v.property << ": " << v.explanation;
  }
}

// Issue 15: in rate mode, messages that came due while the server was down were counted as
// `missing`. Only messages written count as sent; the rest are `unsent`.
TEST(LoadTool, RateModeCountsOnlyMessagesItSent) {
  auto s = std::make_unique<LiveServer>(LiveServer::defaults(fresh_dir("load-rate-down")));
  LoadOptions o;
  o.url = "ws://127.0.0.1:" + std::to_string(s->port()) + "/rooms/probe/down";
  o.clients = 3;
  o.senders = 1;
  o.messages = 200;
  o.rate = 100;  // two seconds of sends; the server goes away after about half a second
  o.secret = kProbeSecret;
  o.reconnect = true;
  o.timeout_s = 15;
  o.idle_timeout_s = 1;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    s->stop();
  });
  auto result = run_load(o);
  stopper.join();
  ASSERT_TRUE(std::holds_alternative<nlohmann::json>(result)) << std::get<std::string>(result);
  const nlohmann::json& j = std::get<nlohmann::json>(result);
  const uint64_t sent = j["sent"];
  const uint64_t unsent = j["unsent"];
  EXPECT_EQ(sent + unsent, 200u);
  EXPECT_GT(sent, 0u);
  EXPECT_GT(unsent, 50u) << "the server was down for most of the run";
  EXPECT_EQ(j["expected"], sent * 2);
  // What was sent before the stop was delivered; at most the few in flight at the stop are lost.
  EXPECT_LE(j["missing"].get<uint64_t>(), 2u * 3) << j.dump();
}

TEST(LoadTool, ReportsARefusedUpgradeAndBadOptions) {
  LiveServer s(LiveServer::defaults(fresh_dir("load-refused")));
  LoadOptions o;
  o.url = "ws://127.0.0.1:" + std::to_string(s.port()) + "/rooms/probe/x";  // no token: 401
  o.clients = 2;
  o.timeout_s = 5;
  o.idle_timeout_s = 1;
  auto result = run_load(o);
  ASSERT_TRUE(std::holds_alternative<std::string>(result));
  EXPECT_NE(std::get<std::string>(result).find("401"), std::string::npos) << std::get<std::string>(result);
  o.url = "http://nope";
  EXPECT_TRUE(std::holds_alternative<std::string>(run_load(o)));
  o.url = "ws://127.0.0.1:1/rooms/probe/x";
  o.senders = 3;  // more senders than clients
  EXPECT_TRUE(std::holds_alternative<std::string>(run_load(o)));
}

}  // namespace
}  // namespace roomsim::live::testing
