// netsim/probe_names.cpp: see probe_names.hpp.
#include "netsim/probe_names.hpp"

#include "rooms/common/probe_names.hpp"

namespace roomsim::netsim::probe {

// Every host probe is required. (kAlarmRefireAfterCrash was not while only an
// alarm handler's own writes made a commit; now the firing itself commits, so
// a crash between an alarm and its commit re-fires it in the swarm.)
std::vector<std::string> sweep_required_probes() {
  std::vector<std::string> out = {
      kRoomCrash,          kRoomEvict,           kRoomRestarted,          kCrashLostPendingCommit,
      kCrashLostHeldFrames, kEvictWithHeldFrames, kStorageSlowCommit,
      kStorageCommitFailed, kFrameTooLarge,       kTokenExpired,           kTokenInvalid,
      kFetchFailed,        kFetchDroppedAfterRestart, kAlarmRefireAfterCrash, kStorageReadFailed, kRoomClockMoved,
  };
  for (std::string_view room_probe : rooms::probe::kSweepRequired) out.push_back("room." + std::string(room_probe));
  return out;
}

}  // namespace roomsim::netsim::probe
