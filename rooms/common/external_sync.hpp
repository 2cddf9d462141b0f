// rooms/common/external_sync.hpp: the seed's syncWithExternalDatabase.
//
// start() POSTs the room data (JSON) to the host service "sync" at /sync
// through RoomContext::fetch; finish() turns the result into a
// `sync_complete` or `sync_error` frame broadcast to every session.
// Corrected rooms (seed_faithful = false) count only a 2xx status as
// success. The seed (seed_faithful = true) treats any HTTP answer, even a
// 500, as success, and only a failed connection as an error.
#pragma once

#include <cstdint>
#include <set>

#include <nlohmann/json.hpp>

#include "rooms/api/room_context.hpp"

namespace roomsim::rooms {

class ExternalSync {
 public:
  explicit ExternalSync(bool seed_faithful) : seed_faithful_(seed_faithful) {}

  void start(RoomContext& ctx, const nlohmann::json& room_data);
  // Returns false when `request_id` is not a sync call of this instance.
  bool finish(RoomContext& ctx, uint64_t request_id, const FetchResponse& response);
  bool in_flight() const { return !pending_.empty(); }

 private:
  bool seed_faithful_;
  std::set<uint64_t> pending_;
};

}  // namespace roomsim::rooms
