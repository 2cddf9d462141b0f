// netsim/probe_names.hpp: the code probes of the simulated room host, and the
// one list of probes a default sweep must reach.
//
// A probe counts a branch that matters (SimulationResult::coverage). The room
// host's probes are named here and used by room_host.cpp through these
// constants; the rooms' own probes are in rooms/common/probe_names.hpp and
// are counted as "room.<name>". Other netsim probes (faults, network, client
// agents) keep their names in their files (netsim/README.md lists them).
//
// sweep_required_probes() is the set `roomsim run swarm --seeds 1000` must
// hit: the test that runs that sweep fails on any probe it never reached, and
// `roomsim run` lists declared probes with no hits ("never reached: ...").
#pragma once

#include <string>
#include <vector>

namespace roomsim::netsim::probe {

// Restarts and the output gate (room_host.cpp).
inline constexpr const char* kRoomCrash = "room.crash";
inline constexpr const char* kRoomEvict = "room.evict";
inline constexpr const char* kRoomRestarted = "room.restarted";  // a second or later instance started
inline constexpr const char* kCrashLostPendingCommit = "room.crash_lost_pending_commit";
inline constexpr const char* kCrashLostHeldFrames = "room.crash_lost_held_frames";
inline constexpr const char* kEvictWithHeldFrames = "room.evict_with_held_frames";  // closes queued behind commits
// A client message reached a room at limits.held_frames_max / held_bytes_max: sender closed 1013.
inline constexpr const char* kHeldFullSenderClosed = "room.held_full_sender_closed";
// A storage read failed (storage-read-fail) and the StorageReadError escaped the handler: instance reset.
inline constexpr const char* kStorageReadFailed = "storage.read_failed";
// room-clock-skew moved a room to a machine with another clock (its instance evicted).
inline constexpr const char* kRoomClockMoved = "room.clock_moved";
inline constexpr const char* kAlarmRefireAfterCrash = "alarm.refire_after_crash";
inline constexpr const char* kStorageSlowCommit = "storage.slow_commit";
inline constexpr const char* kStorageCommitFailed = "storage.commit_failed";
// Connections (room_host.cpp).
inline constexpr const char* kFrameTooLarge = "conn.frame_too_large";  // the host refused a frame, close 1009
inline constexpr const char* kUpgradeWithoutAccept = "conn.upgrade_101_without_accept";  // refused 500
// Tokens (RoomHost::verify_token): why a token did not verify.
inline constexpr const char* kTokenExpired = "auth.token_expired";
inline constexpr const char* kTokenInvalid = "auth.token_invalid";
// Outbound calls (RoomHost::fetch).
inline constexpr const char* kFetchFailed = "fetch.failed";
inline constexpr const char* kFetchDroppedAfterRestart = "fetch.dropped_after_restart";
inline constexpr const char* kFetchUnknownService = "fetch.unknown_service";
// Room logs at warn / error level.
inline constexpr const char* kRoomLogWarn = "room.log_warn";
inline constexpr const char* kRoomLogError = "room.log_error";

// Every probe (coverage name) the default sweep must reach: the host's and
// the built-in rooms' ("room." + rooms::probe::kSweepRequired), in a stable
// order. Not required: probes of kinds no default sweep runs (seed ports,
// relay), unknown services, room logs and the 101-without-accept refusal
// (bugs of a room under test, not branches of a correct one).
std::vector<std::string> sweep_required_probes();

}  // namespace roomsim::netsim::probe
