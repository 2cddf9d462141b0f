// properties/checkers/admission.cpp: legitimate clients get in, and are not
// refused in the name of limits they are within.
//
// Limits are each room's promises (kConfig per room; 0 = no such limit; a
// room that records none is not judged for it). Counts are the host's
// (kAdmission: sessions of the room and of the user open just before the
// decision), token validity the world's (kConnect value).
//  1. "refused_valid_token": a kAdmission with code 401 or 403 for a
//     connection that presented a valid token, in a room that records
//     auth_required, while the room's count < max_connections and the user's
//     count < max_connections_per_user.
//  2. "refused_below_limits": a kAdmission with any other refusal code
//     (not 101, not 400: a malformed request is the client's fault and the
//     history does not say whether it was well formed) for a connection that
//     presented a valid token or whose room records auth_required = 0, while
//     both counts are below the limits. (A connection without a valid token
//     in a room that requires one is judged by authorization instead.)
//  3. "false_rate_limited": an `error` rate_limited to a connection when
//     at most rate_limit_per_min messages (kSend, the world's count of what
//     was sent), the refused one among them, so fewer than the limit before
//     it, were sent in the window [t - 60 s - slack, t] by its
//     user in that room (all the user's connections; a connection without a
//     user counts alone). slack = heartbeat_timeout_ms, the longest a frame
//     can be in flight on an open connection, plus twice room_clock_error_ms
//     (when recorded: the room's clock may be off by that much); the room
//     counts arrivals, so sends up to that much earlier may still count for it. The user's count
//     is used even where the room promises a per-connection limit
//     (rate_limit_per_user 0): rooms key their counters by user id when the
//     session has one, and the larger count can only make a failure more
//     certain. Sends the room refused count too, for the same reason.
//  4. "false_frame_too_large": an `error` frame_too_large, or a close 1009
//     the client did not initiate, on a connection whose recorded sends
//     (kSend value = frame bytes) were all at most max_frame_bytes. Needs
//     every client frame that carries a payload recorded as a kSend with its
//     size; sends without a size (value 0) leave the connection unjudged.
//  5. "not_admitted_in_bound": from the first kPhase "liveness" on, a
//     kConnect with a valid token gets a kConnectResult within the room's
//     liveness_bound_ms (unless the connection closes or the client leaves
//     first). A refusal answers it; rules 1 and 2 judge whether the refusal
//     was legitimate. A window that ends after the last "end" phase cannot
//     fail; it counts as judged when the answer came by the end.
// Rooms that record no kAdmission: refusals are not judged (noted).
//
// Judged against: token validity (kConnect), the host's session counts
// (kAdmission), the world's sends and frame sizes, each room's promises.
//
// Memory: per open connection its user, validity and recent send times; per
// (room, user) recent send times; the pending liveness-phase connects.
#include <algorithm>
#include <deque>
#include <limits>
#include <map>
#include <optional>
#include <queue>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "properties/checkers/checkers.hpp"
#include "properties/checkers/support.hpp"

namespace roomsim::properties::internal {

namespace {

constexpr int64_t kNoLimit = std::numeric_limits<int64_t>::max();
constexpr int64_t kRateWindowNs = 60'000'000'000;

struct ConnInfo {
  NameId room = kNoName;
  NameId client = kNoName;
  NameId user = kNoName;
  std::optional<bool> valid_token;
  int64_t max_frame_bytes_sent = 0;
  bool any_send_unsized = false;
  bool frame_judged = false;
  std::deque<int64_t> send_ns;  // recent sends
};

struct RoomPromise {
  std::optional<int64_t> max_connections;           // kNoLimit for 0
  std::optional<int64_t> max_connections_per_user;  // kNoLimit for 0
  std::optional<int64_t> auth_required;
  std::optional<int64_t> rate_limit_per_min;  // kNoLimit for 0
  std::optional<int64_t> slack_ns;
  std::optional<int64_t> max_frame_bytes;  // kNoLimit for 0
  std::optional<int64_t> bound_ms;         // liveness_bound_ms
};

std::optional<int64_t> no_limit_for_zero(std::optional<int64_t> v) {
  if (v && *v <= 0) return kNoLimit;
  return v;
}

std::string limit_text(int64_t v) { return v == kNoLimit ? std::string("none") : std::to_string(v); }

// Drops send times before `from_ns` from the front of a time-ordered deque.
void drop_before(std::deque<int64_t>& times, int64_t from_ns) {
  while (!times.empty() && times.front() < from_ns) times.pop_front();
}

struct PendingConnect {
  int64_t deadline_ns;
  size_t index;
  uint64_t conn;
  bool operator>(const PendingConnect& o) const {
    return std::tie(deadline_ns, index) > std::tie(o.deadline_ns, o.index);
  }
};

}  // namespace

Verdict check_admission(const History& h) {
  VerdictBuilder out("admission");
  const KnownNames names(h);
  const ConfigView config(h);
  RoomScope scope(h, config, out);
  const auto& events = h.events();
  const auto rate_limited = h.find("rate_limited");
  const auto frame_too_large = h.find("frame_too_large");
  const EndPhase end = find_end_phase(h, names);
  const int64_t end_t = end.index ? end.t_ns : (events.empty() ? 0 : events.back().t_ns);

  std::set<NameId> admitting_rooms;  // rooms with host admission facts
  std::optional<int64_t> liveness_t;
  for (const Event& e : events) {
    if (e.kind == EventKind::kAdmission) admitting_rooms.insert(e.room);
    if (!liveness_t && e.kind == EventKind::kPhase && names.liveness && e.text == *names.liveness) liveness_t = e.t_ns;
  }

  std::map<NameId, RoomPromise> promises;
  auto promise = [&](NameId room) -> const RoomPromise& {
    auto [it, fresh] = promises.try_emplace(room);
    if (!fresh) return it->second;
    RoomPromise& p = it->second;
    p.max_connections = no_limit_for_zero(config.find("max_connections", room));
    p.max_connections_per_user = no_limit_for_zero(config.find("max_connections_per_user", room));
    p.auth_required = config.find("auth_required", room);
    p.rate_limit_per_min = no_limit_for_zero(config.find("rate_limit_per_min", room));
    if (auto hb = config.find("heartbeat_timeout_ms", room)) {
      // Plus twice the room clock's possible error: a message accepted up to 2E earlier by true
      // time may still be inside the room's window by its clock.
      const int64_t clock_error_ns = ms_to_ns(std::max<int64_t>(0, config.find("room_clock_error_ms").value_or(0)));
      p.slack_ns = saturating_add(ms_to_ns(std::max<int64_t>(0, *hb)), saturating_add(clock_error_ns, clock_error_ns));
    }
    p.max_frame_bytes = no_limit_for_zero(config.find("max_frame_bytes", room));
    p.bound_ms = config.find("liveness_bound_ms", room);
    return p;
  };

  std::unordered_map<uint64_t, ConnInfo> conns;
  std::map<std::pair<NameId, NameId>, std::deque<int64_t>> user_sends;  // (room, user) -> recent sends
  std::priority_queue<PendingConnect, std::vector<PendingConnect>, std::greater<>> deadlines;
  std::unordered_set<uint64_t> awaiting_answer;                            // liveness-phase connects not answered yet
  std::unordered_set<uint64_t> awaiting_in_open_window;  // the same, whose window ends after the end
  std::map<std::pair<NameId, NameId>, std::vector<uint64_t>> awaiting_of;  // (client, room) -> conns
  bool unjudged_rate = false, unjudged_frame = false, refusal_without_admission = false;

  auto expire_before = [&](int64_t t_ns) {
    while (!deadlines.empty() && deadlines.top().deadline_ns < t_ns) {
      const PendingConnect p = deadlines.top();
      deadlines.pop();
      if (!awaiting_answer.erase(p.conn)) continue;
      const Event& ce = events[p.index];
      const int64_t bound_ms = *promise(ce.room).bound_ms;
      out.fail(p.index, ce.t_ns, "not_admitted_in_bound", [&] {
        return "client " + name_or_none(h, ce.client) + " (connection " + std::to_string(ce.conn) +
               ") presented a valid token to room " + name_or_none(h, ce.room) + " at " + at_time(ce.t_ns) +
               " in the liveness phase and got no answer within " + std::to_string(bound_ms) + "ms";
      });
    }
  };

  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (!scope.judges(e.room)) continue;
    expire_before(e.t_ns);
    switch (e.kind) {
      case EventKind::kConnect: {
        ConnInfo& c = conns[e.conn];
        c.room = e.room;
        c.client = e.client;
        c.user = e.user;
        c.valid_token = e.value == 1;
        if (e.value != 1 || !liveness_t || e.t_ns < *liveness_t) break;
        const RoomPromise& p = promise(e.room);
        if (!p.bound_ms) {
          scope.limit("liveness_bound_ms", e.room, "answers to connects in the liveness phase");
          break;
        }
        const int64_t deadline = saturating_add(e.t_ns, ms_to_ns(*p.bound_ms));
        if (deadline > end_t) {
          awaiting_in_open_window.insert(e.conn);
          break;
        }
        out.judged();
        awaiting_answer.insert(e.conn);
        awaiting_of[{e.client, e.room}].push_back(e.conn);
        deadlines.push(PendingConnect{deadline, i, e.conn});
        break;
      }
      case EventKind::kConnectResult:
        awaiting_answer.erase(e.conn);
        if (awaiting_in_open_window.erase(e.conn) && e.t_ns <= end_t) out.judged();
        if (e.code != 101) {
          if (!admitting_rooms.count(e.room)) refusal_without_admission = true;
          conns.erase(e.conn);
        }
        break;
      case EventKind::kLeave: {
        auto a = awaiting_of.find({e.client, e.room});
        if (a == awaiting_of.end()) break;
        for (uint64_t conn : a->second) awaiting_answer.erase(conn);
        awaiting_of.erase(a);
        break;
      }
      case EventKind::kAdmission: {
        auto it = conns.find(e.conn);
        if (it != conns.end() && e.user != kNoName) it->second.user = e.user;  // the world's user wins
        if (e.code == 101 || e.code == 400) {
          out.judged();
          break;
        }
        const RoomPromise& p = promise(e.room);
        const std::optional<bool> valid = it == conns.end() ? std::nullopt : it->second.valid_token;
        const bool auth_code = e.code == 401 || e.code == 403;
        if (auth_code && (!p.auth_required || valid != true)) break;  // refusing an unknown token may be right
        if (!auth_code && valid != true && p.auth_required != 0) break;
        if (!p.max_connections || !p.max_connections_per_user) {  // say which, once per room
          scope.limit("max_connections", e.room, "refusals below the room limit");
          scope.limit("max_connections_per_user", e.room, "refusals below the user limit");
          break;
        }
        out.judged();
        const bool room_below = e.value < *p.max_connections;
        const bool user_below = e.user == kNoName || e.seq < *p.max_connections_per_user;
        if (!room_below || !user_below) break;
        const RoomPromise promised = p;
        out.fail(i, e.t_ns, auth_code ? "refused_valid_token" : "refused_below_limits", [&] {
          const std::string token = valid == true ? "a valid token" : "no token (the room requires none)";
          return "room " + name_or_none(h, e.room) + " refused connection " + std::to_string(e.conn) + " of user " +
                 name_or_none(h, e.user) + " with " + std::to_string(e.code) + " at " + at_time(e.t_ns) +
                 " although it presented " + token + " and the room had " + std::to_string(e.value) +
                 " open sessions (max_connections " + limit_text(*promised.max_connections) + ") and the user " +
                 std::to_string(e.seq) + " (max_connections_per_user " +
                 limit_text(*promised.max_connections_per_user) + ")";
        });
        break;
      }
      case EventKind::kSend: {
        ConnInfo& c = conns[e.conn];
        if (c.room == kNoName) c.room = e.room;
        if (c.client == kNoName) c.client = e.client;
        if (e.value <= 0) c.any_send_unsized = true;
        c.max_frame_bytes_sent = std::max(c.max_frame_bytes_sent, e.value);
        const RoomPromise& p = promise(e.room);
        if (!p.rate_limit_per_min || !p.slack_ns) break;
        const int64_t from = saturating_add(e.t_ns, -saturating_add(kRateWindowNs, *p.slack_ns));
        c.send_ns.push_back(e.t_ns);
        drop_before(c.send_ns, from);
        if (c.user != kNoName) {
          auto& times = user_sends[{e.room, c.user}];
          times.push_back(e.t_ns);
          drop_before(times, from);
        }
        break;
      }
      case EventKind::kError:
      case EventKind::kClose: {
        const bool is_rate = e.kind == EventKind::kError && rate_limited && e.text == *rate_limited;
        const bool is_frame = (e.kind == EventKind::kError && frame_too_large && e.text == *frame_too_large) ||
                              (e.kind == EventKind::kClose && e.code == 1009 && e.value == 0);
        auto it = conns.find(e.conn);
        if (is_rate && it != conns.end()) {
          const ConnInfo& c = it->second;
          const RoomPromise& p = promise(e.room);
          if (!p.rate_limit_per_min || !p.slack_ns) {
            unjudged_rate = true;
          } else {
            out.judged();
            const int64_t from = saturating_add(e.t_ns, -saturating_add(kRateWindowNs, *p.slack_ns));
            const bool per_user = c.user != kNoName;
            const std::deque<int64_t>* times = &c.send_ns;
            if (per_user) {
              auto u = user_sends.find({e.room, c.user});
              static const std::deque<int64_t> kNone;
              times = u == user_sends.end() ? &kNone : &u->second;
            }
            const auto sent = static_cast<int64_t>(times->end() - std::lower_bound(times->begin(), times->end(), from));
            const int64_t limit = *p.rate_limit_per_min;
            if (sent <= limit) {  // the refused message is one of them: the room had taken fewer than limit
              out.fail(i, e.t_ns, "false_rate_limited", [&] {
                return "room " + name_or_none(h, e.room) + " told client " + name_or_none(h, e.client) +
                       " (connection " + std::to_string(e.conn) + ") rate_limited at " + at_time(e.t_ns) + " but " +
                       (per_user ? "user " + name_or_none(h, c.user) : std::string("the connection")) + " had sent " +
                       std::to_string(sent) + " messages in the window, rate_limit_per_min " + limit_text(limit);
              });
            }
          }
        }
        if (is_frame && it != conns.end() && !it->second.frame_judged) {
          ConnInfo& c = it->second;
          const RoomPromise& p = promise(e.room);
          if (!p.max_frame_bytes || c.any_send_unsized || c.max_frame_bytes_sent <= 0) {
            unjudged_frame = true;
          } else {
            c.frame_judged = true;
            out.judged();
            if (c.max_frame_bytes_sent <= *p.max_frame_bytes) {
              const int64_t biggest = c.max_frame_bytes_sent, limit = *p.max_frame_bytes;
              out.fail(i, e.t_ns, "false_frame_too_large", [&] {
                return "room " + name_or_none(h, e.room) + " treated a frame of client " + name_or_none(h, e.client) +
                       " (connection " + std::to_string(e.conn) + ") as too large at " + at_time(e.t_ns) +
                       " but its largest frame had " + std::to_string(biggest) + " bytes, max_frame_bytes " +
                       limit_text(limit);
              });
            }
          }
        }
        if (e.kind == EventKind::kClose) {
          awaiting_answer.erase(e.conn);
          awaiting_in_open_window.erase(e.conn);
          if (it != conns.end()) conns.erase(it);
        }
        break;
      }
      default:
        break;
    }
  }
  expire_before(saturating_add(end_t, 1));
  if (refusal_without_admission) out.note_vacuous("refusals in rooms without admission facts (kAdmission) not judged");
  if (unjudged_rate)
    out.note_vacuous("rate_limited errors not judged where rate_limit_per_min or heartbeat_timeout_ms is not recorded");
  if (unjudged_frame)
    out.note_vacuous("frame-size refusals not judged where max_frame_bytes or the frame sizes are not recorded");
  out.if_vacuous("no admission decision, rate_limited or frame_too_large error, or liveness-phase connect recorded");
  return out.finish();
}

}  // namespace roomsim::properties::internal
