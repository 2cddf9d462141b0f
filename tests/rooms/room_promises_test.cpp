// tests/rooms/room_promises_test.cpp: every built-in kind declares its
// promises (RoomKindInfo::promises), from the same config its factory reads:
// the effective limits after the config's overrides and the kind's defaults
// (docs/rooms.md), and the properties it does not promise.
#include <gtest/gtest.h>

#include <set>

#include "rooms/api/registry.hpp"

namespace roomsim::rooms::testing {
namespace {

using Limits = std::map<std::string, int64_t>;

RoomPromises promises_of(const std::string& kind, const nlohmann::json& config = nlohmann::json::object()) {
  const RoomKindInfo* info = builtin_registry().find(kind);
  EXPECT_NE(info, nullptr) << kind;
  EXPECT_TRUE(info != nullptr && info->promises) << kind << " declares no promises";
  if (info == nullptr || !info->promises) return {};
  return info->promises(config);
}

TEST(RoomPromises, EveryKindDeclaresOnlyDocumentedKeys) {
  const std::set<std::string> keys = {"max_connections", "max_connections_per_user", "rate_limit_per_min",
                                      "rate_limit_per_user", "history_max", "auth_required", "max_frame_bytes",
                                      "refresh_interval_ms"};
  const std::set<std::string> properties = {"durability", "recovery", "history_bound"};
  for (const std::string& kind : builtin_registry().kinds()) {
    SCOPED_TRACE(kind);
    const RoomPromises p = promises_of(kind);
    for (const auto& [key, value] : p.limits) {
      EXPECT_TRUE(keys.count(key)) << key;
      EXPECT_GE(value, 0) << key;
    }
    for (const std::string& property : p.not_promised) EXPECT_TRUE(properties.count(property)) << property;
    for (const char* key : {"max_connections", "max_connections_per_user", "rate_limit_per_min", "history_max",
                            "auth_required"}) {
      EXPECT_TRUE(p.limits.count(key)) << key;
    }
  }
}

TEST(RoomPromises, CorrectedKindsPromiseTheirEffectiveLimits) {
  EXPECT_EQ(promises_of("chat").limits,
            (Limits{{"max_connections", 100}, {"max_connections_per_user", 5}, {"rate_limit_per_min", 100},
                    {"rate_limit_per_user", 1}, {"history_max", 100}, {"auth_required", 1}, {"max_frame_bytes", 65536}}));
  EXPECT_TRUE(promises_of("chat").not_promised.empty());
  const RoomPromises raised = promises_of("chat", {{"max_connections", 200}, {"rate_limit_per_min", 1000}, {"history_max", 7}});
  EXPECT_EQ(raised.limits.at("max_connections"), 200);
  EXPECT_EQ(raised.limits.at("rate_limit_per_min"), 1000);
  EXPECT_EQ(raised.limits.at("history_max"), 7);
  EXPECT_EQ(promises_of("persistent").limits.at("auth_required"), 1);
  // broadcast: unlimited by default, ephemeral (no durability across restarts); limits can be switched on.
  const RoomPromises broadcast = promises_of("broadcast");
  EXPECT_EQ(broadcast.limits.at("max_connections"), 0);
  EXPECT_EQ(broadcast.limits.at("max_connections_per_user"), 0);
  EXPECT_EQ(broadcast.limits.at("rate_limit_per_min"), 0);
  EXPECT_EQ(broadcast.limits.at("auth_required"), 0);
  EXPECT_EQ(broadcast.not_promised, (std::vector<std::string>{"durability", "recovery"}));
  EXPECT_EQ(promises_of("broadcast", {{"max_connections", 50}}).limits.at("max_connections"), 50);
  // relay: no history, no recovery; the host's frame limit only.
  const RoomPromises relay = promises_of("relay");
  EXPECT_EQ(relay.limits.at("history_max"), 0);
  EXPECT_FALSE(relay.limits.count("max_frame_bytes"));
  EXPECT_EQ(relay.not_promised, (std::vector<std::string>{"recovery", "durability", "history_bound"}));
  // dashboard: polls every refresh_interval_ms, no message rate limit, no history.
  const RoomPromises dashboard = promises_of("dashboard", {{"refresh_interval_ms", 250}});
  EXPECT_EQ(dashboard.limits.at("refresh_interval_ms"), 250);
  EXPECT_EQ(dashboard.limits.at("rate_limit_per_min"), 0);
  EXPECT_EQ(dashboard.limits.at("history_max"), 0);
  EXPECT_EQ(dashboard.limits.at("auth_required"), 1);
  EXPECT_EQ(dashboard.limits.at("max_connections"), 100);
}

TEST(RoomPromises, SeedKindsPromiseWhatTheSeedClaimed) {
  // seed-chat claims the corrected chat's limits (rate per user: its per-session count is flaw 4).
  const RoomPromises chat = promises_of("seed-chat");
  EXPECT_EQ(chat.limits.at("max_connections"), 100);
  EXPECT_EQ(chat.limits.at("rate_limit_per_min"), 100);
  EXPECT_EQ(chat.limits.at("rate_limit_per_user"), 1);
  EXPECT_EQ(chat.limits.at("auth_required"), 1);
  EXPECT_TRUE(chat.not_promised.empty());
  // The ports without production practices have no limits, whatever the config says.
  for (const char* kind : {"seed-persistent", "seed-broadcast", "seed-dashboard"}) {
    SCOPED_TRACE(kind);
    const RoomPromises p = promises_of(kind, {{"max_connections", 10}, {"max_connections_per_user", 2}});
    EXPECT_EQ(p.limits.at("max_connections"), 0);
    EXPECT_EQ(p.limits.at("max_connections_per_user"), 0);
    EXPECT_EQ(p.limits.at("rate_limit_per_min"), 0);
    EXPECT_EQ(p.limits.at("auth_required"), 0);
  }
  EXPECT_EQ(promises_of("seed-persistent").limits.at("history_max"), 100);
  EXPECT_TRUE(promises_of("seed-persistent").not_promised.empty());
  EXPECT_EQ(promises_of("seed-broadcast").limits.at("history_max"), 0);
  EXPECT_EQ(promises_of("seed-broadcast").not_promised, std::vector<std::string>{"durability"});
  EXPECT_EQ(promises_of("seed-dashboard").limits.at("refresh_interval_ms"), 5000);
}

}  // namespace
}  // namespace roomsim::rooms::testing
