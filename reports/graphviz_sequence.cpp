// reports/graphviz_sequence.cpp: lanes, window selection and DOT for the
// message sequence diagram.
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

namespace roomsim::reports {

namespace {

using properties::Event;
using properties::EventKind;
using properties::History;
using properties::NameId;

constexpr double kLaneSpacingPt = 250;
constexpr double kRowHeightPt = 36;
constexpr double kLaneMarginPt = 130;  // fault lines stick out this far beyond the outer lanes

struct Lane {
  bool is_room = false;
  NameId name = properties::kNoName;
};

class LanePicker {
 public:
  explicit LanePicker(size_t max_lanes) : max_lanes_(max_lanes) {}

  void add_client(NameId c) {
    if (c != properties::kNoName && std::find(clients_.begin(), clients_.end(), c) == clients_.end()) {
      clients_.push_back(c);
    }
  }
  void add_room(NameId r) {
    if (r != properties::kNoName && std::find(rooms_.begin(), rooms_.end(), r) == rooms_.end()) rooms_.push_back(r);
  }

  // Rooms get at most two lanes (and at least one when any room is involved);
  // clients fill the rest in priority order.
  std::vector<Lane> lanes() const {
    const size_t room_lanes = std::min<size_t>({rooms_.size(), 2, max_lanes_});
    const size_t client_lanes = std::min(clients_.size(), max_lanes_ - room_lanes);
    std::vector<Lane> out;
    for (size_t i = 0; i < client_lanes; ++i) out.push_back({false, clients_[i]});
    // The room lane sits in the middle of the clients: arrows stay short.
    const auto middle = static_cast<std::ptrdiff_t>(out.size() / 2);
    for (size_t i = 0; i < room_lanes; ++i) out.insert(out.begin() + middle + static_cast<std::ptrdiff_t>(i), {true, rooms_[i]});
    return out;
  }

  size_t candidate_clients() const { return clients_.size(); }

 private:
  size_t max_lanes_;
  std::vector<NameId> clients_;
  std::vector<NameId> rooms_;
};

bool is_client_side(EventKind k) { return !is_room_side(k) && !is_run_wide(k) && k != EventKind::kConfig; }

struct MsgKey {
  NameId room;
  NameId sender;
  uint64_t msg;
  auto operator<=>(const MsgKey&) const = default;
};

}  // namespace

std::string sequence_dot(const History& h, const properties::Verdict& verdict, const SequenceOptions& options) {
  const auto& events = h.events();
  const size_t max_events = std::max<size_t>(options.max_events, 10);
  const size_t max_lanes = std::max<size_t>(options.max_lanes, 2);

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

  // Lanes: clients of the violating events, then whom they heard from, then
  // the rooms; if that names nobody, the clients active near the anchor.
  LanePicker picker(max_lanes);
  for (size_t v : violating) picker.add_client(events[v].client);
  for (size_t v : violating) {
    picker.add_client(events[v].sender);
    picker.add_client(events[v].target);
  }
  for (size_t v : violating) picker.add_room(events[v].room);
  if (!events.empty()) {
    const size_t lo = anchor >= 200 ? anchor - 200 : 0;
    const size_t hi = std::min(events.size(), anchor + 200);
    for (size_t i = lo; i < hi && picker.candidate_clients() < max_lanes; ++i) {
      if (is_client_side(events[i].kind)) picker.add_client(events[i].client);
    }
    for (size_t i = lo; i < hi; ++i) picker.add_room(events[i].room);
  }
  const std::vector<Lane> lanes = picker.lanes();
  std::map<std::pair<bool, NameId>, size_t> lane_of;
  for (size_t i = 0; i < lanes.size(); ++i) lane_of[{lanes[i].is_room, lanes[i].name}] = i;

  // Which lane an event is drawn on: SIZE_MAX = across every lane, none = not shown.
  const auto lane_for = [&](const Event& e) -> std::optional<size_t> {
    if (is_run_wide(e.kind)) return SIZE_MAX;
    if (e.kind == EventKind::kConfig) return std::nullopt;
    const bool room_side = is_room_side(e.kind);
    auto it = lane_of.find({room_side, room_side ? e.room : e.client});
    if (it == lane_of.end()) return std::nullopt;
    return it->second;
  };

  // Rows: each relevant event is a row, except that a run of like events on
  // one lane is one row "x N": sends or receives on one connection (from one
  // sender), or other events that read the same (a burst of commits).
  // Violating and non-violating events never share a row, and the first
  // violating event always starts one, so its node id is ev<index>.
  struct Row {
    size_t first = 0;  // history indices
    size_t last = 0;
    size_t count = 0;
  };
  const auto alike = [&](const Event& p, const Event& e) {
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
  size_t relevant_total = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    const std::optional<size_t> lane = lane_for(events[i]);
    if (!lane) continue;
    ++relevant_total;
    const Event& e = events[i];
    if (*lane != SIZE_MAX && i != anchor && !rows.empty()) {
      Row& prev = rows.back();
      const Event& p = events[prev.last];
      if (violating_set.count(i) == violating_set.count(prev.last) && lane_for(p) == lane && alike(p, e)) {
        prev.last = i;
        ++prev.count;
        continue;
      }
    }
    rows.push_back({i, i, 1});
  }
  const size_t anchor_row = static_cast<size_t>(
      std::lower_bound(rows.begin(), rows.end(), anchor, [](const Row& r, size_t a) { return r.last < a; }) -
      rows.begin());
  const size_t before = max_events * std::min<size_t>(options.events_before_share_pct, 100) / 100;
  size_t lo = anchor_row > before ? anchor_row - before : 0;
  size_t hi = std::min(rows.size(), lo + max_events);
  if (hi - lo < max_events) lo = hi > max_events ? hi - max_events : 0;
  const std::vector<Row> window(rows.begin() + static_cast<std::ptrdiff_t>(lo),
                                rows.begin() + static_cast<std::ptrdiff_t>(hi));

  // What was cut, said exactly.
  size_t shown_events = 0;
  for (const Row& r : window) shown_events += r.count;
  size_t cut_before = 0;
  for (size_t k = 0; k < lo; ++k) cut_before += rows[k].count;
  const size_t cut_after = relevant_total - shown_events - cut_before;
  size_t hidden_inside = 0;
  size_t violating_outside = 0;
  if (!window.empty()) hidden_inside = (window.back().last - window.front().first + 1) - shown_events;
  for (size_t v : violating) {
    if (window.empty() || v < window.front().first || v > window.back().last) ++violating_outside;
  }
  std::string note;
  if (window.empty()) {
    note = "no events to show (the history has " + std::to_string(events.size()) + " events)";
  } else {
    note = "history events #" + std::to_string(window.front().first) + "..#" + std::to_string(window.back().last) +
           " of " + std::to_string(events.size()) + ": showing " + std::to_string(shown_events) + " events in " +
           std::to_string(window.size()) + " rows on " + std::to_string(lanes.size()) + " lanes; cut " +
           std::to_string(cut_before) + " earlier and " + std::to_string(cut_after) + " later events of these lanes; " +
           std::to_string(hidden_inside) + " events of other clients/rooms in this span not shown";
    if (violating_outside > 0) note += "; " + std::to_string(violating_outside) + " violating events outside the window";
  }
  const std::string title = verdict.property + (verdict.passed ? " (passed)" : " violated") +
                            (verdict.explanation.empty() ? "" : ": " + verdict.explanation);

  DotAttrs graph;
  graph.set("label", title + "\n" + note)
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

  const auto lane_x = [](size_t lane) { return kLaneMarginPt + static_cast<double>(lane) * kLaneSpacingPt; };
  const double left_x = lane_x(0) - kLaneMarginPt;
  const double right_x = lane_x(lanes.empty() ? 0 : lanes.size() - 1) + kLaneMarginPt;
  const double bottom_y = -kRowHeightPt * static_cast<double>(window.size() + 1);

  std::vector<std::string> previous(lanes.size());
  for (size_t l = 0; l < lanes.size(); ++l) {
    const std::string id = "lane" + std::to_string(l);
    DotAttrs a;
    a.set("label", (lanes[l].is_room ? "room " : "client ") + h.name(lanes[l].name))
        .set("fillcolor", lanes[l].is_room ? "#fff2cc" : "#dbe9f6")
        .set("color", lanes[l].is_room ? "#b7950b" : "#1f6fb2")
        .set("fontsize", 11)
        .set("style", "filled")
        .set("id", id);
    dot.pinned_node(id, lane_x(l), 0, a);
    previous[l] = id;
  }

  struct SendRow {
    std::string node;  // the row that holds the send
    int64_t t_ns = 0;
  };
  std::map<MsgKey, SendRow> send_at;  // message -> its send in the window
  const auto lane_line = [&dot](const std::string& from, const std::string& to) {
    DotAttrs a;
    a.set("dir", "none").set("color", "#c8d0d9").set("penwidth", 2).set("weight", 100);
    dot.edge(from, to, a);
  };
  for (size_t row = 0; row < window.size(); ++row) {
    const size_t index = window[row].first;
    const Event& e = events[index];
    const double y = -kRowHeightPt * static_cast<double>(row + 1);
    const std::string id = "ev" + std::to_string(index);
    std::string when = format_time(Time::from_ns(e.t_ns));
    const std::string until = format_time(Time::from_ns(events[window[row].last].t_ns));
    if (window[row].count > 1 && until != when) when += " - " + until;
    const size_t lane = *lane_for(e);
    if (lane == SIZE_MAX) {
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
    const bool bad = violating_set.count(index) > 0;
    DotAttrs a;
    const Row& r = window[row];
    std::string what = describe_event(h, e);
    if (r.count > 1) {
      const std::string n = " x" + std::to_string(r.count);
      if (e.kind == EventKind::kSend) {
        what = "send" + n + " " + short_digest(e.msg) + ".." + short_digest(events[r.last].msg);
      } else if (e.kind == EventKind::kReceive) {
        what = "recv" + n + " from " + h.name(e.sender) + (e.value == 1 ? " (replay)" : "");
      } else {
        what += n;
      }
    }
    std::string label = what + "\n@" + when;
    // Sends register the row that holds them; receives find it, with the
    // delivery latency (a range for a row of several receives).
    std::vector<std::string> sources;
    int64_t latency_min_ns = INT64_MAX;
    int64_t latency_max_ns = INT64_MIN;
    size_t unmatched = 0;
    for (size_t i = r.first; i <= r.last; ++i) {
      const Event& x = events[i];
      if (lane_for(x) != lane) continue;
      if (x.kind == EventKind::kSend) send_at[{x.room, x.client, x.msg}] = {id, x.t_ns};
      if (x.kind != EventKind::kReceive) continue;
      auto it = send_at.find({x.room, x.sender, x.msg});
      if (it == send_at.end()) {
        ++unmatched;
        continue;
      }
      if (std::find(sources.begin(), sources.end(), it->second.node) == sources.end()) sources.push_back(it->second.node);
      latency_min_ns = std::min(latency_min_ns, x.t_ns - it->second.t_ns);
      latency_max_ns = std::max(latency_max_ns, x.t_ns - it->second.t_ns);
    }
    if (e.kind == EventKind::kReceive) {
      if (!sources.empty()) {
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
    if (bad) {
      std::string prefix = prefixed_number("#", index);
      prefix += r.count > 1 ? ".. VIOLATION: " : " VIOLATION: ";
      label.insert(0, prefix);
    }
    a.set("label", label).set("id", id).set("tooltip", "history event #" + std::to_string(index));
    if (bad) {
      a.set("fillcolor", "#ffd6d6").set("color", "#c0392b").set("penwidth", 2).set("fontcolor", "#7b1010");
    } else if (e.kind == EventKind::kRoomCrash || e.kind == EventKind::kCommitFailed ||
               e.kind == EventKind::kRoomEvict) {
      a.set("fillcolor", "#fdebd0");
    } else if (e.kind == EventKind::kGap || e.kind == EventKind::kClose || e.kind == EventKind::kError) {
      a.set("fillcolor", "#f4f6f7");
    }
    dot.pinned_node(id, lane_x(lane), y, a);
    lane_line(previous[lane], id);
    previous[lane] = id;

    for (const std::string& source : sources) {
      DotAttrs arrow;
      arrow.set("color", bad ? "#c0392b" : "#1f6fb2").set("penwidth", bad ? 2 : 1);
      if (e.value == 1) arrow.set("style", "dashed");
      dot.edge(source, id, arrow);
    }
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

Picture sequence_picture(const History& history, const properties::Verdict& verdict, const SequenceOptions& options) {
  return render_dot("Message sequence around the violation of " + verdict.property,
                    sequence_dot(history, verdict, options), "neato");
}

}  // namespace roomsim::reports
