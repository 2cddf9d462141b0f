// tests/properties/admission_test.cpp: legitimate clients get in. Refusals
// are judged against the host's counts (kAdmission), the world's token
// validity (kConnect) and sends (kSend), and each room's promised limits.
#include <gtest/gtest.h>

#include "tests/properties/check_helpers.hpp"
#include "tests/properties/history_builder.hpp"

namespace roomsim::properties {
namespace {

using testing::expect_fails;
using testing::HistoryBuilder;
using testing::run;

// chat/r promises 10 sessions, 2 per user, a token, 3 messages a minute,
// frames of 1000 bytes; frames stay in flight up to 1 s.
HistoryBuilder limited_room() {
  HistoryBuilder b;
  b.config("max_connections", 10, "chat/r");
  b.config("max_connections_per_user", 2, "chat/r");
  b.config("auth_required", 1, "chat/r");
  b.config("rate_limit_per_min", 3, "chat/r");
  b.config("max_frame_bytes", 1000, "chat/r");
  b.config("heartbeat_timeout_ms", 1000);
  b.config("liveness_bound_ms", 50);
  return b;
}

TEST(Admission, RefusalsAtTheLimitsOrWithoutATokenPass) {
  HistoryBuilder b = limited_room();
  b.connect(1, "a", 1, "chat/r", "u1");
  b.admission(2, 1, "chat/r", "u1", 101, 0, 0);
  b.accept(3, "a", 1, "chat/r");
  b.connect(4, "x", 2, "chat/r", "u9");
  b.admission(5, 2, "chat/r", "u9", 429, 10, 0);  // room full
  b.connect(6, "y", 3, "chat/r", "u1");
  b.admission(7, 3, "chat/r", "u1", 429, 3, 2);  // u1 has 2
  b.connect(8, "h", 4, "chat/r", "", false);
  b.admission(9, 4, "chat/r", "", 401, 3, 0);  // no valid token
  b.connect(10, "m", 5, "chat/r", "u5");
  b.admission(11, 5, "chat/r", "u5", 400, 3, 0);  // a malformed request is not judged
  const Verdict v = run("admission", b.history());
  EXPECT_TRUE(v.passed) << v.explanation;
  EXPECT_FALSE(v.vacuous);
}

TEST(Admission, ARefusalBelowTheLimitsFailsNamingLimitsAndCounts) {
  HistoryBuilder b = limited_room();
  b.connect(1, "a", 1, "chat/r", "u1");
  const size_t refused = b.admission(2, 1, "chat/r", "u1", 429, 9, 1);
  b.accept(3, "a", 1, "chat/r", 429);
  const Verdict v = run("admission", b.history());
  expect_fails(v, std::vector<size_t>{refused}, "admission.refused_below_limits",
               "room chat/r refused connection 1 of user u1 with 429 at t=0.002s although it presented a valid "
               "token and the room had 9 open sessions (max_connections 10) and the user 1 "
               "(max_connections_per_user 2)");
}

TEST(Admission, AnAuthRefusalOfAValidTokenFails) {
  HistoryBuilder b = limited_room();
  b.connect(1, "a", 1, "chat/r", "u1");
  const size_t refused = b.admission(2, 1, "chat/r", "u1", 401, 0, 0);
  EXPECT_EQ(run("admission", b.history()).violating, std::vector<size_t>{refused});
  EXPECT_EQ(run("admission", b.history()).rule, "admission.refused_valid_token");
  // Where auth is not promised (no auth_required recorded), a 401 is not judged.
  HistoryBuilder open;
  open.config("max_connections", 10);
  open.config("max_connections_per_user", 2);
  open.connect(1, "a", 1, "open/r", "u1");
  open.admission(2, 1, "open/r", "u1", 401, 0, 0);
  EXPECT_TRUE(run("admission", open.history()).passed);
}

TEST(Admission, ARoomWithoutAuthMustAdmitATokenlessClientBelowItsLimits) {
  HistoryBuilder b;
  b.config("max_connections", 0, "bcast/r");  // no limit
  b.config("max_connections_per_user", 0, "bcast/r");
  b.config("auth_required", 0, "bcast/r");
  b.connect(1, "a", 1, "bcast/r", "", false);
  const size_t refused = b.admission(2, 1, "bcast/r", "", 429, 500, 0);
  b.connect(3, "z", 2, "bcast/r", "", false);
  b.admission(4, 2, "bcast/r", "", 401, 500, 0);  // maybe an invalid token: a 401 is then right
  const Verdict v = run("admission", b.history());
  EXPECT_EQ(v.violating, std::vector<size_t>{refused});
  EXPECT_NE(v.explanation.find("(max_connections none)"), std::string::npos) << v.explanation;
}

TEST(Admission, RefusalsAreNotJudgedWithoutTheRoomsLimitsOrAdmissionFacts) {
  HistoryBuilder b;
  b.connect(1, "a", 1, "chat/r", "u1");
  b.admission(2, 1, "chat/r", "u1", 429, 0, 0);
  b.connect(3, "c", 2, "other/r", "u1");
  b.accept(4, "c", 2, "other/r", 429);  // no kAdmission for other/r
  const Verdict v = run("admission", b.history());
  EXPECT_TRUE(v.passed);
  EXPECT_TRUE(v.vacuous);
  EXPECT_NE(v.explanation.find("no max_connections recorded: refusals below the room limit not judged (room chat/r)"),
            std::string::npos)
      << v.explanation;
  EXPECT_NE(v.explanation.find("refusals in rooms without admission facts (kAdmission) not judged"), std::string::npos)
      << v.explanation;
}

TEST(Admission, RateLimitedWhileUnderTheLimitFails) {
  HistoryBuilder b = limited_room();
  b.connect(0, "a", 1, "chat/r", "u1");
  b.send(1'000, "a", 1, "chat/r", "m1");
  b.send(2'000, "a", 1, "chat/r", "m2");
  const size_t early = b.text_event(EventKind::kError, 2'010, "a", 1, "chat/r", "rate_limited");
  b.send(3'000, "a", 1, "chat/r", "m3");
  // 3 sent, the refused m3 among them: only 2 before it, so the room refused the limit-th message.
  const size_t at_limit = b.text_event(EventKind::kError, 3'010, "a", 1, "chat/r", "rate_limited");
  b.send(4'000, "a", 1, "chat/r", "m4");
  b.text_event(EventKind::kError, 4'010, "a", 1, "chat/r", "rate_limited");  // 4 sent: over the limit, rightly refused
  const Verdict v = run("admission", b.history());
  expect_fails(v, std::vector<size_t>{early, at_limit}, "admission.false_rate_limited",
               "room chat/r told client a (connection 1) rate_limited at t=2.010s but user u1 had sent 2 messages "
               "in the window, rate_limit_per_min 3");
}

TEST(Admission, RateWindowsCountTheUserAndTheSlack) {
  HistoryBuilder b = limited_room();
  b.connect(0, "a", 1, "chat/r", "u1");
  b.connect(0, "a2", 2, "chat/r", "u1");
  b.send(0, "a", 1, "chat/r", "m1");        // 61 s before the error: inside 60 s + 1 s of slack
  b.send(30'000, "a2", 2, "chat/r", "x1");  // the user's other connection
  b.send(45'000, "a2", 2, "chat/r", "x2");
  b.send(60'500, "a", 1, "chat/r", "m2");
  b.text_event(EventKind::kError, 61'000, "a", 1, "chat/r", "rate_limited");
  EXPECT_TRUE(run("admission", b.history()).passed);
  b.config("rate_limit_per_user", 0, "chat/r");  // a per-connection promise: the user's count still excuses it
  EXPECT_TRUE(run("admission", b.history()).passed);
  b.config("heartbeat_timeout_ms", 500);  // m1 (61 s before) falls out of the window: 3 sent, m2 among them
  EXPECT_EQ(run("admission", b.history()).rule, "admission.false_rate_limited");
}

TEST(Admission, FrameTooLargeForASmallFrameFails) {
  HistoryBuilder b = limited_room();
  b.connect(0, "a", 1, "chat/r", "u1");
  b.send(10, "a", 1, "chat/r", "m1");
  b.last().value = 900;
  const size_t error = b.text_event(EventKind::kError, 11, "a", 1, "chat/r", "frame_too_large");
  b.close(12, "a", 1, "chat/r", 1009);
  Verdict v = run("admission", b.history());
  EXPECT_EQ(v.violating, std::vector<size_t>{error});  // once per connection
  EXPECT_EQ(v.rule, "admission.false_frame_too_large");
  HistoryBuilder big = limited_room();
  big.connect(0, "a", 1, "chat/r", "u1");
  big.send(10, "a", 1, "chat/r", "m1");
  big.last().value = 1001;
  big.close(12, "a", 1, "chat/r", 1009);
  EXPECT_TRUE(run("admission", big.history()).passed);
  HistoryBuilder unsized = limited_room();  // sizes not recorded: not judged
  unsized.connect(0, "a", 1, "chat/r", "u1");
  unsized.send(10, "a", 1, "chat/r", "m1");
  unsized.close(12, "a", 1, "chat/r", 1009);
  v = run("admission", unsized.history());
  EXPECT_TRUE(v.passed);
  EXPECT_NE(v.explanation.find("frame-size refusals not judged"), std::string::npos) << v.explanation;
}

TEST(Admission, InTheLivenessPhaseAValidConnectIsAnsweredWithinTheBound) {
  HistoryBuilder b = limited_room();
  b.phase(100, "liveness");
  b.connect(200, "a", 1, "chat/r", "u1");
  b.accept(240, "a", 1, "chat/r");
  const size_t unanswered = b.connect(300, "b", 2, "chat/r", "u2");
  b.connect(400, "h", 3, "chat/r", "", false);  // no valid token: not owed an answer here
  b.connect(980, "c", 4, "chat/r", "u3");       // the window ends after the end phase
  b.phase(1000, "end");
  const Verdict v = run("admission", b.history());
  expect_fails(v, std::vector<size_t>{unanswered}, "admission.not_admitted_in_bound",
               "client b (connection 2) presented a valid token to room chat/r at t=0.300s in the liveness phase "
               "and got no answer within 50ms");
}

}  // namespace
}  // namespace roomsim::properties
