// tests/rooms/rate_limiter_test.cpp: the storage-backed window reads and writes
// exactly as the nlohmann form did (the fast reader only takes text it wrote).
#include <gtest/gtest.h>

#include <string>

#include "rooms/common/rate_limiter.hpp"
#include "tests/rooms/fake_room_context.hpp"

namespace roomsim::rooms {
namespace {

struct WindowCase {
  std::string stored;  // "T" stands for now (ms)
  bool admitted;
  std::string after;   // stored window afterwards ("" when unchanged)
  bool logs_error;
};

std::string with_now(std::string s, int64_t now_ms) {
  for (size_t pos; (pos = s.find('T')) != std::string::npos;) {
    // "T-5" -> the number now - 5; "T" -> now
    size_t end = pos + 1;
    int64_t minus = 0;
    if (end < s.size() && s[end] == '-') {
      size_t digits_end = end + 1;
      while (digits_end < s.size() && std::isdigit(static_cast<unsigned char>(s[digits_end]))) ++digits_end;
      minus = std::stoll(s.substr(end + 1, digits_end - end - 1));
      end = digits_end;
    }
    s.replace(pos, end - pos, std::to_string(now_ms - minus));
  }
  return s;
}

TEST(RateLimiter, StoredWindowIsReadAndWrittenAsJson) {
  const WindowCase cases[] = {
      {"[]", true, "[T]", false},
      {"[T-1000,T-500]", true, "[T-1000,T-500,T]", false},
      {"[T-1000,T-900,T-800]", false, "", false},   // full: limit 3
      {"[T-70000,T-5]", true, "[T-5,T]", false},   // older than the window: dropped
      {"[ T-5 ]", true, "[T-5,T]", false},         // whitespace: read by nlohmann
      {"[1.5,T-5]", true, "[T-5,T]", false},       // non-integers skipped
      {"[-0,T-5]", true, "[T-5,T]", false},
      {"[01]", true, "[T]", true},                 // not JSON: a new window, logged
      {"{}", true, "[T]", true},                   // not an array: a new window, logged
      {"[1,]", true, "[T]", true},
  };
  for (const WindowCase& c : cases) {
    testing::FakeRoomContext ctx("chat", "lobby", 1);
    ctx.advance_ms(120'000);
    const int64_t now_ms = to_unix_ms(ctx.now());
    ctx.fake_storage().put("rate/u1", with_now(c.stored, now_ms), std::nullopt);
    ctx.fake_storage().commit();
    RateLimiter limiter(3, RateLimiter::Backing::kStorage);
    EXPECT_EQ(limiter.try_acquire(ctx, "u1"), c.admitted) << c.stored;
    ctx.fake_storage().commit();
    const std::string expected = c.after.empty() ? with_now(c.stored, now_ms) : with_now(c.after, now_ms);
    EXPECT_EQ(ctx.fake_storage().committed().at("rate/u1"), expected) << c.stored;
    EXPECT_EQ(!ctx.logs().empty(), c.logs_error) << c.stored;
  }
}

}  // namespace
}  // namespace roomsim::rooms
