// live/detail/room_host.hpp: hosts one room instance on real sockets, and is
// the live RoomContext.
//
// Every handler runs on this host's strand, one at a time, to completion (the
// input gate). The room's writes of one handler become one commit to the
// SqliteStore; frames sent while a commit of this room is not yet durable are
// held and released in order once it is (the output gate). A failed commit
// or a handler that throws resets the room: the instance is dropped, its
// sessions are closed 1011, held frames are discarded, and the next request
// starts a new instance from durable storage. Alarms are stored with the
// commit and re-armed when the server restarts (at-least-once). The held
// backlog is bounded (held_frames_max / held_bytes_max): while it is at the
// bound, a client message is not handled and its sender is closed 1013.
// Lifecycle (the "Lifecycle" members below, with live/detail/room_directory.hpp):
// a host with no sessions and no pending work (commits, held frames, fetches,
// a handler) is idle; after room_idle_timeout_ms idle, or as soon as it is idle
// when its last request was refused, it leaves the directory, drops its
// instance and hands a stored alarm to the directory, which wakes a new host
// when it is due. Internal to live/*.cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "live/detail/asio.hpp"
#include "live/detail/server_state.hpp"
#include "live/room_storage.hpp"
#include "live/ws_frame.hpp"
#include "rooms/api/room.hpp"
#include "rooms/api/room_context.hpp"

namespace roomsim::live::detail {

class WebSocketSession;
class HttpExchange;

class RoomHost final : public rooms::RoomContext, public std::enable_shared_from_this<RoomHost> {
 public:
  RoomHost(Server::Impl& server, std::string kind, std::string id, nlohmann::json config);
  ~RoomHost() override;

  Strand& strand() { return strand_; }
  Server::Impl& server() { return server_; }
  const std::string& key() const { return key_; }

  // On the strand only:
  // An HTTP request routed to this room. `websocket_key` is the client's
  // Sec-WebSocket-Key when the request is a valid upgrade (empty otherwise).
  void handle_http(const std::shared_ptr<HttpExchange>& http, rooms::HttpRequest request, std::string websocket_key);
  void handle_message(rooms::SessionId id, std::string_view text);
  // The socket ended without the room closing it: runs on_close later, as its own handler.
  void session_ended(rooms::SessionId id, int code, std::string reason);
  void mark_dirty(const std::shared_ptr<WebSocketSession>& session);
  // Starts writes on every session that got frames since the last flush
  // (posted to the io_context: runs after the handlers of the current epoll round).
  void flush();
  std::vector<uint8_t>& read_buffer() { return read_buffer_; }
  // Shutdown: closes every session 1001.
  void close_all(int code, const std::string& reason);
  // The directory woke this room for its stored alarm (releases the directory's claim):
  // starts the instance, which loads and arms the alarm.
  void wake_for_alarm();
  // The directory is at --max-rooms: an idle host leaves now, without waiting out its idle
  // period (storage and a durable alarm are kept, as for any eviction); a busy one stays.
  void leave_if_idle();

  // rooms::RoomContext
  const std::string& room_kind() const override { return kind_; }
  const std::string& room_id() const override { return id_; }
  rooms::RoomTime now() const override;
  uint64_t random_u64() override { return rng_(); }
  rooms::Storage& storage() override { return storage_; }
  void set_alarm(rooms::RoomTime at) override;
  void cancel_alarm() override;
  std::optional<rooms::RoomTime> alarm() const override { return alarm_; }
  rooms::SessionId accept_websocket(rooms::SessionAttachment attachment) override;
  bool send(rooms::SessionId session, std::string_view text) override;
  size_t send_many(const std::vector<rooms::SessionId>& sessions, std::string_view text) override;
  void close(rooms::SessionId session, int code, std::string_view reason) override;
  std::vector<rooms::SessionId> sessions() const override;
  rooms::SessionAttachment* attachment(rooms::SessionId session) override;
  uint64_t fetch(std::string_view service, rooms::FetchRequest request) override;
  std::optional<rooms::User> verify_token(std::string_view token, std::string_view secret) override;
  void log(rooms::LogLevel level, std::string_view message) override;
  void metric(std::string_view name, double value) override;

 private:
  // send(); `framed`: last_frame_ already holds this text (send_many's later receivers).
  bool send_text(rooms::SessionId session, std::string_view text, bool framed);
  struct Entry {
    std::shared_ptr<WebSocketSession> session;
    rooms::SessionAttachment attachment;
    bool gone = false;            // no longer listed: closed by the room, the peer or a reset
    bool awaiting_close = false;  // the peer side ended; on_close still has to run
  };
  struct Held {
    uint64_t tag;  // the commit number that must be durable first
    std::shared_ptr<WebSocketSession> session;
    SharedFrame frame;
    int close_code = 0;  // non-zero: a close, not a frame
    std::string close_reason;
  };
  struct PendingUpgrade {
    std::shared_ptr<HttpExchange> http;
    std::string websocket_key;
    rooms::SessionId accepted = 0;
  };

  bool ensure_started();
  template <typename F>
  void run_handler(F&& f);
  void end_handler();
  uint64_t gate_tag() const;
  void on_commit(uint64_t generation, uint64_t number, bool ok, double latency_ms);
  void release_held();
  void hold(Held held);
  void clear_held();       // after closing or discarding every held entry
  bool gate_full() const;  // the held backlog is at its bound
  void publish_held();     // brings the held gauges of /metrics up to date
  void reset(const std::string& why);
  void arm_alarm_timer();
  void on_alarm_timer();
  void arm_sweep();
  void erase_gone();
  void post_flush_step();
  void flush_step();  // writes the next sessions of the current flush round

  // ---- Lifecycle (eviction). Everything that decides when an instance leaves memory. ----
  // No sessions, no handler running, nothing held, every commit durable, no fetch in flight.
  bool idle() const;
  // Called after every event that may leave the host idle: evicts at once after a refused
  // request, otherwise (re)starts the idle period.
  void after_event();
  void arm_idle_timer(std::chrono::steady_clock::duration after);
  void on_idle_timer();
  // Leaves the directory (unless a request is on its way), drops the instance, hands the alarm over.
  void evict();

  Server::Impl& server_;
  std::string kind_;
  std::string id_;
  std::string key_;  // "kind/id"
  nlohmann::json config_;
  Strand strand_;
  std::unique_ptr<rooms::Room> room_;
  RoomStorage storage_;
  std::mt19937_64 rng_;
  std::map<rooms::SessionId, Entry> sessions_;
  std::vector<std::shared_ptr<WebSocketSession>> dirty_;     // got frames since they were last written
  std::vector<std::shared_ptr<WebSocketSession>> flushing_;  // the flush round in progress
  size_t flush_pos_ = 0;                                      // next session of flushing_ to write
  static constexpr size_t kFlushSessionsPerStep = 64;
  std::deque<Held> held_;
  size_t held_bytes_ = 0;  // frame bytes in held_
  int64_t published_frames_ = 0;  // this room's share of the held gauges
  int64_t published_bytes_ = 0;
  std::vector<uint8_t> read_buffer_;
  PendingUpgrade* upgrade_ = nullptr;  // set during on_request for an upgrade
  bool in_handler_ = false;
  bool erase_pending_ = false;
  uint64_t generation_ = 1;
  uint64_t commits_submitted_ = 0;
  uint64_t commits_durable_ = 0;
  uint64_t next_fetch_id_ = 1;
  std::optional<rooms::RoomTime> alarm_;
  bool alarm_dirty_ = false;
  asio::system_timer alarm_timer_;
  asio::steady_timer sweep_timer_;
  bool sweep_armed_ = false;
  uint64_t fetches_in_flight_ = 0;
  bool start_failed_ = false;       // the registry could not create the room (config error; logged)
  bool discard_when_idle_ = false;  // the last request was refused: evict as soon as idle
  bool evicted_ = false;            // left the directory; takes no new work
  std::chrono::steady_clock::time_point last_event_;  // when the host last did anything
  asio::steady_timer idle_timer_;
  bool idle_timer_armed_ = false;
  bool flush_posted_ = false;
  // The last frame built in this handler: a broadcast is framed once and shared.
  SharedFrame last_frame_;
  size_t last_header_size_ = 0;
};

}  // namespace roomsim::live::detail
