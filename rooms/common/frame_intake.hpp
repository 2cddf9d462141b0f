// rooms/common/frame_intake.hpp: the first step of every room's on_message.
//
// Records the session's activity (any frame counts as a pong), then parses
// and validates the frame. A frame above max_frame_bytes gets an
// `error frame_too_large`, the session is closed 1009 and leaves the roster.
// Any other protocol error is handed to `report` (corrected rooms answer an
// `error` frame; some seed rooms only log). Either way the room's state is
// untouched and nothing is returned.
#pragma once

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "rooms/api/room_context.hpp"
#include "rooms/common/alarm_schedule.hpp"
#include "rooms/common/room_config.hpp"
#include "rooms/common/roster.hpp"
#include "rooms/protocol/client_frame.hpp"

namespace roomsim::rooms {

using ReportError = std::function<void(std::string_view code, std::string_view message)>;

std::optional<protocol::ClientFrame> take_frame(RoomContext& ctx, SessionId session, std::string_view text,
                                                const std::vector<std::string_view>& accepted,
                                                const RoomConfig& config, Roster& roster, AlarmSchedule& alarms,
                                                const ReportError& report);

}  // namespace roomsim::rooms
