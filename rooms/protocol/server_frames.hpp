// rooms/protocol/server_frames.hpp: builders for every server -> client frame.
//
// Each function returns the frame text exactly in the shape docs/protocol.md
// lists ("Server -> client"). Text is nlohmann's default dump(): compact, keys
// sorted, so a payload inside a frame appears in its canonical form (the
// simulator digests payload.dump()). Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "rooms/protocol/json_text.hpp"

namespace roomsim::rooms::protocol {

// One room-level message as the room stores and sends it.
struct RoomMessage {
  int64_t seq = -1;          // -1: not sequenced (seed rooms, sub-room and direct traffic)
  std::string from;          // sender session wire id ("s17"); empty: not told (seed rooms)
  std::string user_id;
  std::string name;
  std::string id;            // client message id ("" when the client gave none)
  nlohmann::json payload;
  int64_t timestamp_ms = 0;
  std::string room_id;       // sub-room, when the broadcast targeted one

  // Storage form (no "type", no epoch). Omits seq when < 0, from/roomId when empty.
  nlohmann::json to_json() const;
  // to_json().dump(), written directly (members in key order: from, id, name,
  // payload, roomId, seq, timestamp, userId).
  std::string to_json_text() const;
  // REQUIRES: j came from to_json(). Returns nothing when fields are missing or wrong-typed.
  static std::optional<RoomMessage> from_json(const nlohmann::json& j);
};

// A `message` frame object: to_json() plus "type" and, when given, "epoch".
nlohmann::json message_object(const RoomMessage& m, std::optional<uint64_t> epoch);
std::string message_frame(const RoomMessage& m, std::optional<uint64_t> epoch);
// message_frame(m, epoch), spliced from `stored` = m.to_json().dump() instead
// of serialising m again (falls back to message_frame() when `stored` does
// not have that shape).
std::string message_frame_from_stored(std::string_view stored, const RoomMessage& m, uint64_t epoch);

// `welcome`: sessionId/seq/epoch omitted when not given (seed rooms);
// participants omitted when null (rooms that send no presence frames, so a
// client never holds a participant list that nobody keeps current).
std::string welcome_frame(std::optional<std::string_view> session_id, const nlohmann::json& user,
                          std::optional<int64_t> seq, std::optional<uint64_t> epoch,
                          const nlohmann::json& participants);
// Same bytes, with the participant list already serialised (none: no "participants" member).
std::string welcome_frame(std::optional<std::string_view> session_id, const nlohmann::json& user,
                          std::optional<int64_t> seq, std::optional<uint64_t> epoch,
                          std::optional<JsonText> participants);
// `history`: `messages` is an array of message objects, oldest first.
std::string history_frame(nlohmann::json messages, std::optional<int64_t> seq, std::optional<uint64_t> epoch);
// Same bytes, with the message array already serialised.
std::string history_frame(JsonText messages, std::optional<int64_t> seq, std::optional<uint64_t> epoch);
// `direct`: `from` omitted when empty (seed rooms).
std::string direct_frame(const RoomMessage& m);
std::string ack_frame(std::string_view id, int64_t seq, uint64_t epoch);

struct ResumeAnswer {
  int64_t after = 0;
  uint64_t epoch = 0;        // the room's current epoch
  int64_t seq = 0;           // the room's latest seq
  bool recovered = false;
  nlohmann::json messages = nlohmann::json::array();
  int64_t missed_from = 0;   // only sent when !recovered
  int64_t missed_to = 0;
  // The epoch missedFrom..missedTo count in, when it is not `epoch` (the
  // client resumed from an epoch the room no longer has).
  std::optional<uint64_t> missed_epoch;
};

// "Everything after `after`" as a missedTo: the largest integer a JavaScript client reads exactly.
inline constexpr int64_t kMissedToEnd = (int64_t{1} << 53) - 1;
std::string resumed_frame(const ResumeAnswer& a);

// `user_joined` / `user_left` (`type` is one of them); session id omitted when not given.
std::string presence_frame(std::string_view type, std::optional<std::string_view> session_id,
                           std::string_view user_id, std::string_view name, const nlohmann::json& participants);
// Same bytes, with the participant list already serialised.
std::string presence_frame(std::string_view type, std::optional<std::string_view> session_id,
                           std::string_view user_id, std::string_view name, JsonText participants);
// `joined_room` / `left_room`.
std::string sub_room_frame(std::string_view type, std::string_view room_id);
std::string snapshot_frame(const nlohmann::json& data, int64_t timestamp_ms);
std::string data_update_frame(std::string_view key, const nlohmann::json& value, int64_t timestamp_ms);
std::string ping_frame(int64_t timestamp_ms);
std::string sync_complete_frame(int64_t timestamp_ms);
std::string sync_error_frame(int64_t timestamp_ms, std::string_view error);
std::string error_frame(std::string_view code, std::string_view message);

}  // namespace roomsim::rooms::protocol
