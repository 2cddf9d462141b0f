// netsim/simulation_config.hpp: everything a scenario can say about one
// simulated run. scenarios/ loads JSON into this struct (and validates it);
// netsim/ runs it. A run is a pure function of (binary, SimulationConfig, seed).
//
// Units are in the names (`_ms`, `_per_s`). All times are virtual, relative to
// the start of the run. Defaults describe a small, quiet world.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace roomsim::netsim {

// The range of every numeric field (docs/scenario.md, "Ranges"). The loader
// refuses values outside them with the JSON path; netsim::validate refuses
// them in configs built in code. They are what makes a run that validates
// free of overflow: every time is at most kTimeMsMax (10^10 ms, about 116
// days), so ms -> ns gives at most 10^16 ns and a sum of a few times stays
// hundreds of times below 2^63 ns; a base latency is at most an hour of
// hop_overhead_ms plus 20,000 km x 100 stretch / 1 km/ms (2 * 10^6 ms), other
// latencies at most an hour, factors at most 1000, so a slowed latency stays
// below 6 * 10^15 ns. Counts bound
// memory: about 1 KB per client (bench/netsim_bench.cpp, BM_IdleClients).
namespace limits {
inline constexpr int64_t kTimeMsMax = 10'000'000'000;      // every time, duration, period, bound and skew
inline constexpr double kLatencyMsMax = 3'600'000;         // distribution parameters (ms), latency matrix entries
inline constexpr double kLognormalMuMax = 100;             // |mu| of a lognormal (draws are clamped to an hour)
inline constexpr double kLognormalSigmaMax = 100;
inline constexpr double kParetoShapeMax = 1'000;
inline constexpr double kFactorMax = 1'000;                // latency-spike and storage-slow factor
inline constexpr double kRatePerSMax = 10'000;             // send_rate_per_s, churn rate_per_s
inline constexpr double kFaultsPerMinuteMax = 10'000;      // fault_rates.per_minute (10,000 drawn faults per seed at most)
inline constexpr double kRegionWeightMax = 1'000'000;
inline constexpr int64_t kTokenTtlSMax = kTimeMsMax / 1'000;  // |token_ttl_s|
inline constexpr int kClientsMax = 1'000'000;              // over all populations
inline constexpr size_t kRoomsMax = 100'000;
inline constexpr size_t kRegionsMax = 1'024;               // custom topologies (the latency table is N^2)
inline constexpr size_t kFaultsMax = 10'000;               // explicit faults (each keeps two flags per region)
inline constexpr size_t kActionsMax = 1'000'000;           // explicit actions (each is a pending event at the start)
inline constexpr int kPayloadBytesMax = 65'536;          // a chatter's payload (rooms keep up to 100,000 messages)
inline constexpr int kBurstSizeMax = 10'000;               // messages in one burst of a chatter
// burst_size x payload_bytes: one burst is queued at once (two chatters sending bursts of
// 10,000 x 64 KiB took 1.8 GB while event_budget 200 had not yet stopped the run).
inline constexpr int64_t kBurstBytesMax = int64_t{16} << 20;
inline constexpr int kFrameBytesMax = 64 << 20;            // limits.max_frame_bytes (as the rooms' own limit)
inline constexpr int kSendQueueFramesMax = 1'000'000;
inline constexpr int64_t kHeldFramesMax = 100'000'000;
// |skew_ms| of a room-clock-skew fault: a machine's clock is off by at most this (NTP keeps real
// ones within milliseconds; ten minutes covers a badly broken one). Random draws stay within
// kRoomClockSkewDrawMs.
inline constexpr int64_t kRoomClockSkewMsMax = 600'000;
inline constexpr int64_t kRoomClockSkewDrawMs = 20'000;
inline constexpr int64_t kHeldBytesMax = int64_t{1} << 40;
inline constexpr uint64_t kEventBudgetMax = 10'000'000'000;
}  // namespace limits

// A random quantity in milliseconds.
//   constant:    value_ms = a
//   uniform:     [a, b]
//   exponential: mean a
//   normal:      mean a, stddev b (clamped at 0)
//   lognormal:   exp(N(mu=a, sigma=b)) ms
//   pareto:      scale a (minimum), shape b
struct Distribution {
  enum class Kind { kNone, kConstant, kUniform, kExponential, kNormal, kLognormal, kPareto };
  Kind kind = Kind::kNone;  // kNone always draws 0
  double a = 0;
  double b = 0;
};

struct RegionSpec {
  std::string code;       // "AMS"
  std::string city;       // "Amsterdam"
  std::string continent;  // "Europe"
  double lat = 0;
  double lon = 0;
};

// How the base latency between two distinct regions is found (docs/scenario.md).
enum class LatencyModel {
  kMeasured,  // measured city RTT / 2 where both regions have a measured city within 100 km, else kDistance
  kDistance,  // hop_overhead_ms + great-circle km / fibre_km_per_ms x route_stretch
};

struct TopologyConfig {
  // "small" (~6 regions, 4 continents), "mid" (~40 cities), "full" (every
  // edge location in netsim/data/pops.csv), or "custom" (use `regions`).
  std::string builtin = "small";
  std::vector<RegionSpec> regions;
  // Optional explicit one-way base latency in ms, regions.size() squared,
  // row = from. Overrides the latency model when non-empty.
  std::vector<std::vector<double>> latency_matrix_ms;
  LatencyModel latency_model = LatencyModel::kMeasured;
  // The distance model, calibrated against the 59,388 measured city pairs
  // (tests/netsim/latency_calibration_test.cpp prints the figures).
  double route_stretch = 1.8;
  double fibre_km_per_ms = 200.0;
  double hop_overhead_ms = 4.0;  // one-way, between distinct regions
  Distribution jitter{Distribution::Kind::kExponential, 1.0, 0};  // per frame, added to the base latency
  Distribution last_mile{Distribution::Kind::kUniform, 2.0, 15.0};  // client <-> its edge, drawn per client
};

enum class HomePlacement { kFirstConnect, kLocationHint, kKeyDerived };

struct RoomInstanceConfig {
  std::string kind = "chat";  // a kind in rooms::builtin_registry()
  std::string id = "lobby";
  nlohmann::json config = nlohmann::json::object();
  HomePlacement placement = HomePlacement::kFirstConnect;
  std::string location_hint;  // region code, for kLocationHint
};

enum class Behaviour {
  kChatter,       // sends broadcasts at a Poisson rate
  kDashboard,     // subscribes to keys and watches data_update
  kLurker,        // connects and listens
  kHostile,       // misbehaves according to `hostile`
};

enum class HostileAction {
  kBadToken,       // connects with a badly signed token
  kExpiredToken,   // connects with an expired token
  kNoToken,
  kFlood,          // sends far above the rate limit
  kMalformedJson,
  kOversizedFrame,
  kUnknownType,
  kTooManyConnections,  // opens more than 5 connections as one user
  kNotMember,      // broadcasts to a sub-room it never joined
};

// How a reconnecting client asks for what it missed (docs/protocol.md).
enum class ResumeMode : uint8_t {
  kFrame,      // plain upgrade (with history), then a `resume` frame after `welcome`
  kQuery,      // upgrade with ?after=&epoch=: the room answers `resumed` right after `welcome`
  kNoHistory,  // upgrade with ?history=none (no history frame), then a `resume` frame after `welcome`
};

struct ClientPopulation {
  std::string name = "users";  // client ids are "<name>-<index>"
  int count = 1;
  // Region weights by code; empty = uniform over all regions.
  std::map<std::string, double> region_weights;
  std::string room = "lobby";  // room id
  Behaviour behaviour = Behaviour::kChatter;
  double send_rate_per_s = 0.5;  // chatter mean rate (Poisson)
  int payload_bytes = 32;
  std::vector<std::string> keys;  // dashboard subscriptions ("*" = all)
  std::string sub_room;           // if set, join_room this sub-room and broadcast to it
  int users = 0;                  // distinct user ids shared by the population; 0 = one per client
  bool reconnect = true;          // reconnect with backoff and resume after a close
  // Every client follows config.actions only; a client without actions stays
  // idle (never connects). `roomsim shrink` sets it when it scripts a population.
  bool scripted = false;
  double backoff_base_ms = 100;
  double backoff_max_ms = 10'000;
  double connect_at_ms_min = 0;      // each client first connects at uniform [min, max]
  double connect_at_ms_max = 1'000;
  std::vector<HostileAction> hostile;  // for kHostile
  int64_t token_ttl_s = 86'400;

  // ---- population options (docs/scenario.md, "Clients"); the defaults draw
  // nothing from any random stream, so a scenario without them runs as before.

  // Each seed enables the population with this probability (swarm testing);
  // the clients of a disabled population never connect.
  double enabled_probability = 1.0;
  // How a reconnecting client catches up; one is drawn (uniformly) from the
  // list per connect, or once per client (resume_mode_per_client).
  std::vector<ResumeMode> resume_modes{ResumeMode::kFrame};
  bool resume_mode_per_client = false;
  // Going away: each client goes away once with away_probability, at uniform
  // [away_at_ms_min, away_at_ms_max]; it vanishes (the connection drops 1006,
  // no close frame) with away_vanish_probability, else closes cleanly (1000).
  // It comes back after uniform [away_ms_min, away_ms_max] and resumes, or
  // never (away_for_good: it leaves for good, kLeave).
  double away_probability = 0;
  double away_at_ms_min = 0;
  double away_at_ms_max = 10'000;
  double away_ms_min = 1'000;
  double away_ms_max = 5'000;
  bool away_for_good = false;
  double away_vanish_probability = 0;
  // Chatters also send bursts of burst_size messages back to back, at a
  // Poisson rate of bursts_per_min per client (0 = none).
  int burst_size = 0;
  double bursts_per_min = 0;
};

enum class FaultKind {
  kPartition,      // regions_a <-/-> regions_b (one_way: a -> b only), or isolate `client`/`region`
  kLatencySpike,   // latency x factor between regions_a and regions_b (empty = everywhere)
  kEdgeOutage,     // region's edge down: its client connections drop (1006), new ones refused
  kEdgeRestart,    // region's edge restarts: its client connections drop (1006) at start
  kRoomEvict,      // room evicted at start (1001)
  kRoomCrash,      // room crashes at start (1006, uncommitted writes lost)
  kStorageSlow,    // room's commits take `factor` x longer during the window
  kStorageFail,    // room's commits fail with probability `probability` during the window
  kStorageReadFail,  // room's storage reads fail (rooms::StorageReadError) with probability `probability`
  kClockSkew,      // client's clock skewed by `skew_ms`
  kRoomClockSkew,  // room moves (evicted) to a machine whose clock is off by `skew_ms`; back at the end
  kClientChurn,    // clients of `population` disconnect and reconnect at `rate_per_s`
};

struct FaultSpec {
  FaultKind kind = FaultKind::kPartition;
  int64_t start_ms = 0;
  int64_t duration_ms = 0;
  std::vector<std::string> regions_a;
  std::vector<std::string> regions_b;
  bool one_way = false;
  std::string region;      // edge faults
  std::string client;      // isolate one client / clock skew
  std::string room;        // room faults ("lobby")
  std::string population;  // churn
  double factor = 1.0;
  double probability = 1.0;
  double rate_per_s = 0.0;
  int64_t skew_ms = 0;
};

// Storms (VOPR / FoundationDB style correlated faults): a storm is a short
// window of window_ms in which kinds_min..kinds_max distinct kinds of
// `per_minute` each get one fault, all starting inside the window and aimed
// at one room, one edge region and one client drawn for the storm. Storms
// arrive at storms.per_minute (Poisson); in swarm mode each seed also enables
// storms with probability 1/2, like a kind.
struct StormRates {
  double per_minute = 0;  // 0 = no storms
  int kinds_min = 3;
  int kinds_max = 5;
  int64_t window_ms = 1'000;
};

// Random faults drawn per seed. In swarm mode the seed first picks which of
// the listed kinds are enabled (each with probability 1/2), TigerBeetle style.
struct FaultRates {
  bool swarm = false;
  std::map<FaultKind, double> per_minute;  // mean number of faults of each kind per simulated minute
  int64_t duration_ms_mean = 5'000;
  StormRates storms;
};

// An explicit client action, as written by `roomsim shrink`: when a
// population has actions, its clients follow them instead of drawing random ones.
struct ClientAction {
  int64_t at_ms = 0;
  std::string client;  // "<population>-<index>"
  // kLeave: the client leaves for good (text "vanish": the connection drops
  // 1006 without a close frame; otherwise a clean close 1000).
  enum class Kind { kConnect, kSend, kClose, kSubscribe, kJoinRoom, kHostile, kLeave } kind = Kind::kSend;
  std::string text;    // payload / keys / sub-room / hostile action name / "vanish"
  int count = 1;       // kSend: this many messages back to back (a burst), in [1, kActionSendCountMax]
};
inline constexpr int kActionSendCountMax = 10'000;

struct PhaseConfig {
  int64_t safety_ms = 30'000;              // faults active
  int64_t liveness_ms = 20'000;            // every fault healed; must converge
  int64_t convergence_bound_ms = 10'000;   // liveness bound for delivery
  std::optional<int64_t> latency_p99_bound_ms;  // latency objective property, if set
};

struct StorageConfig {
  Distribution commit_latency{Distribution::Kind::kUniform, 1.0, 5.0};
};

// The simulated external services a room reaches with RoomContext::fetch:
// "feed" (dashboard data that changes over time), "metrics" (a sink) and
// "sync" (an external database endpoint).
struct ServicesConfig {
  Distribution latency{Distribution::Kind::kUniform, 5.0, 50.0};  // one way, home region <-> service
  double failure_probability = 0.0;  // a call fails (status 0) with this probability
  int64_t feed_period_ms = 5'000;    // the feed's values change every period
};

struct LimitsConfig {
  int64_t heartbeat_timeout_ms = 30'000;  // partitions longer than this close connections 1006
  int max_frame_bytes = 65'536;
  int send_queue_max_frames = 10'000;     // per connection direction; overflow closes 1008
  // Output-gate backlog per room, as the live server bounds it (live/server_options.hpp): while a
  // room holds this many frames or bytes behind commits not durable yet, a client message to it
  // is not handled and its sender is closed 1013.
  int64_t held_frames_max = 100'000;
  int64_t held_bytes_max = int64_t{64} << 20;
};

struct SimulationConfig {
  std::string name = "unnamed";
  TopologyConfig topology;
  std::vector<RoomInstanceConfig> rooms;
  std::vector<ClientPopulation> clients;
  std::vector<FaultSpec> faults;
  FaultRates fault_rates;
  std::vector<ClientAction> actions;
  PhaseConfig phases;
  StorageConfig storage;
  LimitsConfig limits;
  ServicesConfig services;
  std::string token_secret = "roomsim-dev-secret";
  uint64_t event_budget = 200'000'000;
};

}  // namespace roomsim::netsim
