// reports/graphviz_room_timeline.cpp: binned room state -> pinned DOT nodes.
#include "reports/graphviz_room_timeline.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

#include "engine/time.hpp"
#include "reports/dot_builder.hpp"

namespace roomsim::reports {

namespace {

using properties::Event;
using properties::EventKind;
using properties::History;

constexpr double kLeftPt = 110;  // room for the row titles
constexpr double kAxisY = 0;
constexpr double kCommitsY = 20;
constexpr double kCommitsHeightPt = 50;
constexpr double kSeqY = 100;
constexpr double kSeqHeightPt = 70;
constexpr double kSessionsY = 200;
constexpr double kSessionsHeightPt = 50;
constexpr double kRestartsY = 285;
constexpr double kFaultsY = 325;
constexpr double kFaultRowPt = 18;
constexpr size_t kFaultRowsMax = 8;

struct Bin {
  uint64_t commits = 0;
  uint64_t failed = 0;
  std::optional<int64_t> seq;       // latest seq acked (durable) at the end of the bin
  std::optional<int64_t> sessions;  // open sessions at the end of the bin
};

struct FaultWindow {
  int64_t begin_ns = 0;
  int64_t end_ns = 0;
  std::string text;
};

// Ticks at 1/2/5 x 10^k seconds, about eight across the span.
int64_t tick_step_ns(int64_t span_ns) {
  const int64_t target = std::max<int64_t>(span_ns / 8, 1);
  int64_t step = 1'000'000;  // 1 ms
  for (;;) {
    for (int64_t m : {1, 2, 5}) {
      if (step * m >= target) return step * m;
    }
    step *= 10;
  }
}

std::vector<FaultWindow> fault_windows(const History& h, int64_t end_ns) {
  std::vector<FaultWindow> out;
  std::map<int64_t, size_t> open;  // fault index -> position in out
  for (const Event& e : h.events()) {
    if (e.kind == EventKind::kFaultBegin) {
      open[e.value] = out.size();
      out.push_back({e.t_ns, end_ns, h.name(e.text)});
    } else if (e.kind == EventKind::kFaultEnd) {
      auto it = open.find(e.value);
      if (it != open.end()) {
        out[it->second].end_ns = e.t_ns;
        open.erase(it);
      }
    }
  }
  return out;
}

// True if a fault description names a room ("... room=news ...") other than
// `room_name` ("seed-broadcast/news"): that fault does not concern this room.
bool about_other_room(const std::string& description, std::string_view room_name) {
  const size_t at = description.find(" room=");
  if (at == std::string::npos) return false;
  const size_t start = at + 6;
  const size_t end = description.find(' ', start);
  const std::string id = description.substr(start, end == std::string::npos ? std::string::npos : end - start);
  const size_t slash = room_name.rfind('/');
  const std::string_view room_id = slash == std::string_view::npos ? room_name : room_name.substr(slash + 1);
  return id != room_id && id != room_name;
}

std::string shortened(const std::string& s, size_t max_chars) {
  if (s.size() <= max_chars) return s;
  return s.substr(0, max_chars - 3) + "...";
}

}  // namespace

std::string failing_room(const History& h, const properties::Verdict& verdict) {
  for (size_t v : verdict.violating) {
    if (v < h.size() && h.events()[v].room != properties::kNoName) return h.name(h.events()[v].room);
  }
  std::map<properties::NameId, size_t> counts;
  for (const Event& e : h.events()) {
    if (e.room != properties::kNoName) ++counts[e.room];
  }
  properties::NameId best = properties::kNoName;
  size_t best_count = 0;
  for (const auto& [room, n] : counts) {
    if (n > best_count) {
      best = room;
      best_count = n;
    }
  }
  return h.name(best);
}

std::string room_timeline_dot(const History& h, std::string_view room_name, const RoomTimelineOptions& options) {
  const size_t bins_n = std::max<size_t>(options.bins, 1);
  const double width = std::max(options.width_pt, 200.0);
  const auto room = h.find(room_name);
  const auto& events = h.events();
  const int64_t end_ns = events.empty() ? 1 : std::max<int64_t>(events.back().t_ns, 1);
  const auto x_of = [&](int64_t t_ns) {
    return kLeftPt + width * static_cast<double>(std::clamp<int64_t>(t_ns, 0, end_ns)) / static_cast<double>(end_ns);
  };
  const auto bin_of = [&](int64_t t_ns) {
    const auto b = static_cast<size_t>(static_cast<double>(std::clamp<int64_t>(t_ns, 0, end_ns)) /
                                       static_cast<double>(end_ns) * static_cast<double>(bins_n));
    return std::min(b, bins_n - 1);
  };

  std::vector<Bin> bins(bins_n);
  std::vector<size_t> markers;  // history indices of start/crash/evict
  size_t markers_total = 0;
  uint64_t commits_total = 0;
  uint64_t failed_total = 0;
  for (size_t i = 0; i < events.size() && room; ++i) {
    const Event& e = events[i];
    if (e.room != *room) continue;
    Bin& b = bins[bin_of(e.t_ns)];
    switch (e.kind) {
      case EventKind::kCommit:
        ++b.commits;
        ++commits_total;
        if (e.seq >= 0) b.seq = e.seq;  // -1: the room does not number its messages
        break;
      case EventKind::kAck:
        // The room's latest seq as its senders saw it (an ack leaves only once its write is durable);
        // host facts no longer carry a seq the room reported.
        if (e.seq >= 0) b.seq = e.seq;
        break;
      case EventKind::kCommitFailed:
        ++b.failed;
        ++failed_total;
        break;
      case EventKind::kRoomStart:
        if (e.seq >= 0) b.seq = e.seq;
        [[fallthrough]];
      case EventKind::kRoomCrash:
      case EventKind::kRoomEvict:
        ++markers_total;
        if (markers.size() < options.markers_max) markers.push_back(i);
        break;
      case EventKind::kRoomSessions:
        b.sessions = e.value;
        break;
      default:
        break;
    }
  }
  // Carry the last known value forward through bins without news.
  for (size_t i = 1; i < bins_n; ++i) {
    if (!bins[i].seq) bins[i].seq = bins[i - 1].seq;
    if (!bins[i].sessions) bins[i].sessions = bins[i - 1].sessions;
  }
  uint64_t commits_max = 1;
  int64_t seq_max = 1;
  int64_t sessions_max = 1;
  for (const Bin& b : bins) {
    commits_max = std::max(commits_max, b.commits + b.failed);
    seq_max = std::max<int64_t>(seq_max, b.seq.value_or(0));
    sessions_max = std::max<int64_t>(sessions_max, b.sessions.value_or(0));
  }

  std::string title = "room " + std::string(room_name) + " over time: " + std::to_string(commits_total) +
                      " commits, " + std::to_string(failed_total) + " failed, " + std::to_string(markers_total) +
                      " starts/crashes/evictions";
  if (!room) title = "room " + std::string(room_name) + ": no events in this history";
  if (markers_total > markers.size()) {
    title += " (first " + std::to_string(markers.size()) + " marked)";
  }
  DotAttrs graph;
  graph.set("label", title).set("labelloc", "t").set("fontname", "Helvetica").set("fontsize", 12)
      .set("inputscale", 72).set("splines", "line").set("outputorder", "edgesfirst");
  DotAttrs node_defaults;
  node_defaults.set("fontname", "Helvetica").set("fontsize", 9).set("shape", "point").set("width", 0.04)
      .set("label", "");
  DotAttrs edge_defaults;
  edge_defaults.set("dir", "none").set("fontname", "Helvetica").set("fontsize", 8);
  DotBuilder dot(true, graph, node_defaults, edge_defaults);

  const auto row_title = [&dot](const std::string& id, double y, const std::string& text) {
    DotAttrs a;
    a.set("shape", "plaintext").set("label", text).set("fontsize", 10).set("fontcolor", "#34495e");
    dot.pinned_node(id, 50, y, a);
  };
  const double bin_width = width / static_cast<double>(bins_n);

  // Time axis with ticks.
  DotAttrs axis_end;
  axis_end.set("color", "#7f8c8d");
  dot.pinned_node("axis0", kLeftPt, kAxisY, axis_end);
  dot.pinned_node("axis1", kLeftPt + width, kAxisY, axis_end);
  DotAttrs axis_line;
  axis_line.set("color", "#7f8c8d");
  dot.edge("axis0", "axis1", axis_line);
  const int64_t step = tick_step_ns(end_ns);
  for (int64_t t = 0; t <= end_ns; t += step) {
    DotAttrs a;
    a.set("shape", "plaintext").set("label", format_time(Time::from_ns(t))).set("fontsize", 8)
        .set("fontcolor", "#7f8c8d");
    dot.pinned_node("tick" + std::to_string(t), x_of(t), kAxisY - 10, a);
  }
  row_title("t_commits", kCommitsY + kCommitsHeightPt / 2, "commits\n(max " + std::to_string(commits_max) + "/bin)");
  const bool has_seq = std::any_of(bins.begin(), bins.end(), [](const Bin& b) { return b.seq.has_value(); });
  const bool has_sessions = std::any_of(bins.begin(), bins.end(), [](const Bin& b) { return b.sessions.has_value(); });
  row_title("t_seq", kSeqY + kSeqHeightPt / 2,
            "durable seq" + (has_seq ? "\n(max " + std::to_string(seq_max) + ")" : std::string()));
  row_title("t_sessions", kSessionsY + kSessionsHeightPt / 2,
            "sessions" + (has_sessions ? "\n(max " + std::to_string(sessions_max) + ")" : std::string()));
  row_title("t_restarts", kRestartsY, "restarts");
  row_title("t_faults", kFaultsY + kFaultRowPt, "faults");

  // Commit bars: a fixed-size box per non-empty bin, bottom-aligned.
  for (size_t i = 0; i < bins_n; ++i) {
    const Bin& b = bins[i];
    const double x = kLeftPt + bin_width * (static_cast<double>(i) + 0.5);
    const auto bar = [&](const std::string& id, double bottom, uint64_t n, const char* color) {
      if (n == 0) return bottom;
      const double hpt = kCommitsHeightPt * static_cast<double>(n) / static_cast<double>(commits_max);
      DotAttrs a;
      a.set("shape", "box").set("style", "filled").set("fixedsize", "true").set("width", bin_width * 0.8 / 72)
          .set("height", std::max(hpt, 1.0) / 72).set("color", color).set("fillcolor", color)
          .set("tooltip", std::to_string(n) + (std::string(color) == "#c0392b" ? " failed commits" : " commits"));
      dot.pinned_node(id, x, bottom + hpt / 2, a);
      return bottom + hpt;
    };
    const double top = bar(prefixed_number("c", i), kCommitsY, b.commits, "#5b8db8");
    bar(prefixed_number("f", i), top, b.failed, "#c0392b");
  }
  // Line charts: one point per bin with a known value, joined.
  const auto line = [&](const std::string& prefix, double y0, double height, int64_t max_value, const char* color,
                        auto value_of) {
    std::optional<std::string> previous;
    if (std::none_of(bins.begin(), bins.end(), [&](const Bin& b) { return value_of(b).has_value(); })) {
      DotAttrs a;
      a.set("shape", "plaintext").set("label", "(not recorded)").set("fontsize", 8).set("fontcolor", "#95a5a6");
      dot.pinned_node(prefix + "none", kLeftPt + 40, y0 + height / 2, a);
      return;
    }
    for (size_t i = 0; i < bins_n; ++i) {
      const std::optional<int64_t> v = value_of(bins[i]);
      if (!v) continue;
      const std::string id = prefix + std::to_string(i);
      DotAttrs a;
      a.set("color", color).set("width", 0.03)
          .set("tooltip", std::to_string(*v));
      const double y = y0 + height * static_cast<double>(std::max<int64_t>(*v, 0)) / static_cast<double>(max_value);
      dot.pinned_node(id, kLeftPt + bin_width * (static_cast<double>(i) + 0.5), y, a);
      if (previous) {
        DotAttrs e;
        e.set("color", color).set("penwidth", 1.5);
        dot.edge(*previous, id, e);
      }
      previous = id;
    }
  };
  line("s", kSeqY, kSeqHeightPt, seq_max, "#1e8449", [](const Bin& b) { return b.seq; });
  line("n", kSessionsY, kSessionsHeightPt, sessions_max, "#7d3c98", [](const Bin& b) { return b.sessions; });

  // Restart markers.
  for (size_t k = 0; k < markers.size(); ++k) {
    const Event& e = events[markers[k]];
    DotAttrs a;
    a.set("shape", "box").set("style", "filled,rounded").set("fontsize", 8).set("height", 0.2).set("width", 0.2)
        .set("margin", "0.03,0.01").set("id", "ev" + std::to_string(markers[k]));
    if (e.kind == EventKind::kRoomStart) {
      std::string label = "start";
      if (e.epoch >= 0) label += prefixed_number(" e", static_cast<size_t>(e.epoch));
      if (e.value >= 0) label += prefixed_number("\n", static_cast<size_t>(e.value)) + " stored";
      a.set("label", label)
          .set("fillcolor", "#d5f5e3").set("color", "#1e8449");
    } else if (e.kind == EventKind::kRoomCrash) {
      a.set("label", "crash").set("fillcolor", "#f5b7b1").set("color", "#c0392b");
    } else {
      a.set("label", "evict").set("fillcolor", "#fdebd0").set("color", "#d35400");
    }
    a.set("tooltip", format_time(Time::from_ns(e.t_ns)));
    // Alternate heights so neighbouring markers overlap less.
    dot.pinned_node(prefixed_number("m", k), x_of(e.t_ns), kRestartsY + (k % 2 == 0 ? -8.0 : 10.0), a);
  }

  // Fault windows of this room or of the whole network, stacked greedily into
  // rows so that neither bars nor their labels overlap.
  const std::vector<FaultWindow> faults = fault_windows(h, end_ns);
  std::vector<int64_t> row_free_at;
  size_t faults_hidden = 0;
  size_t faults_other_rooms = 0;
  constexpr size_t kFaultLabelChars = 48;
  for (size_t k = 0; k < faults.size(); ++k) {
    const FaultWindow& f = faults[k];
    if (about_other_room(f.text, room_name)) {
      ++faults_other_rooms;
      continue;
    }
    const std::string text = shortened(f.text, kFaultLabelChars);
    const double label_pt = 4.6 * static_cast<double>(text.size());
    const auto label_ns = static_cast<int64_t>(label_pt / width * static_cast<double>(end_ns));
    size_t row = 0;
    while (row < row_free_at.size() && row_free_at[row] > f.begin_ns) ++row;
    if (row == kFaultRowsMax) {
      ++faults_hidden;
      continue;
    }
    if (row == row_free_at.size()) row_free_at.push_back(0);
    row_free_at[row] = std::max(f.end_ns, f.begin_ns + label_ns) + end_ns / 100;
    const double y = kFaultsY + kFaultRowPt * static_cast<double>(row);
    const std::string id = "fault" + std::to_string(k);
    DotAttrs end_a;
    end_a.set("color", "#c0392b").set("width", 0.06);
    dot.pinned_node(id + "a", x_of(f.begin_ns), y, end_a);
    dot.pinned_node(id + "b", x_of(f.end_ns), y, end_a);
    DotAttrs bar;
    bar.set("color", "#e6b0aa").set("penwidth", 6).set("tooltip", f.text);
    dot.edge(id + "a", id + "b", bar);
    DotAttrs label;
    label.set("shape", "plaintext").set("label", text).set("fontsize", 8).set("fontcolor", "#922b21")
        .set("tooltip", f.text).set("margin", "0");
    dot.pinned_node(id + "t", x_of(f.begin_ns) + label_pt / 2, y + 9, label);
  }
  if (faults_other_rooms > 0) {
    DotAttrs a;
    a.set("shape", "plaintext").set("fontsize", 8).set("fontcolor", "#95a5a6")
        .set("label", std::to_string(faults_other_rooms) + " faults of other rooms not shown");
    dot.pinned_node("faults_other", kLeftPt + width - 80, kFaultsY - 14, a);
  }
  if (faults_hidden > 0) {
    DotAttrs a;
    a.set("shape", "plaintext").set("fontsize", 8).set("label", "+" + std::to_string(faults_hidden) + " more faults");
    dot.pinned_node("faults_more", kLeftPt + width, kFaultsY + kFaultRowPt * kFaultRowsMax, a);
  }
  return dot.finish();
}

Picture room_timeline_picture(const History& history, std::string_view room, const RoomTimelineOptions& options) {
  return render_dot("Room " + std::string(room) + " over time", room_timeline_dot(history, room, options), "neato");
}

}  // namespace roomsim::reports
