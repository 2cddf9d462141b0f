// tests/fuzz/room_message_fuzz.cpp: libFuzzer target for every room kind's
// handlers (on_message above all) through the fake room host of tests/rooms.
//
// Input: byte 0 picks the room kind, byte 1 a config, the rest is a script of
// lines, each an operation on the room:
//   0..7<text>  session slot N sends <text> as a frame (slots 0 and 1 start joined)
//   j<name>     a client joins with a valid token for a user named after <name>
//   J<token>    a client connects with <token> as its token (n: with none)
//   c<digit>    the client of that slot closes
//   t<digits>   time advances that many ms (at most 10 minutes; at most 16 due alarms fire)
//   a           the alarm fires now, due or not
//   r           the room is evicted and restarts (storage kept)
//   f<body>     the oldest pending fetch gets 200 <body>; F: it fails (status 0)
//   h<path>     a plain HTTP request for <path>
//   anything else: slot 0 sends the whole line.
// Expectations: no crash, no exception, no sanitizer report, and every frame
// a room sends is valid JSON.
#include <string>
#include <vector>

#include "rooms/api/registry.hpp"
#include "tests/fuzz/fuzz_support.hpp"
#include "tests/rooms/fake_room_context.hpp"

namespace {

using namespace roomsim::rooms;
using roomsim::rooms::testing::FakeHost;

constexpr int kAlarmsPerAdvanceMax = 16;

nlohmann::json config_variant(uint8_t byte) {
  switch (byte % 3) {
    case 1:  // every limit small, so that limits are reached
      return {{"history_max", 3}, {"rate_limit_per_min", 2}, {"max_connections", 3}, {"max_connections_per_user", 2},
              {"max_frame_bytes", 64}, {"max_sub_rooms", 1}, {"metrics_batch", 2}, {"error_log_max", 2},
              {"permissions", {{"broadcast", {"u1"}}, {"sync", {"*"}}}}};
    case 2:  // every timer short
      return {{"sync_interval_ms", 1000}, {"refresh_interval_ms", 100}, {"heartbeat_interval_ms", 1000},
              {"session_timeout_ms", 5000}};
    default: return nlohmann::json::object();
  }
}

// Every frame sent since the last call is valid JSON; then they are dropped (memory stays bounded).
void check_and_clear_frames(FakeHost& host) {
  for (const auto& [id, session] : host.ctx().all_sessions()) {
    for (const auto& frame : session.sent) {
      roomsim::fuzz::check(nlohmann::json::accept(frame.text), "a room sends valid JSON");
    }
  }
  host.clear_frames();
}

void run_line(FakeHost& host, std::vector<SessionId>& slots, std::string_view line) {
  if (line.empty()) return;
  const char op = line[0];
  const std::string_view rest = line.substr(1);
  auto slot = [&](char digit) -> std::optional<SessionId> {
    const size_t i = static_cast<size_t>(digit - '0');
    if (i >= slots.size()) return std::nullopt;
    return slots[i];
  };
  auto add = [&](std::optional<SessionId> s) {  // a new slot, or the first whose client is gone
    if (!s) return;
    if (slots.size() < 8) {
      slots.push_back(*s);
      return;
    }
    for (SessionId& old : slots) {
      if (!host.ctx().session(old).open) {
        old = *s;
        return;
      }
    }
  };
  if (op >= '0' && op <= '7') {
    if (auto s = slot(op)) host.message(*s, rest);
  } else if (op == 'j') {
    std::string user = "u";  // user ids in a valid token are printable
    for (char c : rest.substr(0, 32)) user += static_cast<char>('a' + static_cast<unsigned char>(c) % 26);
    add(host.join(user));
  } else if (op == 'J') {
    add(host.connect(std::string(rest)).session);
  } else if (op == 'n') {
    add(host.connect().session);
  } else if (op == 'c' && !rest.empty()) {
    if (auto s = slot(rest[0])) host.client_close(*s);
  } else if (op == 't') {
    int64_t ms = 0;
    for (char c : rest.substr(0, 9)) {
      if (c < '0' || c > '9') break;
      ms = ms * 10 + (c - '0');
    }
    // A 10-minute jump over a 100 ms timer would run 6,000 handlers and cost a second per input.
    host.advance_ms(std::min<int64_t>(ms, 600'000), kAlarmsPerAdvanceMax);
  } else if (op == 'a') {
    host.fire_alarm(true);
  } else if (op == 'r') {
    host.restart();
    host.fire_alarm();
  } else if (op == 'f' || op == 'F') {
    if (host.ctx().fetches().empty()) return;
    FetchResponse response;
    if (op == 'f') {
      response.status = 200;
      response.body = std::string(rest);
    } else {
      response.error = "unreachable";
    }
    host.answer_fetch(host.ctx().fetches().front().id, response);
  } else if (op == 'h') {
    HttpRequest request;
    request.path = std::string(rest);
    request.remote = "client/fuzz";
    host.request(request);
  } else {
    if (!slots.empty()) host.message(slots[0], line);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  roomsim::fuzz::crash_on_test_failures();
  if (size < 2) return 0;
  static const std::vector<std::string> kinds = builtin_registry().kinds();
  const std::string& kind = kinds[data[0] % kinds.size()];
  FakeHost host(RoomSpec{kind, "fuzz", config_variant(data[1])}, 7);
  host.fire_alarm();  // seed rooms load their history first
  std::vector<SessionId> slots;
  for (const char* user : {"u1", "u2"}) {
    if (auto s = host.join(user)) slots.push_back(*s);
  }
  check_and_clear_frames(host);
  std::string_view script = roomsim::fuzz::as_text(data + 2, size - 2);
  while (!script.empty()) {
    const size_t end = script.find('\n');
    run_line(host, slots, script.substr(0, end));
    check_and_clear_frames(host);
    script = end == std::string_view::npos ? std::string_view() : script.substr(end + 1);
  }
  return 0;
}
