// rooms/common/metrics_buffer.hpp: metric events buffered in storage and
// uploaded in batches through RoomContext::fetch (service "metrics", POST
// /metrics, body: JSON array of {name, value, timestamp}).
//
// Storage: "metrics/<n, 20 digits>". A batch is sent once `batch` events wait.
// Corrected (seed_faithful = false): events are erased only after a 2xx
// answer; a failed upload puts them back and they go with the next batch
// (at-least-once). Seed: events are erased when the upload starts, so a
// failed upload loses them and the failure is only logged.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "rooms/api/room_context.hpp"

namespace roomsim::rooms {

class MetricsBuffer {
 public:
  MetricsBuffer(int64_t batch, bool seed_faithful) : batch_(batch), seed_faithful_(seed_faithful) {}

  // Reads the events left in storage by an earlier instance.
  void load(RoomContext& ctx);
  // Buffers one event (a storage write) and uploads a batch when one is full. batch 0: no-op.
  void record(RoomContext& ctx, std::string_view name, double value);
  // Returns false when `request_id` is not an upload of this instance.
  bool finish(RoomContext& ctx, uint64_t request_id, const FetchResponse& response);
  size_t waiting() const { return waiting_.size(); }

 private:
  void maybe_upload(RoomContext& ctx);

  int64_t batch_;
  bool seed_faithful_;
  int64_t next_ = 1;
  std::deque<std::pair<std::string, std::string>> waiting_;  // key, event JSON
  std::map<uint64_t, std::vector<std::pair<std::string, std::string>>> in_flight_;
};

}  // namespace roomsim::rooms
