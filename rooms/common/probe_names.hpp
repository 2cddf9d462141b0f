// rooms/common/probe_names.hpp: the names of the code probes the built-in
// rooms carry (RoomContext::probe), and the ones a default sweep must reach.
//
// A probe marks a branch that matters and that a random workload could
// easily never run: a resume that needs a gap notice, a full room, a feed that
// fails. The simulator counts each hit as "room.<name>" in
// SimulationResult::coverage; `roomsim run` shows the counts and lists the
// declared probes a sweep never reached. Every call site uses a constant from
// here, so this file is the complete list of room probes.
//
// kSweepRequired is the set the default 1,000-seed swarm sweep must hit (a
// test fails on any it misses, see netsim/probe_names.hpp): branches of the
// corrected rooms and of the shared room logic. Probes of the seed-faithful
// ports and of `relay` are counted but not required (no default sweep runs
// those kinds).
#pragma once

#include <array>
#include <string_view>

namespace roomsim::rooms::probe {

// ---- shared room logic (rooms/common) ----
// Admission (admission.cpp): refusals before a session exists.
inline constexpr std::string_view kTokenMissing = "admission.token_missing";    // 401, no token where one is required
inline constexpr std::string_view kTokenRefused = "admission.token_refused";    // 401, the token did not verify
inline constexpr std::string_view kRoomFull = "admission.room_full";            // 429, max_connections reached
inline constexpr std::string_view kUserFull = "admission.user_full";            // 429, max_connections_per_user reached
// Message log (message_log.cpp).
inline constexpr std::string_view kHistoryTrimmed = "history.trimmed";          // append dropped the oldest kept message
inline constexpr std::string_view kHistoryReloaded = "history.reloaded";        // on_start found stored messages
inline constexpr std::string_view kResumeRecovered = "resume.recovered";        // nothing missed: recovered true
inline constexpr std::string_view kResumeGapTrimmed = "resume.gap_trimmed";     // the client is behind the kept history
inline constexpr std::string_view kResumeGapRoomBehind = "resume.gap_room_behind";  // the client saw seqs the room lacks
inline constexpr std::string_view kResumeGapOtherEpoch = "resume.gap_other_epoch";  // the client's epoch is gone
// Rate limiter (rate_limiter.cpp).
inline constexpr std::string_view kRateLimited = "rate.limited";                // a message over the limit refused
// Heartbeat round (session_tools.cpp): room-side closes 1008.
inline constexpr std::string_view kHeartbeatTimeout = "heartbeat.timeout";
inline constexpr std::string_view kSessionExpired = "heartbeat.session_expired";
inline constexpr std::string_view kTokenExpiredClose = "heartbeat.token_expired";
// Frame intake (frame_intake.cpp).
inline constexpr std::string_view kFrameTooLarge = "intake.frame_too_large";    // the room's own guard closed 1009
inline constexpr std::string_view kBadFrame = "intake.bad_frame";               // unparsable or invalid frame refused
// External sync (external_sync.cpp).
inline constexpr std::string_view kSyncOk = "sync.ok";
inline constexpr std::string_view kSyncFailed = "sync.failed";
inline constexpr std::string_view kSyncErrorCountedOk = "sync.error_counted_ok";  // seed flaw: a non-2xx counted as success
// Metrics buffer (metrics_buffer.cpp).
inline constexpr std::string_view kMetricsUploaded = "metrics.uploaded";
inline constexpr std::string_view kMetricsRetried = "metrics.retried";          // failed upload kept for the next batch
inline constexpr std::string_view kMetricsDropped = "metrics.dropped";          // seed flaw: failed batch lost

// ---- corrected chat / persistent / broadcast (kinds/sequenced_room.cpp) ----
inline constexpr std::string_view kResumeQuery = "resume.query";                // ?after=&epoch= on the upgrade
inline constexpr std::string_view kHistoryNone = "join.history_none";           // ?history=none: no history frame
inline constexpr std::string_view kDirectSent = "direct.sent";
inline constexpr std::string_view kDirectUnknownTarget = "direct.unknown_target";
inline constexpr std::string_view kSubRoomJoined = "sub_room.joined";
inline constexpr std::string_view kSubRoomLeft = "sub_room.left";
inline constexpr std::string_view kSubRoomBroadcast = "sub_room.broadcast";
inline constexpr std::string_view kSubRoomNotMember = "sub_room.not_member";
inline constexpr std::string_view kSubRoomTooMany = "sub_room.too_many";
inline constexpr std::string_view kPermissionDenied = "permission.denied";

// ---- dashboards (kinds/dashboard_room.cpp) ----
inline constexpr std::string_view kDashboardSnapshot = "dashboard.snapshot";
inline constexpr std::string_view kDashboardCacheReloaded = "dashboard.cache_reloaded";
inline constexpr std::string_view kDashboardFeedFailed = "dashboard.feed_failed";
inline constexpr std::string_view kDashboardPollAbandoned = "dashboard.poll_abandoned";
inline constexpr std::string_view kDashboardAnswerDropped = "dashboard.answer_dropped";  // superseded or unknown answer

// ---- relay (kinds/relay_room.cpp) ----
inline constexpr std::string_view kRelayUnknownTarget = "relay.unknown_target";
inline constexpr std::string_view kRelayBadFrame = "relay.bad_frame";

// ---- seed-faithful ports (kinds/seed_room.cpp) ----
inline constexpr std::string_view kSeedLoadDeferred = "seed.load_deferred";     // history loaded by a later alarm
inline constexpr std::string_view kSeedRateLimited = "seed.rate_limited";
inline constexpr std::string_view kSeedUnknownTarget = "seed.unknown_target";

// The room probes the default sweep must reach (each counted as "room.<name>").
// Not required: kResumeGapRoomBehind, because a client can only have seen
// seqs the room lacks if the host released frames before their commit was
// durable (the output gate forbids it), so only a broken host reaches it.
inline constexpr std::array kSweepRequired = {
    kTokenMissing,       kTokenRefused,        kRoomFull,          kUserFull,
    kHistoryTrimmed,     kHistoryReloaded,     kResumeRecovered,   kResumeGapTrimmed,
    kResumeGapOtherEpoch, kRateLimited,         kHeartbeatTimeout,
    kTokenExpiredClose,  kBadFrame,            kSyncOk,            kSyncFailed,
    kMetricsUploaded,    kMetricsRetried,      kResumeQuery,       kHistoryNone,
    kDirectSent,         kDirectUnknownTarget, kSubRoomJoined,     kSubRoomBroadcast,
    kSubRoomNotMember,   kDashboardSnapshot,   kDashboardCacheReloaded, kDashboardFeedFailed,
    kDashboardPollAbandoned,
};

}  // namespace roomsim::rooms::probe
