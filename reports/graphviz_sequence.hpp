// reports/graphviz_sequence.hpp: the message sequence (Lamport) diagram of the
// window of a history around a property violation.
//
// One vertical lane per involved client and room; time flows downwards, one
// row per history event in history order. Arrows go from a client's send to
// every receive of that message in the window, labelled with the room
// sequence number and the delivery time. The violating events are filled red
// and carry their history index; faults beginning or ending in the window are
// dashed red lines across every lane. Each event node has the SVG id
// "ev<history index>".
//
// Bounded: at most `max_lanes` lanes (clients of the violating events first,
// then the senders they heard from, then the rooms) and `max_events` rows
// around the first violating event. A run of sends on one connection, or of
// equal events on one lane (a burst of commits), shares one row "x N";
// receives and violating events always have their own. A note under the
// title says exactly what was cut (earlier events, later events, events of
// lanes not shown).
// Deterministic: a pure function of (history, verdict, options).
#pragma once

#include <cstddef>

#include "properties/checker.hpp"
#include "properties/history.hpp"
#include "reports/graphviz_render.hpp"

namespace roomsim::reports {

struct SequenceOptions {
  size_t max_events = 200;  // rows; a row holds one event or one burst of equal events
  size_t max_lanes = 8;
  size_t events_before_share_pct = 25;  // of max_events, placed before the first violation
};

// The DOT text only (for the .dot file and tests).
std::string sequence_dot(const properties::History& history, const properties::Verdict& verdict,
                         const SequenceOptions& options = {});
// DOT laid out with neato (pinned positions) and rendered to SVG.
Picture sequence_picture(const properties::History& history, const properties::Verdict& verdict,
                         const SequenceOptions& options = {});

}  // namespace roomsim::reports
