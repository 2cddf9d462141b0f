// rooms/common/metrics_buffer.cpp: see metrics_buffer.hpp.
#include "rooms/common/metrics_buffer.hpp"

#include <nlohmann/json.hpp>

#include "rooms/common/probe_names.hpp"
#include "rooms/common/storage_keys.hpp"
#include "rooms/protocol/json_text.hpp"

namespace roomsim::rooms {
namespace {
constexpr std::string_view kPrefix = "metrics/";
constexpr size_t kMaxLoaded = 100'000;
}  // namespace

void MetricsBuffer::load(RoomContext& ctx) {
  if (batch_ <= 0) return;
  waiting_.clear();
  for (auto& [key, value] : ctx.storage().list(kPrefix, kMaxLoaded)) {
    if (auto n = key_number(key, kPrefix)) next_ = std::max(next_, *n + 1);
    // Kept in dump() form, so an upload can splice the batch (see maybe_upload).
    waiting_.emplace_back(key, nlohmann::json::parse(value, nullptr, false).dump());
  }
  maybe_upload(ctx);
}

void MetricsBuffer::record(RoomContext& ctx, std::string_view name, double value) {
  if (batch_ <= 0) return;
  // {"name","timestamp","value"} as nlohmann::json{...}.dump() writes it (one per client message).
  std::string text = "{";
  protocol::append_json_member(text, "name", name);
  text += ',';
  protocol::append_json_key(text, "timestamp");
  protocol::append_json_int(text, to_unix_ms(ctx.now()));
  text += ',';
  protocol::append_json_key(text, "value");
  text += nlohmann::json(value).dump();
  text += '}';
  std::string key = numbered_key(kPrefix, next_++);
  ctx.storage().put(key, text);
  waiting_.emplace_back(std::move(key), std::move(text));
  maybe_upload(ctx);
}

void MetricsBuffer::maybe_upload(RoomContext& ctx) {
  if (static_cast<int64_t>(waiting_.size()) < batch_) return;
  // Every waiting event is dump() text (record() and load() keep it so), and
  // dump(parse(t)) == t for such text: the array is spliced, not re-parsed.
  std::vector<std::pair<std::string, std::string>> batch;
  std::string body = "[";
  while (static_cast<int64_t>(batch.size()) < batch_) {
    if (!batch.empty()) body += ',';
    body += waiting_.front().second;
    batch.push_back(std::move(waiting_.front()));
    waiting_.pop_front();
  }
  body += ']';
  if (seed_faithful_) {
    for (const auto& [key, _] : batch) ctx.storage().erase(key);
  }
  FetchRequest req;
  req.method = "POST";
  req.path = "/metrics";
  req.body = std::move(body);
  in_flight_[ctx.fetch("metrics", std::move(req))] = std::move(batch);
}

bool MetricsBuffer::finish(RoomContext& ctx, uint64_t request_id, const FetchResponse& response) {
  auto it = in_flight_.find(request_id);
  if (it == in_flight_.end()) return false;
  auto batch = std::move(it->second);
  in_flight_.erase(it);
  if (response.ok()) ctx.probe(probe::kMetricsUploaded);
  if (seed_faithful_) {
    if (!response.ok()) {
      ctx.probe(probe::kMetricsDropped);
      ctx.log(LogLevel::kError, "metrics upload failed; batch dropped");
    }
    return true;
  }
  if (response.ok()) {
    for (const auto& [key, _] : batch) ctx.storage().erase(key);
    return true;
  }
  ctx.log(LogLevel::kWarn, "metrics upload failed (" + (response.status == 0 ? response.error : "HTTP " + std::to_string(response.status)) +
                               "); the batch stays buffered and is retried");
  ctx.probe(probe::kMetricsRetried);
  for (auto rit = batch.rbegin(); rit != batch.rend(); ++rit) waiting_.push_front(std::move(*rit));
  return true;
}

}  // namespace roomsim::rooms
