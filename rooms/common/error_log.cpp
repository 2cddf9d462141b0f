// rooms/common/error_log.cpp: see error_log.hpp.
#include "rooms/common/error_log.hpp"

#include <nlohmann/json.hpp>

#include "rooms/common/storage_keys.hpp"

namespace roomsim::rooms {
namespace {
constexpr std::string_view kPrefix = "errors/";
}

void ErrorLog::load(RoomContext& ctx) {
  if (max_ <= 0) return;
  for (const auto& [key, _] : ctx.storage().list(kPrefix, static_cast<size_t>(max_) + 1)) {
    if (auto n = key_number(key, kPrefix)) next_ = std::max(next_, *n + 1);
  }
}

void ErrorLog::record(RoomContext& ctx, std::string_view code, std::string_view message, std::string_view session) {
  std::string line(session);
  line.append(": ").append(code).append(": ").append(message);
  ctx.log(LogLevel::kWarn, line);
  ctx.metric("client_errors", 1);
  if (max_ <= 0) return;
  nlohmann::json rec = {{"timestamp", to_unix_ms(ctx.now())}, {"code", code}, {"message", message}, {"session", session}};
  ctx.storage().put(numbered_key(kPrefix, next_), rec.dump());
  if (next_ - max_ >= 1) ctx.storage().erase(numbered_key(kPrefix, next_ - max_));
  ++next_;
}

}  // namespace roomsim::rooms
