// bench/rooms_bench.cpp: cost of the room kinds' hot paths, measured through
// a minimal counting RoomContext (no network, no durability): one client
// frame in, fan-out to N sessions. Run from a Release build:
//   ./build/bench/rooms_bench --benchmark_min_time=0.5
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <string>

#include "rooms/api/registry.hpp"
#include "rooms/protocol/client_frame.hpp"

namespace {

using namespace roomsim::rooms;

// Storage as a plain ordered map: every write is "durable" at once.
class MapStorage : public Storage {
 public:
  std::optional<std::string> get(std::string_view key) override {
    auto it = map_.find(key);
    return it == map_.end() ? std::nullopt : std::optional(it->second);
  }
  void put(std::string_view key, std::string value, std::optional<RoomDuration>) override {
    map_.insert_or_assign(std::string(key), std::move(value));
  }
  bool erase(std::string_view key) override {
    auto it = map_.find(key);
    if (it == map_.end()) return false;
    map_.erase(it);
    return true;
  }
  std::vector<std::pair<std::string, std::string>> list(std::string_view prefix, size_t limit) override {
    std::vector<std::pair<std::string, std::string>> out;
    for (auto it = map_.lower_bound(prefix); it != map_.end() && out.size() < limit; ++it) {
      if (it->first.compare(0, prefix.size(), prefix) != 0) break;
      out.emplace_back(*it);
    }
    return out;
  }

 private:
  std::map<std::string, std::string, std::less<>> map_;
};

// Counts what the room sends; accepts any non-empty token as user "<token>".
class CountingContext : public RoomContext {
 public:
  explicit CountingContext(std::string kind) : kind_(std::move(kind)) {}
  const std::string& room_kind() const override { return kind_; }
  const std::string& room_id() const override { return id_; }
  RoomTime now() const override { return from_unix_ms(kSimulationEpochUnixMs + ticks_); }
  uint64_t random_u64() override { return 0x9e3779b97f4a7c15ULL * ++draws_; }
  Storage& storage() override { return storage_; }
  void set_alarm(RoomTime at) override { alarm_ = at; }
  void cancel_alarm() override { alarm_.reset(); }
  std::optional<RoomTime> alarm() const override { return alarm_; }
  SessionId accept_websocket(SessionAttachment a) override {
    order_.push_back(++next_);
    attachments_[next_] = std::move(a);
    return next_;
  }
  bool send(SessionId, std::string_view text) override {
    bytes_ += text.size();
    ++frames_;
    return true;
  }
  void close(SessionId, int, std::string_view) override {}
  std::vector<SessionId> sessions() const override { return order_; }
  SessionAttachment* attachment(SessionId s) override {
    auto it = attachments_.find(s);
    return it == attachments_.end() ? nullptr : &it->second;
  }
  uint64_t fetch(std::string_view, FetchRequest) override { return ++fetches_; }
  std::optional<User> verify_token(std::string_view token, std::string_view) override {
    if (token.empty()) return std::nullopt;
    return User{std::string(token), std::string(token), from_unix_ms(kSimulationEpochUnixMs + 86'400'000)};
  }
  void log(LogLevel, std::string_view) override {}
  void metric(std::string_view, double) override {}

  void tick() { ++ticks_; }
  uint64_t frames() const { return frames_; }

 private:
  std::string kind_;
  std::string id_ = "bench";
  int64_t ticks_ = 0;
  uint64_t draws_ = 0;
  MapStorage storage_;
  std::optional<RoomTime> alarm_;
  SessionId next_ = 0;
  std::vector<SessionId> order_;
  std::map<SessionId, SessionAttachment> attachments_;
  uint64_t fetches_ = 0;
  uint64_t bytes_ = 0;
  uint64_t frames_ = 0;
};

// One broadcast frame in, fan-out to range(0) sessions; items = deliveries.
void fan_out(benchmark::State& state, const std::string& kind) {
  const int sessions = static_cast<int>(state.range(0));
  nlohmann::json config = {{"max_connections", 0}, {"max_connections_per_user", 0}, {"rate_limit_per_min", 0}};
  auto created = builtin_registry().create({kind, "bench", config});
  auto room = std::move(std::get<std::unique_ptr<Room>>(created));
  CountingContext ctx(kind);
  room->on_start(ctx);
  std::vector<SessionId> ids;
  for (int i = 0; i < sessions; ++i) {
    HttpRequest req;
    req.path = "/rooms/" + kind + "/bench";
    req.websocket_upgrade = true;
    req.query["token"] = std::string("u").append(std::to_string(i));
    room->on_request(ctx, req);
  }
  ids = ctx.sessions();
  const std::string frame = R"({"type":"broadcast","id":"m","payload":{"s":1,"q":1,"t":123456789,"p":""}})";
  const uint64_t before = ctx.frames();
  size_t n = 0;
  for (auto _ : state) {
    ctx.tick();
    room->on_message(ctx, ids[n++ % ids.size()], frame);
  }
  state.SetItemsProcessed(static_cast<int64_t>(ctx.frames() - before));
}

void BM_BroadcastFanOut(benchmark::State& s) { fan_out(s, "broadcast"); }
void BM_SeedBroadcastFanOut(benchmark::State& s) { fan_out(s, "seed-broadcast"); }
void BM_ChatFanOut(benchmark::State& s) { fan_out(s, "chat"); }
BENCHMARK(BM_BroadcastFanOut)->Arg(10)->Arg(100)->Arg(1000);
BENCHMARK(BM_SeedBroadcastFanOut)->Arg(10)->Arg(100)->Arg(1000);
BENCHMARK(BM_ChatFanOut)->Arg(100);

void BM_ParseClientFrame(benchmark::State& state) {
  const std::vector<std::string_view> accepted = {"broadcast", "direct"};
  const std::string frame = R"({"type":"broadcast","id":"m1","payload":{"text":"hello world","n":[1,2,3]}})";
  for (auto _ : state) benchmark::DoNotOptimize(roomsim::rooms::protocol::parse_client_frame(frame, accepted, 65536));
}
BENCHMARK(BM_ParseClientFrame);

}  // namespace

BENCHMARK_MAIN();
