// properties/observed_frame.hpp: what a client reads off a server frame, in
// history terms. The simulator's client agents (netsim/) and the live load
// tool (live/) both record histories from the same protocol frames
// (docs/protocol.md); this is the one place that maps a frame's fields to
// History fields, so both worlds are judged on identical observations.
//
// Sender identity comes from the payload's "c" (client id) and "m" (client
// message id), so rooms that only relay payloads (the seed rooms) are judged
// the same way as rooms that add their own fields. `digest` is fnv1a64 of the
// payload's canonical dump().
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/rng.hpp"
#include "properties/history.hpp"

namespace roomsim::properties {

// The integer at `key`, or `fallback` when absent or not an integer.
inline int64_t json_int(const nlohmann::json& j, const char* key, int64_t fallback = -1) {
  auto it = j.find(key);
  if (it != j.end() && it->is_number_integer()) return it->get<int64_t>();
  return fallback;
}

// The string at `key`, or "" when absent or not a string.
inline std::string json_string(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it != j.end() && it->is_string()) return it->get<std::string>();
  return {};
}

// The fields of a `message` (or `direct`) frame that a receive event records.
struct ObservedMessage {
  int64_t seq = -1;
  int64_t epoch = -1;
  NameId sender = kNoName;   // payload "c"
  NameId channel = kNoName;  // `sub_channel` when the frame names a sub-room
  NameId target = kNoName;   // the sub-room id
  NameId from = kNoName;     // the sender's session wire id, when the room tells it
  uint64_t msg = 0;          // fnv1a64 of payload "m"
  uint64_t digest = 0;       // fnv1a64 of payload.dump()
};

// `Names` is anything with `NameId intern(std::string_view)` (History, netsim's Recorder).
// `sub_channel` is the interned "sub".
template <typename Names>
ObservedMessage observe_message(const nlohmann::json& m, Names& names, NameId sub_channel) {
  ObservedMessage f;
  if (!m.is_object()) return f;
  f.seq = json_int(m, "seq");
  f.epoch = json_int(m, "epoch");
  auto payload = m.find("payload");
  if (payload != m.end()) {
    f.digest = fnv1a64(payload->dump());
    if (payload->is_object()) {
      const std::string sender = json_string(*payload, "c");
      const std::string id = json_string(*payload, "m");
      if (!sender.empty()) f.sender = names.intern(sender);
      if (!id.empty()) f.msg = fnv1a64(id);
    }
  }
  const std::string from = json_string(m, "from");
  if (!from.empty()) f.from = names.intern(from);
  const std::string sub = json_string(m, "roomId");
  if (!sub.empty()) {
    f.channel = sub_channel;
    f.target = names.intern(sub);
  }
  return f;
}

// A frame that is a client payload alone (an object with string "c" and "m"
// and no "type"): what the `relay` room kind delivers instead of a `message`
// frame. observe_message({"payload": frame}) reads it.
inline bool is_relayed_payload(const nlohmann::json& j) {
  if (!j.is_object() || j.contains("type")) return false;
  auto c = j.find("c");
  auto m = j.find("m");
  return c != j.end() && c->is_string() && m != j.end() && m->is_string();
}

// A participant list as the sorted, comma-joined user ids (session id when a
// participant has no user id): the text of a kPresence event.
template <typename Names>
NameId observe_presence(const nlohmann::json& participants, Names& names) {
  std::vector<std::string> users;
  if (participants.is_array()) {
    for (const auto& p : participants) {
      if (!p.is_object()) continue;
      std::string u = json_string(p, "userId");
      if (u.empty()) u = json_string(p, "sessionId");
      users.push_back(std::move(u));
    }
  }
  std::sort(users.begin(), users.end());
  std::string text;
  for (const auto& u : users) {
    if (!text.empty()) text += ',';
    text += u;
  }
  return names.intern(text);
}

}  // namespace roomsim::properties
