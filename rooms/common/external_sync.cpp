// rooms/common/external_sync.cpp: see external_sync.hpp.
#include "rooms/common/external_sync.hpp"

#include "rooms/common/probe_names.hpp"
#include "rooms/common/session_tools.hpp"
#include "rooms/protocol/server_frames.hpp"

namespace roomsim::rooms {

void ExternalSync::start(RoomContext& ctx, const nlohmann::json& room_data) {
  FetchRequest req;
  req.method = "POST";
  req.path = "/sync";
  req.body = room_data.dump();
  pending_.insert(ctx.fetch("sync", std::move(req)));
}

bool ExternalSync::finish(RoomContext& ctx, uint64_t request_id, const FetchResponse& response) {
  if (pending_.erase(request_id) == 0) return false;
  const int64_t now_ms = to_unix_ms(ctx.now());
  const bool ok = seed_faithful_ ? response.status != 0 : response.ok();
  if (ok) {
    ctx.probe(response.ok() ? probe::kSyncOk : probe::kSyncErrorCountedOk);
    send_to_all(ctx, protocol::sync_complete_frame(now_ms));
    ctx.metric("sync_ok", 1);
    return true;
  }
  std::string error = response.status == 0 ? response.error : "sync service answered HTTP " + std::to_string(response.status);
  if (error.empty()) error = "sync failed";
  ctx.log(LogLevel::kError, "external sync failed: " + error);
  ctx.probe(probe::kSyncFailed);
  ctx.metric("sync_failed", 1);
  send_to_all(ctx, protocol::sync_error_frame(now_ms, error));
  return true;
}

}  // namespace roomsim::rooms
