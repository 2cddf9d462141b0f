// cli/load_command.cpp: `roomsim load`, the live load tool (live/load_tool.hpp).
// Prints one JSON line; with --history writes the run's history for check-history.
#include <cstdio>

#include "cli/commands.hpp"
#include "live/load_tool.hpp"

namespace roomsim::cli {

void register_load(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("load", "Load one live room: C clients, S senders, M messages each; prints one JSON line.");
  auto o = std::make_shared<live::LoadOptions>();
  cmd->add_option("url", o->url, "ws://host:port/rooms/<kind>/<id> (or wss:// for a TLS server; its certificate is not verified)")->required();
  cmd->add_option("--clients", o->clients, "connections to the room")->capture_default_str();
  cmd->add_option("--senders", o->senders, "how many of them send")->capture_default_str();
  cmd->add_option("--messages", o->messages, "broadcasts per sender")->capture_default_str();
  cmd->add_option("--rate", o->rate, "total sends per second (open loop); 0: closed loop with --window")
      ->capture_default_str();
  cmd->add_option("--window", o->window, "closed loop: messages in flight per sender")->capture_default_str();
  cmd->add_option("--token", o->token, "token for every client (?token=)");
  cmd->add_option("--secret", o->secret, "mint one token per client (user u<i>) with this secret");
  cmd->add_option("--history", o->history_path, "write every client observation here (JSONL) for check-history");
  cmd->add_option("--server-config", o->server_config_path,
                  "with --history: the file `serve --config` read (a file holding {} for a server run without one); "
                  "the room's promises and each token's validity are recorded from it");
  cmd->add_option("--server-max-frame-bytes", o->server_max_frame_bytes, "with --server-config: the server's --max-frame-bytes")
      ->capture_default_str();
  cmd->add_option("--liveness-from-s", o->liveness_from_s,
                  "with --history: the liveness phase (no more faults) starts this many seconds after the start; "
                  "negative: none")
      ->capture_default_str();
  cmd->add_option("--liveness-bound-ms", o->liveness_bound_ms, "with --history: the recorded delivery/convergence bound")
      ->capture_default_str();
  cmd->add_option("--bad-token-clients", o->bad_token_clients,
                  "the last N clients present a token signed with a wrong secret (needs --secret); they never send")
      ->capture_default_str();
  cmd->add_flag("--reconnect", o->reconnect, "reconnect and resume after abnormal closes (on with --history)");
  cmd->add_option("--payload-bytes", o->payload_bytes, "padding per payload")->capture_default_str();
  cmd->add_option("--timeout-s", o->timeout_s, "upper bound for the whole run")->capture_default_str();
  cmd->add_option("--idle-timeout-s", o->idle_timeout_s, "stop after this long without progress once all is sent")
      ->capture_default_str();
  cmd->callback([&exit_code, o] {
    auto result = live::run_load(*o);
    if (auto* error = std::get_if<std::string>(&result)) {
      std::fprintf(stderr, "roomsim load: %s\n", error->c_str());
      exit_code = kExitUsage;
      return;
    }
    std::printf("%s\n", std::get<nlohmann::json>(result).dump().c_str());
    exit_code = kExitOk;
  });
}

}  // namespace roomsim::cli
