// cli/serve_command.cpp: `roomsim serve`, the live server (live/server.hpp)
// hosting every built-in room kind. Prints "listening on ADDR:PORT" once the
// socket is bound (port 0 picks a free port), drains on SIGINT/SIGTERM.
#include <cstdio>

#include "cli/commands.hpp"
#include "live/server.hpp"

namespace roomsim::cli {

void register_serve(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("serve", "Run the live WebSocket server (Boost.Beast + SQLite) hosting the room kinds.");
  auto options = std::make_shared<live::ServerOptions>();
  options->web_dir = live::default_web_dir();
  auto config_path = std::make_shared<std::string>();
  cmd->add_option("--bind", options->bind, "address to listen on")->capture_default_str();
  cmd->add_option("--port", options->port, "TCP port (0: any free port)")->capture_default_str();
  cmd->add_option("--data", options->data_dir, "directory of the SQLite database")->capture_default_str();
  cmd->add_option("--config", *config_path,
                  "JSON file: {\"rooms\": {kind: config}, \"services\": {name: \"http://host:port\"}}");
  cmd->add_option("--threads", options->threads, "io threads (0: one per core)")->capture_default_str();
  cmd->add_flag("--dev", options->dev, "add GET /dev/token?user=&name= (development only)");
  cmd->add_option("--dev-secret", options->dev_secret, "secret /dev/token signs with")->capture_default_str();
  cmd->add_option("--web-dir", options->web_dir, "directory of the web client served at /")->capture_default_str();
  cmd->add_option("--tls-cert", options->tls_cert, "PEM certificate (with --tls-key: wss)");
  cmd->add_option("--tls-key", options->tls_key, "PEM private key");
  cmd->add_option("--synchronous", options->synchronous, "SQLite synchronous pragma: FULL, NORMAL or OFF")
      ->capture_default_str();
  cmd->add_option("--max-frame-bytes", options->max_frame_bytes, "largest client frame (larger: close 1009)")
      ->capture_default_str();
  cmd->add_option("--send-queue-bytes", options->send_queue_max_bytes, "per-session send queue bound (then 1008)")
      ->capture_default_str();
  cmd->add_option("--send-queue-frames", options->send_queue_max_frames, "per-session send queue bound in frames")
      ->capture_default_str();
  cmd->add_option("--idle-timeout-ms", options->idle_timeout_ms, "close a session silent this long (1008)")
      ->capture_default_str();
  cmd->add_option("--ping-interval-ms", options->ping_interval_ms, "ping a session silent this long")
      ->capture_default_str();
  cmd->add_option("--handshake-timeout-ms", options->handshake_timeout_ms, "time allowed for an HTTP request")
      ->capture_default_str();
  cmd->add_option("--max-conns-per-ip", options->max_connections_per_ip, "open TCP connections per remote address")
      ->capture_default_str();
  cmd->add_option("--max-header-bytes", options->max_header_bytes, "HTTP request line + headers limit")
      ->capture_default_str();
  cmd->add_option("--max-body-bytes", options->max_body_bytes, "HTTP request body limit")->capture_default_str();
  cmd->add_option("--held-frames-max", options->held_frames_max,
                  "per room: frames held behind an uncommitted write; at the bound senders are closed 1013")
      ->capture_default_str();
  cmd->add_option("--held-bytes-max", options->held_bytes_max, "per room: bytes held behind an uncommitted write")
      ->capture_default_str();
  cmd->add_option("--shutdown-grace-ms", options->shutdown_grace_ms, "SIGTERM: time for close frames to drain")
      ->capture_default_str();
  cmd->add_option("--close-timeout-ms", options->close_timeout_ms,
                  "after a close frame is queued: time for it to leave and the peer to answer (then reset)")
      ->capture_default_str();
  cmd->add_option("--socket-send-buffer-bytes", options->socket_send_buffer_bytes,
                  "kernel send buffer per WebSocket (SO_SNDBUF; 0: kernel autotuning)")
      ->capture_default_str();
  cmd->add_option("--max-rooms", options->max_rooms, "room instances live at once; a request for one more: 503")
      ->capture_default_str();
  cmd->add_option("--room-idle-timeout-ms", options->room_idle_timeout_ms,
                  "drop a room instance idle (no sessions, no pending work) this long; storage is kept")
      ->capture_default_str();
  cmd->callback([&exit_code, options, config_path] {
    if (!config_path->empty()) {
      if (std::string error = live::load_server_config(*config_path, *options); !error.empty()) {
        std::fprintf(stderr, "roomsim serve: --config %s\n", error.c_str());
        exit_code = kExitUsage;
        return;
      }
    }
    live::Server server(*options, rooms::builtin_registry());
    if (std::string error = server.start(); !error.empty()) {
      std::fprintf(stderr, "roomsim serve: %s\n", error.c_str());
      exit_code = kExitUsage;
      return;
    }
    std::printf("listening on %s:%u\n", options->bind.c_str(), static_cast<unsigned>(server.port()));
    std::fflush(stdout);
    server.run_until_signal();
    std::printf("roomsim serve: stopped\n");
    exit_code = kExitOk;
  });
}

}  // namespace roomsim::cli
