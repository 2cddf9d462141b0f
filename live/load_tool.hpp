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
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

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
};

// Runs the load; returns the result JSON, or an error message for bad options
// or when no client could connect.
std::variant<nlohmann::json, std::string> run_load(const LoadOptions& options);

}  // namespace roomsim::live
