// rooms/common/planted_bug.hpp: deliberately wrong code paths for the
// planted-bug suite (tests/planted/), which proves end to end that the
// property checkers catch real bugs in real rooms, hosts and networks.
//
// A planted bug is one small mistake of the kind a developer makes in a hurry
// (an off-by-one, a `>` for `>=`, a forgotten branch), written at its real
// place in the code as
//
//   if (ROOMSIM_PLANTED(kHistoryKeepsOneLess)) { ...wrong... } else { ...right... }
//
// In every normal build ROOMSIM_PLANTED(...) is the constant `false`: the
// compiler drops the wrong branch, and neither the libraries nor the
// `roomsim` binary contain it. tests/planted/ compiles rooms/, netsim/ and
// scenarios/ a second time with ROOMSIM_PLANTED_BUGS defined, into libraries
// used only by the planted-bug test binary; there the macro compares with the
// one bug the test switched on for the whole process.
//
// The list below is the single registry of planted bugs: an unknown name at a
// use site is a compile error, and the suite runs every entry.
#pragma once

#include <cstdint>
#include <string_view>

// X(name, property that must catch it, where it is, what is wrong)
#define ROOMSIM_PLANTED_BUG_LIST(X)                                                                              \
  X(kNone, "", "", "no bug: the correct code")                                                                   \
  X(kResumeSkipsFirstMissed, "recovery", "rooms/common/message_log.cpp",                                        \
    "resume replays from after+2: the first missed message is neither replayed nor announced")                  \
  X(kGapEndsOneLate, "recovery", "rooms/common/message_log.cpp",                                                \
    "a trimmed-history gap ends at the first kept message, which is also replayed (a dishonest gap)")           \
  X(kHistoryKeepsOneLess, "history_bound", "rooms/common/message_log.cpp",                                      \
    "the log trims to history_max - 1 messages, so a join replays one message less than promised")              \
  X(kEphemeralEpochConstant, "total_order", "rooms/common/message_log.cpp",                                     \
    "an in-memory log starts every instance at epoch 1, so a restarted broadcast room reuses (epoch, seq)")     \
  X(kRateLimitOffByOne, "rate_limit", "rooms/common/rate_limiter.cpp",                                          \
    "the window is full at > limit instead of >= limit: one message too many per 60 s")                         \
  X(kRateLimitOneEarly, "admission", "rooms/common/rate_limiter.cpp",                                           \
    "the window is full at accepted + 1 >= limit: the limit-th message of a minute is refused")                 \
  X(kUserLimitOffByOne, "connection_limits", "rooms/common/admission.cpp",                                      \
    "a user is full at > max_connections_per_user instead of >=: one session too many")                         \
  X(kTokenRequiredForgotten, "authorization", "rooms/common/admission.cpp",                                     \
    "a missing token is let in although the room requires one (only a present token is verified)")             \
  X(kUserLimitCountsWholeRoom, "admission", "rooms/common/admission.cpp",                                       \
    "the per-user limit counts every session of the room, refusing users below their limit")                    \
  X(kPresenceLeaveNotAnnounced, "presence_convergence", "rooms/common/roster.cpp",                              \
    "a leaving session is dropped from the roster without telling the others (no user_left)")                  \
  X(kAckCarriesPreviousSeq, "total_order", "rooms/kinds/sequenced_room.cpp",                                    \
    "a broadcast is acked with the seq before its own")                                                         \
  X(kDirectEchoedToSender, "addressed_delivery", "rooms/kinds/sequenced_room.cpp",                              \
    "a direct message is also sent back to its sender")                                                         \
  X(kSubRoomSentToEveryone, "addressed_delivery", "rooms/kinds/sequenced_room.cpp",                             \
    "a sub-room broadcast goes to every session, members or not")                                               \
  X(kDirectSentTwice, "no_duplicates", "rooms/kinds/sequenced_room.cpp",                                        \
    "a direct message is sent to its target twice (a retry after a send that worked)")                          \
  X(kDashboardSendsOnlyNewKeys, "dashboard_convergence", "rooms/kinds/dashboard_room.cpp",                      \
    "a feed value is pushed only for keys the cache did not have; changed values are cached but never sent")    \
  X(kDashboardStopsPollingAfterFailure, "dashboard_convergence", "rooms/kinds/dashboard_room.cpp",              \
    "a failed feed call cancels the refresh alarm, so the room never polls again")                              \
  X(kPayloadLosesFirstField, "no_phantoms", "rooms/common/session_tools.cpp",                                    \
    "a message drops the first field of its object payload (a size-saving change gone wrong)")                  \
  X(kRelaySkipsNewestSession, "liveness", "rooms/kinds/relay_room.cpp",                                         \
    "the relay's broadcast loop stops one short, so the newest session never receives")                         \
  X(kOutputGateReleasesEarly, "durability", "netsim/room_host.cpp",                                             \
    "the output gate releases frames one commit early, before the writes they depend on are durable")           \
  X(kNetworkOrdersByArrival, "fifo", "netsim/network.cpp",                                                      \
    "a connection's queue is ordered by each frame's own arrival time, so jitter reorders frames")              \
  X(kCommitLatencyInSeconds, "latency_slo", "netsim/room_host.cpp",                                             \
    "the storage commit latency is drawn in ms but converted as if in seconds (1000x too slow)")

namespace roomsim::planted {

enum class Bug : uint16_t {
#define ROOMSIM_PLANTED_ENUM(name, property, where, what) name,
  ROOMSIM_PLANTED_BUG_LIST(ROOMSIM_PLANTED_ENUM)
#undef ROOMSIM_PLANTED_ENUM
};

struct BugInfo {
  Bug bug;
  std::string_view name;      // "kHistoryKeepsOneLess"
  std::string_view property;  // the property whose rule names this mistake
  std::string_view where;     // "rooms/common/message_log.cpp"
  std::string_view what;      // one line: the mistake
};

inline constexpr BugInfo kBugs[] = {
#define ROOMSIM_PLANTED_INFO(name, property, where, what) {Bug::name, #name, property, where, what},
    ROOMSIM_PLANTED_BUG_LIST(ROOMSIM_PLANTED_INFO)
#undef ROOMSIM_PLANTED_INFO
};

#if defined(ROOMSIM_PLANTED_BUGS)
// The bug the process runs with. Set it before any simulation starts (the
// runner's worker threads only read it); kNone = the correct code.
void set_active(Bug bug);
Bug active();
#define ROOMSIM_PLANTED(name) (::roomsim::planted::active() == ::roomsim::planted::Bug::name)
#else
#define ROOMSIM_PLANTED(name) (static_cast<void>(::roomsim::planted::Bug::name), false)
#endif

}  // namespace roomsim::planted
