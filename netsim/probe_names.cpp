// netsim/probe_names.cpp: see probe_names.hpp.
#include "netsim/probe_names.hpp"

#include "rooms/common/probe_names.hpp"

namespace roomsim::netsim::probe {

// Not required: kAlarmRefireAfterCrash, because no built-in room's alarm
// handler writes storage, so no alarm is ever in flight (uncommitted) at a
// crash. tests/netsim/room_host_test.cpp reaches it with the test room.
std::vector<std::string> sweep_required_probes() {
  std::vector<std::string> out = {
      kRoomCrash,          kRoomEvict,           kRoomRestarted,          kCrashLostPendingCommit,
      kCrashLostHeldFrames, kEvictWithHeldFrames, kStorageSlowCommit,
      kStorageCommitFailed, kFrameTooLarge,       kTokenExpired,           kTokenInvalid,
      kFetchFailed,        kFetchDroppedAfterRestart,
  };
  for (std::string_view room_probe : rooms::probe::kSweepRequired) out.push_back("room." + std::string(room_probe));
  return out;
}

}  // namespace roomsim::netsim::probe
