// rooms/common/message_log.hpp: the corrected rooms' sequenced, durable history.
//
// Storage layout: "meta/epoch" (decimal), "meta/seq" (latest seq, decimal),
// "msg/<seq, 20 digits>" (RoomMessage::to_json text). The epoch is chosen
// when the room first starts with empty storage and stored with the first
// session it accepts or the first message it stores (save_epoch), whichever
// comes first: a request that is refused (a stranger's GET, a bad token)
// writes nothing, and until a client has seen the epoch in a welcome a restart
// may choose another without anyone noticing. Then it is kept: now in ms x
// 1024 + 10 random bits (below 2^53 so JavaScript clients read it exactly;
// a history created later gets a larger epoch). append() writes the message and
// the new seq in the calling handler's commit, so under the output gate every
// frame sent afterwards is released only once the message is durable. Only
// the last `history_max` messages are kept; older keys are erased.
//
// A log built with durable = false (the ephemeral `broadcast` room) writes
// nothing: it draws a fresh epoch at every load and numbers from 1, so a
// client resuming across a restart is told its epoch is gone.
#pragma once

#include <cstdint>
#include <deque>
#include <string>

#include <nlohmann/json.hpp>

#include "rooms/api/room_context.hpp"
#include "rooms/protocol/server_frames.hpp"

namespace roomsim::rooms {

class MessageLog {
 public:
  MessageLog(int64_t history_max, bool durable) : history_max_(history_max), durable_(durable) {}

  // Loads epoch, seq and kept messages; chooses the epoch on first start (stored later, by save_epoch).
  // Unreadable stored messages are skipped and logged as errors.
  void load(RoomContext& ctx);
  // Stores a newly chosen epoch (durable logs only; once). Call before a client can see it in a
  // welcome; append() calls it itself.
  void save_epoch(RoomContext& ctx);
  uint64_t epoch() const { return epoch_; }
  int64_t seq() const { return seq_; }
  size_t size() const { return kept_.size(); }

  // Assigns seq() + 1 to `m`, stores it with the new seq, trims, and returns it.
  const protocol::RoomMessage& append(RoomContext& ctx, protocol::RoomMessage m);
  // Kept messages as `message` objects (with epoch), oldest first.
  nlohmann::json history_json() const;
  // history_json().dump(), from each message's frame kept since it was appended or loaded.
  std::string history_text() const;
  // protocol::message_frame(m, epoch()) of the newest kept message (the one append() returned).
  // REQUIRES: size() > 0.
  const std::string& last_frame() const { return frames_.back(); }
  // The answer to resume {after, epoch} (docs/protocol.md, "Ordering, acks and recovery").
  // Probes which case it was (rooms/common/probe_names.hpp, "resume.*").
  protocol::ResumeAnswer resume(RoomContext& ctx, int64_t after, uint64_t client_epoch) const;

  static std::string key_for(int64_t seq);

 private:
  int64_t history_max_;
  bool durable_;
  uint64_t epoch_ = 0;
  bool epoch_saved_ = false;  // epoch_ is in storage
  int64_t seq_ = 0;
  std::deque<protocol::RoomMessage> kept_;
  std::deque<std::string> frames_;  // message_frame(kept_[i], epoch_), serialised once per message
};

}  // namespace roomsim::rooms
