// live/server_options.hpp: everything `roomsim serve` can be told.
//
// Plain data, no Beast: the CLI fills it from flags and a --config file
// (load_server_config), the server reads it. Units are in the names.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace roomsim::live {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  uint16_t port = 8080;  // 0: an ephemeral port (Server::port() tells which)
  std::string data_dir = "./roomsim-data";
  std::string synchronous = "FULL";  // SQLite synchronous pragma: FULL | NORMAL | OFF
  int threads = 0;                   // io threads; 0: the number of cores
  bool dev = false;                  // adds GET /dev/token?user=&name=
  std::string dev_secret = "roomsim-dev-secret";  // secret /dev/token signs with
  std::string web_dir;               // static files served at /; empty: none
  std::string tls_cert;              // PEM certificate chain; with tls_key enables TLS (wss)
  std::string tls_key;

  // Limits (every refusal is counted in /metrics as roomsim_rejections_total{reason}).
  size_t max_frame_bytes = 65536;            // larger frames: error frame_too_large + close 1009
  size_t send_queue_max_bytes = 4u << 20;    // per session; above it the session is closed 1008
  size_t send_queue_max_frames = 65536;      // per session
  int idle_timeout_ms = 60000;               // no frame from the client for this long: close 1008
  int ping_interval_ms = 20000;              // server pings a session silent for this long
  int handshake_timeout_ms = 10000;          // HTTP request (incl. upgrade) must arrive within this
  int close_timeout_ms = 3000;               // after sending close, wait at most this for the peer
  int max_connections_per_ip = 10000;        // TCP connections open per remote address
  size_t max_header_bytes = 8192;            // request line + headers
  size_t max_body_bytes = 1u << 20;          // HTTP request body
  int shutdown_grace_ms = 3000;              // SIGTERM: time allowed for close frames to drain
  // Output-gate backlog per room (frames held behind a commit that is not durable yet). While a
  // room holds this many frames or bytes, a client message to it closes its sender 1013.
  size_t held_frames_max = 100000;
  size_t held_bytes_max = 64u << 20;
  // Room lifecycle (Durable Object style): an instance with no sessions and no pending work
  // (commits, held frames, fetches) is dropped from memory after room_idle_timeout_ms, or as
  // soon as it is idle when its last request was refused (4xx/5xx, no upgrade). Storage is kept;
  // a stored alarm wakes a new instance when due. At most max_rooms instances are live; a
  // request that would create one more is answered 503.
  int room_idle_timeout_ms = 30000;
  size_t max_rooms = 10000;
  // Kernel send buffer of each WebSocket (SO_SNDBUF; Linux doubles it for bookkeeping). It bounds
  // what a client that stops reading has in flight ahead of a close frame. 0: the kernel default
  // (autotuned up to net.ipv4.tcp_wmem, 4 MiB on Debian).
  size_t socket_send_buffer_bytes = 128u << 10;

  // Per-kind room config (kind -> JSON object) and fetch services (name -> http://host:port[/prefix]).
  std::map<std::string, nlohmann::json> room_config;
  std::map<std::string, std::string> services;
};

// Reads a --config JSON file: {"rooms": {"<kind>": {...}}, "services": {"<name>": "http://host:port"}}
// into `options`. Returns an empty string, or a message naming the file and field that is wrong.
std::string load_server_config(const std::string& path, ServerOptions& options);

}  // namespace roomsim::live
