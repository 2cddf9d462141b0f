// reports/event_text.cpp: human wording of history events.
#include "reports/event_text.hpp"

#include <cstdio>

namespace roomsim::reports {

using properties::Event;
using properties::EventKind;
using properties::History;

std::string format_latency(int64_t ns) {
  char buf[32];
  const double ms = static_cast<double>(ns) / 1e6;
  if (ms >= 1000 || ms <= -1000) {
    std::snprintf(buf, sizeof buf, "%.2fs", ms / 1000);
  } else if (ms >= 100 || ms <= -100) {
    std::snprintf(buf, sizeof buf, "%.0fms", ms);
  } else {
    std::snprintf(buf, sizeof buf, "%.1fms", ms);
  }
  return buf;
}

std::string short_digest(uint64_t digest) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "#%06llx", static_cast<unsigned long long>(digest & 0xffffff));
  return buf;
}

bool is_room_side(EventKind kind) {
  switch (kind) {
    case EventKind::kRoomStart:
    case EventKind::kRoomCrash:
    case EventKind::kRoomEvict:
    case EventKind::kCommit:
    case EventKind::kCommitFailed:
    case EventKind::kRoomSessions:
    case EventKind::kAdmission:
    case EventKind::kServiceCall:
    case EventKind::kServiceAnswer:
      return true;
    default:
      return false;
  }
}

bool is_run_wide(EventKind kind) {
  return kind == EventKind::kFaultBegin || kind == EventKind::kFaultEnd || kind == EventKind::kPhase;
}

std::string describe_event(const History& h, const Event& e) {
  const auto name = [&h](properties::NameId id) { return h.name(id); };
  const auto seq = [](int64_t s) { return "seq " + std::to_string(s); };
  std::string channel;
  if (e.channel != properties::kNoName) channel = " [" + name(e.channel) + "]";
  switch (e.kind) {
    case EventKind::kConnect:
      return "connect as " + name(e.user) + (e.value == 1 ? "" : " (no valid token)");
    case EventKind::kConnectResult:
      return "connect -> " + std::to_string(e.code);
    case EventKind::kWelcome: {
      std::string out = "welcome";
      if (e.session != properties::kNoName) out += " " + name(e.session);
      if (e.seq >= 0) out += " " + seq(e.seq);
      if (e.epoch >= 0) out += " epoch " + std::to_string(e.epoch);
      return out;
    }
    case EventKind::kSend:
      return "send " + short_digest(e.msg) + channel +
             (e.target != properties::kNoName ? " to " + name(e.target) : std::string());
    case EventKind::kAck:
      return "ack " + short_digest(e.msg) + (e.seq >= 0 ? " -> " + seq(e.seq) : std::string());
    case EventKind::kReceive:
      return "recv " + (e.seq >= 0 ? seq(e.seq) : short_digest(e.msg)) + " from " + name(e.sender) + channel +
             (e.value == 1 ? " (replay)" : "");
    case EventKind::kGap:
      return "gap announced: seq " + std::to_string(e.value) + ".." + std::to_string(e.seq);
    case EventKind::kReplayWindow:
      if (e.value < 0) return "replay: empty";
      return "replay seq " + std::to_string(e.value) + ".." + std::to_string(e.seq) + " (" + std::to_string(e.code) +
             " msgs)";
    case EventKind::kResume:
      return "resume after " + seq(e.value);
    case EventKind::kPresence:
      return "presence: " + name(e.text);
    case EventKind::kDataUpdate:
      return "data_update " + name(e.text);
    case EventKind::kError:
      return "error " + name(e.text);
    case EventKind::kClose:
      return "close " + std::to_string(e.code) + (e.text != properties::kNoName ? " " + name(e.text) : "") +
             (e.value == 1 ? " (by client)" : "");
    case EventKind::kRoomStart: {
      // Rooms that do not number their messages report -1 for what they do not know.
      std::string out = "start";
      if (e.epoch >= 0) out += " epoch " + std::to_string(e.epoch);
      if (e.seq >= 0) out += ", " + seq(e.seq);
      if (e.value >= 0) out += ", " + std::to_string(e.value) + " stored";
      return out;
    }
    case EventKind::kRoomCrash:
      return "CRASH (uncommitted writes lost)";
    case EventKind::kRoomEvict:
      return "evicted";
    case EventKind::kCommit:
      return "commit";
    case EventKind::kCommitFailed:
      return "commit #" + std::to_string(e.value) + " FAILED";
    case EventKind::kFeedValue:
      return "feed value " + name(e.text);
    case EventKind::kAdmission:
      return "admission " + std::to_string(e.code) + " (" + std::to_string(e.value) + " open)";
    case EventKind::kServiceCall:
      return "calls " + name(e.text);
    case EventKind::kServiceAnswer:
      return name(e.text) + " answers " + std::to_string(e.code);
    case EventKind::kLeave:
      return "leaves for good";
    case EventKind::kFaultBegin:
      return "fault begins: " + name(e.text);
    case EventKind::kFaultEnd:
      return "fault ends: " + name(e.text);
    case EventKind::kPhase:
      return "phase: " + name(e.text);
    case EventKind::kRoomSessions:
      return "sessions: " + std::to_string(e.value);
    case EventKind::kConfig:
      return "config " + name(e.text) + "=" + std::to_string(e.value);
    case EventKind::kJoinRoom:
      return "join_room " + name(e.target);
    case EventKind::kSubscribe:
      return "subscribe " + name(e.text);
  }
  return properties::to_string(e.kind);
}

}  // namespace roomsim::reports
