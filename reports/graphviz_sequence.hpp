// reports/graphviz_sequence.hpp: the message sequence (Lamport) diagram of the
// window of a history around a property violation.
//
// One vertical lane per involved client, edge region and room; time flows
// downwards, one row per history event (or frame hop) in time order, history
// order among equal times. The violating events are filled red and carry
// their history index; faults beginning or ending in the window are dashed
// red lines across every lane. Each event node has the SVG id
// "ev<history index>"; each hop node "hop<hop index><up|in|out|down>".
//
// With a frame-hop log (netsim/frame_hops.hpp, recorded when a report
// re-simulates a seed) a message is drawn along its real path with the
// simulated time of every hop: client send -> "edge FRA" (the sender's edge
// region) -> room (arrival, with the latency from the send) -> room send
// (with its sequence number) -> the receiver's edge -> the receive (with its
// latency from the send). Hops are matched to history events by the keys in
// reports/sequence_hops.hpp; a send or receive the log does not cover (a full
// log) is drawn straight from send to receive, as without a log. A frame
// lost in flight (its connection dropped) is said on its send.
// Without a log (e.g. check-history on a recorded history) the diagram has
// client and room lanes only, arrows go straight from a send to every
// receive of it in the window, and the note says so.
//
// Bounded: at most `max_lanes` lanes, edge lanes included. Rooms get at most
// two lanes; clients follow in priority order (clients of the violating
// events, the senders they heard from, then clients active near the
// violation), each with its edge lane (a client whose edge no longer fits is
// skipped). At most `max_events` rows around the first violating event. A run
// of sends on one connection, of equal events on one lane (a burst of
// commits), or of one connection's hops on one lane shares one row "x N";
// receives and violating events always have their own. A note under the
// title says exactly what was cut (earlier events, later events, events of
// lanes not shown, clients without a lane, frames the log did not keep).
// Deterministic: a pure function of (history, verdict, options, hop log).
#pragma once

#include <cstddef>

#include "netsim/frame_hops.hpp"
#include "properties/checker.hpp"
#include "properties/history.hpp"
#include "reports/graphviz_render.hpp"

namespace roomsim::reports {

struct SequenceOptions {
  size_t max_events = 200;  // rows; a row holds one event or one burst of equal events
  size_t max_lanes = 10;  // client, edge and room lanes together
  size_t events_before_share_pct = 25;  // of max_events, placed before the first violation
};

// The DOT text only (for the .dot file and tests). `hops`: the frame-hop log
// of the run that recorded `history`, or null (no edge lanes). REQUIRES: it
// outlives the call.
std::string sequence_dot(const properties::History& history, const properties::Verdict& verdict,
                         const SequenceOptions& options = {}, const netsim::FrameHopLog* hops = nullptr);
// DOT laid out with neato (pinned positions) and rendered to SVG.
Picture sequence_picture(const properties::History& history, const properties::Verdict& verdict,
                         const SequenceOptions& options = {}, const netsim::FrameHopLog* hops = nullptr);

}  // namespace roomsim::reports
