// netsim/probe_names.cpp: see probe_names.hpp.
#include "netsim/probe_names.hpp"

#include "rooms/common/probe_names.hpp"

namespace roomsim::netsim::probe {

std::vector<std::string> sweep_required_probes() {
  std::vector<std::string> out = {
      kRoomCrash,          kRoomEvict,           kRoomRestarted,          kCrashLostPendingCommit,
      kCrashLostHeldFrames, kEvictWithHeldFrames, kAlarmRefireAfterCrash,  kStorageSlowCommit,
      kStorageCommitFailed, kFrameTooLarge,       kTokenExpired,           kTokenInvalid,
      kFetchFailed,        kFetchDroppedAfterRestart,
  };
  for (std::string_view room_probe : rooms::probe::kSweepRequired) out.push_back("room." + std::string(room_probe));
  return out;
}

}  // namespace roomsim::netsim::probe
