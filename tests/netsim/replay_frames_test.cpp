// tests/netsim/replay_frames_test.cpp: how client agents record history
// frames, whichever way they are read: the fast path (netsim/json_scan with
// the message cache) or the full parse it falls back to. Malformed and
// unusual frames must be recorded exactly as a full parse reads them.
#include <gtest/gtest.h>

#include "tests/netsim/helpers.hpp"

namespace roomsim::netsim::testing {
namespace {

using properties::EventKind;

// One scripted client connects once; the room sends `frame` after its welcome.
SimulationResult run_with_frame(const std::string& frame) {
  SimulationConfig c = basic_config(1, 0);
  c.clients[0].name = "s";
  c.clients[0].reconnect = false;
  c.rooms[0].config = {{"after_welcome", frame}};
  c.actions.push_back(ClientAction{0, "s-0", ClientAction::Kind::kConnect, ""});
  SimulationResult r = run(c, 3);
  EXPECT_TRUE(r.config_errors.empty());
  return r;
}

std::vector<properties::Event> replayed(const SimulationResult& r) {
  std::vector<properties::Event> out;
  for (const auto& e : events_of(r, EventKind::kReceive)) {
    if (e.value == 1) out.push_back(e);
  }
  return out;
}

TEST(ReplayFrames, AHistoryFrameRecordsEachMessageAndItsWindow) {
  const SimulationResult r = run_with_frame(
      R"({"type":"history","epoch":4,"messages":[{"type":"message","seq":5,"epoch":4,"payload":{"c":"x","m":"x-1"}}, 7 ,)"
      R"({"type":"message","seq":6,"epoch":4,"payload":{"c":"y]","m":"y-\"1"}}],"seq":6})");
  const auto receives = replayed(r);
  ASSERT_EQ(receives.size(), 3u) << "a non-object element is still a receive, as the full parse records it";
  EXPECT_EQ(receives[0].seq, 5);
  EXPECT_EQ(receives[1].seq, -1);
  EXPECT_EQ(receives[2].seq, 6);
  EXPECT_EQ(r.history.name(receives[2].sender), "y]");
  const auto windows = events_of(r, EventKind::kReplayWindow);
  ASSERT_EQ(windows.size(), 1u);
  EXPECT_EQ(windows[0].epoch, 4);
  EXPECT_EQ(windows[0].value, 5);
  EXPECT_EQ(windows[0].seq, 6);
  EXPECT_EQ(windows[0].code, 3);
  EXPECT_EQ(count_of(r, EventKind::kError), 0u);
}

TEST(ReplayFrames, AMalformedElementMakesTheWholeFrameUnparsableAndRecordsNoReceive) {
  for (const char* frame : {R"({"type":"history","epoch":1,"messages":[{"seq":1},tru]})",
                            R"({"type":"history","epoch":1,"messages":[{"seq":1}]} trailing)",
                            R"({"type":"history","epoch":1,"messages":[{"seq":1},]})"}) {
    const SimulationResult r = run_with_frame(frame);
    EXPECT_TRUE(replayed(r).empty()) << frame;
    EXPECT_EQ(count_of(r, EventKind::kReplayWindow), 0u) << frame;
    const auto errors = events_of(r, EventKind::kError);
    ASSERT_EQ(errors.size(), 1u) << frame;
    EXPECT_EQ(r.history.name(errors[0].text), "client:unparsable_server_frame");
  }
}

TEST(ReplayFrames, ARepeatedMessagesKeyIsReadAsTheFullParseReadsIt) {
  // nlohmann keeps the last of repeated keys; the scanner declines such frames.
  const SimulationResult r =
      run_with_frame(R"({"type":"history","epoch":1,"messages":[],"messages":[{"seq":9,"epoch":1,"payload":{"c":"z","m":"z-1"}}]})");
  const auto receives = replayed(r);
  ASSERT_EQ(receives.size(), 1u);
  EXPECT_EQ(receives[0].seq, 9);
}

TEST(ReplayFrames, AFrameWithMessagesThatIsNotAReplayIsNotReadAsOne) {
  const SimulationResult r = run_with_frame(R"({"type":"snapshot","messages":[{"seq":1}],"data":{}})");
  EXPECT_TRUE(replayed(r).empty());
  EXPECT_EQ(count_of(r, EventKind::kReplayWindow), 0u);
}

}  // namespace
}  // namespace roomsim::netsim::testing
