// rooms/api/storage.hpp: a room's durable key-value storage.
//
// Contract (both hosts enforce it; tests/netsim and tests/live check it):
// - Synchronous for the room: a read sees this room's own earlier writes at
//   once, committed or not.
// - Transactional per handler: every write made during one handler call
//   (on_start, on_request, on_message, on_close, on_alarm, on_fetch_result)
//   forms one commit, submitted when the handler returns.
// - Output gate: any frame the room sends while a commit of its own is not yet
//   durable (including a commit this same handler is building) is held by the
//   host and released, in order, only when every earlier commit is durable.
//   If a commit fails or the room crashes first, the writes and every frame
//   held behind them are lost together, so no client ever sees a message that
//   a restart forgets.
// - A failed commit resets the room (as a Durable Object is reset when a
//   storage operation fails): the instance is discarded, its sessions are
//   closed with 1011, and the next request re-creates it from durable storage.
// - A read (get, list) may fail by throwing StorageReadError, as a Durable
//   Object's storage read may reject. A room may catch it; if it escapes the
//   handler, the host resets the instance exactly as after a failed commit.
//   (The simulator injects it with the `storage-read-fail` fault; the live
//   host serves reads from the key space it loaded when the instance started,
//   so its reads do not fail.)
// - Keys may carry a TTL; an expired key reads as absent and is omitted by list().
// - Values are opaque strings (rooms store JSON text).
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rooms/api/room_time.hpp"

namespace roomsim::rooms {

// A storage read the platform could not serve (see the contract above).
class StorageReadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Storage {
 public:
  virtual ~Storage() = default;

  virtual std::optional<std::string> get(std::string_view key) = 0;
  // ttl: the key expires `ttl` after now(); no value means it never expires.
  virtual void put(std::string_view key, std::string value, std::optional<RoomDuration> ttl = std::nullopt) = 0;
  // Returns true when the key existed.
  virtual bool erase(std::string_view key) = 0;
  // Keys starting with `prefix`, in ascending byte order, at most `limit` of them.
  virtual std::vector<std::pair<std::string, std::string>> list(std::string_view prefix, size_t limit = 1000) = 0;
};

}  // namespace roomsim::rooms
