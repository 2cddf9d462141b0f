// tests/live/crash_test.cpp: durability under a real crash. The built
// `roomsim serve` binary hosts a chat room; `roomsim load`'s engine
// (run_load, with a history) drives it; the server is killed with SIGKILL
// mid-run and restarted on the same --data and port; clients reconnect and
// resume. The recorded history must pass every checker: nothing acked or
// delivered is lost, every gap is announced, and the room's promises (the
// server runs without --config: the load tool is told `{}`) and the liveness
// phase, which spans the crash, raise no false alarm.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "live/load_tool.hpp"
#include "properties/checker.hpp"
#include "properties/history_jsonl.hpp"
#include "rooms/api/registry.hpp"
#include "tests/live/child_process.hpp"
#include "tests/live/live_fixture.hpp"

namespace roomsim::live::testing {
namespace {

const std::string kBinary = std::string(ROOMSIM_BINARY_DIR) + "/cli/roomsim";

// Starts `roomsim serve` and returns the port it printed (0 on failure).
uint16_t start_server(std::unique_ptr<ChildProcess>& child, const std::string& data, uint16_t port,
                      const std::string& out_path) {
  child = std::make_unique<ChildProcess>(
      std::vector<std::string>{kBinary, "serve", "--bind", "127.0.0.1", "--port", std::to_string(port), "--data", data,
                               "--threads", "1"},
      out_path);
  for (int i = 0; i < 100; ++i) {
    std::ifstream in(out_path);
    std::string line;
    if (std::getline(in, line) && line.rfind("listening on 127.0.0.1:", 0) == 0) {
      return static_cast<uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return 0;
}

TEST(LiveCrash, AckedMessagesSurviveSigkillAndClientsResume) {
  if (!std::filesystem::exists(kBinary)) GTEST_SKIP() << "build the roomsim executable first: " << kBinary;
  if (!rooms::builtin_registry().has("chat")) GTEST_SKIP() << "room kind \"chat\" is not registered yet";
  const std::string data = fresh_dir("crash-data");
  const std::string out = fresh_dir("crash-stdout") + ".txt";
  std::unique_ptr<ChildProcess> server;
  const uint16_t port = start_server(server, data, 0, out);
  ASSERT_NE(port, 0) << "roomsim serve did not print its port";

  LoadOptions o;
  o.url = "ws://127.0.0.1:" + std::to_string(port) + "/rooms/chat/crash";
  o.clients = 6;
  o.senders = 3;
  o.messages = 60;  // under the chat room's 100 messages/minute per user
  o.rate = 60;      // 3 s of sending
  o.secret = "roomsim-dev-secret";
  o.history_path = fresh_dir("crash-history") + ".jsonl";
  o.timeout_s = 40;
  o.idle_timeout_s = 4;
  o.server_config_path = fresh_dir("crash-server-config") + ".json";
  std::ofstream(o.server_config_path) << "{}";
  auto load = std::async(std::launch::async, [o] { return run_load(o); });

  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  server->stop(SIGKILL);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  ASSERT_EQ(start_server(server, data, port, out), port) << "restart on the same port failed";

  auto result = load.get();
  ASSERT_TRUE(std::holds_alternative<nlohmann::json>(result)) << std::get<std::string>(result);
  const nlohmann::json& j = std::get<nlohmann::json>(result);
  EXPECT_GT(j["abnormal_closes"].get<int>(), 0) << "the crash was not observed: " << j.dump();
  EXPECT_GT(j["reconnects"].get<int>(), 0) << j.dump();
  EXPECT_GT(j["acks"].get<int>(), 0) << j.dump();
  EXPECT_EQ(server->stop(SIGTERM) >> 8, 0) << "SIGTERM drains and exits 0";

  auto history = properties::read_history_jsonl(o.history_path);
  ASSERT_TRUE(std::holds_alternative<properties::History>(history)) << std::get<std::string>(history);
  const properties::History& h = std::get<properties::History>(history);
  size_t resumes = 0;
  for (const auto& e : h.events()) resumes += e.kind == properties::EventKind::kResume;
  EXPECT_GT(resumes, 0u) << "no client resumed after the restart";
  for (const auto& v : properties::check_properties(h, properties::all_property_names())) {
    EXPECT_TRUE(v.passed) << v.property << ": " << v.explanation << " (history " << o.history_path << ")";
  }
  for (const char* property : {"durability", "recovery", "liveness", "connection_limits", "authorization"}) {
    const properties::Verdict v = properties::check_properties(h, {property}).at(0);
    EXPECT_FALSE(v.vacuous) << property << " judged nothing: " << v.explanation;
  }
}

}  // namespace
}  // namespace roomsim::live::testing
