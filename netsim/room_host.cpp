// netsim/room_host.cpp: the simulator's RoomContext, with Durable Object rules.
//
// - One instance per room id at a time; created (and on_start run) by the
//   first request, alarm or upgrade after a start or restart.
// - Input gate: handlers run one at a time and each is instantaneous in
//   virtual time; a room event that arrives while a handler runs (a close
//   caused by that handler's own send) is deferred to a new event.
// - Storage: reads see memory_ (durable + uncommitted); the writes of one
//   handler form one commit that becomes durable after the configured
//   latency, commits in order.
// - Output gate: a frame or close sent while a commit is pending (or being
//   built) is held and released in order once every earlier commit is durable.
//   Crash or failed commit: pending writes and held frames are lost together.
//   The backlog is bounded as in the live host (limits.held_frames_max,
//   held_bytes_max): a client message reaching a room at the bound is not
//   handled, and its sender is closed 1013.
// - Alarms are storage (as in the live host and the platform): set_alarm and
//   cancel_alarm, and the firing of an alarm, are part of the running
//   handler's commit (a commit of no writes when that is all it changed), so
//   a crash or failed commit reverts them with the handler's writes. Hence
//   at-least-once: an alarm whose handler's commit is not durable when the
//   room crashes is still the durable alarm, and fires again.
// - A handler that throws stops the run at once (World::halt): the seed
//   fails with the exception's text instead of ending the process.
// - Clock: the room's now() (and so token checks, TTLs and alarm times) is the
//   machine's; room-clock-skew moves the room (evicting its instance) to a
//   machine whose clock is off by skew_ms, and back when the fault ends.
// - World facts recorded here (properties/history.hpp): kAdmission for each
//   answered upgrade, kRoomSessions after each accept and close (counted per
//   world user: the subject of the token the world minted for the client, no
//   user for a connection that presented no token; never the room's
//   attachment), kServiceCall / kServiceAnswer around fetch, kRoomStart,
//   kCommit, kCommitFailed, kRoomCrash, kRoomEvict.
#include <algorithm>
#include <exception>
#include <limits>

#include "auth/jwt.hpp"
#include "engine/assert.hpp"
#include "netsim/probe_names.hpp"
#include "netsim/world.hpp"
#include "rooms/common/planted_bug.hpp"

namespace roomsim::netsim::internal {

namespace {
// A due alarm whose instance was just reset by a read failure waits this long, so a fault with
// probability 1 cannot re-fire it at one virtual instant forever.
constexpr int64_t kAlarmRetryAfterReadFailureNs = 1'000'000'000;
}  // namespace

RoomHost::RoomHost(World& world, uint32_t index, const RoomInstanceConfig& config)
    : world_(world),
      index_(index),
      config_(config),
      name_(world.rec.intern(config.kind + "/" + config.id)),
      rng_(world.root.fork("room").fork(config.id)),
      storage_rng_(world.root.fork("storage").fork(config.id)),
      service_rng_(world.root.fork("services").fork(config.id)),
      read_fault_rng_(world.root.fork("storage-read").fork(config.id)) {
  if (config_.placement == HomePlacement::kLocationHint) {
    home = world.topology.index_of(config_.location_hint);
    ROOMSIM_ASSERT(home >= 0);
  } else if (config_.placement == HomePlacement::kKeyDerived) {
    home = static_cast<int>(fnv1a64(config_.id) % world.topology.size());
  }
}

RoomHost::~RoomHost() = default;

rooms::RoomTime RoomHost::now() const {
  return rooms::from_unix_ms(rooms::kSimulationEpochUnixMs + world_.sim.now().ms() + clock_skew_ms_);
}

void RoomHost::move_to_clock(int64_t skew_ms) {
  if (skew_ms == clock_skew_ms_) return;
  if (room_) evict();
  clock_skew_ms_ = skew_ms;
  world_.probe(probe::kRoomClockMoved);
  schedule_alarm();  // a stored alarm is due by the new machine's clock
}

template <class F>
bool RoomHost::run_handler(const char* handler, F&& body) {
  ROOMSIM_ASSERT_MSG(!in_handler_, "room handlers never run concurrently (input gate)");
  ROOMSIM_ASSERT(room_ != nullptr);
  if (world_.halted) return false;
  std::string thrown;
  std::optional<std::string> read_failed;
  in_handler_ = true;
  try {
    body();
  } catch (const rooms::StorageReadError& e) {
    read_failed = e.what();
  } catch (const std::exception& e) {
    thrown = e.what();
  } catch (...) {
    thrown = "an exception that is not a std::exception";
  }
  in_handler_ = false;
  if (read_failed) {
    reset_after_read_failure(handler, *read_failed);
    return false;
  }
  if (!thrown.empty()) {
    // The handler's writes and frames stay uncommitted: the run ends here.
    world_.halt("room " + world_.rec.name(name_) + ": " + handler + " threw: " + thrown);
    return false;
  }
  finish_handler();
  return true;
}

bool RoomHost::ensure_started() {
  if (room_) return true;
  auto created = world_.registry.create(rooms::RoomSpec{config_.kind, config_.id, config_.config});
  auto* room = std::get_if<std::unique_ptr<rooms::Room>>(&created);
  ROOMSIM_ASSERT_MSG(room != nullptr, "room config was validated before the run");
  room_ = std::move(*room);
  ++incarnation_;
  properties::Event e = world_.event(EventKind::kRoomStart);
  e.room = name_;
  world_.rec.add(e);
  if (incarnation_ > 1) world_.probe(probe::kRoomRestarted);
  return run_handler("on_start", [&] { room_->on_start(*this); }) && room_ != nullptr;
}

void RoomHost::finish_handler() {
  if (building_.empty() && !alarm_changed_) {
    release_held();
    return;
  }
  Commit commit;
  commit.number = next_commit_++;
  commit.alarm_changed = alarm_changed_;
  commit.alarm = alarm_at_;
  commit.writes = std::move(building_);
  building_.clear();
  alarm_changed_ = false;
  int64_t latency = world_.draw_ns(storage_rng_, world_.config.storage.commit_latency);
  if (ROOMSIM_PLANTED(kCommitLatencyInSeconds)) latency *= 1000;
  if (storage_slow_factor_x1000 != 1000) {
    latency = latency / 1000 * storage_slow_factor_x1000;
    world_.probe(probe::kStorageSlowCommit);
  }
  commit.fails = storage_fail_probability > 0 && storage_rng_.bernoulli(storage_fail_probability);
  const int64_t at = std::max(world_.now_ns() + latency, durable_commit_at_ns_);
  durable_commit_at_ns_ = at;
  const uint64_t number = commit.number;
  pending_.push_back(std::move(commit));
  world_.sim.schedule_at(Time::from_ns(at), [this, number] { commit_durable(number); });
}

void RoomHost::commit_durable(uint64_t number) {
  if (pending_.empty() || pending_.front().number != number) return;  // lost in a crash or reset
  if (pending_.front().fails) {
    reset_after_failure(number);
    return;
  }
  Commit commit = std::move(pending_.front());
  pending_.erase(pending_.begin());
  for (Write& w : commit.writes) {
    if (w.value) {
      durable_.insert_or_assign(std::move(w.key), std::move(*w.value));
    } else {
      durable_.erase(w.key);
    }
  }
  ROOMSIM_ASSERT(number > durable_commit_);
  durable_commit_ = number;
  if (commit.alarm_changed) durable_alarm_ = commit.alarm;
  properties::Event e = world_.event(EventKind::kCommit);
  e.room = name_;
  e.value = static_cast<int64_t>(number);
  world_.rec.add(e);
  release_held();
}

void RoomHost::release_held() {
  // A commit often releases a whole broadcast: load the held entries far
  // ahead, their connections nearer, then the end of their down queues
  // (software pipelining; each stage reads only what an earlier one loaded).
  constexpr size_t kEntryAhead = 24, kConnectionAhead = 16, kQueueAhead = 8;
  while (!held_.empty()) {
    if (held_.size() > kEntryAhead) __builtin_prefetch(&held_[kEntryAhead]);
    if (held_.size() > kConnectionAhead) world_.prefetch_connection(held_[kConnectionAhead].conn);
    if (held_.size() > kQueueAhead) world_.prefetch_down_tail(held_[kQueueAhead].conn);
    const uint64_t needed = held_.front().commit;
    const bool durable = needed <= durable_commit_ + (ROOMSIM_PLANTED(kOutputGateReleasesEarly) ? 1 : 0);
    if (!durable) return;
    Held held = std::move(held_.front());
    held_.pop_front();
    held_bytes_ -= held.text ? static_cast<int64_t>(held.text->text.size()) : 0;
    put_frame(std::move(held));
  }
}

void RoomHost::hold(Held&& held) {
  held_bytes_ += held.text ? static_cast<int64_t>(held.text->text.size()) : 0;
  held_.push_back(std::move(held));
}

bool RoomHost::held_full() const {
  return static_cast<int64_t>(held_.size()) >= world_.config.limits.held_frames_max ||
         held_bytes_ >= world_.config.limits.held_bytes_max;
}

void RoomHost::put_frame(Held&& held) {
  Connection& c = world_.conn(held.conn);
  if (held.is_close) {
    if (c.room_side != RoomSide::kClosing) return;
    c.room_side = RoomSide::kClosed;
    world_.send_frame(held.conn, false, FrameKind::kClose, held.code, std::move(held.text));
    return;
  }
  if (c.room_side != RoomSide::kOpen && c.room_side != RoomSide::kClosing) return;
  if (!c.client_open) return;  // the client has gone; it would record nothing
  world_.send_frame(held.conn, false, FrameKind::kText, 0, std::move(held.text));
}

Text RoomHost::make_text(std::string_view text) {
  if (last_text_ && last_text_->text == text) return last_text_;
  last_text_ = make_shared_text();
  last_text_->text.assign(text);
  return last_text_;
}

void RoomHost::record_sessions(NameId user) {
  session_list_stale_ = true;
  properties::Event e = world_.event(EventKind::kRoomSessions);
  e.room = name_;
  e.value = static_cast<int64_t>(sessions_.size());
  world_.rec.add(e);
  if (user == properties::kNoName) return;
  auto it = user_sessions_.find(user);
  e.user = user;
  e.value = it == user_sessions_.end() ? 0 : it->second;
  world_.rec.add(e);
}

void RoomHost::record_admission(uint64_t conn_id, NameId user, int32_t code) {
  properties::Event e = world_.event(EventKind::kAdmission);
  e.room = name_;
  e.conn = conn_id;
  e.user = user;
  e.code = code;
  e.value = static_cast<int64_t>(sessions_.size());
  if (user != properties::kNoName) {
    auto it = user_sessions_.find(user);
    e.seq = it == user_sessions_.end() ? 0 : it->second;
  }
  world_.rec.add(e);
}

NameId RoomHost::remove_session(rooms::SessionId session) {
  auto it = sessions_.find(session);
  ROOMSIM_ASSERT(it != sessions_.end());
  const NameId user = it->second.user;
  sessions_.erase(it);
  session_list_stale_ = true;
  if (user != properties::kNoName) {
    auto u = user_sessions_.find(user);
    ROOMSIM_ASSERT(u != user_sessions_.end());
    ROOMSIM_ASSERT(u->second > 0);
    if (--u->second == 0) user_sessions_.erase(u);
  }
  return user;
}

void RoomHost::clear_sessions() {
  if (sessions_.empty()) return;
  sessions_.clear();
  session_list_stale_ = true;
  const auto users = std::move(user_sessions_);
  user_sessions_.clear();
  record_sessions(properties::kNoName);
  for (const auto& [user, n] : users) record_sessions(user);
}

// ---- network side ----

void RoomHost::on_upgrade(uint64_t conn_id, const Frame& frame) {
  if (world_.conn(conn_id).room_side != RoomSide::kUpgrading) return;
  const bool started = ensure_started();
  if (world_.halted) return;
  rooms::HttpRequest request;
  request.path = "/rooms/" + config_.kind + "/" + config_.id;
  request.websocket_upgrade = true;
  request.headers["upgrade"] = "websocket";
  if (frame.text) request.query = World::split_query(frame.text->text);  // token, after, epoch, history
  const uint32_t client = world_.conn(conn_id).client;
  request.remote = "client/" + world_.client_string(client);
  // The world's user of this connection: the subject of the token the world
  // minted, whatever the room makes of it; none without a token.
  const NameId user = request.query.count("token") != 0 ? world_.clients[client].user : properties::kNoName;
  rooms::HttpResponse response;
  accepting_conn_ = conn_id;
  accepting_user_ = user;
  accepted_ = 0;
  const bool answered =
      started && run_handler("on_request", [&] { response = room_->on_request(*this, request); });
  accepting_conn_ = 0;
  accepting_user_ = properties::kNoName;
  if (world_.halted || accepted_ != 0) return;  // halted, or accept_websocket already answered 101
  if (!answered) {
    // A storage read failed and reset the instance: the platform fails the request. No
    // kAdmission: the room decided nothing (admission judges only the room's own answers).
    response = rooms::HttpResponse::text(500, "room storage read failed");
  } else {
    if (response.status == 101) {
      // A 101 without a WebSocket: the host refuses the upgrade (the Workers runtime throws here).
      world_.probe(probe::kUpgradeWithoutAccept);
      response = rooms::HttpResponse::text(500, "room answered 101 without accepting the WebSocket");
    }
    record_admission(conn_id, user, response.status);
  }
  world_.conn(conn_id).room_side = RoomSide::kClosed;
  auto body = make_shared_text();
  body->text = std::move(response.body);
  world_.send_frame(conn_id, false, FrameKind::kUpgradeResponse, response.status, std::move(body));
}

void RoomHost::on_text(uint64_t conn_id, const Frame& frame) {
  Connection& c = world_.conn(conn_id);
  if (c.room_side != RoomSide::kOpen) return;  // closed by the room while the frame was in flight
  ROOMSIM_ASSERT(room_ != nullptr);
  const rooms::SessionId session = c.session;
  if (frame.text->text.size() > static_cast<size_t>(world_.config.limits.max_frame_bytes)) {
    // Refused as the live server does: error frame, close 1009; the room only sees the close.
    world_.probe(probe::kFrameTooLarge);
    c.room_side = RoomSide::kClosed;
    record_sessions(remove_session(session));
    auto error = make_shared_text();
    error->text = nlohmann::json{{"type", "error"},
                                 {"code", "frame_too_large"},
                                 {"message", "frame of " + std::to_string(frame.text->text.size()) +
                                                 " bytes exceeds the limit of " +
                                                 std::to_string(world_.config.limits.max_frame_bytes)}}
                      .dump();
    auto reason = make_shared_text();
    reason->text = "message too big";
    world_.send_frame(conn_id, false, FrameKind::kText, 0, std::move(error));
    world_.send_frame(conn_id, false, FrameKind::kClose, rooms::close_code::kMessageTooBig, std::move(reason));
    run_handler("on_close", [&] { room_->on_close(*this, session, rooms::close_code::kMessageTooBig, "message too big"); });
    return;
  }
  if (held_full()) {
    // As the live host: storage is behind, so the message is not handled and its sender is
    // closed 1013 (it may retry later); the room only sees the close. The close is not held,
    // as in the live host: frames still held for this session are dropped with it.
    world_.probe(probe::kHeldFullSenderClosed);
    c.room_side = RoomSide::kClosed;
    record_sessions(remove_session(session));
    auto reason = make_shared_text();
    reason->text = "room storage is behind; try again later";
    world_.send_frame(conn_id, false, FrameKind::kClose, rooms::close_code::kTryAgainLater, std::move(reason));
    run_handler("on_close", [&] {
      room_->on_close(*this, session, rooms::close_code::kTryAgainLater, "room storage is behind; try again later");
    });
    return;
  }
  run_handler("on_message", [&] { room_->on_message(*this, session, frame.text->text); });
}

void RoomHost::on_peer_close(uint64_t conn_id, int code, std::string_view reason) {
  Connection& c = world_.conn(conn_id);
  if (c.room_side == RoomSide::kUpgrading) {
    c.room_side = RoomSide::kClosed;
    return;
  }
  if (c.room_side != RoomSide::kOpen) return;
  c.room_side = RoomSide::kClosed;
  const rooms::SessionId session = c.session;
  record_sessions(remove_session(session));
  if (!room_) return;
  if (in_handler_) {
    // The close was caused by this room's own send (queue bound): the session is
    // gone at once, the room hears of it in its own event after the handler.
    world_.sim.schedule_after(Duration::zero(), [this, session, code, r = std::string(reason), inc = incarnation_] {
      if (inc == incarnation_ && room_) run_handler("on_close", [&] { room_->on_close(*this, session, code, r); });
    });
    return;
  }
  run_handler("on_close", [&] { room_->on_close(*this, session, code, reason); });
}

// ---- restarts ----

void RoomHost::drop_instance(int code, const char* reason) {
  auto text = make_shared_text();
  text->text = reason;
  for (const Held& h : held_) {
    // A room-initiated close that was waiting behind the gate becomes this close.
    if (h.is_close && world_.conn(h.conn).room_side == RoomSide::kClosing) {
      world_.conn(h.conn).room_side = RoomSide::kClosed;
      world_.send_frame(h.conn, false, FrameKind::kClose, code, text);
    }
  }
  held_.clear();
  held_bytes_ = 0;
  for (const auto& [session, info] : sessions_) {
    Connection& c = world_.conn(info.conn);
    if (c.room_side != RoomSide::kOpen) continue;
    c.room_side = RoomSide::kClosed;
    world_.send_frame(info.conn, false, FrameKind::kClose, code, text);
  }
  clear_sessions();
  room_.reset();
  last_text_.reset();
}

void RoomHost::crash() {
  properties::Event e = world_.event(EventKind::kRoomCrash);
  e.room = name_;
  world_.rec.add(e);
  world_.probe(probe::kRoomCrash);
  if (!pending_.empty()) world_.probe(probe::kCrashLostPendingCommit);
  if (!held_.empty()) world_.probe(probe::kCrashLostHeldFrames);
  pending_.clear();
  building_.clear();
  memory_ = durable_;
  durable_commit_at_ns_ = world_.now_ns();
  drop_instance(rooms::close_code::kAbnormal, "room crashed");
  if (durable_alarm_ && *durable_alarm_ <= now() && alarm_at_ != durable_alarm_) {
    world_.probe(probe::kAlarmRefireAfterCrash);  // fired, but its handler's commit was lost
  }
  revert_alarm();
}

void RoomHost::evict() {
  properties::Event e = world_.event(EventKind::kRoomEvict);
  e.room = name_;
  world_.rec.add(e);
  world_.probe(probe::kRoomEvict);
  if (!held_.empty()) world_.probe(probe::kEvictWithHeldFrames);
  // Memory goes; storage (including pending commits) stays. Sessions close 1001
  // behind the output gate, so frames already sent still arrive first.
  auto text = make_shared_text();
  text->text = "room evicted";
  const uint64_t gate = pending_.empty() ? 0 : pending_.back().number;
  for (const auto& [session, info] : sessions_) {
    Connection& c = world_.conn(info.conn);
    if (c.room_side != RoomSide::kOpen) continue;
    c.room_side = RoomSide::kClosing;
    hold(Held{gate, info.conn, true, rooms::close_code::kGoingAway, text});
  }
  clear_sessions();
  room_.reset();
  last_text_.reset();
  release_held();
}

void RoomHost::reset_after_failure(uint64_t number) {
  properties::Event e = world_.event(EventKind::kCommitFailed);
  e.room = name_;
  e.value = static_cast<int64_t>(number);
  world_.rec.add(e);
  world_.probe(probe::kStorageCommitFailed);
  pending_.clear();
  building_.clear();
  memory_ = durable_;
  durable_commit_at_ns_ = world_.now_ns();
  drop_instance(rooms::close_code::kInternalError, "storage commit failed");
  revert_alarm();
}

void RoomHost::reset_after_read_failure(const char* handler, const std::string& what) {
  world_.probe(probe::kStorageReadFailed);
  world_.rec.note(world_.sim.now(), "storage_read_failed",
                  "room=" + world_.rec.name(name_) + " handler=" + handler + " what=" + what);
  // As after a failed commit: what is not durable is lost with the frames held behind it, and
  // the next request (or the alarm, a second later at the earliest) starts a new instance.
  pending_.clear();
  building_.clear();
  memory_ = durable_;
  durable_commit_at_ns_ = world_.now_ns();
  alarm_not_before_ns_ = world_.now_ns() + kAlarmRetryAfterReadFailureNs;
  drop_instance(rooms::close_code::kInternalError, "storage read failed");
  revert_alarm();
}

void RoomHost::maybe_fail_read(std::string_view what) {
  if (storage_read_fail_probability <= 0 || !in_handler_) return;
  if (!read_fault_rng_.bernoulli(storage_read_fail_probability)) return;
  throw rooms::StorageReadError("storage read failed: " + std::string(what) + " (simulated storage-read-fail)");
}

// ---- alarms ----

void RoomHost::set_alarm(rooms::RoomTime at) {
  alarm_at_ = at;
  alarm_changed_ = true;
  schedule_alarm();
}

void RoomHost::cancel_alarm() {
  alarm_at_.reset();
  alarm_changed_ = true;
  schedule_alarm();
}

void RoomHost::revert_alarm() {
  alarm_at_ = durable_alarm_;
  alarm_changed_ = false;
  schedule_alarm();
}

void RoomHost::schedule_alarm() {
  if (alarm_event_ != 0) world_.sim.cancel(alarm_event_);
  alarm_event_ = 0;
  if (!alarm_at_) return;
  // A room may ask for any time: before the run's start means now, and ms -> ns saturates (an alarm
  // after the run's end never fires).
  int64_t true_ms = 0;  // due by this machine's clock (saturating: a room may ask for any time)
  if (__builtin_sub_overflow(rooms::to_unix_ms(*alarm_at_), clock_skew_ms_, &true_ms)) {
    true_ms = clock_skew_ms_ > 0 ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max();
  }
  const int64_t since_start_ms = std::max(true_ms, rooms::kSimulationEpochUnixMs) - rooms::kSimulationEpochUnixMs;
  const int64_t at_ns = Duration::milliseconds_saturated(since_start_ms).ns();
  const int64_t due_ns = std::max({at_ns, world_.now_ns(), alarm_not_before_ns_});
  alarm_event_ = world_.sim.schedule_at(Time::from_ns(due_ns), [this] { fire_alarm(); });
}

void RoomHost::fire_alarm() {
  alarm_event_ = 0;
  if (!alarm_at_ || in_handler_) return;
  const std::optional<rooms::RoomTime> firing = alarm_at_;
  if (!ensure_started()) return;  // on_start may set another alarm: that one replaces the firing one
  if (alarm_at_ == firing) {
    alarm_at_.reset();
    alarm_changed_ = true;  // consumed by the commit of the handler below
  }
  run_handler("on_alarm", [&] { room_->on_alarm(*this); });
}

// ---- RoomContext ----

rooms::SessionId RoomHost::accept_websocket(rooms::SessionAttachment attachment) {
  ROOMSIM_ASSERT_MSG(accepting_conn_ != 0, "accept_websocket outside on_request for an upgrade");
  ROOMSIM_ASSERT_MSG(accepted_ == 0, "accept_websocket called twice for one request");
  const rooms::SessionId session = world_.next_session++;
  ROOMSIM_ASSERT(world_.session_conn.size() == session);
  world_.session_conn.push_back(accepting_conn_);
  Connection& c = world_.conn(accepting_conn_);
  c.session = session;
  c.room_side = RoomSide::kOpen;
  const NameId user = accepting_user_;
  record_admission(accepting_conn_, user, 101);
  if (user != properties::kNoName) ++user_sessions_[user];
  sessions_.emplace(session, SessionInfo{accepting_conn_, std::move(attachment), user});
  accepted_ = session;
  world_.send_frame(accepting_conn_, false, FrameKind::kUpgradeResponse, 101, nullptr);
  record_sessions(user);
  return session;
}

bool RoomHost::send(rooms::SessionId session, std::string_view text) {
  Text shared;
  return send_text(session, text, shared);
}

size_t RoomHost::send_many(const std::vector<rooms::SessionId>& sessions, std::string_view text) {
  // One shared body for all receivers, made at the first open session (as
  // send() would), without comparing the text per receiver.
  constexpr size_t kIndexAhead = 8, kAhead = 4;
  Text shared;
  size_t sent = 0;
  for (size_t i = 0; i < sessions.size(); ++i) {
    if (i + kIndexAhead < sessions.size()) world_.prefetch_session_conn(sessions[i + kIndexAhead]);
    if (i + kAhead < sessions.size()) {
      if (const uint64_t ahead = world_.session_connection(sessions[i + kAhead]); ahead != 0) world_.prefetch_connection(ahead);
    }
    sent += send_text(sessions[i], text, shared) ? 1 : 0;
  }
  return sent;
}

bool RoomHost::send_text(rooms::SessionId session, std::string_view text, Text& shared) {
  // The session index avoids a tree lookup per frame; the session is open here
  // exactly when its connection's room side is open and belongs to this room.
  const uint64_t conn_id = world_.session_connection(session);
  if (conn_id == 0) return false;
  const Connection& c = world_.conn(conn_id);
  if (c.room_side != RoomSide::kOpen || c.room != index_ || c.session != session) return false;
  if (!shared) shared = make_text(text);
  Held held{0, conn_id, false, 0, shared};
  if (!building_.empty() || !pending_.empty()) {
    held.commit = building_.empty() ? pending_.back().number : next_commit_;
    hold(std::move(held));
    return true;
  }
  put_frame(std::move(held));
  return true;
}

void RoomHost::close(rooms::SessionId session, int code, std::string_view reason) {
  auto it = sessions_.find(session);
  if (it == sessions_.end()) return;
  const uint64_t conn_id = it->second.conn;
  world_.conn(conn_id).room_side = RoomSide::kClosing;
  record_sessions(remove_session(session));
  auto text = make_shared_text();
  text->text.assign(reason);
  Held held{0, conn_id, true, static_cast<int32_t>(code), std::move(text)};
  if (!building_.empty() || !pending_.empty()) {
    held.commit = building_.empty() ? pending_.back().number : next_commit_;
    hold(std::move(held));
    return;
  }
  put_frame(std::move(held));
}

std::vector<rooms::SessionId> RoomHost::sessions() const {
  if (session_list_stale_) {
    session_list_.clear();
    for (const auto& [id, info] : sessions_) session_list_.push_back(id);
    session_list_stale_ = false;
  }
  return session_list_;
}

rooms::SessionAttachment* RoomHost::attachment(rooms::SessionId session) {
  auto it = sessions_.find(session);
  return it == sessions_.end() ? nullptr : &it->second.attachment;
}

uint64_t RoomHost::fetch(std::string_view service, rooms::FetchRequest request) {
  const uint64_t id = next_fetch_++;
  const ServicesConfig& cfg = world_.config.services;
  const int64_t latency = world_.draw_ns(service_rng_, cfg.latency) * 2;
  const bool fails = cfg.failure_probability > 0 && service_rng_.bernoulli(cfg.failure_probability);
  {
    properties::Event e = world_.event(EventKind::kServiceCall);
    e.room = name_;
    e.text = world_.rec.intern(service);
    e.value = static_cast<int64_t>(id);
    world_.rec.add(e);
  }
  world_.sim.schedule_after(Duration::nanoseconds(latency), [this, id, fails, inc = incarnation_,
                                                             name = std::string(service), req = std::move(request)] {
    if (inc != incarnation_ || !room_) {
      world_.probe(probe::kFetchDroppedAfterRestart);
      record_service_answer(name, id, -1);
      return;
    }
    ROOMSIM_ASSERT_MSG(!in_handler_, "simulator events never nest inside a handler");
    rooms::FetchResponse response;
    if (name != "feed" && name != "metrics" && name != "sync") {
      response.error = "unknown service \"" + name + "\" (the simulator offers feed, metrics and sync)";
      world_.probe(probe::kFetchUnknownService);
    } else if (fails) {
      response.error = "service " + name + " unavailable (simulated failure)";
      world_.probe(probe::kFetchFailed);
    } else if (name == "feed") {
      response.status = 200;
      response.body = world_.feed.data(world_.now_ns()).dump();
    } else if (name == "metrics") {
      response.status = 200;
      response.body = "{\"ok\":true}";
    } else {
      response.status = 200;
      response.body = nlohmann::json{{"ok", true}, {"synced_bytes", req.body.size()}}.dump();
    }
    record_service_answer(name, id, response.status);
    run_handler("on_fetch_result", [&] { room_->on_fetch_result(*this, id, response); });
  });
  return id;
}

void RoomHost::record_service_answer(const std::string& service, uint64_t id, int32_t code) {
  properties::Event e = world_.event(EventKind::kServiceAnswer);
  e.room = name_;
  e.text = world_.rec.intern(service);
  e.value = static_cast<int64_t>(id);
  e.code = code;
  world_.rec.add(e);
}

std::optional<rooms::User> RoomHost::verify_token(std::string_view token, std::string_view secret) {
  auto result = auth::verify_for_room(token, secret, rooms::to_unix_ms(now()) / 1000, room_kind(), room_id());
  auto* claims = std::get_if<auth::TokenClaims>(&result);
  if (claims == nullptr) {
    world_.probe(std::get<std::string>(result) == "expired" ? probe::kTokenExpired : probe::kTokenInvalid);
    return std::nullopt;
  }
  return rooms::User{claims->sub, claims->name, rooms::from_unix_ms(claims->exp * 1000)};
}

void RoomHost::log(rooms::LogLevel level, std::string_view message) {
  if (level == rooms::LogLevel::kWarn || level == rooms::LogLevel::kError) {
    world_.probe(level == rooms::LogLevel::kError ? probe::kRoomLogError : probe::kRoomLogWarn);
    std::string fields = "room=" + world_.rec.name(name_) + " msg=";
    fields += message;
    world_.rec.note(world_.sim.now(), "room_log", fields);
  }
}

void RoomHost::metric(std::string_view name, double value) {
  // The simulator keeps no room metrics (the live server exports them); what
  // a room reports about itself is never a fact the checkers judge by.
  (void)name;
  (void)value;
}

void RoomHost::probe(std::string_view name) {
  std::string key = "room.";
  key += name;
  world_.probe(key);
}

// ---- Storage ----

std::optional<std::string> RoomHost::get(std::string_view key) {
  maybe_fail_read(key);
  auto it = memory_.find(key);
  if (it == memory_.end()) return std::nullopt;
  if (it->second.expires_ms != 0 && it->second.expires_ms <= rooms::to_unix_ms(now())) return std::nullopt;
  return it->second.data;
}

void RoomHost::put(std::string_view key, std::string value, std::optional<rooms::RoomDuration> ttl) {
  ROOMSIM_ASSERT_MSG(in_handler_, "storage writes happen inside a handler");
  Value v{std::move(value), ttl ? rooms::to_unix_ms(now()) + ttl->count() : 0};
  if (auto it = memory_.find(key); it != memory_.end()) {
    it->second = v;
  } else {
    memory_.emplace(std::string(key), v);
  }
  building_.push_back(Write{std::string(key), std::move(v)});
}

bool RoomHost::erase(std::string_view key) {
  ROOMSIM_ASSERT_MSG(in_handler_, "storage writes happen inside a handler");
  // Existed = get(key) would have returned a value (present, not expired); no copy of it is made.
  bool existed = false;
  auto it = memory_.find(key);
  if (it != memory_.end()) {
    existed = it->second.expires_ms == 0 || it->second.expires_ms > rooms::to_unix_ms(now());
    memory_.erase(it);
  }
  building_.push_back(Write{std::string(key), std::nullopt});
  return existed;
}

std::vector<std::pair<std::string, std::string>> RoomHost::list(std::string_view prefix, size_t limit) {
  // The live (unexpired) keys under prefix, in key order: collected, then sorted.
  maybe_fail_read(prefix);
  const int64_t now_ms = rooms::to_unix_ms(now());
  std::vector<const Store::value_type*> hits;
  for (const Store::value_type& kv : memory_) {
    if (kv.first.compare(0, prefix.size(), prefix) != 0) continue;
    if (kv.second.expires_ms != 0 && kv.second.expires_ms <= now_ms) continue;
    hits.push_back(&kv);
  }
  std::sort(hits.begin(), hits.end(), [](const Store::value_type* a, const Store::value_type* b) { return a->first < b->first; });
  if (hits.size() > limit) hits.resize(limit);
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(hits.size());
  for (const Store::value_type* kv : hits) out.emplace_back(kv->first, kv->second.data);
  return out;
}

}  // namespace roomsim::netsim::internal
