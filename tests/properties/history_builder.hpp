// tests/properties/history_builder.hpp: a terse way to write handcrafted
// histories in tests. Every method appends one event and returns its index.
// Times are in milliseconds; message ids and payloads are strings hashed the
// way the recorders hash them (fnv1a64).
#pragma once

#include <string>
#include <string_view>

#include "engine/rng.hpp"
#include "properties/history.hpp"

namespace roomsim::properties::testing {

class HistoryBuilder {
 public:
  History& history() { return h_; }

  size_t add(EventKind kind, int64_t t_ms, std::string_view client = {}, uint64_t conn = 0,
             std::string_view room = {}) {
    Event e;
    e.kind = kind;
    e.t_ns = t_ms * 1'000'000;
    e.client = h_.intern(client);
    e.conn = conn;
    e.room = h_.intern(room);
    h_.add(e);
    return h_.size() - 1;
  }
  Event& last() { return h_.mutable_events().back(); }

  size_t config(std::string_view key, int64_t value, std::string_view room = {}) {
    const size_t i = add(EventKind::kConfig, 0, {}, 0, room);
    last().text = h_.intern(key);
    last().value = value;
    return i;
  }
  size_t phase(int64_t t_ms, std::string_view name) {
    const size_t i = add(EventKind::kPhase, t_ms);
    last().text = h_.intern(name);
    return i;
  }
  size_t connect(int64_t t_ms, std::string_view client, uint64_t conn, std::string_view room, std::string_view user,
                 bool valid_token = true) {
    const size_t i = add(EventKind::kConnect, t_ms, client, conn, room);
    last().user = h_.intern(user);
    last().value = valid_token ? 1 : 0;
    return i;
  }
  size_t accept(int64_t t_ms, std::string_view client, uint64_t conn, std::string_view room, int32_t code = 101) {
    const size_t i = add(EventKind::kConnectResult, t_ms, client, conn, room);
    last().code = code;
    return i;
  }
  size_t welcome(int64_t t_ms, std::string_view client, uint64_t conn, std::string_view room, int64_t seq = -1,
                 int64_t epoch = -1) {
    const size_t i = add(EventKind::kWelcome, t_ms, client, conn, room);
    last().seq = seq;
    last().epoch = epoch;
    return i;
  }
  size_t send(int64_t t_ms, std::string_view client, uint64_t conn, std::string_view room, std::string_view msg,
              std::string_view payload = "p", std::string_view channel = {}) {
    const size_t i = add(EventKind::kSend, t_ms, client, conn, room);
    last().msg = fnv1a64(msg);
    last().digest = fnv1a64(payload);
    last().channel = h_.intern(channel);
    return i;
  }
  size_t ack(int64_t t_ms, std::string_view client, uint64_t conn, std::string_view room, std::string_view msg,
             int64_t seq, int64_t epoch = 1) {
    const size_t i = add(EventKind::kAck, t_ms, client, conn, room);
    last().msg = fnv1a64(msg);
    last().seq = seq;
    last().epoch = epoch;
    return i;
  }
  size_t receive(int64_t t_ms, std::string_view client, uint64_t conn, std::string_view room, std::string_view sender,
                 std::string_view msg, std::string_view payload = "p", int64_t seq = -1, int64_t epoch = -1,
                 bool replayed = false, std::string_view channel = {}) {
    const size_t i = add(EventKind::kReceive, t_ms, client, conn, room);
    last().sender = h_.intern(sender);
    last().msg = fnv1a64(msg);
    last().digest = fnv1a64(payload);
    last().seq = seq;
    last().epoch = epoch;
    last().value = replayed ? 1 : 0;
    last().channel = h_.intern(channel);
    return i;
  }
  size_t close(int64_t t_ms, std::string_view client, uint64_t conn, std::string_view room, int32_t code = 1000) {
    const size_t i = add(EventKind::kClose, t_ms, client, conn, room);
    last().code = code;
    return i;
  }
  size_t gap(int64_t t_ms, std::string_view client, uint64_t conn, std::string_view room, int64_t first,
             int64_t last_seq, int64_t epoch = 1) {
    const size_t i = add(EventKind::kGap, t_ms, client, conn, room);
    last().value = first;
    last().seq = last_seq;
    last().epoch = epoch;
    return i;
  }
  size_t replay_window(int64_t t_ms, std::string_view client, uint64_t conn, std::string_view room, int64_t first,
                       int64_t last_seq, int32_t count, int64_t epoch = 1) {
    const size_t i = add(EventKind::kReplayWindow, t_ms, client, conn, room);
    last().value = first;
    last().seq = last_seq;
    last().code = count;
    last().epoch = epoch;
    return i;
  }
  size_t text_event(EventKind kind, int64_t t_ms, std::string_view client, uint64_t conn, std::string_view room,
                    std::string_view text) {
    const size_t i = add(kind, t_ms, client, conn, room);
    last().text = h_.intern(text);
    return i;
  }
  // A welcome that names the connection's wire session.
  size_t welcome_session(int64_t t_ms, std::string_view client, uint64_t conn, std::string_view room,
                         std::string_view session, int64_t seq = -1, int64_t epoch = -1) {
    const size_t i = welcome(t_ms, client, conn, room, seq, epoch);
    last().session = h_.intern(session);
    return i;
  }
  // A direct (target = session) or sub-room (target = sub-room) send.
  size_t send_to(int64_t t_ms, std::string_view client, uint64_t conn, std::string_view room, std::string_view msg,
                 std::string_view channel, std::string_view target) {
    const size_t i = send(t_ms, client, conn, room, msg, "p", channel);
    last().target = h_.intern(target);
    return i;
  }
  size_t join_room(int64_t t_ms, std::string_view client, uint64_t conn, std::string_view room,
                   std::string_view sub_room, bool confirmed) {
    const size_t i = add(EventKind::kJoinRoom, t_ms, client, conn, room);
    last().target = h_.intern(sub_room);
    last().value = confirmed ? 1 : 0;
    return i;
  }
  size_t subscribe(int64_t t_ms, std::string_view client, uint64_t conn, std::string_view room, std::string_view key) {
    return text_event(EventKind::kSubscribe, t_ms, client, conn, room, key);
  }
  size_t data_update(int64_t t_ms, std::string_view client, uint64_t conn, std::string_view room,
                     std::string_view key, uint64_t digest) {
    const size_t i = text_event(EventKind::kDataUpdate, t_ms, client, conn, room, key);
    last().digest = digest;
    return i;
  }
  // room "" = the feed every room reads.
  size_t feed_value(int64_t t_ms, std::string_view room, std::string_view key, uint64_t digest) {
    const size_t i = text_event(EventKind::kFeedValue, t_ms, {}, 0, room, key);
    last().digest = digest;
    return i;
  }
  size_t service_call(int64_t t_ms, std::string_view room, int64_t request, std::string_view service = "feed") {
    const size_t i = text_event(EventKind::kServiceCall, t_ms, {}, 0, room, service);
    last().value = request;
    return i;
  }
  size_t service_answer(int64_t t_ms, std::string_view room, int64_t request, int32_t code,
                        std::string_view service = "feed") {
    const size_t i = text_event(EventKind::kServiceAnswer, t_ms, {}, 0, room, service);
    last().value = request;
    last().code = code;
    return i;
  }
  // The host's admission decision: room_count / user_count sessions open just before.
  size_t admission(int64_t t_ms, uint64_t conn, std::string_view room, std::string_view user, int32_t code,
                   int64_t room_count, int64_t user_count) {
    const size_t i = add(EventKind::kAdmission, t_ms, {}, conn, room);
    last().user = h_.intern(user);
    last().code = code;
    last().value = room_count;
    last().seq = user_count;
    return i;
  }
  size_t fault(int64_t t_ms, bool begin, int64_t index = 0) {
    const size_t i = text_event(begin ? EventKind::kFaultBegin : EventKind::kFaultEnd, t_ms, {}, 0, {}, "partition");
    last().value = index;
    return i;
  }

 private:
  History h_;
};

}  // namespace roomsim::properties::testing
