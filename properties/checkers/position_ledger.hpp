// properties/checkers/position_ledger.hpp: which message holds each room
// position (room, epoch, seq), as clients observed it.
//
// A room numbers its broadcasts: (room, epoch, seq) names one message for
// good. The first kAck (identity: the acking client and its message id) or
// kReceive, live or replayed (identity: the sender and message id, or the
// payload digest when the message has no id), that reports a position fixes
// its identity; a later ack or receive that puts another message there
// contradicts it. total_order and durability both judge by this ledger.
//
// Identities compare field by field where both sides know the field: the
// sender, the message id (an ack of a message sent without an id knows no
// id), the payload digest of a message without an id. What one claim knows
// and the first did not is added to the position.
//
// Memory: one entry per position observed (a SeqTable per (room, epoch)).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "properties/checkers/seq_table.hpp"
#include "properties/history.hpp"

namespace roomsim::properties::internal {

struct PositionClaim {
  NameId sender = kNoName;  // kNoName: unknown
  uint64_t msg = 0;         // client message id digest; 0: unknown
  uint64_t digest_id = 0;   // payload digest of a message without an id; 0: unknown
  size_t index = 0;         // the event that first claimed the position
};

class PositionLedger {
 public:
  // Records the position claimed by `e` (event `index`), a kAck or kReceive
  // with seq >= 0. Returns the earlier claim when `e` puts another message
  // there; nullopt when it agrees, is the first, or claims no position.
  std::optional<PositionClaim> claim(const Event& e, size_t index);

  // "message #1a2b3c4d from a" for explanations.
  static std::string describe(const History& h, const PositionClaim& c);
  static PositionClaim identity_of(const Event& e, size_t index);

 private:
  std::map<std::pair<NameId, int64_t>, SeqTable<PositionClaim>> rooms_;  // (room, epoch)
  std::pair<NameId, int64_t> last_key_{kNoName, -2};
  SeqTable<PositionClaim>* last_ = nullptr;
};

}  // namespace roomsim::properties::internal
