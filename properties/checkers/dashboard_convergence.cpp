// properties/checkers/dashboard_convergence.cpp: dashboards stay as fresh as
// the room promised, judged against the external feed itself.
//
// The reference is the feed (kFeedValue: the value of a key changed; room ""
// = the feed every room reads, a room's own kFeedValue wins when later). A
// subscriber is an open connection with kSubscribe events (key, or "*" =
// every key the feed has); what it holds for a key is its latest kDataUpdate.
// S = staleness_intervals (kConfig, default 3) x refresh_interval_ms (the
// room's promise) + liveness_bound_ms (the room's); a room without
// refresh_interval_ms (or with 0) or without liveness_bound_ms is not judged.
//  1. "stale_at_end": at the last kPhase "end", every open subscriber holds,
//     for each subscribed key the feed has, the feed's final value, when the
//     value had time to settle: Q + (1 + F) x refresh_interval_ms +
//     L + liveness_bound_ms <= end, where Q is the latest of the key's last
//     change, the last fault's end and the room's last crash or eviction, F
//     the room's disturbed feed calls since Q (failed, dropped, or answered
//     slower than a refresh interval: each costs a correct room one more
//     poll) and L the slowest feed answer since Q (no room is fresher than its
//     feed); and the subscription came at least liveness_bound_ms before the
//     end (its snapshot arrives). Fails at the subscriber's last update
//     of the key (or the end phase when it never got one).
//  2. "stale_value": after the feed changes key k at t, a subscriber
//     subscribed to k at or before t and still open at t + S holds at t + S
//     that value or a later one (a value the feed set at or after t). Fails
//     at the feed change. Excused (not judged) when, between t and t + S, a
//     fault was active, a feed call of the room was disturbed (its
//     kServiceAnswer "feed" has code <= 0, or came more than a refresh
//     interval after its kServiceCall), or the room crashed or was evicted:
//     each of these may delay a correct room. A room that stops or
//     slows polling after such an event fails at the next change whose
//     window is clean, and rule 3 catches it directly.
//  3. "stopped_polling": while a room has subscribers, its consecutive feed
//     calls (kServiceCall "feed") are at most S apart, counted from the later
//     of its last call, its last start (kRoomStart) and the moment it got a
//     subscriber again plus liveness_bound_ms. Excused when a fault was
//     active or the room crashed or was evicted in that stretch. Fails at the
//     event the stretch starts from. A failed call is no excuse here: the
//     room must call again.
// Blind spots: a window with a fault or a disturbed call is not judged (in a
// run with faults or slow answers all the time, rule 2 judges little); the feed's values are
// compared by digest, so a value that returns (A, B, A) counts as fresh.
//
// Judged against: the feed's values (kFeedValue) and the host's record of
// the room's calls (kServiceCall / kServiceAnswer); never the value the room
// fetched or says it has.
//
// Memory: the feed's values per (room, key) and each value's latest set time;
// per open subscriber its keys and held values; the pending freshness
// deadlines.
#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <queue>
#include <set>
#include <tuple>
#include <vector>

#include "properties/checkers/checkers.hpp"
#include "properties/checkers/support.hpp"

namespace roomsim::properties::internal {

namespace {

constexpr int64_t kDefaultStalenessIntervals = 3;
// Feed calls remembered without an answer, per room (a room that never gets
// answers must not grow the checker's memory without bound).
constexpr size_t kMaxCallsInFlight = 1024;

struct FeedKey {
  uint64_t digest = 0;
  int64_t t_ns = 0;
  size_t index = 0;
  std::map<uint64_t, int64_t> set_at;  // digest -> latest time the feed set it
};

struct Subscriber {
  NameId room = kNoName;
  NameId client = kNoName;
  std::optional<int64_t> all_since;                    // "*"
  std::map<NameId, int64_t> key_since;                 // key -> first subscribe time
  std::map<NameId, std::pair<uint64_t, size_t>> held;  // key -> (digest, event)
  std::optional<int64_t> since(NameId key) const {
    auto k = key_since.find(key);
    std::optional<int64_t> t = k == key_since.end() ? std::nullopt : std::optional(k->second);
    if (all_since && (!t || *all_since < *t)) t = all_since;
    return t;
  }
};

struct RoomState {
  std::optional<int64_t> window_ns;                  // S; nullopt: the room is not judged
  int64_t bound_ns = 0;                              // liveness_bound_ms
  int64_t refresh_ns = 0;                            // refresh_interval_ms
  std::vector<int64_t> disturbed_calls_ns;           // answer times of failed, dropped or slow feed calls
  std::vector<std::pair<int64_t, int64_t>> answers;  // (answer time, latency) of every feed answer
  std::map<int64_t, int64_t> calls_in_flight;        // request id -> call time
  std::set<uint64_t> subscribers;                    // open
  int64_t last_disturbed_call_ns = std::numeric_limits<int64_t>::min();
  int64_t last_restart_ns = std::numeric_limits<int64_t>::min();  // crash or eviction
  // Rule 3: the stretch without a feed call.
  int64_t anchor_ns = 0;
  size_t anchor_index = 0;
  uint64_t anchor_version = 0;
  bool anchor_fault = false;  // a fault was active at the anchor
  bool noted = false;         // what the room does not promise was noted
};

struct Freshness {
  int64_t deadline_ns;
  uint64_t order;  // insertion order, for ties
  uint64_t conn;
  NameId key;
  int64_t change_ns;
  size_t change_index;
  bool fault_then;  // a fault was active at the change
  bool operator>(const Freshness& o) const { return std::tie(deadline_ns, order) > std::tie(o.deadline_ns, o.order); }
};

struct PollDeadline {
  int64_t deadline_ns;
  NameId room;
  uint64_t version;
  bool operator>(const PollDeadline& o) const {
    return std::tie(deadline_ns, room, version) > std::tie(o.deadline_ns, o.room, o.version);
  }
};

std::string digest_label(uint64_t d) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "#%08llx", static_cast<unsigned long long>(d >> 32));
  return buf;
}

}  // namespace

Verdict check_dashboard_convergence(const History& h) {
  VerdictBuilder out("dashboard_convergence");
  const KnownNames names(h);
  const ConfigView config(h);
  RoomScope scope(h, config, out);
  const auto& events = h.events();
  const auto star = h.find("*");
  const auto feed_service = h.find("feed");
  const EndPhase end = find_end_phase(h, names);
  const int64_t judge_until = end.index ? end.t_ns : (events.empty() ? 0 : events.back().t_ns);

  std::map<std::pair<NameId, NameId>, FeedKey> feed;  // (room or "", key)
  std::map<NameId, std::set<NameId>> feed_keys;       // room or "" -> keys
  std::map<uint64_t, Subscriber> subs;                // open connections that subscribed
  std::map<NameId, RoomState> rooms;
  std::priority_queue<Freshness, std::vector<Freshness>, std::greater<>> fresh_deadlines;
  std::priority_queue<PollDeadline, std::vector<PollDeadline>, std::greater<>> poll_deadlines;
  uint64_t order = 0;
  int64_t faults_active = 0;
  int64_t last_fault_begin_ns = std::numeric_limits<int64_t>::min();
  int64_t last_fault_end_ns = std::numeric_limits<int64_t>::min();
  bool any_subscribe = false, any_feed = false;

  // A room's promises; what is missing is noted once the room has a subscriber
  // (a room nobody subscribes to is not a dashboard).
  auto room_state = [&](NameId room) -> RoomState& {
    auto [it, fresh] = rooms.try_emplace(room);
    if (fresh) {
      const auto refresh = config.find("refresh_interval_ms", room);
      const auto bound = config.find("liveness_bound_ms", room);
      const int64_t intervals = config.find("staleness_intervals", room).value_or(kDefaultStalenessIntervals);
      if (refresh && *refresh > 0 && bound) {
        it->second.bound_ns = ms_to_ns(*bound);
        it->second.refresh_ns = ms_to_ns(*refresh);
        const int64_t polls =
            ms_to_ns(*refresh) > 0 && intervals > std::numeric_limits<int64_t>::max() / ms_to_ns(*refresh)
                ? std::numeric_limits<int64_t>::max()
                : std::max<int64_t>(intervals, 0) * ms_to_ns(*refresh);
        it->second.window_ns = saturating_add(polls, it->second.bound_ns);
      }
    }
    return it->second;
  };
  // The latest time the feed (the room's or the shared one) set `key` to `digest`.
  auto set_time = [&](NameId room, NameId key, uint64_t digest) -> std::optional<int64_t> {
    std::optional<int64_t> t;
    for (NameId source : {room, kNoName}) {
      auto f = feed.find({source, key});
      if (f == feed.end()) continue;
      auto d = f->second.set_at.find(digest);
      if (d != f->second.set_at.end() && (!t || d->second > *t)) t = d->second;
    }
    return t;
  };
  // The feed's current value of `key` for `room`.
  auto current = [&](NameId room, NameId key) -> const FeedKey* {
    const FeedKey* best = nullptr;
    for (NameId source : {kNoName, room}) {
      auto f = feed.find({source, key});
      if (f != feed.end() && (!best || f->second.t_ns >= best->t_ns)) best = &f->second;
    }
    return best;
  };
  // Since `from_ns` (every event processed so far is before the deadline being judged).
  auto fault_or_restart = [&](const RoomState& r, int64_t from_ns, bool fault_at_start) {
    return fault_at_start || faults_active > 0 || last_fault_begin_ns >= from_ns || r.last_restart_ns >= from_ns;
  };
  auto move_anchor = [&](NameId room, RoomState& r, int64_t t_ns, size_t index) {
    r.anchor_ns = t_ns;
    r.anchor_index = index;
    r.anchor_fault = faults_active > 0;
    ++r.anchor_version;
    if (r.window_ns && !r.subscribers.empty()) {
      poll_deadlines.push(PollDeadline{saturating_add(t_ns, *r.window_ns), room, r.anchor_version});
    }
  };

  auto expire_before = [&](int64_t t_ns) {
    while (!fresh_deadlines.empty() && fresh_deadlines.top().deadline_ns < t_ns) {
      const Freshness f = fresh_deadlines.top();
      fresh_deadlines.pop();
      auto s = subs.find(f.conn);
      if (s == subs.end()) continue;  // closed inside the window
      const RoomState& r = rooms[s->second.room];
      if (fault_or_restart(r, f.change_ns, f.fault_then) || r.last_disturbed_call_ns >= f.change_ns) continue;
      auto held = s->second.held.find(f.key);
      if (held != s->second.held.end()) {
        const auto set = set_time(s->second.room, f.key, held->second.first);
        if (set && *set >= f.change_ns) continue;
      }
      const Event& ce = events[f.change_index];
      const Subscriber& sub = s->second;
      const int64_t window_ms = *r.window_ns / 1'000'000;
      const bool none = held == sub.held.end();
      const uint64_t got = none ? 0 : held->second.first;
      out.fail(f.change_index, ce.t_ns, "stale_value", [&] {
        return "the feed set key " + name_or_none(h, f.key) + " to " + digest_label(ce.digest) + " at " +
               at_time(ce.t_ns) + " but client " + name_or_none(h, sub.client) + " of room " +
               name_or_none(h, sub.room) + " still held " + (none ? std::string("nothing") : digest_label(got)) + " " +
               std::to_string(window_ms) + "ms later";
      });
    }
    while (!poll_deadlines.empty() && poll_deadlines.top().deadline_ns < t_ns) {
      const PollDeadline p = poll_deadlines.top();
      poll_deadlines.pop();
      RoomState& r = rooms[p.room];
      if (p.version != r.anchor_version || r.subscribers.empty()) continue;
      if (fault_or_restart(r, r.anchor_ns, r.anchor_fault)) continue;  // a failed call is no reason to stop calling
      const Event& ae = events[r.anchor_index];
      const int64_t window_ms = *r.window_ns / 1'000'000;
      const NameId room = p.room;
      out.fail(r.anchor_index, ae.t_ns, "stopped_polling", [&] {
        return "room " + name_or_none(h, room) + " had subscribers but made no feed call for " +
               std::to_string(window_ms) + "ms after " + at_time(ae.t_ns);
      });
    }
  };

  const size_t stop = end.index ? *end.index : events.size();
  for (size_t i = 0; i < stop; ++i) {
    const Event& e = events[i];
    if (!scope.judges(e.room)) continue;
    expire_before(e.t_ns);
    switch (e.kind) {
      case EventKind::kFeedValue: {
        any_feed = true;
        FeedKey& f = feed[{e.room, e.text}];
        f.digest = e.digest;
        f.t_ns = e.t_ns;
        f.index = i;
        f.set_at[e.digest] = e.t_ns;
        feed_keys[e.room].insert(e.text);
        for (auto& [room, r] : rooms) {
          if (e.room != kNoName && room != e.room) continue;
          if (!r.window_ns) continue;
          for (uint64_t conn : r.subscribers) {
            const auto since = subs.at(conn).since(e.text);
            if (!since || *since > e.t_ns) continue;
            const int64_t deadline = saturating_add(e.t_ns, *r.window_ns);
            if (deadline > judge_until) continue;
            out.judged();
            fresh_deadlines.push(Freshness{deadline, order++, conn, e.text, e.t_ns, i, faults_active > 0});
          }
        }
        break;
      }
      case EventKind::kSubscribe: {
        any_subscribe = true;
        Subscriber& s = subs[e.conn];
        s.room = e.room;
        s.client = e.client;
        if (star && e.text == *star) {
          if (!s.all_since) s.all_since = e.t_ns;
        } else {
          s.key_since.try_emplace(e.text, e.t_ns);
        }
        RoomState& r = room_state(e.room);
        if (!r.window_ns && !r.noted) {
          r.noted = true;
          const auto refresh = scope.limit("refresh_interval_ms", e.room, "freshness");
          scope.limit("liveness_bound_ms", e.room, "freshness");
          if (refresh && *refresh <= 0)
            out.note_room("refresh_interval_ms is 0 (no polling promised): not judged", h, e.room);
        }
        const bool first = r.subscribers.empty();
        r.subscribers.insert(e.conn);
        if (first && r.window_ns) {
          const int64_t from = saturating_add(e.t_ns, r.bound_ns);
          if (from > r.anchor_ns) move_anchor(e.room, r, from, i);
        }
        break;
      }
      case EventKind::kDataUpdate: {
        auto s = subs.find(e.conn);
        if (s != subs.end()) s->second.held[e.text] = {e.digest, i};
        break;
      }
      case EventKind::kClose: {
        auto s = subs.find(e.conn);
        if (s == subs.end()) break;
        rooms[s->second.room].subscribers.erase(e.conn);
        subs.erase(s);
        break;
      }
      case EventKind::kServiceCall:
        if (feed_service && e.text == *feed_service) {
          RoomState& r = room_state(e.room);
          if (r.window_ns && !r.subscribers.empty()) out.judged();
          if (r.calls_in_flight.size() < kMaxCallsInFlight) r.calls_in_flight[e.value] = e.t_ns;
          move_anchor(e.room, r, e.t_ns, i);
        }
        break;
      case EventKind::kServiceAnswer:
        if (feed_service && e.text == *feed_service) {
          RoomState& r = room_state(e.room);
          auto call = r.calls_in_flight.find(e.value);
          const int64_t latency = call == r.calls_in_flight.end() ? 0 : e.t_ns - call->second;
          if (call != r.calls_in_flight.end()) r.calls_in_flight.erase(call);
          r.answers.emplace_back(e.t_ns, latency);
          if (e.code <= 0 || latency > r.refresh_ns) {  // failed, dropped, or slower than a refresh interval
            r.last_disturbed_call_ns = e.t_ns;
            r.disturbed_calls_ns.push_back(e.t_ns);
          }
        }
        break;
      case EventKind::kRoomStart: {
        RoomState& r = room_state(e.room);
        move_anchor(e.room, r, e.t_ns, i);
        break;
      }
      case EventKind::kRoomCrash:
      case EventKind::kRoomEvict:
        room_state(e.room).last_restart_ns = e.t_ns;
        break;
      case EventKind::kFaultBegin:
        ++faults_active;
        last_fault_begin_ns = e.t_ns;
        break;
      case EventKind::kFaultEnd:
        if (faults_active > 0) --faults_active;
        last_fault_end_ns = e.t_ns;
        break;
      default:
        break;
    }
  }
  expire_before(saturating_add(judge_until, 1));

  // Rule 1: the final values at the end. Once the feed and the world are
  // quiet, a correct room has a key's last value one poll after it changed
  // (one more per failed poll since), and pushes it within the network bound.
  auto settles_by = [&](const RoomState& r, int64_t changed_ns) {
    const int64_t quiet_since = std::max({changed_ns, last_fault_end_ns, r.last_restart_ns});
    const auto failed =
        static_cast<int64_t>(r.disturbed_calls_ns.end() -
                             std::lower_bound(r.disturbed_calls_ns.begin(), r.disturbed_calls_ns.end(), quiet_since));
    int64_t slowest = 0;  // the slowest feed answer since: no room can be fresher than its feed
    for (auto a = std::lower_bound(r.answers.begin(), r.answers.end(), std::pair{quiet_since, int64_t{0}});
         a != r.answers.end(); ++a) {
      slowest = std::max(slowest, a->second);
    }
    const int64_t polls = failed + 1 > std::numeric_limits<int64_t>::max() / std::max<int64_t>(r.refresh_ns, 1)
                              ? std::numeric_limits<int64_t>::max()
                              : (failed + 1) * r.refresh_ns;
    return saturating_add(saturating_add(saturating_add(quiet_since, polls), slowest), r.bound_ns);
  };
  if (end.index) {
    for (const auto& [conn, s] : subs) {
      const RoomState& r = room_state(s.room);
      if (!r.window_ns) continue;
      std::set<NameId> keys;
      for (NameId source : {kNoName, s.room}) {
        auto k = feed_keys.find(source);
        if (k == feed_keys.end()) continue;
        for (NameId key : k->second) {
          const auto since = s.since(key);  // its snapshot must have had time to arrive
          if (since && saturating_add(*since, r.bound_ns) <= end.t_ns) keys.insert(key);
        }
      }
      for (NameId key : keys) {
        const FeedKey* want = current(s.room, key);
        if (!want || settles_by(r, want->t_ns) > end.t_ns) continue;
        out.judged();
        auto got = s.held.find(key);
        const bool missing = got == s.held.end();
        if (!missing && got->second.first == want->digest) continue;
        const size_t index = missing ? *end.index : got->second.second;
        const Subscriber& sub = s;
        const uint64_t wanted = want->digest;
        out.fail(index, events[index].t_ns, "stale_at_end", [&] {
          return "client " + name_or_none(h, sub.client) + " sees key " + name_or_none(h, key) + " = " +
                 (missing ? std::string("nothing") : digest_label(got->second.first)) + " but the feed of room " +
                 name_or_none(h, sub.room) + " holds " + digest_label(wanted) + " at the end (" + at_time(end.t_ns) +
                 ")";
        });
      }
    }
  } else if (!subs.empty()) {
    out.note_vacuous("no end phase: final values not judged");
  }
  out.if_vacuous(!any_subscribe ? "no subscribe events recorded"
                 : !any_feed    ? "no feed values recorded"
                             : "no subscriber in a room with a freshness promise, or nothing settled before the end");
  return out.finish();
}

}  // namespace roomsim::properties::internal
