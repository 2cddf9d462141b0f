// live/metrics.hpp: the live server's counters, rendered as Prometheus text.
//
// Hot counters are relaxed atomics (exact totals, no ordering between them).
// Rejections are counted by reason; every refused request, frame or
// connection increments exactly one reason. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace roomsim::live {

class Metrics {
 public:
  static constexpr std::array<double, 12> kCommitBucketsMs = {0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 1000, 5000};

  std::atomic<int64_t> connections_open{0};      // WebSocket sessions open now
  std::atomic<uint64_t> connections_total{0};    // WebSocket sessions accepted since start
  std::atomic<int64_t> http_connections_open{0}; // TCP connections not yet upgraded
  std::atomic<uint64_t> http_requests{0};
  std::atomic<int64_t> rooms_active{0};          // room instances live now (the directory's size)
  std::atomic<uint64_t> rooms_evicted{0};        // instances dropped idle (storage kept)
  std::atomic<uint64_t> alarm_wakes_deferred{0}; // due alarms retried because --max-rooms was reached
  std::atomic<uint64_t> frames_in{0};
  std::atomic<uint64_t> bytes_in{0};
  std::atomic<uint64_t> frames_out{0};
  std::atomic<uint64_t> bytes_out{0};
  std::atomic<int64_t> send_queue_frames{0};  // frames queued or in flight, all sessions
  std::atomic<int64_t> send_queue_bytes{0};
  std::atomic<uint64_t> commits_failed{0};
  std::atomic<uint64_t> held_frames{0};  // frames that waited for a commit (output gate)
  std::atomic<int64_t> held_frames_now{0};  // frames held now, all rooms
  std::atomic<int64_t> held_bytes_now{0};
  std::atomic<uint64_t> room_resets{0};
  std::atomic<uint64_t> close_resets{0};  // sessions reset: their close frame could not be written in time
  std::atomic<uint64_t> alarms_fired{0};
  std::atomic<uint64_t> fetches{0};

  void reject(std::string_view reason);
  uint64_t rejections(std::string_view reason) const;
  void observe_commit_ms(double ms);
  // A room's ctx.metric(name, value): kept as the latest value per (room kind, name).
  void room_metric(std::string_view kind, std::string_view name, double value);

  // Prometheus text exposition format 0.0.4.
  std::string render() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, uint64_t, std::less<>> rejections_;
  std::map<std::pair<std::string, std::string>, double> room_metrics_;
  std::array<std::atomic<uint64_t>, kCommitBucketsMs.size() + 1> commit_buckets_{};
  std::atomic<uint64_t> commit_count_{0};
  std::atomic<uint64_t> commit_sum_us_{0};
};

}  // namespace roomsim::live
