// rooms/common/frame_intake.cpp: see frame_intake.hpp.
#include "rooms/common/frame_intake.hpp"

#include "rooms/common/probe_names.hpp"
#include "rooms/common/session_tools.hpp"
#include "rooms/protocol/server_frames.hpp"

namespace roomsim::rooms {

std::optional<protocol::ClientFrame> take_frame(RoomContext& ctx, SessionId session, std::string_view text,
                                                const std::vector<std::string_view>& accepted,
                                                const RoomConfig& config, Roster& roster, AlarmSchedule& alarms,
                                                const ReportError& report) {
  touch(ctx, session);
  auto parsed = protocol::parse_client_frame(text, accepted, static_cast<size_t>(config.max_frame_bytes));
  if (auto* frame = std::get_if<protocol::ClientFrame>(&parsed)) return std::move(*frame);
  const auto& err = std::get<protocol::FrameError>(parsed);
  if (err.code == protocol::error_code::kFrameTooLarge) {
    ctx.probe(probe::kFrameTooLarge);
    ctx.send(session, protocol::error_frame(err.code, err.message));
    ctx.log(LogLevel::kWarn, session_wire_id(session) + " sent " + err.message + "; closing 1009");
    ctx.close(session, close_code::kMessageTooBig, "frame too large");
    roster.left(ctx, session, alarms);
    return std::nullopt;
  }
  ctx.probe(probe::kBadFrame);
  report(err.code, err.message);
  return std::nullopt;
}

}  // namespace roomsim::rooms
