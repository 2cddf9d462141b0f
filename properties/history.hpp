// properties/history.hpp: the history model, what both worlds observed.
//
// A History is an ordered list of observations. The simulator (netsim/) and
// the live load tool (live/) both write one; the property checkers
// (properties/) judge it as a pure function. Observations are black-box:
// client-side facts (what a client sent and saw) plus host facts (room
// start/crash/evict, commits, faults, phases). No checker looks inside a
// room's memory.
//
// Compactness: 10 million events must fit and check in seconds, so names
// (clients, rooms, users, sessions, reasons) are interned strings referred to
// by a NameId, and client message ids / payloads are 64-bit digests
// (fnv1a64 of the client message id string / of the canonical payload JSON).
//
// Field use per kind (unused fields keep their defaults). Client kinds are
// what one client observed or did; host kinds are facts the world (the
// simulator, or the live host) knows independently of the room's code.
//   kConnect        client conn room user; value=1 if the client presented a valid token, 0 otherwise,
//                   2 valid when sent but expiring while the upgrade may be in flight (a refusal
//                   is not judged, neither is the room's acceptance)
//   kConnectResult  client conn room code (101 accepted, else the HTTP status)
//   kWelcome        client conn room session seq(room's latest seq) epoch
//   kSend           client conn room msg digest channel [target]; value=frame size in bytes
//                   (a room-level message leaves the client)
//   kAck            client conn room msg seq epoch
//   kReceive        client conn room sender msg digest seq epoch channel; value=1 for a replayed
//                   message (history on join or resume), 0 for live delivery
//   kGap            client conn room epoch; value=first missing seq, seq=last missing seq
//                   (the server announced that these are gone: "recovered": false); epoch is the
//                   epoch the range counts in (the frame's missedEpoch when it names one)
//   kReplayWindow   client conn room epoch; value=first seq, seq=last seq of a history/resume replay
//                   (value=-1 when the replay was empty); code=number of messages replayed
//   kResume         client conn room epoch; value=last seq the client had seen (resume "after")
//   kPresence       client conn room text=sorted, comma-separated participant user ids it now believes present
//   kDataUpdate     client conn room text=key digest=value digest seq=-1
//   kError          client conn room text=error code from an `error` frame
//   kClose          client conn room code text=reason; value=1 when the client initiated it, 0 otherwise
//   kJoinRoom       client conn room target=sub-room id; value=0 the client sent join_room,
//                   1 the room confirmed it (joined_room)
//   kSubscribe      client conn room text=key ("*" = every key) (the client sent subscribe)
//   kLeave          client room: the client leaves for good (it will not reconnect); value=1 when it
//                   vanished without a close frame, 0 after a clean close
//   -- host facts --
//   kRoomStart      room: a new instance of the room starts (after its first request or a restart)
//   kRoomCrash      room   (memory and uncommitted writes lost, sockets 1006)
//   kRoomEvict      room   (memory lost, storage kept, sockets 1001)
//   kCommit         room value=commit number (the writes of one handler became durable)
//   kCommitFailed   room value=commit number
//   kAdmission      room conn user code: the room answered an upgrade request (101 accepted, else
//                   the HTTP status); value=sessions open in the room just before, seq=sessions of
//                   `user` open in the room just before. user is the connection's user as the world
//                   knows it (the token's subject), not the room's attachment.
//   kRoomSessions   room value=number of sessions open in the room (after each accept or close);
//                   with user set: the number of that user's sessions open in the room (user as in
//                   kAdmission)
//   kFeedValue      [room] text=key digest=value digest: the external feed's value for the key
//                   changed (room empty: the one feed every room reads)
//   kServiceCall    room text=service value=request id: the room called an external service
//   kServiceAnswer  room text=service value=request id code=status: the answer reached the room
//                   (code 0: the call failed; -1: dropped, the instance that asked is gone)
//   kFaultBegin     text=fault description, value=fault index
//   kFaultEnd       text=fault description, value=fault index
//   kPhase          text="safety" | "liveness" | "end"
//   kConfig         text=key, value=number: run parameters and each room's promises the checkers
//                   judge by, e.g. "liveness_bound_ms", "latency_p99_bound_ms", "history_max",
//                   "rate_limit_per_min", "max_connections", "max_connections_per_user",
//                   "rate_limit_per_user" (1 = also per user), "auth_required" (1 = the room kind
//                   authenticates), "max_frame_bytes", "refresh_interval_ms", "promises.<property>"
//                   (0 = the room does not promise that property). room set = applies to that room
//                   only, room "" = every room (a room-specific value wins). docs/properties.md
//                   lists every key.
//
// docs/properties.md states which property reads which fields.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace roomsim::properties {

using NameId = uint32_t;
inline constexpr NameId kNoName = 0;  // NameId 0 is always the empty string

enum class EventKind : uint8_t {
  kConnect,
  kConnectResult,
  kWelcome,
  kSend,
  kAck,
  kReceive,
  kGap,
  kReplayWindow,
  kResume,
  kPresence,
  kDataUpdate,
  kError,
  kClose,
  kRoomStart,
  kRoomCrash,
  kRoomEvict,
  kCommit,
  kCommitFailed,
  kFaultBegin,
  kFaultEnd,
  kPhase,
  kRoomSessions,
  kConfig,
  kJoinRoom,
  kSubscribe,
  kLeave,
  kAdmission,
  kFeedValue,
  kServiceCall,
  kServiceAnswer,
};

// Stable lower-case names used in JSONL ("connect", "receive", ...).
const char* to_string(EventKind kind);
bool parse_event_kind(std::string_view name, EventKind& out);

struct Event {
  int64_t t_ns = 0;
  EventKind kind = EventKind::kConnect;
  NameId client = kNoName;   // observer client ("c17")
  NameId room = kNoName;     // "chat/lobby"
  NameId user = kNoName;     // user id claimed by the client ("u3")
  NameId session = kNoName;  // wire session id told by welcome ("s17")
  NameId sender = kNoName;   // original sender client of a received message
  NameId target = kNoName;   // direct target client, or sub-room id for channel "sub"
  NameId channel = kNoName;  // "" room broadcast, "direct", "sub" (join_room sub-room)
  NameId text = kNoName;     // reason, key, fault description, error code, ...
  uint64_t conn = 0;         // connection number, unique in the history (0: none)
  uint64_t msg = 0;          // fnv1a64 of the client message id
  uint64_t digest = 0;       // fnv1a64 of the canonical payload JSON
  int64_t seq = -1;
  int64_t epoch = -1;
  int64_t value = 0;
  int32_t code = 0;
};

class History {
 public:
  History();

  NameId intern(std::string_view name);
  const std::string& name(NameId id) const { return names_[id]; }
  size_t name_count() const { return names_.size(); }
  // The id of `name` if it was interned, without interning it.
  std::optional<NameId> find(std::string_view name) const;

  // Appends; events must be appended in non-decreasing time.
  void add(const Event& e) { events_.push_back(e); }
  const std::vector<Event>& events() const { return events_; }
  std::vector<Event>& mutable_events() { return events_; }
  size_t size() const { return events_.size(); }
  void reserve(size_t n) { events_.reserve(n); }

  // The last kConfig value for `key`, or `fallback`.
  int64_t config(std::string_view key, int64_t fallback) const;

 private:
  std::vector<std::string> names_;
  // Open-addressing index name -> id (linear probing, power-of-two size, at
  // most half full; 0 = empty slot, the empty name is kNoName without a slot).
  // The hash decides only where an id is stored, never which id a name gets:
  // ids are handed out in intern order.
  std::vector<NameId> index_;
  size_t find_slot(std::string_view name) const;  // the slot holding name, or the empty slot it would take
  void grow_index();
  std::vector<Event> events_;
};

}  // namespace roomsim::properties
