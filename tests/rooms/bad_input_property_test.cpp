// RapidCheck property: whatever a client sends to any room kind, the room
// never throws, answers only the sender (an `error` frame, or nothing for the
// seed rooms that only log), and its durable state is unchanged unless the
// frame was a valid message. Frames are generated near the protocol: random
// types (known and unknown), fields with random JSON types, and raw garbage.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "rooms/api/registry.hpp"
#include "rooms/protocol/client_frame.hpp"
#include "tests/rooms/fake_room_context.hpp"

namespace roomsim::rooms::testing {
namespace {

rc::Gen<nlohmann::json> gen_scalar() {
  return rc::gen::oneOf(rc::gen::just(nlohmann::json(nullptr)),
                        rc::gen::map(rc::gen::arbitrary<int>(), [](int v) { return nlohmann::json(v); }),
                        rc::gen::map(rc::gen::arbitrary<bool>(), [](bool v) { return nlohmann::json(v); }),
                        rc::gen::map(rc::gen::arbitrary<std::string>(), [](std::string v) {
                          // Printable ASCII only, so dump() cannot throw on invalid UTF-8 here.
                          for (char& c : v) c = static_cast<char>(32 + (static_cast<unsigned char>(c) % 95));
                          return nlohmann::json(v);
                        }),
                        rc::gen::just(nlohmann::json::array({1, "x"})), rc::gen::just(nlohmann::json::object()));
}

// A frame that is bad in some way: a valid frame of a known type is excluded below.
rc::Gen<std::string> gen_frame() {
  const std::vector<std::string> types = {"broadcast", "direct", "join_room", "leave_room", "resume",  "subscribe",
                                          "unsubscribe", "pong",  "sync",      "nope",       "message", ""};
  const std::vector<std::string> fields = {"payload", "id", "roomId", "targetId", "after", "epoch", "keys", "timestamp"};
  auto object = rc::gen::exec([types, fields] {
    nlohmann::json j = nlohmann::json::object();
    if (*rc::gen::inRange(0, 5) != 0) {
      j["type"] = *rc::gen::oneOf(rc::gen::map(rc::gen::elementOf(types), [](std::string t) { return nlohmann::json(t); }),
                                  gen_scalar());
    }
    const int n = *rc::gen::inRange(0, 4);
    for (int i = 0; i < n; ++i) j[*rc::gen::elementOf(fields)] = *gen_scalar();
    return j.dump();
  });
  auto garbage = rc::gen::map(rc::gen::arbitrary<std::string>(), [](std::string s) { return s; });
  return rc::gen::weightedOneOf<std::string>({{6, object}, {1, garbage}, {1, rc::gen::just(std::string("{\"type\":"))}});
}

RC_GTEST_PROP(RoomsBadInput, NeverCrashOnlyTheSenderHearsStateUntouched, ()) {
  const std::string kind = *rc::gen::elementOf(builtin_registry().kinds());
  FakeHost host(RoomSpec{kind, "fuzz", nlohmann::json::object()}, 7);
  host.fire_alarm();  // seed rooms load their history first
  auto a = host.join("u1");
  auto b = host.join("u2");
  RC_ASSERT(a.has_value());
  RC_ASSERT(b.has_value());
  host.clear_frames();
  const std::string frame = *gen_frame();
  // Skip frames that happen to be valid messages: those are allowed to reach others and change state.
  auto parsed = protocol::parse_client_frame(frame, {"broadcast", "direct", "sync"}, 65536);
  RC_PRE(!std::holds_alternative<protocol::ClientFrame>(parsed));
  const auto before = host.ctx().fake_storage().committed();
  host.message(*a, std::string_view(frame));
  RC_ASSERT(host.frames(*b).empty());
  for (const auto& f : host.frames(*a)) {
    const std::string type = f.value("type", "");
    // Replies a valid non-message frame may get; anything else must be an error.
    const bool reply = type == "error" || type == "joined_room" || type == "left_room" || type == "resumed" ||
                       type == "snapshot";
    RC_ASSERT(reply);
  }
  for (const auto& [key, value] : host.ctx().fake_storage().committed()) {
    if (key.rfind("errors/", 0) == 0) continue;  // the bounded error log may grow
    auto it = before.find(key);
    RC_ASSERT(it != before.end());
    RC_ASSERT(it->second == value);
  }
}

}  // namespace
}  // namespace roomsim::rooms::testing
