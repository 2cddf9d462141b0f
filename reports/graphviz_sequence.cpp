// reports/graphviz_sequence.cpp: lanes, rows, window selection and DOT for
// the message sequence diagram.
#include "reports/graphviz_sequence.hpp"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "engine/time.hpp"
#include "reports/dot_builder.hpp"
#include "reports/event_text.hpp"
#include "reports/sequence_hops.hpp"
#include "reports/sequence_lanes.hpp"

namespace roomsim::reports {

namespace {

using properties::Event;
using properties::EventKind;
using properties::History;
using properties::NameId;

constexpr double kWideGapPt = 250;    // between lanes where a client lane is involved
constexpr double kNarrowGapPt = 190;  // between edge and room lanes
constexpr double kRowHeightPt = 36;
constexpr double kLaneMarginPt = 130;  // fault lines stick out this far beyond the outer lanes
constexpr size_t kAcross = SIZE_MAX;   // an item drawn across every lane (fault, phase)

bool is_client_side(EventKind k) { return !is_room_side(k) && !is_run_wide(k) && k != EventKind::kConfig; }

struct MsgKey {
  NameId room;
  NameId sender;
  uint64_t msg;
  auto operator<=>(const MsgKey&) const = default;
};

// What a row shows: a history event, or a point where a frame passes a lane.
enum class Point : uint8_t {
  kEvent,     // the history event `event`
  kUpEdge,    // the send `event`'s frame passes its client's edge
  kRoomIn,    // ... reaches the room
  kRoomOut,   // the room sends the frame that delivers the receive `event`
  kDownEdge,  // ... which passes the receiver's edge
};

struct Item {
  int64_t t_ns = 0;
  uint64_t pos = 0;    // history position: an event's index; a hop point sits before the event at `pos`
  uint8_t stage = 1;   // at equal time and position, hop points (0) come before events (1)
  Point point = Point::kEvent;
  size_t lane = 0;
  size_t event = 0;    // the history event (for hop points: the send or receive they belong to)
  uint32_t hop = 0;    // hop points: index in the hop log
};

struct Row {
  size_t first = 0;  // item indices
  size_t last = 0;
  size_t count = 0;
};

const char* point_id(Point p) {
  switch (p) {
    case Point::kUpEdge: return "up";
    case Point::kRoomIn: return "in";
    case Point::kRoomOut: return "out";
    case Point::kDownEdge: return "down";
    case Point::kEvent: break;
  }
  return "ev";
}

}  // namespace

std::string sequence_dot(const History& h, const properties::Verdict& verdict, const SequenceOptions& options,
                         const netsim::FrameHopLog* hop_log) {
  const auto& events = h.events();
  const size_t max_events = std::max<size_t>(options.max_events, 10);
  const size_t max_lanes = std::max<size_t>(options.max_lanes, 2);
  const bool with_hops = hop_log != nullptr && hop_log->recorded;
  HopIndex hop_index;
  if (with_hops) hop_index = index_hops(h, *hop_log);

  std::vector<size_t> violating;
  for (size_t v : verdict.violating) {
    if (v < events.size()) violating.push_back(v);
  }
  const std::set<size_t> violating_set(violating.begin(), violating.end());

  // Anchor: the first violating event, else the first event at the verdict's time.
  size_t anchor = 0;
  if (!violating.empty()) {
    anchor = violating.front();
  } else {
    while (anchor < events.size() && events[anchor].t_ns < verdict.t_ns) ++anchor;
    if (anchor == events.size() && anchor > 0) --anchor;
  }

  // Lane candidates: clients of the violating events, then whom they heard
  // from, then the rooms; if that names nobody, the clients active near the anchor.
  std::vector<NameId> clients, rooms;
  const auto add_unique = [](std::vector<NameId>& v, NameId n) {
    if (n != properties::kNoName && std::find(v.begin(), v.end(), n) == v.end()) v.push_back(n);
  };
  for (size_t v : violating) add_unique(clients, events[v].client);
  const std::optional<NameId> direct = h.find("direct");
  for (size_t v : violating) {
    add_unique(clients, events[v].sender);
    // target names a client only on direct messages (for "sub" it is a sub-room id).
    if (direct && events[v].channel == *direct) add_unique(clients, events[v].target);
  }
  for (size_t v : violating) add_unique(rooms, events[v].room);
  if (!events.empty()) {
    const size_t lo = anchor >= 200 ? anchor - 200 : 0;
    const size_t hi = std::min(events.size(), anchor + 200);
    for (size_t i = lo; i < hi && clients.size() < 2 * max_lanes; ++i) {
      if (is_client_side(events[i].kind)) add_unique(clients, events[i].client);
    }
    for (size_t i = lo; i < hi; ++i) add_unique(rooms, events[i].room);
  }
  const LaneChoice choice = pick_lanes(clients, rooms, with_hops ? &hop_index : nullptr, max_lanes);
  const std::vector<Lane>& lanes = choice.lanes;
  std::map<std::pair<LaneKind, uint32_t>, size_t> lane_of;
  for (size_t i = 0; i < lanes.size(); ++i) {
    lane_of[{lanes[i].kind, lanes[i].kind == LaneKind::kEdge ? lanes[i].region : lanes[i].name}] = i;
  }
  const auto find_lane = [&lane_of](LaneKind kind, uint32_t name) -> std::optional<size_t> {
    auto it = lane_of.find({kind, name});
    if (it == lane_of.end()) return std::nullopt;
    return it->second;
  };
  // Which lane an event is drawn on: kAcross = across every lane, none = not shown.
  const auto lane_for = [&](const Event& e) -> std::optional<size_t> {
    if (is_run_wide(e.kind)) return kAcross;
    if (e.kind == EventKind::kConfig) return std::nullopt;
    const bool room_side = is_room_side(e.kind);
    return find_lane(room_side ? LaneKind::kRoom : LaneKind::kClient, room_side ? e.room : e.client);
  };

  // Items: every event on a shown lane, and for each send and receive on a
  // client lane the points where its frame passes a shown edge or room lane.
  std::vector<Item> items;
  size_t relevant_total = 0;
  std::set<uint32_t> down_hops_placed;  // a history/resume frame carries several receives
  for (size_t i = 0; i < events.size(); ++i) {
    const std::optional<size_t> lane = lane_for(events[i]);
    if (!lane) continue;
    ++relevant_total;
    const Event& e = events[i];
    items.push_back({e.t_ns, i, 1, Point::kEvent, *lane, i, 0});
    if (!with_hops || *lane == kAcross || lanes[*lane].kind != LaneKind::kClient) continue;
    if (e.kind == EventKind::kSend) {
      auto it = hop_index.up_of_send.find(i);
      if (it == hop_index.up_of_send.end()) continue;
      const netsim::FrameHop& f = hop_log->hops[it->second];
      if (f.arrived_ns < 0) continue;  // lost in flight: the send's label says so
      if (auto edge = find_lane(LaneKind::kEdge, f.edge)) {
        items.push_back({f.edge_ns, f.events_before_send, 0, Point::kUpEdge, *edge, i, it->second});
      }
      if (auto room = find_lane(LaneKind::kRoom, e.room)) {
        items.push_back({f.arrived_ns, f.first_event, 0, Point::kRoomIn, *room, i, it->second});
      }
    } else if (e.kind == EventKind::kReceive) {
      auto it = hop_index.down_of_receive.find(i);
      if (it == hop_index.down_of_receive.end() || !down_hops_placed.insert(it->second).second) continue;
      const netsim::FrameHop& f = hop_log->hops[it->second];
      if (auto room = find_lane(LaneKind::kRoom, e.room)) {
        items.push_back({f.sent_ns, f.events_before_send, 0, Point::kRoomOut, *room, i, it->second});
      }
      if (auto edge = find_lane(LaneKind::kEdge, f.edge)) {
        items.push_back({f.edge_ns, f.first_event, 0, Point::kDownEdge, *edge, i, it->second});
      }
    }
  }
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return std::tie(a.t_ns, a.pos, a.stage) < std::tie(b.t_ns, b.pos, b.stage);
  });

  // Rows: each item is a row, except that a run of like items on one lane is
  // one row "x N": sends or receives on one connection (from one sender),
  // other events that read the same (a burst of commits), or the points of
  // one connection's frames (of one message, for the room's fan-out).
  // Violating and non-violating items never share a row, and the anchor
  // event always starts one, so its node id is ev<index>.
  const auto is_bad = [&violating_set](const Item& x) { return violating_set.count(x.event) > 0; };
  const auto alike = [&](const Item& a, const Item& b) {
    if (a.point != b.point || a.lane != b.lane || a.lane == kAcross) return false;
    const Event& p = events[a.event];
    const Event& e = events[b.event];
    switch (b.point) {
      case Point::kUpEdge:
      case Point::kRoomIn:
      case Point::kDownEdge:
        return p.conn == e.conn;
      case Point::kRoomOut:
        return p.sender == e.sender && p.msg == e.msg && a.t_ns == b.t_ns;
      case Point::kEvent:
        break;
    }
    if (p.kind != e.kind) return false;
    switch (e.kind) {
      case EventKind::kSend:
        return p.conn == e.conn && p.channel == e.channel && p.target == e.target;
      case EventKind::kReceive:
        return p.conn == e.conn && p.sender == e.sender && p.channel == e.channel && p.value == e.value;
      default:
        return describe_event(h, p) == describe_event(h, e);
    }
  };
  std::vector<Row> rows;
  for (size_t k = 0; k < items.size(); ++k) {
    const Item& x = items[k];
    const bool anchor_item = x.point == Point::kEvent && x.event == anchor;
    if (!anchor_item && !rows.empty()) {
      const Item& p = items[rows.back().last];
      if (is_bad(p) == is_bad(x) && alike(p, x)) {
        rows.back().last = k;
        ++rows.back().count;
        continue;
      }
    }
    rows.push_back({k, k, 1});
  }
  size_t anchor_row = rows.size();
  for (size_t r = 0; r < rows.size() && anchor_row == rows.size(); ++r) {
    for (size_t k = rows[r].first; k <= rows[r].last; ++k) {
      if (items[k].point == Point::kEvent && items[k].event >= anchor) anchor_row = r;
    }
  }
  const size_t before = max_events * std::min<size_t>(options.events_before_share_pct, 100) / 100;
  size_t lo = anchor_row > before ? anchor_row - before : 0;
  size_t hi = std::min(rows.size(), lo + max_events);
  if (hi - lo < max_events) lo = hi > max_events ? hi - max_events : 0;
  const std::vector<Row> window(rows.begin() + static_cast<std::ptrdiff_t>(lo),
                                rows.begin() + static_cast<std::ptrdiff_t>(hi));

  // What was cut, said exactly.
  size_t shown_events = 0, hop_rows = 0, cut_before = 0;
  size_t first_shown = SIZE_MAX, last_shown = 0;
  for (const Row& r : window) {
    if (items[r.first].point != Point::kEvent) ++hop_rows;
    for (size_t k = r.first; k <= r.last; ++k) {
      if (items[k].point != Point::kEvent) continue;
      ++shown_events;
      first_shown = std::min(first_shown, items[k].event);
      last_shown = std::max(last_shown, items[k].event);
    }
  }
  for (size_t k = 0; k < (lo < rows.size() ? rows[lo].first : items.size()); ++k) {
    if (items[k].point == Point::kEvent) ++cut_before;
  }
  const size_t cut_after = relevant_total - shown_events - cut_before;
  const size_t hidden_inside = shown_events == 0 ? 0 : (last_shown - first_shown + 1) - shown_events;
  size_t violating_outside = 0;
  for (size_t v : violating) {
    if (shown_events == 0 || v < first_shown || v > last_shown) ++violating_outside;
  }
  std::string note;
  if (shown_events == 0) {
    note = "no events to show (the history has " + std::to_string(events.size()) + " events)";
  } else {
    note = "history events #" + std::to_string(first_shown) + "..#" + std::to_string(last_shown) + " of " +
           std::to_string(events.size()) + ": showing " + std::to_string(shown_events) + " events in " +
           std::to_string(window.size()) + " rows on " + std::to_string(lanes.size()) + " lanes; cut " +
           std::to_string(cut_before) + " earlier and " + std::to_string(cut_after) + " later events of these lanes; " +
           std::to_string(hidden_inside) + " events of other clients/rooms in this span not shown";
    if (violating_outside > 0) note += "; " + std::to_string(violating_outside) + " violating events outside the window";
  }
  if (choice.clients_cut > 0) {
    note += "\n" + std::to_string(choice.clients_cut) + " more clients of the violation or active near it have no lane (at most " +
            std::to_string(max_lanes) + " lanes" + (with_hops ? ", edges included)" : ")");
  }
  if (with_hops) {
    note += "\nedge lanes and frame hops (" + std::to_string(hop_rows) +
            " rows) from the run's frame-hop log: client -> its edge -> room -> receiver's edge -> receiver";
    if (hop_log->frames_not_recorded > 0) {
      note += "; the log was full from " + format_time(Time::from_ns(hop_log->full_at_ns)) + " (" +
              std::to_string(hop_log->frames_not_recorded) + " frames not logged: drawn client to client)";
    }
  } else {
    note += "\nno frame-hop log: client and room lanes only (edge lanes need a simulated run, e.g. "
            "roomsim replay --report)";
  }
  const std::string title = verdict.property + (verdict.passed ? " (passed)" : " violated") +
                            (verdict.explanation.empty() ? "" : ": " + verdict.explanation);

  DotAttrs graph;
  // Left-justified lines: the caption reads from the left edge of a wide picture.
  std::vector<std::string> caption{title};
  for (size_t from = 0; from <= note.size();) {
    const size_t nl = std::min(note.find('\n', from), note.size());
    caption.push_back(note.substr(from, nl - from));
    from = nl + 1;
  }
  graph.set_left_lines("label", caption)
      .set("labelloc", "t")
      .set("labeljust", "l")
      .set("fontname", "Helvetica")
      .set("fontsize", 12)
      .set("inputscale", 72)
      .set("splines", "line")
      .set("outputorder", "edgesfirst")
      .set("bgcolor", "white");
  DotAttrs node_defaults;
  node_defaults.set("fontname", "Helvetica").set("fontsize", 9).set("shape", "box").set("style", "rounded,filled")
      .set("fillcolor", "white").set("color", "#9aa5b1").set("height", 0.3).set("margin", "0.06,0.02");
  DotAttrs edge_defaults;
  edge_defaults.set("fontname", "Helvetica").set("fontsize", 8).set("arrowsize", 0.6);
  DotBuilder dot(true, graph, node_defaults, edge_defaults);

  std::vector<double> lane_xs;
  for (size_t l = 0; l < lanes.size(); ++l) {
    if (l == 0) {
      lane_xs.push_back(kLaneMarginPt);
      continue;
    }
    const bool narrow = lanes[l].kind != LaneKind::kClient && lanes[l - 1].kind != LaneKind::kClient;
    lane_xs.push_back(lane_xs.back() + (narrow ? kNarrowGapPt : kWideGapPt));
  }
  const auto lane_x = [&lane_xs](size_t lane) { return lane_xs[lane]; };
  const double left_x = 0;
  const double right_x = (lane_xs.empty() ? 0 : lane_xs.back()) + kLaneMarginPt;
  const double bottom_y = -kRowHeightPt * static_cast<double>(window.size() + 1);

  std::vector<std::string> previous(lanes.size());
  for (size_t l = 0; l < lanes.size(); ++l) {
    const std::string id = "lane" + std::to_string(l);
    DotAttrs a;
    std::string label, fill, color;
    switch (lanes[l].kind) {
      case LaneKind::kClient: label = "client " + h.name(lanes[l].name); fill = "#dbe9f6"; color = "#1f6fb2"; break;
      case LaneKind::kRoom: label = "room " + h.name(lanes[l].name); fill = "#fff2cc"; color = "#b7950b"; break;
      case LaneKind::kEdge: label = "edge " + hop_log->region(lanes[l].region); fill = "#d5f5e3"; color = "#1e8449"; break;
    }
    a.set("label", label).set("fillcolor", fill).set("color", color).set("fontsize", 11).set("style", "filled")
        .set("id", id);
    dot.pinned_node(id, lane_x(l), 0, a);
    previous[l] = id;
  }

  struct SendRow {
    std::string node;  // the row that holds the send
    int64_t t_ns = 0;
  };
  std::map<MsgKey, SendRow> send_at;                               // message -> its send in the window
  std::map<size_t, std::string> event_node;                        // history index -> its row
  std::map<std::pair<Point, uint32_t>, std::string> hop_node;      // (point, hop) -> its row
  std::set<std::pair<std::string, std::string>> arrows_drawn;
  const auto lane_line = [&dot](const std::string& from, const std::string& to) {
    DotAttrs a;
    a.set("dir", "none").set("color", "#c8d0d9").set("penwidth", 2).set("weight", 100);
    dot.edge(from, to, a);
  };
  const auto arrow = [&](const std::string& from, const std::string& to, bool bad, bool replay) {
    if (!arrows_drawn.insert({from, to}).second) return;
    DotAttrs a;
    a.set("color", bad ? "#c0392b" : "#1f6fb2").set("penwidth", bad ? 2 : 1);
    if (replay) a.set("style", "dashed");
    dot.edge(from, to, a);
  };
  const auto node_of = [](const auto& map, const auto& key) -> const std::string* {
    auto it = map.find(key);
    return it == map.end() ? nullptr : &it->second;
  };
  for (size_t row = 0; row < window.size(); ++row) {
    const Row& r = window[row];
    const Item& x = items[r.first];
    const Event& e = events[x.event];
    const double y = -kRowHeightPt * static_cast<double>(row + 1);
    std::string when = format_time(Time::from_ns(x.t_ns));
    const std::string until = format_time(Time::from_ns(items[r.last].t_ns));
    if (r.count > 1 && until != when) when += " - " + until;
    const bool bad = is_bad(x);

    if (x.point != Point::kEvent) {
      // A frame passing an edge or reaching/leaving the room.
      const std::string id = std::string("hop") + std::to_string(x.hop) + point_id(x.point);
      const netsim::FrameHop& f = hop_log->hops[x.hop];
      const std::string n = r.count > 1 ? " x" + std::to_string(r.count) : "";
      std::string what;
      if (x.point == Point::kUpEdge || x.point == Point::kRoomIn) {
        what = (x.point == Point::kUpEdge ? "pass" : "in") + n + " " + short_digest(e.msg);
        if (r.count > 1) what += ".." + short_digest(events[items[r.last].event].msg);
        what += " from " + h.name(e.client);
      } else {
        // The receives this frame carried: one message, or a history/resume replay.
        int64_t seq_lo = INT64_MAX, seq_hi = INT64_MIN;
        size_t carried = 0;
        for (int32_t c = 0; c < f.event_count; ++c) {
          const Event& g = events[static_cast<size_t>(f.first_event) + static_cast<size_t>(c)];
          if (g.kind != EventKind::kReceive) continue;
          ++carried;
          if (g.seq >= 0) {
            seq_lo = std::min(seq_lo, g.seq);
            seq_hi = std::max(seq_hi, g.seq);
          }
        }
        what = (x.point == Point::kRoomOut ? "out" : "pass") + n;
        if (seq_lo != INT64_MAX) what += seq_lo == seq_hi ? " seq " + std::to_string(seq_lo)
                                                          : " seq " + std::to_string(seq_lo) + ".." + std::to_string(seq_hi);
        if (carried > 1) what += " (" + std::to_string(carried) + " msgs)";
        what += r.count > 1 && x.point == Point::kRoomOut ? " to " + std::to_string(r.count) + " clients"
                                                          : " to " + h.name(e.client);
      }
      std::string label = what + "\n@" + when;
      if (x.point == Point::kRoomIn || x.point == Point::kDownEdge) {
        const int64_t from_ns = x.point == Point::kRoomIn ? e.t_ns : f.sent_ns;
        label += " (+" + format_latency(x.t_ns - from_ns) + ")";
      }
      if (f.retimed_ns >= 0 && (x.point == Point::kRoomIn || x.point == Point::kDownEdge)) {
        label += "\nheld by a partition until " + format_time(Time::from_ns(f.retimed_ns));
      }
      DotAttrs a;
      a.set("label", label).set("id", id).set("fontsize", 8)
          .set("tooltip", std::string("frame ") + (f.up ? "up" : "down") + " #" + std::to_string(f.ordinal) +
                              " of connection " + std::to_string(f.conn));
      a.set("fillcolor", bad ? "#ffd6d6" : (lanes[x.lane].kind == LaneKind::kEdge ? "#eafaf1" : "#fffbea"));
      if (bad) a.set("color", "#c0392b");
      dot.pinned_node(id, lane_x(x.lane), y, a);
      lane_line(previous[x.lane], id);
      previous[x.lane] = id;
      for (size_t k = r.first; k <= r.last; ++k) {
        const Item& y_item = items[k];
        hop_node[{y_item.point, y_item.hop}] = id;
        const std::string* from = nullptr;
        switch (y_item.point) {
          case Point::kUpEdge: from = node_of(event_node, y_item.event); break;
          case Point::kRoomIn:
            from = node_of(hop_node, std::pair{Point::kUpEdge, y_item.hop});
            if (from == nullptr) from = node_of(event_node, y_item.event);
            break;
          case Point::kDownEdge: from = node_of(hop_node, std::pair{Point::kRoomOut, y_item.hop}); break;
          case Point::kRoomOut:
          case Point::kEvent: break;
        }
        if (from != nullptr) arrow(*from, id, bad, false);
      }
      continue;
    }

    const std::string id = "ev" + std::to_string(x.event);
    if (x.lane == kAcross) {
      // A fault or phase: a dashed line across every lane, its text in the middle.
      const bool fault = e.kind != EventKind::kPhase;
      const std::string color = fault ? "#c0392b" : "#7f8c8d";
      DotAttrs end_a;
      end_a.set("shape", "point").set("width", 0.05).set("color", color).set("label", "");
      dot.pinned_node(id + "l", left_x, y, end_a);
      dot.pinned_node(id + "r", right_x, y, end_a);
      DotAttrs line;
      line.set("style", "dashed").set("color", color).set("dir", "none").set("penwidth", 1.5);
      dot.edge(id + "l", id + "r", line);
      DotAttrs text;
      text.set("label", describe_event(h, e) + "  @" + when).set("id", id).set("color", "white")
          .set("fontcolor", color).set("style", "filled").set("fontsize", 10);
      dot.pinned_node(id, (left_x + right_x) / 2, y, text);
      continue;
    }
    DotAttrs a;
    const Event& last = events[items[r.last].event];
    std::string what = describe_event(h, e);
    if (r.count > 1) {
      const std::string n = " x" + std::to_string(r.count);
      if (e.kind == EventKind::kSend) {
        what = "send" + n + " " + short_digest(e.msg) + ".." + short_digest(last.msg);
      } else if (e.kind == EventKind::kReceive) {
        what = "recv" + n + " from " + h.name(e.sender) + (e.value == 1 ? " (replay)" : "");
      } else {
        what += n;
      }
    }
    std::string label = what + "\n@" + when;
    // Sends register the row that holds them; receives find it, with the
    // delivery latency (a range for a row of several receives). A receive
    // whose frame's hops are drawn gets its arrow from the receiver's edge
    // (or the room); the others straight from the send.
    std::vector<std::string> sources;
    std::vector<std::string> hop_sources;
    int64_t latency_min_ns = INT64_MAX;
    int64_t latency_max_ns = INT64_MIN;
    size_t unmatched = 0, lost = 0;
    for (size_t k = r.first; k <= r.last; ++k) {
      const Event& g = events[items[k].event];
      event_node[items[k].event] = id;
      if (g.kind == EventKind::kSend) {
        send_at[{g.room, g.client, g.msg}] = {id, g.t_ns};
        auto up = hop_index.up_of_send.find(items[k].event);
        if (up != hop_index.up_of_send.end() && hop_log->hops[up->second].arrived_ns < 0) ++lost;
      }
      if (g.kind != EventKind::kReceive) continue;
      bool via_hops = false;
      if (auto down = hop_index.down_of_receive.find(items[k].event); down != hop_index.down_of_receive.end()) {
        const std::string* from = node_of(hop_node, std::pair{Point::kDownEdge, down->second});
        if (from == nullptr) from = node_of(hop_node, std::pair{Point::kRoomOut, down->second});
        if (from != nullptr) {
          via_hops = true;
          if (std::find(hop_sources.begin(), hop_sources.end(), *from) == hop_sources.end()) hop_sources.push_back(*from);
        }
      }
      auto it = send_at.find({g.room, g.sender, g.msg});
      if (it == send_at.end()) {
        ++unmatched;
        continue;
      }
      if (!via_hops && std::find(sources.begin(), sources.end(), it->second.node) == sources.end()) {
        sources.push_back(it->second.node);
      }
      latency_min_ns = std::min(latency_min_ns, g.t_ns - it->second.t_ns);
      latency_max_ns = std::max(latency_max_ns, g.t_ns - it->second.t_ns);
    }
    if (e.kind == EventKind::kReceive) {
      if (latency_min_ns != INT64_MAX) {
        const std::string low = format_latency(latency_min_ns);
        const std::string high = format_latency(latency_max_ns);
        label += " (+" + low;
        if (high != low) label += ".." + high;
        label += ")";
      }
      if (unmatched > 0 && r.count > 1) {
        label += " (" + std::to_string(unmatched) + " sends not shown)";
      } else if (unmatched > 0) {
        label += " (send not shown)";
      }
    }
    if (lost > 0) label += lost > 1 ? "\n(" + std::to_string(lost) + " frames lost in flight)" : "\n(frame lost in flight)";
    if (bad) {
      std::string prefix = prefixed_number("#", x.event);
      prefix += r.count > 1 ? ".. VIOLATION: " : " VIOLATION: ";
      label.insert(0, prefix);
    }
    a.set("label", label).set("id", id).set("tooltip", "history event #" + std::to_string(x.event));
    if (bad) {
      a.set("fillcolor", "#ffd6d6").set("color", "#c0392b").set("penwidth", 2).set("fontcolor", "#7b1010");
    } else if (e.kind == EventKind::kRoomCrash || e.kind == EventKind::kCommitFailed ||
               e.kind == EventKind::kRoomEvict) {
      a.set("fillcolor", "#fdebd0");
    } else if (e.kind == EventKind::kGap || e.kind == EventKind::kClose || e.kind == EventKind::kError) {
      a.set("fillcolor", "#f4f6f7");
    }
    dot.pinned_node(id, lane_x(x.lane), y, a);
    lane_line(previous[x.lane], id);
    previous[x.lane] = id;
    for (const std::string& source : hop_sources) arrow(source, id, bad, e.value == 1);
    for (const std::string& source : sources) arrow(source, id, bad, e.value == 1);
  }
  for (size_t l = 0; l < lanes.size(); ++l) {
    const std::string id = "laneend" + std::to_string(l);
    DotAttrs a;
    a.set("shape", "point").set("width", 0.05).set("color", "#c8d0d9").set("label", "");
    dot.pinned_node(id, lane_x(l), bottom_y, a);
    lane_line(previous[l], id);
  }
  return dot.finish();
}

Picture sequence_picture(const History& history, const properties::Verdict& verdict, const SequenceOptions& options,
                         const netsim::FrameHopLog* hops) {
  return render_dot("Message sequence around the violation of " + verdict.property,
                    sequence_dot(history, verdict, options, hops), "neato");
}

}  // namespace roomsim::reports
