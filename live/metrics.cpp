// live/metrics.cpp: see metrics.hpp.
#include "live/metrics.hpp"

#include <cstdio>

namespace roomsim::live {
namespace {

std::string label_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void line(std::string& out, const char* name, const char* type, const char* help, double value) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
  out += name;
  char buf[64];
  std::snprintf(buf, sizeof buf, " %.17g\n", value);
  out += buf;
}

}  // namespace

void Metrics::reject(std::string_view reason) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = rejections_.find(reason);
  if (it == rejections_.end()) {
    rejections_.emplace(std::string(reason), 1);
  } else {
    ++it->second;
  }
}

uint64_t Metrics::rejections(std::string_view reason) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = rejections_.find(reason);
  return it == rejections_.end() ? 0 : it->second;
}

void Metrics::observe_commit_ms(double ms) {
  size_t i = 0;
  while (i < kCommitBucketsMs.size() && ms > kCommitBucketsMs[i]) ++i;
  commit_buckets_[i].fetch_add(1, std::memory_order_relaxed);
  commit_count_.fetch_add(1, std::memory_order_relaxed);
  commit_sum_us_.fetch_add(static_cast<uint64_t>(ms * 1000.0), std::memory_order_relaxed);
}

void Metrics::room_metric(std::string_view kind, std::string_view name, double value) {
  std::lock_guard<std::mutex> lock(mutex_);
  room_metrics_[{std::string(kind), std::string(name)}] = value;
}

std::string Metrics::render() const {
  std::string out;
  auto g = [](const auto& a) { return static_cast<double>(a.load(std::memory_order_relaxed)); };
  line(out, "roomsim_connections", "gauge", "WebSocket sessions open now.", g(connections_open));
  line(out, "roomsim_connections_total", "counter", "WebSocket sessions accepted since start.", g(connections_total));
  line(out, "roomsim_http_connections", "gauge", "TCP connections not (yet) upgraded to WebSocket.",
       g(http_connections_open));
  line(out, "roomsim_http_requests_total", "counter", "HTTP requests parsed.", g(http_requests));
  line(out, "roomsim_rooms", "gauge", "Room instances live now.", g(rooms_active));
  line(out, "roomsim_rooms_evicted_total", "counter",
       "Room instances dropped from memory (idle, or after a refused request); storage is kept.", g(rooms_evicted));
  line(out, "roomsim_alarm_wakes_deferred_total", "counter",
       "Due alarms of evicted rooms retried later because --max-rooms instances were live.", g(alarm_wakes_deferred));
  line(out, "roomsim_frames_in_total", "counter", "WebSocket data frames received.", g(frames_in));
  line(out, "roomsim_bytes_in_total", "counter", "WebSocket payload bytes received.", g(bytes_in));
  line(out, "roomsim_frames_out_total", "counter", "WebSocket frames written.", g(frames_out));
  line(out, "roomsim_bytes_out_total", "counter", "WebSocket bytes written (with frame headers).", g(bytes_out));
  line(out, "roomsim_send_queue_frames", "gauge", "Frames queued or in flight to clients, all sessions.",
       g(send_queue_frames));
  line(out, "roomsim_send_queue_bytes", "gauge", "Bytes queued or in flight to clients, all sessions.",
       g(send_queue_bytes));
  line(out, "roomsim_output_gate_held_frames_total", "counter", "Frames held until a storage commit was durable.",
       g(held_frames));
  line(out, "roomsim_output_gate_held_frames", "gauge", "Frames held now behind commits not yet durable, all rooms.",
       g(held_frames_now));
  line(out, "roomsim_output_gate_held_bytes", "gauge", "Bytes held now behind commits not yet durable, all rooms.",
       g(held_bytes_now));
  line(out, "roomsim_commits_failed_total", "counter", "Storage commits that failed (each resets its room).",
       g(commits_failed));
  line(out, "roomsim_room_resets_total", "counter", "Room instances discarded after a failed commit.", g(room_resets));
  line(out, "roomsim_close_resets_total", "counter",
       "Sessions reset (TCP RST) because their close frame was still unwritten after --close-timeout-ms.",
       g(close_resets));
  line(out, "roomsim_alarms_fired_total", "counter", "Room alarms delivered.", g(alarms_fired));
  line(out, "roomsim_fetches_total", "counter", "Outbound fetches started by rooms.", g(fetches));

  out += "# HELP roomsim_commit_latency_ms Time from handler end to durable commit.\n";
  out += "# TYPE roomsim_commit_latency_ms histogram\n";
  uint64_t cumulative = 0;
  char buf[128];
  for (size_t i = 0; i <= kCommitBucketsMs.size(); ++i) {
    cumulative += commit_buckets_[i].load(std::memory_order_relaxed);
    if (i < kCommitBucketsMs.size()) {
      std::snprintf(buf, sizeof buf, "roomsim_commit_latency_ms_bucket{le=\"%g\"} %llu\n", kCommitBucketsMs[i],
                    static_cast<unsigned long long>(cumulative));
    } else {
      std::snprintf(buf, sizeof buf, "roomsim_commit_latency_ms_bucket{le=\"+Inf\"} %llu\n",
                    static_cast<unsigned long long>(cumulative));
    }
    out += buf;
  }
  std::snprintf(buf, sizeof buf, "roomsim_commit_latency_ms_sum %.3f\nroomsim_commit_latency_ms_count %llu\n",
                static_cast<double>(commit_sum_us_.load()) / 1000.0,
                static_cast<unsigned long long>(commit_count_.load()));
  out += buf;

  std::lock_guard<std::mutex> lock(mutex_);
  out += "# HELP roomsim_rejections_total Refused connections, requests and frames, by reason.\n";
  out += "# TYPE roomsim_rejections_total counter\n";
  for (const auto& [reason, n] : rejections_) {
    out += "roomsim_rejections_total{reason=\"" + label_escape(reason) + "\"} " + std::to_string(n) + "\n";
  }
  if (!room_metrics_.empty()) {
    out += "# HELP roomsim_room_metric Latest value a room reported with ctx.metric().\n";
    out += "# TYPE roomsim_room_metric gauge\n";
    for (const auto& [key, v] : room_metrics_) {
      std::snprintf(buf, sizeof buf, "%.17g", v);
      out += "roomsim_room_metric{kind=\"" + label_escape(key.first) + "\",name=\"" + label_escape(key.second) +
             "\"} " + buf + "\n";
    }
  }
  return out;
}

}  // namespace roomsim::live
