// cli/token_command.cpp: `roomsim token`, mints an HS256 token (auth/jwt.hpp)
// that the live server and the simulator both accept.
#include <chrono>
#include <cstdio>
#include <limits>

#include "auth/jwt.hpp"
#include "auth/room_scope.hpp"
#include "cli/commands.hpp"
#include "live/ws_frame.hpp"

namespace roomsim::cli {

void register_token(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("token", "Print a signed token (HS256 JWT) for a user.");
  struct Args {
    std::string secret = "roomsim-dev-secret";
    std::string user;
    std::string name;
    int64_t ttl_s = 3600;
    std::string room;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--secret", args->secret, "HS256 secret (the room config's \"secret\")")->capture_default_str();
  cmd->add_option("--user", args->user, "user id (the token's sub)")->required();
  cmd->add_option("--name", args->name, "display name (default: the user id)");
  cmd->add_option("--ttl-s", args->ttl_s, "seconds until the token expires")->capture_default_str();
  cmd->add_option("--room", args->room,
                  "KIND/ID: the token is valid only in that room (claim \"room\"; the id as it appears in the URL "
                  "path, not percent-decoded); default: every room");
  cmd->callback([&exit_code, args] {
    if (args->ttl_s <= 0) {
      std::fprintf(stderr, "roomsim token: --ttl-s must be positive (got %lld)\n", static_cast<long long>(args->ttl_s));
      exit_code = kExitUsage;
      return;
    }
    for (const auto& [flag, value] : {std::pair<const char*, const std::string*>{"--user", &args->user},
                                      {"--name", &args->name}, {"--room", &args->room}}) {
      if (!live::is_valid_utf8(*value)) {
        std::fprintf(stderr, "roomsim token: %s is not valid UTF-8\n", flag);
        exit_code = kExitUsage;
        return;
      }
    }
    if (!args->room.empty() && !auth::is_room_scope(args->room)) {
      std::fprintf(stderr,
                   "roomsim token: --room must be KIND/ID, each 1 to %zu URL path characters "
                   "(letters, digits, -._~!$&'()*+,;=:@%%), e.g. chat/lobby (got \"%s\")\n",
                   auth::kRoomNameBytesMax, args->room.c_str());
      exit_code = kExitUsage;
      return;
    }
    const int64_t now_s =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    if (args->ttl_s > std::numeric_limits<int64_t>::max() - now_s) {
      std::fprintf(stderr, "roomsim token: --ttl-s is too large: the expiry would pass the end of 64-bit time (got %lld)\n",
                   static_cast<long long>(args->ttl_s));
      exit_code = kExitUsage;
      return;
    }
    auth::TokenClaims claims;
    claims.sub = args->user;
    claims.room = args->room;
    claims.name = args->name.empty() ? args->user : args->name;
    claims.exp = now_s + args->ttl_s;
    std::printf("%s\n", auth::mint_hs256(args->secret, claims).c_str());
    exit_code = kExitOk;
  });
}

}  // namespace roomsim::cli
