// properties/checkers/position_ledger.cpp: see position_ledger.hpp.
#include "properties/checkers/position_ledger.hpp"

#include <cstdio>

#include "engine/rng.hpp"
#include "properties/checkers/support.hpp"

namespace roomsim::properties::internal {

namespace {
// An ack of a message sent without an id names the id "" (or nothing).
const uint64_t kEmptyIdDigest = fnv1a64("");

bool differ(uint64_t a, uint64_t b) { return a != 0 && b != 0 && a != b; }
}  // namespace

PositionClaim PositionLedger::identity_of(const Event& e, size_t index) {
  PositionClaim c;
  c.index = index;
  if (e.kind == EventKind::kAck) {
    c.sender = e.client;
    c.msg = e.msg == kEmptyIdDigest ? 0 : e.msg;
    return c;
  }
  c.sender = e.sender;
  c.msg = e.msg;
  if (e.msg == 0) c.digest_id = e.digest;
  return c;
}

std::optional<PositionClaim> PositionLedger::claim(const Event& e, size_t index) {
  if (e.seq < 0 || (e.kind != EventKind::kAck && e.kind != EventKind::kReceive)) return std::nullopt;
  const std::pair<NameId, int64_t> key{e.room, e.epoch};
  if (last_ == nullptr || key != last_key_) {
    last_ = &rooms_[key];
    last_key_ = key;
  }
  bool fresh = false;
  PositionClaim& held = last_->insert(e.seq, &fresh);
  const PositionClaim mine = identity_of(e, index);
  if (fresh) {
    held = mine;
    return std::nullopt;
  }
  const bool other_sender = held.sender != kNoName && mine.sender != kNoName && held.sender != mine.sender;
  if (other_sender || differ(held.msg, mine.msg) || differ(held.digest_id, mine.digest_id)) return held;
  if (held.sender == kNoName) held.sender = mine.sender;
  if (held.msg == 0) held.msg = mine.msg;
  if (held.digest_id == 0) held.digest_id = mine.digest_id;
  return std::nullopt;
}

std::string PositionLedger::describe(const History& h, const PositionClaim& c) {
  const uint64_t id = c.msg != 0 ? c.msg : c.digest_id;
  char buf[40];
  if (id != 0) {
    std::snprintf(buf, sizeof buf, "message #%08llx", static_cast<unsigned long long>(id >> 32));
  } else {
    std::snprintf(buf, sizeof buf, "a message without id");
  }
  return std::string(buf) + " from " + name_or_none(h, c.sender);
}

}  // namespace roomsim::properties::internal
