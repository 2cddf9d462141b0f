// reports/graphviz_room_timeline.hpp: the state of one room over simulated
// time as a compact timeline picture.
//
// Rows, bottom to top: a time axis; commits per time bin (bars; failed
// commits in red); the latest durable sequence number (line); the number of
// open sessions (line); restarts (start with epoch and stored history length,
// crash, evict markers); and the fault windows of the run (red bars, stacked
// when they overlap). Time is split into `bins` equal bins over the history's
// span, so the picture has a fixed size whatever the history length.
// Deterministic: a pure function of (history, room, options).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "properties/checker.hpp"
#include "properties/history.hpp"
#include "reports/graphviz_render.hpp"

namespace roomsim::reports {

struct RoomTimelineOptions {
  size_t bins = 120;
  double width_pt = 960;
  size_t markers_max = 60;  // restart markers drawn at most; the rest are counted in the title
};

// The room a failure is about: the room of the first violating event that
// names one, else the room with the most events, else "".
std::string failing_room(const properties::History& history, const properties::Verdict& verdict);

std::string room_timeline_dot(const properties::History& history, std::string_view room,
                              const RoomTimelineOptions& options = {});
Picture room_timeline_picture(const properties::History& history, std::string_view room,
                              const RoomTimelineOptions& options = {});

}  // namespace roomsim::reports
