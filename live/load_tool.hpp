// live/load_tool.hpp: `roomsim load`, a WebSocket load generator for one room.
//
// Opens `clients` connections to one room URL on one thread (Asio + Beast),
// lets the first `senders` of them send `messages` broadcasts each, either as
// fast as a bounded in-flight window allows (closed loop) or at a fixed total
// `rate` (open loop: the carried timestamp is the intended send time, so a
// backlog counts as latency). Payload: {"c":client,"m":id,"s":sender,"q":n,
// "t":steady ns,"p":padding}; every received frame carrying those fields is a
// delivery. Result: one JSON object (see docs/live.md for the fields).
//
// With `history_path` every client observation is recorded in the history
// format (live/history_recorder.hpp) and written as JSONL at the end; clients
// then also reconnect after an abnormal close (exponential backoff) and send
// `resume` with the last seq they saw, like the simulator's reconnecting agents.
//
// What the history says about the room comes from the world, not the room:
// with `server_config_path` (the file `serve --config` read) the room's
// promises are recorded (kConfig per room, as the simulator records them) and
// each connect carries whether its token is valid (checked against the room's
// secret); without it no promise is recorded and no token is known valid, so
// the limit and token properties pass vacuously, saying why. Phases: "liveness"
// from `liveness_from_s` after the start ("safety" before it; negative: no
// liveness phase), "end" when the run stops, before the clients close.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

namespace roomsim::rooms {
class RoomRegistry;
}

namespace roomsim::live {

struct LoadOptions {
  std::string url;  // ws://host:port/rooms/<kind>/<id>, or wss:// (certificate not verified: test servers)
  int clients = 10;
  int senders = 1;
  int messages = 100;          // per sender
  double rate = 0;             // total sends per second; 0: closed loop
  int window = 16;             // closed loop: in-flight messages per sender
  std::string token;           // same token for every client (appended as ?token=)
  std::string secret;          // or: mint one token per client (user "u<i>") with this secret
  std::string history_path;    // write the history here (JSONL)
  bool reconnect = false;      // reconnect + resume after abnormal closes (on with history_path)
  int payload_bytes = 0;       // padding inside each payload
  int timeout_s = 60;          // whole run
  int idle_timeout_s = 5;      // stop after this long without progress once sending is done
  int connect_parallel = 200;  // handshakes in flight at once
  // History only (see above).
  std::string server_config_path;          // the server's --config file ("{}" for a server run without one)
  int64_t server_max_frame_bytes = 65536;  // the server's --max-frame-bytes
  double liveness_from_s = 0;              // the liveness phase starts this long after the start; < 0: none
  int64_t liveness_bound_ms = 10000;       // recorded liveness_bound_ms (delivery and convergence bound)
  // The last `bad_token_clients` clients present a token signed with a wrong secret (needs
  // `secret`). They never send, are not counted as receivers, and do not retry a refusal.
  int bad_token_clients = 0;
  const rooms::RoomRegistry* registry = nullptr;  // kinds for server_config_path; nullptr: the built-in ones
};

// Runs the load; returns the result JSON, or an error message for bad options
// or when no client could connect.
std::variant<nlohmann::json, std::string> run_load(const LoadOptions& options);

}  // namespace roomsim::live
