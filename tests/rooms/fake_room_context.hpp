// tests/rooms/fake_room_context.hpp: a small in-memory, deterministic host for
// room unit tests (and for any other layer's tests that want to drive a room
// without the simulator).
//
// FakeRoomContext implements RoomContext: a manual clock, a seeded counter RNG
// (SplitMix64 of seed + n), in-memory storage that honours the storage
// contract (the writes of one handler commit together when FakeHost ends the
// handler; TTL; list in byte order), one alarm slot, sessions with
// attachments in accept order, captured frames and closes per session, a
// fetch queue answered by hand, and verify_token through auth::verify_hs256.
//
// FakeHost owns a room and its context and runs handlers the way a host must:
// one at a time, committing storage after each. Everything is single-threaded
// and deterministic.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "rooms/api/registry.hpp"
#include "rooms/api/room.hpp"
#include "rooms/api/room_context.hpp"
#include "tests/labels.hpp"

namespace roomsim::rooms::testing {

class FakeStorage : public Storage {
 public:
  explicit FakeStorage(const RoomTime* clock) : clock_(clock) {}

  std::optional<std::string> get(std::string_view key) override;
  void put(std::string_view key, std::string value, std::optional<RoomDuration> ttl) override;
  bool erase(std::string_view key) override;
  std::vector<std::pair<std::string, std::string>> list(std::string_view prefix, size_t limit) override;

  // Applies the pending writes of the current handler (one commit).
  void commit();
  // Drops the pending writes (a crash before durability).
  void discard() { pending_.clear(); }
  bool has_pending() const { return !pending_.empty(); }
  size_t commit_count() const { return commit_count_; }
  // Committed, unexpired keys and values (for assertions).
  std::map<std::string, std::string> committed() const;

 private:
  struct Entry {
    std::string value;
    std::optional<RoomTime> expires;
  };
  bool live(const Entry& e) const { return !e.expires || *e.expires > *clock_; }

  const RoomTime* clock_;
  std::map<std::string, Entry, std::less<>> committed_;
  std::map<std::string, std::optional<Entry>, std::less<>> pending_;  // nullopt: erased
  size_t commit_count_ = 0;
};

struct SentFrame {
  std::string text;
  bool held_behind_commit = false;  // uncommitted writes existed when it was sent (output gate holds it)
};

struct FakeSession {
  SessionAttachment attachment;
  bool open = true;
  std::vector<SentFrame> sent;
  std::optional<std::pair<int, std::string>> closed_by_room;  // code, reason
};

struct PendingFetch {
  uint64_t id = 0;
  std::string service;
  FetchRequest request;
};

class FakeRoomContext : public RoomContext {
 public:
  FakeRoomContext(std::string kind, std::string id, uint64_t seed);

  const std::string& room_kind() const override { return kind_; }
  const std::string& room_id() const override { return id_; }
  RoomTime now() const override { return now_; }
  uint64_t random_u64() override;
  Storage& storage() override { return storage_; }
  void set_alarm(RoomTime at) override { alarm_ = at; }
  void cancel_alarm() override { alarm_.reset(); }
  std::optional<RoomTime> alarm() const override { return alarm_; }
  SessionId accept_websocket(SessionAttachment attachment) override;
  bool send(SessionId session, std::string_view text) override;
  void close(SessionId session, int code, std::string_view reason) override;
  std::vector<SessionId> sessions() const override;
  SessionAttachment* attachment(SessionId session) override;
  uint64_t fetch(std::string_view service, FetchRequest request) override;
  std::optional<User> verify_token(std::string_view token, std::string_view secret) override;
  void log(LogLevel level, std::string_view message) override;
  void metric(std::string_view name, double value) override;
  void probe(std::string_view name) override { ++probes_[std::string(name)]; }

  // Test controls.
  void advance_ms(int64_t ms) { now_ += RoomDuration(ms); }
  void set_now(RoomTime t) { now_ = t; }
  FakeStorage& fake_storage() { return storage_; }
  void set_in_request(bool v) { in_request_ = v; }
  // Marks a session closed by its client (the host then calls on_close).
  void client_closed(SessionId session);
  // Closes every open session (eviction or crash), as the host does.
  void drop_all_sessions();
  FakeSession& session(SessionId id) { return sessions_.at(id); }
  const std::map<SessionId, FakeSession>& all_sessions() const { return sessions_; }
  std::vector<PendingFetch>& fetches() { return fetches_; }
  const std::vector<std::pair<LogLevel, std::string>>& logs() const { return logs_; }
  const std::vector<std::pair<std::string, double>>& metrics() const { return metrics_; }
  // Hits of a code probe (RoomContext::probe) so far.
  int probes(std::string_view name) const {
    auto it = probes_.find(std::string(name));
    return it == probes_.end() ? 0 : it->second;
  }

 private:
  std::string kind_;
  std::string id_;
  uint64_t seed_;
  uint64_t draws_ = 0;
  RoomTime now_ = from_unix_ms(kSimulationEpochUnixMs);
  FakeStorage storage_{&now_};
  std::optional<RoomTime> alarm_;
  bool in_request_ = false;
  SessionId next_session_ = 1;
  std::map<SessionId, FakeSession> sessions_;
  std::vector<SessionId> order_;
  uint64_t next_fetch_ = 1;
  std::vector<PendingFetch> fetches_;
  std::vector<std::pair<LogLevel, std::string>> logs_;
  std::vector<std::pair<std::string, double>> metrics_;
  std::map<std::string, int> probes_;
};

using roomsim::testing::label;  // "<prefix><n>"

// Result of FakeHost::connect.
struct ConnectResult {
  HttpResponse response;
  std::optional<SessionId> session;  // set when the room accepted the upgrade
};

class FakeHost {
 public:
  // Creates the room through the builtin registry; aborts the test on a bad spec.
  explicit FakeHost(RoomSpec spec, uint64_t seed = 1);

  FakeRoomContext& ctx() { return *ctx_; }
  Room& room() { return *room_; }

  HttpResponse request(HttpRequest request);
  // WebSocket upgrade on /rooms/<kind>/<id>, with ?token= when token is non-empty.
  ConnectResult connect(const std::string& token = "", std::map<std::string, std::string> extra_query = {});
  // connect() with a fresh token for `user`; the session, or nothing when refused.
  std::optional<SessionId> join(const std::string& user) { return connect(token(user, user)).session; }
  void message(SessionId session, std::string_view text);
  void message(SessionId session, const nlohmann::json& frame) { message(session, std::string_view(frame.dump())); }
  void client_close(SessionId session, int code = close_code::kNormal);
  // Fires the alarm if set and due (or `force`); returns whether it fired.
  bool fire_alarm(bool force = false);
  // Advances the clock by `ms`, firing the alarms that fall due on the way, at most
  // `alarms_max` of them (the rest stay overdue, as on a host that runs late).
  void advance_ms(int64_t ms, int64_t alarms_max = INT64_MAX);
  void answer_fetch(uint64_t id, FetchResponse response);
  // Eviction: memory dropped, storage kept, sockets closed 1001; then a new instance starts.
  void restart();

  // Frames sent to a session, parsed; `type` filters when non-empty.
  std::vector<nlohmann::json> frames(SessionId session, const std::string& type = "");
  void clear_frames();
  // Mints a token with the room's default secret unless given.
  std::string token(const std::string& user, const std::string& name, int64_t ttl_s = 3600,
                    const std::string& secret = "roomsim-dev-secret");

 private:
  template <typename F>
  void run_handler(F&& f);

  RoomSpec spec_;
  uint64_t seed_;
  std::unique_ptr<FakeRoomContext> ctx_;
  std::unique_ptr<Room> room_;
};

}  // namespace roomsim::rooms::testing
