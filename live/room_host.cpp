// live/room_host.cpp: see detail/room_host.hpp.
#include "live/detail/room_host.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "auth/jwt.hpp"
#include "live/detail/fetch_client.hpp"
#include "live/detail/http_exchange.hpp"
#include "live/detail/room_directory.hpp"
#include "live/detail/tls.hpp"
#include "live/detail/websocket_session.hpp"

namespace roomsim::live::detail {
namespace {

int64_t now_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

constexpr size_t kReadBufferBytes = 64 * 1024;

}  // namespace

RoomHost::RoomHost(Server::Impl& server, std::string kind, std::string id, nlohmann::json config)
    : server_(server),
      kind_(std::move(kind)),
      id_(std::move(id)),
      key_(kind_ + "/" + id_),
      config_(std::move(config)),
      strand_(asio::make_strand(server.ioc)),
      storage_(&now_unix_ms),
      rng_(std::random_device{}()),
      alarm_timer_(strand_),
      sweep_timer_(strand_),
      idle_timer_(strand_) {}

RoomHost::~RoomHost() { clear_held(); }

rooms::RoomTime RoomHost::now() const { return rooms::from_unix_ms(now_unix_ms()); }

bool RoomHost::ensure_started() {
  if (room_) return true;
  storage_.reset(server_.store->load_room(key_, now_unix_ms()));
  std::optional<int64_t> stored_alarm = server_.store->load_alarm(key_);
  alarm_ = stored_alarm ? std::optional<rooms::RoomTime>(rooms::from_unix_ms(*stored_alarm)) : std::nullopt;
  alarm_dirty_ = false;
  rooms::CreateResult created = server_.registry.create(rooms::RoomSpec{kind_, id_, config_});
  if (auto* error = std::get_if<std::string>(&created)) {
    log(rooms::LogLevel::kError, "cannot create room: " + *error);
    start_failed_ = true;
    return false;
  }
  room_ = std::move(std::get<std::unique_ptr<rooms::Room>>(created));
  const uint64_t generation = generation_;
  run_handler([&] { room_->on_start(*this); });
  if (generation != generation_ || !room_) return false;  // on_start threw
  if (alarm_) arm_alarm_timer();
  return true;
}

template <typename F>
void RoomHost::run_handler(F&& f) {
  in_handler_ = true;
  try {
    f();
  } catch (const std::exception& e) {
    in_handler_ = false;
    last_frame_.reset();
    storage_.take_pending();
    reset(std::string("handler threw: ") + e.what());
    return;
  }
  end_handler();
}

void RoomHost::end_handler() {
  in_handler_ = false;
  last_frame_.reset();
  std::vector<CommitOp> ops = storage_.take_pending();
  if (!ops.empty() || alarm_dirty_) {
    const uint64_t number = ++commits_submitted_;
    CommitBatch batch;
    batch.room = key_;
    batch.generation = generation_;
    batch.ops = std::move(ops);
    batch.alarm_changed = alarm_dirty_;
    if (alarm_) batch.alarm_unix_ms = rooms::to_unix_ms(*alarm_);
    alarm_dirty_ = false;
    batch.done = [self = shared_from_this(), generation = generation_, number](bool ok, double latency_ms) {
      asio::post(self->strand_, [self, generation, number, ok, latency_ms] {
        self->on_commit(generation, number, ok, latency_ms);
        self->flush();
        self->after_event();
      });
    };
    server_.store->submit(std::move(batch));
  }
  if (erase_pending_) erase_gone();
  publish_held();
}

uint64_t RoomHost::gate_tag() const {
  const bool writing = storage_.has_pending() || alarm_dirty_;
  const uint64_t tag = writing ? commits_submitted_ + 1 : commits_submitted_;
  return tag > commits_durable_ ? tag : 0;
}

void RoomHost::on_commit(uint64_t generation, uint64_t number, bool ok, double latency_ms) {
  if (generation != generation_) return;
  if (!ok) {
    server_.metrics.commits_failed.fetch_add(1);
    reset("storage commit failed");
    return;
  }
  server_.metrics.observe_commit_ms(latency_ms);
  commits_durable_ = number;
  release_held();
}

void RoomHost::hold(Held held) {
  held_bytes_ += held.frame ? held.frame->size() : 0;
  held_.push_back(std::move(held));
}

void RoomHost::clear_held() {
  held_.clear();
  held_bytes_ = 0;
  publish_held();
}

void RoomHost::publish_held() {
  // One update of the shared gauges per handler or release, not per held frame.
  const auto frames = static_cast<int64_t>(held_.size());
  const auto bytes = static_cast<int64_t>(held_bytes_);
  if (frames != published_frames_) server_.metrics.held_frames_now.fetch_add(frames - published_frames_);
  if (bytes != published_bytes_) server_.metrics.held_bytes_now.fetch_add(bytes - published_bytes_);
  published_frames_ = frames;
  published_bytes_ = bytes;
}

bool RoomHost::gate_full() const {
  const ServerOptions& o = server_.options;
  return held_.size() >= o.held_frames_max || held_bytes_ >= o.held_bytes_max;
}

void RoomHost::release_held() {
  while (!held_.empty() && held_.front().tag <= commits_durable_) {
    Held& h = held_.front();
    held_bytes_ -= h.frame ? h.frame->size() : 0;
    if (h.close_code != 0) {
      h.session->close(h.close_code, h.close_reason, false);
    } else {
      h.session->enqueue(h.frame);
    }
    mark_dirty(h.session);
    held_.pop_front();
  }
  publish_held();
}

void RoomHost::reset(const std::string& why) {
  log(rooms::LogLevel::kError, "room reset: " + why);
  server_.metrics.room_resets.fetch_add(1);
  ++generation_;
  room_.reset();
  // Sessions the room had closed behind a commit still have their sockets: close them too.
  for (Held& h : held_) {
    h.session->close(rooms::close_code::kInternalError, "room reset", false);
    mark_dirty(h.session);
  }
  clear_held();
  commits_submitted_ = 0;
  commits_durable_ = 0;
  alarm_.reset();
  alarm_dirty_ = false;
  alarm_timer_.cancel();
  for (auto& [id, entry] : sessions_) {
    if (entry.gone) continue;
    entry.gone = true;
    entry.session->close(rooms::close_code::kInternalError, "room reset", false);
    mark_dirty(entry.session);
  }
  erase_pending_ = true;
  if (!in_handler_) erase_gone();
}

void RoomHost::erase_gone() {
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = it->second.gone && !it->second.awaiting_close ? sessions_.erase(it) : std::next(it);
  }
  erase_pending_ = false;
}

void RoomHost::handle_http(const std::shared_ptr<HttpExchange>& http, rooms::HttpRequest request,
                           std::string websocket_key) {
  server_.directory->release_claim(*this);
  if (server_.stopping.load()) {
    http->respond(rooms::HttpResponse::text(503, "server shutting down"));
    return;
  }
  if (!ensure_started()) {
    server_.metrics.reject("room_unavailable");
    http->respond(rooms::HttpResponse::text(500, "room " + key_ + " could not start (see server log)"));
    discard_when_idle_ = true;
    after_event();
    return;
  }
  PendingUpgrade upgrade{http, std::move(websocket_key), 0};
  if (request.websocket_upgrade && !upgrade.websocket_key.empty()) upgrade_ = &upgrade;
  rooms::HttpResponse response;
  const uint64_t generation = generation_;
  run_handler([&] { response = room_->on_request(*this, request); });
  upgrade_ = nullptr;
  if (upgrade.accepted != 0) {
    auto it = sessions_.find(upgrade.accepted);
    if (it != sessions_.end()) it->second.session->start(http->release_leftover());
    flush();
    after_event();
    return;
  }
  if (generation != generation_) response = rooms::HttpResponse::text(500, "room reset while handling the request");
  if (response.status >= 400) server_.metrics.reject("http_" + std::to_string(response.status));
  http->respond(response);
  flush();
  // A refused request (a plain GET answered 400, an upgrade answered 401, ...) keeps no instance.
  discard_when_idle_ = response.status >= 400;
  after_event();
}

rooms::SessionId RoomHost::accept_websocket(rooms::SessionAttachment attachment) {
  if (upgrade_ == nullptr || upgrade_->accepted != 0) {
    log(rooms::LogLevel::kError, "accept_websocket called outside on_request for an upgrade request; ignored");
    return 0;
  }
  const rooms::SessionId id = server_.next_session_id();
  if (read_buffer_.empty()) read_buffer_.resize(kReadBufferBytes);  // rooms without sessions hold none
  discard_when_idle_ = false;
  auto session = std::make_shared<WebSocketSession>(shared_from_this(), upgrade_->http->release_socket(),
                                                    upgrade_->http->release_tls(), upgrade_->http->release_slot(), id);
  const std::string handshake =
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
      websocket_accept_key(upgrade_->websocket_key) + "\r\n\r\n";
  session->enqueue(std::make_shared<const std::string>(handshake));
  mark_dirty(session);
  sessions_.emplace(id, Entry{session, std::move(attachment), false});
  upgrade_->accepted = id;
  arm_sweep();
  return id;
}

bool RoomHost::send(rooms::SessionId session, std::string_view text) {
  return send_text(session, text, false);
}

size_t RoomHost::send_many(const std::vector<rooms::SessionId>& sessions, std::string_view text) {
  // Framed once (at the first open session), then shared without comparing the text per receiver.
  size_t sent = 0;
  bool framed = false;
  for (rooms::SessionId s : sessions) {
    if (send_text(s, text, framed)) {
      framed = true;
      ++sent;
    }
  }
  return sent;
}

bool RoomHost::send_text(rooms::SessionId session, std::string_view text, bool framed) {
  auto it = sessions_.find(session);
  if (it == sessions_.end() || it->second.gone || it->second.session->closing()) return false;
  // Frame once per distinct text within a handler: a broadcast shares one buffer.
  if (!framed && (!last_frame_ || last_frame_->size() != last_header_size_ + text.size() ||
                  std::memcmp(last_frame_->data() + last_header_size_, text.data(), text.size()) != 0)) {
    last_frame_ = make_shared_frame(ws_opcode::kText, text);
    last_header_size_ = frame_header_size(text.size());
  }
  const uint64_t tag = gate_tag();
  if (tag != 0) {
    hold(Held{tag, it->second.session, last_frame_, 0, {}});
    server_.metrics.held_frames.fetch_add(1, std::memory_order_relaxed);
    return true;
  }
  it->second.session->enqueue(last_frame_);
  mark_dirty(it->second.session);
  return true;
}

void RoomHost::close(rooms::SessionId session, int code, std::string_view reason) {
  auto it = sessions_.find(session);
  if (it == sessions_.end() || it->second.gone) return;
  it->second.gone = true;
  erase_pending_ = true;
  const uint64_t tag = gate_tag();
  if (tag != 0) {
    hold(Held{tag, it->second.session, nullptr, code, std::string(reason)});
  } else {
    it->second.session->close(code, reason, false);
    mark_dirty(it->second.session);
  }
  if (!in_handler_) erase_gone();
}

std::vector<rooms::SessionId> RoomHost::sessions() const {
  std::vector<rooms::SessionId> out;
  out.reserve(sessions_.size());
  for (const auto& [id, entry] : sessions_) {
    if (!entry.gone) out.push_back(id);
  }
  return out;
}

rooms::SessionAttachment* RoomHost::attachment(rooms::SessionId session) {
  auto it = sessions_.find(session);
  // A session stays readable during its own on_close (it is no longer listed by sessions()).
  return it == sessions_.end() ? nullptr : &it->second.attachment;
}

void RoomHost::handle_message(rooms::SessionId id, std::string_view text) {
  auto it = sessions_.find(id);
  if (it == sessions_.end() || it->second.gone || !room_) return;
  if (gate_full()) {
    // Storage is behind and the backlog of frames waiting for it is at its bound: refuse the
    // message (it is not handled) and close its sender 1013 so it can retry later.
    server_.metrics.reject("output_gate_full");
    it->second.session->close(rooms::close_code::kTryAgainLater, "room storage is behind; try again later", true);
    return;
  }
  run_handler([&] { room_->on_message(*this, id, text); });
  after_event();
}

void RoomHost::session_ended(rooms::SessionId id, int code, std::string reason) {
  auto it = sessions_.find(id);
  if (it == sessions_.end() || it->second.gone) return;
  it->second.gone = true;
  it->second.awaiting_close = true;
  asio::post(strand_, [self = shared_from_this(), id, code, reason = std::move(reason)] {
    auto it2 = self->sessions_.find(id);
    if (it2 == self->sessions_.end()) return;
    // A handler that throws resets the room; the entry goes either way.
    if (self->room_) self->run_handler([&] { self->room_->on_close(*self, id, code, reason); });
    self->sessions_.erase(id);
    self->flush();
    self->after_event();
  });
}

void RoomHost::mark_dirty(const std::shared_ptr<WebSocketSession>& session) {
  if (session->dirty) return;
  session->dirty = true;
  dirty_.push_back(session);
}

void RoomHost::flush() {
  // Deferred to the end of the current round of ready handlers, so frames from
  // several readable sockets leave in one gather write per recipient (uWebSockets'
  // cork). Posted to the io_context, not to the strand: a strand runs what was
  // queued on it in order, so a flush posted there would run right after the
  // first reader and before the readers the same epoll round already found ready,
  // halving the frames per write. From the io_context queue it runs after them,
  // then enters the strand.
  if (flush_posted_ || dirty_.empty()) return;
  flush_posted_ = true;
  post_flush_step();
}

void RoomHost::post_flush_step() {
  asio::post(server_.ioc, [self = shared_from_this()] {
    asio::dispatch(self->strand_, [self] { self->flush_step(); });
  });
}

void RoomHost::flush_step() {
  // One step writes at most kFlushSessionsPerStep sessions, then yields to the
  // io_context: input that arrived meanwhile is read and its frames join the
  // queues of the sessions this round has not reached yet, instead of waiting
  // for the whole fan-out to finish (a round over 1000 sockets takes several ms
  // of kernel send work). Sessions already written get the new frames in the
  // next round: their `dirty` flag was cleared, so mark_dirty lists them again.
  if (flush_pos_ == flushing_.size()) {
    flushing_.clear();
    flush_pos_ = 0;
    flushing_.swap(dirty_);
  }
  const size_t end = std::min(flushing_.size(), flush_pos_ + kFlushSessionsPerStep);
  for (; flush_pos_ < end; ++flush_pos_) {
    std::shared_ptr<WebSocketSession>& s = flushing_[flush_pos_];
    s->dirty = false;
    s->flush();
    s.reset();
  }
  if (flush_pos_ < flushing_.size() || !dirty_.empty()) {
    post_flush_step();
    return;
  }
  flush_posted_ = false;
}

void RoomHost::close_all(int code, const std::string& reason) {
  for (Held& h : held_) {
    h.session->close(code, reason, false);
    mark_dirty(h.session);
  }
  clear_held();
  for (auto& [id, entry] : sessions_) {
    if (entry.gone) continue;
    entry.gone = true;
    entry.session->close(code, reason, false);
    mark_dirty(entry.session);
  }
  erase_gone();
  flush();
}

void RoomHost::wake_for_alarm() {
  server_.directory->release_claim(*this);
  if (!server_.stopping.load() && ensure_started()) flush();
  after_event();
}

void RoomHost::set_alarm(rooms::RoomTime at) {
  alarm_ = at;
  alarm_dirty_ = true;
  arm_alarm_timer();
}

void RoomHost::cancel_alarm() {
  alarm_.reset();
  alarm_dirty_ = true;
  alarm_timer_.cancel();
}

void RoomHost::arm_alarm_timer() {
  if (!alarm_) return;
  alarm_timer_.expires_at(std::chrono::system_clock::time_point(std::chrono::milliseconds(rooms::to_unix_ms(*alarm_))));
  alarm_timer_.async_wait([self = shared_from_this(), generation = generation_](const error_code& ec) {
    if (ec || generation != self->generation_) return;
    self->on_alarm_timer();
  });
}

void RoomHost::on_alarm_timer() {
  if (!room_ || !alarm_ || *alarm_ > now()) return;
  // Consumed when on_alarm returns and commits; a crash before that leaves the stored alarm.
  alarm_.reset();
  alarm_dirty_ = true;
  server_.metrics.alarms_fired.fetch_add(1);
  run_handler([&] { room_->on_alarm(*this); });
  flush();
  after_event();
}

void RoomHost::arm_sweep() {
  if (sweep_armed_) return;
  sweep_armed_ = true;
  const int period_ms =
      std::clamp(std::min({server_.options.idle_timeout_ms, server_.options.ping_interval_ms}) / 4, 50, 1000);
  sweep_timer_.expires_after(std::chrono::milliseconds(period_ms));
  sweep_timer_.async_wait([self = shared_from_this()](const error_code& ec) {
    self->sweep_armed_ = false;
    if (ec) return;
    const auto t = WebSocketSession::Clock::now();
    std::vector<std::shared_ptr<WebSocketSession>> live;
    for (auto& [id, entry] : self->sessions_) {
      if (!entry.gone) live.push_back(entry.session);
    }
    for (auto& s : live) s->tick(t);
    self->flush();
    if (!self->sessions_.empty()) self->arm_sweep();
  });
}

uint64_t RoomHost::fetch(std::string_view service, rooms::FetchRequest request) {
  const uint64_t fetch_id = next_fetch_id_++;
  server_.metrics.fetches.fetch_add(1);
  ++fetches_in_flight_;
  server_.fetcher->start(std::string(service), request,
                         [self = shared_from_this(), generation = generation_, fetch_id](rooms::FetchResponse r) {
                           asio::post(self->strand_, [self, generation, fetch_id, r = std::move(r)] {
                             --self->fetches_in_flight_;
                             if (generation == self->generation_ && self->room_) {  // else: instance restarted
                               self->run_handler([&] { self->room_->on_fetch_result(*self, fetch_id, r); });
                               self->flush();
                             }
                             self->after_event();
                           });
                         });
  return fetch_id;
}

// ---- Lifecycle ----

bool RoomHost::idle() const {
  return sessions_.empty() && !in_handler_ && held_.empty() && commits_durable_ == commits_submitted_ &&
         fetches_in_flight_ == 0;
}

void RoomHost::after_event() {
  if (evicted_ || !idle()) return;
  last_event_ = std::chrono::steady_clock::now();
  if (discard_when_idle_) {
    evict();
    return;
  }
  if (!idle_timer_armed_) arm_idle_timer(std::chrono::milliseconds(server_.options.room_idle_timeout_ms));
}

void RoomHost::leave_if_idle() {
  if (evicted_ || !idle()) return;
  evict();
}

void RoomHost::arm_idle_timer(std::chrono::steady_clock::duration after) {
  idle_timer_armed_ = true;
  idle_timer_.expires_after(after);
  idle_timer_.async_wait([self = shared_from_this()](const error_code& ec) {
    self->idle_timer_armed_ = false;
    if (!ec) self->on_idle_timer();
  });
}

void RoomHost::on_idle_timer() {
  if (evicted_ || !idle()) return;  // busy again: the next after_event() restarts the period
  const auto period = std::chrono::milliseconds(server_.options.room_idle_timeout_ms);
  const auto quiet = std::chrono::steady_clock::now() - last_event_;
  if (quiet < period) {
    arm_idle_timer(period - quiet);
    return;
  }
  evict();
}

void RoomHost::evict() {
  if (server_.stopping.load()) return;  // shutdown drops every host anyway
  // The durable alarm: the instance's (all its commits are durable), or the stored one when
  // the instance was reset. A room that could not be created keeps its row for the next start.
  std::optional<int64_t> alarm_unix_ms;
  if (room_) {
    if (alarm_) alarm_unix_ms = rooms::to_unix_ms(*alarm_);
  } else if (!start_failed_) {
    alarm_unix_ms = server_.store->load_alarm(key_);
  }
  if (!server_.directory->remove_if_unclaimed(*this, alarm_unix_ms)) return;  // a request is on its way
  evicted_ = true;
  ++generation_;  // a late timer callback finds a stale generation
  room_.reset();
  storage_.reset({});
  alarm_.reset();
  alarm_timer_.cancel();
  idle_timer_.cancel();
  sweep_timer_.cancel();
  server_.metrics.rooms_evicted.fetch_add(1, std::memory_order_relaxed);
}

std::optional<rooms::User> RoomHost::verify_token(std::string_view token, std::string_view secret) {
  auth::VerifyResult r = auth::verify_for_room(token, secret, now_unix_ms() / 1000, kind_, id_);
  if (const auto* claims = std::get_if<auth::TokenClaims>(&r)) {
    return rooms::User{claims->sub, claims->name, rooms::from_unix_ms(claims->exp * 1000)};
  }
  return std::nullopt;
}

void RoomHost::log(rooms::LogLevel level, std::string_view message) {
  if (level == rooms::LogLevel::kDebug) return;
  static constexpr const char* kNames[] = {"debug", "info", "warn", "error"};
  server_.log(std::string("room ") + key_ + " " + kNames[static_cast<int>(level)] + ": " + std::string(message));
}

void RoomHost::metric(std::string_view name, double value) { server_.metrics.room_metric(kind_, name, value); }

}  // namespace roomsim::live::detail
