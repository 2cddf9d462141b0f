// tests/rooms/metrics_buffer_test.cpp: buffered metric events are stored and
// uploaded in nlohmann's dump() form, whichever way the text was built.
#include <gtest/gtest.h>

#include <string>

#include "rooms/common/metrics_buffer.hpp"
#include "tests/rooms/fake_room_context.hpp"

namespace roomsim::rooms {
namespace {

TEST(MetricsBuffer, EventsAndBatchesAreTheJsonDumps) {
  testing::FakeRoomContext ctx("chat", "lobby", 1);
  MetricsBuffer metrics(3, /*seed_faithful=*/false);
  const double values[] = {1.0, 0.1, 1e300};
  nlohmann::json expected_body = nlohmann::json::array();
  for (double v : values) {
    ctx.advance_ms(7);
    metrics.record(ctx, "msg \"count\"", v);
    expected_body.push_back({{"name", "msg \"count\""}, {"value", v}, {"timestamp", to_unix_ms(ctx.now())}});
  }
  ctx.fake_storage().commit();
  const auto stored = ctx.fake_storage().committed();
  ASSERT_EQ(stored.size(), 3u);
  size_t i = 0;
  for (const auto& [key, text] : stored) EXPECT_EQ(text, expected_body[i++].dump()) << key;
  ASSERT_EQ(ctx.fetches().size(), 1u);
  EXPECT_EQ(ctx.fetches()[0].request.body, expected_body.dump());
}

TEST(MetricsBuffer, LoadedEventsAreUploadedInDumpForm) {
  testing::FakeRoomContext ctx("chat", "lobby", 1);
  ctx.fake_storage().put("metrics/00000000000000000001", R"({ "value": 2, "name": "a", "timestamp": 5 })", std::nullopt);
  ctx.fake_storage().put("metrics/00000000000000000002", "not json", std::nullopt);
  ctx.fake_storage().commit();
  MetricsBuffer metrics(2, /*seed_faithful=*/false);
  metrics.load(ctx);
  ASSERT_EQ(ctx.fetches().size(), 1u);
  nlohmann::json body = nlohmann::json::array();
  body.push_back(nlohmann::json::parse(R"({ "value": 2, "name": "a", "timestamp": 5 })"));
  body.push_back(nlohmann::json::parse("not json", nullptr, false));
  EXPECT_EQ(ctx.fetches()[0].request.body, body.dump());
}

}  // namespace
}  // namespace roomsim::rooms
