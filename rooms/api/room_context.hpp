// rooms/api/room_context.hpp: the only door between a room and the world.
//
// Everything a room does outside its own memory goes through RoomContext:
// time, randomness, storage, alarms, sockets, outbound calls, token checks,
// logs and metrics. The simulator (netsim/) and the live server (live/) each
// implement it; a room that uses nothing else runs unchanged in both.
//
// Threading: a host calls one room's handlers one at a time, each to
// completion (the input gate); RoomContext is only valid inside a handler.
// Determinism: in the simulator now(), random_u64() and the order of
// sessions() are pure functions of the seed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rooms/api/http.hpp"
#include "rooms/api/room_time.hpp"
#include "rooms/api/session.hpp"
#include "rooms/api/storage.hpp"

namespace roomsim::rooms {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// The identity a valid token proves.
struct User {
  std::string id;    // JWT "sub"
  std::string name;  // JWT "name"
  RoomTime expires;  // JWT "exp"
};

// WebSocket close codes used across the project (RFC 6455 section 7.4.1).
namespace close_code {
inline constexpr int kNormal = 1000;
inline constexpr int kGoingAway = 1001;       // eviction, server shutdown
inline constexpr int kProtocolError = 1002;
inline constexpr int kAbnormal = 1006;        // no close frame: crash, network loss
inline constexpr int kPolicyViolation = 1008; // limits, auth, slow consumer
inline constexpr int kMessageTooBig = 1009;
inline constexpr int kInternalError = 1011;   // failed commit
inline constexpr int kTryAgainLater = 1013;   // room full
}  // namespace close_code

class RoomContext {
 public:
  virtual ~RoomContext() = default;

  // The room's identity: kind ("chat") and id ("lobby").
  virtual const std::string& room_kind() const = 0;
  virtual const std::string& room_id() const = 0;

  virtual RoomTime now() const = 0;
  // Uniform 64-bit random value; seeded and deterministic in the simulator.
  virtual uint64_t random_u64() = 0;

  virtual Storage& storage() = 0;

  // One alarm per room. Setting replaces any earlier alarm. Delivery is
  // at-least-once: if on_alarm does not complete (crash), it fires again.
  // The alarm is durable: it survives restarts and fires on a new instance.
  virtual void set_alarm(RoomTime at) = 0;
  virtual void cancel_alarm() = 0;
  virtual std::optional<RoomTime> alarm() const = 0;

  // Only valid inside on_request for an upgrade request: accepts the
  // WebSocket and returns the new session, which is listed at once. Frames
  // sent to it are delivered after the upgrade response. The host then
  // answers the request with 101 whatever on_request returns.
  virtual SessionId accept_websocket(SessionAttachment attachment) = 0;

  // Sends a text frame. Frames to one session are delivered in call order.
  // Unknown or closed sessions are ignored (returns false).
  virtual bool send(SessionId session, std::string_view text) = 0;
  // Sends one text to each of `sessions`, in that order: exactly what calling
  // send() for each would do (unknown or closed sessions are skipped), but a
  // host may frame the text once instead of once per receiver. Returns how
  // many sessions it was sent to.
  virtual size_t send_many(const std::vector<SessionId>& sessions, std::string_view text) {
    size_t sent = 0;
    for (SessionId s : sessions) sent += send(s, text) ? 1 : 0;
    return sent;
  }
  // Closes a session from the server side. The session leaves sessions() at
  // once and on_close is NOT called for it.
  virtual void close(SessionId session, int code, std::string_view reason) = 0;
  // Open sessions in accept order.
  virtual std::vector<SessionId> sessions() const = 0;
  // The attachment of an open session, mutable; nullptr if the session is not open.
  virtual SessionAttachment* attachment(SessionId session) = 0;

  // Starts an outbound call to a named service; the result arrives later as
  // Room::on_fetch_result with the returned id (ids increase per room). A
  // result for an instance that has since restarted is dropped.
  virtual uint64_t fetch(std::string_view service, FetchRequest request) = 0;

  // Verifies an HS256 JWT against `secret`: signature, "exp" in the future,
  // "sub" present. Hosts implement it with OpenSSL, so a token minted for the
  // live server is valid in the simulator too.
  virtual std::optional<User> verify_token(std::string_view token, std::string_view secret) = 0;

  virtual void log(LogLevel level, std::string_view message) = 0;
  virtual void metric(std::string_view name, double value) = 0;

  // A named code probe (FoundationDB's CODE_PROBE): records that a rare
  // branch ran ("resume.gap", "rate.limited"). It never changes behaviour;
  // the simulator counts probes per run (the summary's "coverage", prefixed
  // "room.") so a sweep can show that it reached every branch that matters.
  virtual void probe(std::string_view name) { (void)name; }
};

}  // namespace roomsim::rooms
