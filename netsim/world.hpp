// netsim/world.hpp: the internals of one simulated run (not a public API;
// include netsim/simulation.hpp instead).
//
// A World owns the engine Simulator, the Trace, the Recorder, the topology,
// every connection, room host and client agent, and the fault state. Its parts
// live in separate files: network.cpp (connections, FIFO frame delivery,
// partitions, bounded queues), room_host.cpp (the RoomContext implementation),
// client_agents.cpp (the protocol-speaking clients), faults.cpp (schedule,
// random rates, swarm), world.cpp (setup, phases, run).
//
// Guarantees kept here (asserted in the .cpp files):
// - Frames of one connection direction are delivered in send order: delivery
//   time = max(now + path latency + jitter, last delivery time of that direction),
//   and one delivery event per direction serves its queue head.
// - Everything iterates vectors or ordered maps; ids are dense indices.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/smart_ptr/intrusive_ptr.hpp>
#include <boost/smart_ptr/intrusive_ref_counter.hpp>

#include "engine/rng.hpp"
#include "engine/simulator.hpp"
#include "engine/trace.hpp"
#include "netsim/feed.hpp"
#include "netsim/frame_hop_recorder.hpp"
#include "netsim/recorder.hpp"
#include "properties/observed_frame.hpp"
#include "netsim/simulation.hpp"
#include "netsim/topology.hpp"
#include "rooms/api/registry.hpp"
#include "rooms/api/room.hpp"

namespace roomsim::netsim::internal {

using properties::EventKind;
using properties::NameId;

// What a client records about a received message (kReceive fields).
using MessageFields = properties::ObservedMessage;

// A frame body shared by every session a broadcast reaches. Clients parse a
// "message" frame once and keep the fields they record here. Reference
// counted without atomics: a World runs on one thread.
struct SharedText : boost::intrusive_ref_counter<SharedText, boost::thread_unsafe_counter> {
  enum Parsed : uint8_t { kUnparsed, kMessage, kPresence, kDataUpdate, kOther };
  std::string text;
  Parsed parsed = kUnparsed;
  MessageFields message;                 // kMessage; kDataUpdate uses message.digest
  NameId name = properties::kNoName;     // kPresence: participant list; kDataUpdate: key
};
using Text = boost::intrusive_ptr<SharedText>;
inline Text make_shared_text() { return Text(new SharedText); }

// Parsed fields of recently seen message texts, for the client agents: a
// history frame repeats message frames its receiver's world has parsed before.
// Direct-mapped by a hash of the text; a hit needs the exact text, so what it
// returns is what parsing that text gives. Bounded: `capacity` entries (a
// power of two, sized by the World for its rooms), allocated at the first put.
class MessageCache {
 public:
  explicit MessageCache(size_t capacity = 1024) : mask_(std::bit_ceil(capacity) - 1) {}
  const MessageFields* find(std::string_view text) const {
    if (entries_.empty()) return nullptr;
    const Entry& e = entries_[hash_words64(0, text) & mask_];
    return e.text == text && !text.empty() ? &e.fields : nullptr;
  }
  void put(std::string_view text, const MessageFields& fields) {
    if (entries_.empty()) entries_.resize(mask_ + 1);
    Entry& e = entries_[hash_words64(0, text) & mask_];
    e.text.assign(text);
    e.fields = fields;
  }

 private:
  struct Entry {
    std::string text;
    MessageFields fields;
  };
  size_t mask_;
  std::vector<Entry> entries_;
};

enum class FrameKind : uint8_t { kText, kUpgrade, kUpgradeResponse, kClose };

struct Frame {
  int64_t at_ns = 0;  // delivery time
  FrameKind kind = FrameKind::kText;
  int32_t code = 0;   // close code, HTTP status
  Text text;          // body, close reason, upgrade token
  int64_t sent_ns = 0;  // when it was sent, or when a partition holding it healed (heartbeat clock)
};

// One direction of a connection: a FIFO of frames in flight.
struct Direction {
  std::vector<Frame> frames;
  uint32_t head = 0;
  bool stalled = false;  // the head waits for a partition to heal
  int64_t last_at_ns = 0;
  EventId event = 0;     // the pending delivery event of the head, 0 if none
  size_t pending() const { return frames.size() - head; }
};

// The room's end of a connection: the upgrade is in flight, a session is open,
// the room closed it and its close frame waits behind the output gate, or closed.
enum class RoomSide : uint8_t { kUpgrading, kOpen, kClosing, kClosed };

// Laid out for the hot path: delivering a frame to a client reads the down
// direction and the fields after it, all in the first cache line; a room's
// send reads those and the route (edge .. last_mile_ns) in the second.
struct alignas(64) Connection {
  Direction down;  // room -> client
  uint32_t client = 0;
  NameId client_name = properties::kNoName;  // the client's interned name (trace lines)
  uint32_t room = 0;
  RoomSide room_side = RoomSide::kUpgrading;
  bool client_open = true;  // false once the client closed or saw a close
  bool valid_token = false;
  bool reset_sent = false;  // a client frame reached a gone server end: 1006 is on its way back
  uint16_t edge = 0;  // the client's edge region
  uint16_t home = 0;  // the room's home region when the connection opened
  rooms::SessionId session = 0;
  int64_t last_mile_ns = 0;
  Direction up;    // client -> room
};
static_assert(offsetof(Connection, reset_sent) < 64 && offsetof(Connection, last_mile_ns) < 128,
              "the delivery fields share the first cache line, the route the second");

enum class ClientPhase : uint8_t { kIdle, kConnecting, kOpen, kWaiting, kStopped };

// The first 32 bytes are what recording a receive reads and writes (aligned,
// so they never straddle two cache lines; delivery events prefetch them).
struct alignas(32) ClientState {
  NameId session = properties::kNoName;  // own session wire id from the current welcome
  NameId peer = properties::kNoName;     // another session's wire id, learned from participants or `from`
  uint64_t conn = 0;           // current connection, 0 none
  int64_t last_seq = -1;       // highest room seq seen
  int64_t epoch = -1;
  uint32_t population = 0;
  uint32_t index = 0;
  uint16_t edge = 0;
  ClientPhase phase = ClientPhase::kIdle;
  uint8_t attempt = 0;         // reconnect attempts since the last success
  bool welcomed = false;       // current connection got welcome / 101
  bool scripted = false;       // follows config.actions only
  uint8_t hostile_next = 0;    // next hostile action index
  ResumeMode resume_mode = ResumeMode::kFrame;  // with resume_mode_per_client: this client's mode
  NameId name = properties::kNoName;  // interned lazily
  NameId user = properties::kNoName;
  uint32_t sent = 0;           // client message counter
  int64_t last_mile_ns = 0;
  int64_t skew_ms = 0;
  uint64_t query_resume_conn = 0;  // the connection whose upgrade asked to resume (?after=&epoch=)
  EventId timer = 0;
  Rng rng;
  explicit ClientState(Rng r) : rng(r) {}
};

struct ActiveFault {
  size_t index = 0;        // fault index in the run (schedule first, then random)
  FaultSpec spec;
  NameId description = properties::kNoName;
  std::vector<uint8_t> in_a, in_b;  // region membership for partitions/spikes
  int region = -1;
  int64_t client = -1;
  int room = -1;
  int population = -1;
  bool active = false;
};

class World;
struct FaultTargets;

// The simulator's RoomContext: one per room id, hosting at most one live
// instance at a time (see room_host.cpp for the Durable Object rules).
class RoomHost final : public rooms::RoomContext, public rooms::Storage {
 public:
  RoomHost(World& world, uint32_t index, const RoomInstanceConfig& config);
  ~RoomHost() override;

  const RoomInstanceConfig& config() const { return config_; }
  NameId name() const { return name_; }
  int home = -1;  // region index, -1 until placed

  // Network side.
  void on_upgrade(uint64_t conn_id, const Frame& frame);
  void on_text(uint64_t conn_id, const Frame& frame);
  void on_peer_close(uint64_t conn_id, int code, std::string_view reason);
  // Restarts and faults.
  void crash();
  void evict();
  // room-clock-skew: the room now runs on a machine whose clock is off by `skew_ms`; a live
  // instance is evicted (1001) so the next one starts there. Nothing happens when it already does.
  void move_to_clock(int64_t skew_ms);
  bool alive() const { return room_ != nullptr; }
  size_t session_count() const { return sessions_.size(); }
  int64_t storage_slow_factor_x1000 = 1000;
  double storage_fail_probability = 0;
  double storage_read_fail_probability = 0;  // a get()/list() throws rooms::StorageReadError

  // RoomContext.
  const std::string& room_kind() const override { return config_.kind; }
  const std::string& room_id() const override { return config_.id; }
  rooms::RoomTime now() const override;
  uint64_t random_u64() override { return rng_.next_u64(); }
  rooms::Storage& storage() override { return *this; }
  void set_alarm(rooms::RoomTime at) override;
  void cancel_alarm() override;
  std::optional<rooms::RoomTime> alarm() const override { return alarm_at_; }
  rooms::SessionId accept_websocket(rooms::SessionAttachment attachment) override;
  bool send(rooms::SessionId session, std::string_view text) override;
  size_t send_many(const std::vector<rooms::SessionId>& sessions, std::string_view text) override;
  void close(rooms::SessionId session, int code, std::string_view reason) override;
  std::vector<rooms::SessionId> sessions() const override;
  rooms::SessionAttachment* attachment(rooms::SessionId session) override;
  uint64_t fetch(std::string_view service, rooms::FetchRequest request) override;
  std::optional<rooms::User> verify_token(std::string_view token, std::string_view secret) override;
  void log(rooms::LogLevel level, std::string_view message) override;
  void metric(std::string_view name, double value) override;
  // Counted as "room.<name>" in SimulationResult::coverage.
  void probe(std::string_view name) override;

  // Storage.
  std::optional<std::string> get(std::string_view key) override;
  void put(std::string_view key, std::string value, std::optional<rooms::RoomDuration> ttl) override;
  bool erase(std::string_view key) override;
  std::vector<std::pair<std::string, std::string>> list(std::string_view prefix, size_t limit) override;

 private:
  struct Value {
    std::string data;
    int64_t expires_ms = 0;  // unix ms, 0 = never
  };
  struct Write {
    std::string key;
    std::optional<Value> value;  // nullopt = erase
  };
  struct Commit {
    uint64_t number = 0;
    bool fails = false;
    bool alarm_changed = false;  // the handler set, cancelled or consumed (fired) the alarm
    std::optional<rooms::RoomTime> alarm;  // the alarm this commit makes durable, when alarm_changed
    std::vector<Write> writes;
  };
  struct Held {
    uint64_t commit = 0;  // released when this commit is durable
    uint64_t conn = 0;
    bool is_close = false;
    int32_t code = 0;
    Text text;
  };
  struct SessionInfo {
    uint64_t conn = 0;
    rooms::SessionAttachment attachment;
    NameId user = properties::kNoName;  // the world's user of the connection, as counted in user_sessions_
  };
  // Runs one room handler under the input gate. A handler that throws stops
  // the run (World::halt) with the room, the handler and the exception's
  // text; its writes are not committed. A rooms::StorageReadError that
  // escapes it (an injected read failure) resets the instance instead, as a
  // failed commit does. Returns false when the handler threw or the run is
  // already halted (nothing ran).
  template <class F>
  bool run_handler(const char* handler, F&& body);
  // Creates the instance (running on_start) if there is none; false when
  // there is still none after it (on_start hit a read failure, or the run halted).
  bool ensure_started();
  // Throws rooms::StorageReadError with storage_read_fail_probability.
  void maybe_fail_read(std::string_view what);
  void reset_after_read_failure(const char* handler, const std::string& what);
  void finish_handler();
  void commit_durable(uint64_t number);
  void release_held();
  void reset_after_failure(uint64_t number);
  void drop_instance(int code, const char* reason);
  void put_frame(Held&& held);
  // Queues a frame or close behind the output gate.
  void hold(Held&& held);
  // The output-gate backlog is at limits.held_frames_max or held_bytes_max.
  bool held_full() const;
  Text make_text(std::string_view text);
  // send() with the body in `shared`, made (make_text) at the first open session.
  bool send_text(rooms::SessionId session, std::string_view text, Text& shared);
  // Records kRoomSessions for the room and, for a user other than kNoName, that user's count.
  void record_sessions(NameId user);
  // Records kAdmission: the room answered an upgrade of conn_id with `code`;
  // the counts are those open just before.
  void record_admission(uint64_t conn_id, NameId user, int32_t code);
  // Removes an open session; returns its counted user.
  NameId remove_session(rooms::SessionId session);
  void clear_sessions();
  void fire_alarm();
  void schedule_alarm();
  // After a crash or failed commit: the alarm is the durable one again.
  void revert_alarm();
  // Records kServiceAnswer for request `id` of `service` (code: status, 0 failed, -1 dropped).
  void record_service_answer(const std::string& service, uint64_t id, int32_t code);

  World& world_;
  uint32_t index_;
  RoomInstanceConfig config_;
  NameId name_;
  Rng rng_;
  Rng storage_rng_;
  // This room's calls to external services draw from their own stream, so a
  // room's calls never shift what another room's calls draw (shrinking away
  // one room's clients keeps the others' service latencies and failures).
  Rng service_rng_;
  Rng read_fault_rng_;  // draws only while a storage-read-fail fault is active
  // After a read failure reset, a due alarm waits until then (the platform retries alarms with backoff).
  int64_t alarm_not_before_ns_ = 0;
  int64_t clock_skew_ms_ = 0;  // the room's machine's clock error: now() and the alarm scheduler use it
  std::unique_ptr<rooms::Room> room_;
  uint64_t incarnation_ = 0;
  bool in_handler_ = false;
  uint64_t accepting_conn_ = 0;  // inside on_request for an upgrade
  NameId accepting_user_ = properties::kNoName;  // the world's user of accepting_conn_
  rooms::SessionId accepted_ = 0;
  std::map<rooms::SessionId, SessionInfo> sessions_;
  // Open sessions per world user (NameIds are handed out in intern order, so
  // iterating this map is deterministic).
  std::map<NameId, int64_t> user_sessions_;
  // Storage tables: point lookups by key, and list() collects the keys under
  // a prefix and sorts them, so the tables' internal order never reaches a
  // result (a tree keyed by 24-byte strings cost ~8 % of the chat bench).
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return static_cast<size_t>(hash_words64(0, key)); }
  };
  using Store = std::unordered_map<std::string, Value, KeyHash, std::equal_to<>>;
  Store memory_;   // what the room reads
  Store durable_;  // what survives a crash
  std::vector<Write> building_;                        // writes of the running handler
  std::vector<Commit> pending_;                        // submitted, not yet durable (in order)
  uint64_t next_commit_ = 1;
  uint64_t durable_commit_ = 0;
  int64_t durable_commit_at_ns_ = 0;
  std::deque<Held> held_;
  int64_t held_bytes_ = 0;  // text bytes of held_ (each entry counts its frame, as the live host does)
  std::optional<rooms::RoomTime> alarm_at_;       // the instance's alarm (durable + uncommitted changes)
  std::optional<rooms::RoomTime> durable_alarm_;  // the alarm as of the last durable commit
  bool alarm_changed_ = false;                    // the running handler changed alarm_at_
  EventId alarm_event_ = 0;
  uint64_t next_fetch_ = 1;
  Text last_text_;                                 // broadcasts reuse one shared body
  mutable std::vector<rooms::SessionId> session_list_;  // sessions() in accept order, rebuilt after a change
  mutable bool session_list_stale_ = true;
};

class World {
 public:
  World(const SimulationConfig& config, uint64_t seed, const SimulationOutputs& outputs,
        const rooms::RoomRegistry& registry, SimulationResult& result);
  ~World();
  void run();

  // ---- shared state (used by every part) ----
  const SimulationConfig& config;
  const rooms::RoomRegistry& registry;
  SimulationResult& result;
  Rng root;
  Simulator sim;
  Trace trace;
  Recorder rec;
  Topology topology;
  std::vector<std::unique_ptr<RoomHost>> rooms;
  std::map<std::string, uint32_t, std::less<>> room_index;
  std::vector<ClientState> clients;
  std::vector<uint32_t> population_first;  // first client index of each population
  std::vector<Connection> conns;           // conns[id - 1]
  std::vector<ActiveFault> faults;
  Rng net_rng;
  Rng fault_rng;
  rooms::SessionId next_session = 1;
  std::vector<uint64_t> session_conn{0};   // session id -> connection id (sessions are never reused)
  bool ended = false;        // "end" phase reached: nothing new starts
  bool halted = false;       // halt() was called: the run stops after the current event
  bool liveness = false;     // liveness phase: no faults
  int64_t quiesce_ns = 0;    // clients stop sending after this time
  // The largest |clock error| a room's machine can have in this run (room-clock-skew faults,
  // explicit or drawn); 0 when rooms always run on true clocks.
  int64_t room_clock_error_ms = 0;
  Feed feed;                 // the external feed (service "feed"), frozen at quiesce_ns
  NameId name_direct = properties::kNoName, name_sub = properties::kNoName;

  // ---- helpers (world.cpp) ----
  int64_t now_ns() const { return sim.now().ns(); }
  properties::Event event(EventKind kind) const;
  void probe(const std::string& name, uint64_t n = 1) { result.coverage[name] += n; }
  // Stops the run after the current event because a room handler threw;
  // `why` names the room, the handler and the exception (SimulationResult::room_exception).
  void halt(std::string why);
  // Records the feed's values at t = 0 and at each change until quiesce (kFeedValue, room empty).
  void record_feed();
  int64_t draw_ns(Rng& rng, const Distribution& d) const;
  NameId client_name(uint32_t client);
  std::string client_string(uint32_t client) const;

  // ---- network (network.cpp) ----
  Connection& conn(uint64_t id) { return conns[id - 1]; }
  uint64_t open_connection(uint32_t client, uint32_t room);
  // Queues a frame on a direction (up: client -> room). Returns false when the
  // queue bound closed the connection instead.
  bool send_frame(uint64_t conn_id, bool up, FrameKind kind, int32_t code, Text text);
  // Both ends learn at once that the connection is gone (1006 and friends):
  // queues dropped, the room's on_close and the client's close both run now.
  void drop_connection(uint64_t conn_id, int code, const char* reason, const char* probe_name);
  void heal_stalled();
  bool blocked(const Connection& c, bool up) const;
  int64_t path_ns(const Connection& c, bool up);
  // The time after which a frame still in flight means the peer looks dead.
  int64_t heartbeat_deadline_ns(const Frame& f) const { return f.sent_ns + config.limits.heartbeat_timeout_ms * 1'000'000; }
  void deliver(uint64_t key);
  // Cache hints for a run of sends: the connection's first two lines, then
  // (once those are loaded) where its next down frame will be written.
  void prefetch_connection(uint64_t conn_id) const {
    const char* c = reinterpret_cast<const char*>(&conns[conn_id - 1]);
    __builtin_prefetch(c);
    __builtin_prefetch(c + 64);
  }
  void prefetch_session_conn(rooms::SessionId session) const {
    if (session < session_conn.size()) __builtin_prefetch(&session_conn[session]);
  }
  // The connection a session was accepted on, 0 for an unknown session id.
  uint64_t session_connection(rooms::SessionId session) const {
    return session < session_conn.size() ? session_conn[session] : 0;
  }
  void prefetch_down_tail(uint64_t conn_id) const {
    const Direction& d = conns[conn_id - 1].down;
    __builtin_prefetch(d.frames.data() + d.frames.size());
  }
  // Prefetch hints for the event delivering `head` on a direction of c.
  Simulator::Prefetch delivery_hints(const Connection& c, bool up, const Frame& head) const;
  void dispatch(uint64_t conn_id, bool up, Frame& frame);
  std::vector<uint64_t> stalled;  // connections with a stalled direction
  std::unique_ptr<FrameHopRecorder> hops;  // null unless SimulationOutputs::record_frame_hops
  int active_partitions = 0;
  int active_spikes = 0;  // active latency spikes: path_ns skips the fault scan when 0

  // ---- clients (client_agents.cpp) ----
  void start_clients();
  void client_timer(uint32_t client);
  void client_connect(uint32_t client, std::optional<HostileAction> hostile);
  void on_client_frame(uint64_t conn_id, const Frame& frame);
  void client_closed(uint64_t conn_id, int code, std::string_view reason, bool initiated);
  void client_opened(uint32_t client);
  void client_text(uint64_t conn_id, SharedText& text);
  // A history/resumed frame: its receives, gap and replay window (j: the frame; messages: its fields).
  void record_replay(uint64_t conn_id, const nlohmann::json& j, const std::vector<MessageFields>& messages);
  // The same, taking the frame apart without parsing its messages again when
  // they are in message_cache. False (nothing recorded) when it cannot.
  bool client_replay_fast(uint64_t conn_id, std::string_view text);
  // Two entries per message a room keeps (history_max 100), at most 16,384.
  MessageCache message_cache{std::min<size_t>(16'384, std::max<size_t>(256, config.rooms.size() * 256))};
  MessageFields message_fields(const nlohmann::json& m);
  void record_receive(uint64_t conn_id, const MessageFields& m, int64_t replayed);
  NameId presence_name(const nlohmann::json& participants);
  void record_named(EventKind kind, uint64_t conn_id, NameId text, uint64_t digest);
  void client_send_broadcast(uint32_t client, std::string_view filler);
  void client_send_raw(uint32_t client, std::string text);
  // Send join_room / subscribe and record kJoinRoom / kSubscribe (one per key).
  void client_join_room(uint32_t client, const std::string& sub_room);
  void client_subscribe(uint32_t client, const std::vector<std::string>& keys);
  void learn_peer(uint32_t client, NameId session);
  void client_close(uint32_t client, int code, const char* reason);
  void client_hostile(uint32_t client, HostileAction action);
  void client_action(const ClientAction& action);
  void schedule_client(uint32_t client, int64_t delay_ns);
  void schedule_reconnect(uint32_t client);
  uint32_t client_by_name(const std::string& name) const;
  properties::Event client_event(EventKind kind, uint64_t conn_id);
  // Population options (simulation_config.hpp): going away and coming back or
  // leaving for good, vanishing, bursts, the resume mode of each connect.
  void client_go_away(uint32_t client, bool vanish, bool for_good);
  void client_vanish(uint32_t client);
  void client_burst(uint32_t client);
  ResumeMode draw_resume_mode(uint32_t client);
  // The upgrade request's query string ("token=..&after=..&epoch=..&history=none"),
  // as the client composes it and the room host splits it.
  static std::map<std::string, std::string> split_query(std::string_view query);
  std::string mint_token(uint32_t client, std::optional<HostileAction> hostile);

  // ---- faults (faults.cpp) ----
  void schedule_faults();
  // Fills a drawn fault's targets and parameters; false when the world has
  // nothing for the kind to hit. `storm`: the storm's shared targets, or null.
  bool draw_fault(FaultSpec& f, Rng& r, const std::vector<std::string>& edges, const FaultTargets* storm);
  FaultTargets draw_fault_targets(Rng& r, const std::vector<std::string>& edges);
  void begin_fault(size_t i);
  void end_fault(size_t i);
  double spike_factor(uint16_t a, uint16_t b) const;
  bool edge_down(uint16_t region) const;
};

}  // namespace roomsim::netsim::internal
