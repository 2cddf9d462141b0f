// rooms/common/message_log.cpp: see message_log.hpp.
#include "rooms/common/message_log.hpp"

#include <algorithm>
#include <charconv>

#include "rooms/common/planted_bug.hpp"
#include "rooms/common/probe_names.hpp"
#include "rooms/common/storage_keys.hpp"

namespace roomsim::rooms {
namespace {

constexpr const char* kEpochKey = "meta/epoch";
constexpr const char* kEpochFloorKey = "meta/epoch_floor";  // ephemeral logs: the last epoch drawn
constexpr const char* kSeqKey = "meta/seq";
constexpr uint64_t kEpochMask = (uint64_t{1} << 53) - 1;

std::optional<int64_t> parse_int(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || ptr != text->data() + text->size()) return std::nullopt;
  return v;
}

// now (ms) x 1024 + 10 random bits: a history created later gets a larger
// epoch (checkers read a smaller epoch as frames still in flight), and two
// instances created in the same millisecond still differ. Below 2^53 until
// the year 2248.
uint64_t new_epoch(RoomContext& ctx) {
  const uint64_t ms = static_cast<uint64_t>(std::max<int64_t>(0, to_unix_ms(ctx.now())));
  uint64_t e = ((ms << 10) | (ctx.random_u64() & 1023)) & kEpochMask;
  return e == 0 ? 1 : e;
}

}  // namespace

std::string MessageLog::key_for(int64_t seq) { return numbered_key("msg/", seq); }

void MessageLog::load(RoomContext& ctx) {
  kept_.clear();
  frames_.clear();
  if (!durable_) {
    // Messages are not stored, but the epoch's high-water mark is: a clock is not monotonic
    // across machines (a room restarted on one whose clock is behind would draw a smaller
    // epoch than the last instance's, which clients and checkers read as the older history).
    seq_ = 0;
    if (ROOMSIM_PLANTED(kEphemeralEpochConstant)) {
      epoch_ = 1;
      return;
    }
    const std::optional<int64_t> floor = parse_int(ctx.storage().get(kEpochFloorKey));
    epoch_ = new_epoch(ctx);
    if (floor && *floor > 0 && epoch_ <= static_cast<uint64_t>(*floor)) {
      epoch_ = (static_cast<uint64_t>(*floor) + 1) & kEpochMask;
      if (epoch_ == 0) epoch_ = 1;
    }
    ctx.storage().put(kEpochFloorKey, std::to_string(epoch_));
    return;
  }
  Storage& st = ctx.storage();
  auto epoch = parse_int(st.get(kEpochKey));
  if (epoch && *epoch > 0) {
    epoch_ = static_cast<uint64_t>(*epoch);
    epoch_saved_ = true;
  } else {
    epoch_ = new_epoch(ctx);
    epoch_saved_ = false;
  }
  seq_ = parse_int(st.get(kSeqKey)).value_or(0);
  for (auto& [key, text] : st.list("msg/", static_cast<size_t>(history_max_) + 1)) {
    auto m = protocol::RoomMessage::from_json(nlohmann::json::parse(text, nullptr, false));
    if (!m || m->seq <= 0) {
      ctx.log(LogLevel::kError, "message log: skipping unreadable stored message " + key);
      continue;
    }
    kept_.push_back(std::move(*m));
  }
  if (!kept_.empty()) ctx.probe(probe::kHistoryReloaded);
  if (!kept_.empty() && kept_.back().seq > seq_) seq_ = kept_.back().seq;
  while (static_cast<int64_t>(kept_.size()) > history_max_) kept_.pop_front();
  for (const auto& m : kept_) frames_.push_back(protocol::message_frame(m, epoch_));
}

void MessageLog::save_epoch(RoomContext& ctx) {
  if (!durable_ || epoch_saved_) return;
  ctx.storage().put(kEpochKey, std::to_string(epoch_));
  epoch_saved_ = true;
}

const protocol::RoomMessage& MessageLog::append(RoomContext& ctx, protocol::RoomMessage m) {
  m.seq = ++seq_;
  if (durable_) {
    save_epoch(ctx);
    Storage& st = ctx.storage();
    std::string stored = m.to_json_text();
    frames_.push_back(protocol::message_frame_from_stored(stored, m, epoch_));
    st.put(key_for(m.seq), std::move(stored));
    st.put(kSeqKey, std::to_string(seq_));
  } else {
    frames_.push_back(protocol::message_frame(m, epoch_));
  }
  kept_.push_back(std::move(m));
  const int64_t keep = ROOMSIM_PLANTED(kHistoryKeepsOneLess) ? history_max_ - 1 : history_max_;
  while (static_cast<int64_t>(kept_.size()) > keep) {
    ctx.probe(probe::kHistoryTrimmed);
    if (durable_) ctx.storage().erase(key_for(kept_.front().seq));
    kept_.pop_front();
    frames_.pop_front();
  }
  return kept_.back();
}

nlohmann::json MessageLog::history_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& m : kept_) out.push_back(protocol::message_object(m, epoch_));
  return out;
}

std::string MessageLog::history_text() const {
  size_t size = 2;
  for (const auto& f : frames_) size += f.size() + 1;
  std::string out;
  out.reserve(size);
  out += '[';
  for (const auto& f : frames_) {
    if (out.size() > 1) out += ',';
    out += f;
  }
  out += ']';
  return out;
}

protocol::ResumeAnswer MessageLog::resume(RoomContext& ctx, int64_t after, uint64_t client_epoch) const {
  protocol::ResumeAnswer a;
  a.after = after;
  a.epoch = epoch_;
  a.seq = seq_;
  const int64_t first_kept = kept_.empty() ? seq_ + 1 : kept_.front().seq;
  if (client_epoch != epoch_) {
    // The client's epoch is gone: everything it did not see in it is lost
    // (announced as after+1 .. "end" of that epoch); everything kept in the
    // current epoch is replayed.
    ctx.probe(probe::kResumeGapOtherEpoch);
    a.recovered = false;
    a.messages = history_json();
    a.missed_from = after + 1;
    a.missed_to = protocol::kMissedToEnd;
    a.missed_epoch = client_epoch;
    return a;
  }
  if (after > seq_) {
    // The client saw numbers this room does not have: announce them as lost.
    ctx.probe(probe::kResumeGapRoomBehind);
    a.recovered = false;
    a.missed_from = seq_ + 1;
    a.missed_to = after;
    return a;
  }
  const int64_t replay_after = ROOMSIM_PLANTED(kResumeSkipsFirstMissed) ? after + 1 : after;
  for (const auto& m : kept_) {
    if (m.seq > replay_after) a.messages.push_back(protocol::message_object(m, epoch_));
  }
  if (after + 1 >= first_kept) {
    ctx.probe(probe::kResumeRecovered);
    a.recovered = true;
  } else {
    ctx.probe(probe::kResumeGapTrimmed);
    a.recovered = false;
    a.missed_from = after + 1;
    a.missed_to = ROOMSIM_PLANTED(kGapEndsOneLate) ? first_kept : first_kept - 1;
  }
  return a;
}

}  // namespace roomsim::rooms
