// netsim/client_agents.cpp: simulated clients speaking docs/protocol.md.
//
// Behaviours: chatters (Poisson broadcasts with unique ids "<client>-<n>" and a
// payload {"b": filler, "c": client, "m": id}, and optional bursts of them),
// dashboard subscribers, lurkers, hostile clients (bad/expired/missing tokens,
// floods, malformed JSON, oversized frames, unknown types, too many
// connections). Every client reconnects after a close it did not ask for
// (exponential backoff, full jitter) and then resumes from the last seq it
// saw, by one of the protocol's three ways (a `resume` frame after `welcome`,
// `?after=&epoch=` on the upgrade, or `?history=none` and a `resume` frame).
// Population options make clients join late, go away for a while (cleanly or
// by vanishing) and come back, or leave for good (kLeave; they never
// reconnect). Scripted clients (config.actions) do only what the script says,
// apart from reconnecting. Every observation becomes a history event
// (properties/history.hpp). Every option's draws come from the client's own
// stream (or, for a population's per-seed switch, the "populations" stream),
// and an option left at its default draws nothing.
#include <algorithm>
#include <cmath>

#include "auth/jwt.hpp"
#include "engine/assert.hpp"
#include "netsim/json_scan.hpp"
#include "netsim/names.hpp"
#include "netsim/world.hpp"
#include "rooms/protocol/json_text.hpp"

namespace roomsim::netsim::internal {

namespace {
constexpr int kFloodMessages = 150;        // above the 100 per minute rate limit, in one burst
constexpr int kExtraConnections = 6;       // one user, more than 5 connections
constexpr int64_t kHostilePeriodMs = 2'000;  // a hostile client acts about this often
constexpr uint32_t kDirectEvery = 4;        // a sub-room chatter sends every 4th message as a direct
constexpr int64_t kTokenExpiredAgoS = 3'600;
}  // namespace

properties::Event World::client_event(EventKind kind, uint64_t conn_id) {
  properties::Event e = event(kind);
  const Connection& c = conn(conn_id);
  e.client = c.client_name;
  e.conn = conn_id;
  e.room = rooms[c.room]->name();
  return e;
}

uint32_t World::client_by_name(const std::string& name) const {
  const size_t dash = name.rfind('-');
  const std::string pop = name.substr(0, dash);
  for (uint32_t p = 0; p < config.clients.size(); ++p) {
    if (config.clients[p].name == pop) return population_first[p] + static_cast<uint32_t>(std::stoul(name.substr(dash + 1)));
  }
  ROOMSIM_ASSERT_MSG(false, "client names are validated before the run");
  return 0;
}

std::map<std::string, std::string> World::split_query(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos) out[std::string(pair.substr(0, eq))] = std::string(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

namespace {
// A delay in ms drawn from a population's option, as ns (Duration::delay_ns
// saturates, so the conversion never overflows).
int64_t ms_to_ns(double ms) { return Duration::delay_ns(ms * 1e6).ns(); }
}  // namespace

void World::start_clients() {
  // Per-seed population switches (swarm testing), from their own stream so
  // that they never shift a client's draws.
  std::string disabled;
  std::vector<bool> enabled(config.clients.size(), true);
  const Rng switches = root.fork("populations");
  for (uint32_t p = 0; p < config.clients.size(); ++p) {
    const double chance = config.clients[p].enabled_probability;
    if (chance >= 1) continue;
    Rng r = switches.fork(config.clients[p].name);
    enabled[p] = r.bernoulli(chance);
    if (!enabled[p]) disabled += (disabled.empty() ? "" : ",") + config.clients[p].name;
  }
  for (uint32_t p = 0; p < config.clients.size(); ++p) {
    if (config.clients[p].enabled_probability < 1) {
      rec.note(sim.now(), "population_profile", "disabled=" + (disabled.empty() ? std::string("none") : disabled));
      break;
    }
  }
  for (uint32_t i = 0; i < clients.size(); ++i) {
    ClientState& c = clients[i];
    if (c.scripted) continue;
    const ClientPopulation& pop = config.clients[c.population];
    if (!enabled[c.population]) {
      c.phase = ClientPhase::kStopped;
      continue;
    }
    const double at_ms = c.rng.uniform_real(pop.connect_at_ms_min, pop.connect_at_ms_max);
    schedule_client(i, ms_to_ns(at_ms));
    if (pop.resume_mode_per_client && pop.resume_modes.size() > 1) {
      c.resume_mode = pop.resume_modes[c.rng.uniform_below(pop.resume_modes.size())];
    }
    if (pop.away_probability > 0 && c.rng.bernoulli(pop.away_probability)) {
      const double away_at_ms = c.rng.uniform_real(pop.away_at_ms_min, pop.away_at_ms_max);
      const bool vanish = pop.away_vanish_probability > 0 && c.rng.bernoulli(pop.away_vanish_probability);
      sim.schedule_at(Time::zero() + Duration::nanoseconds(ms_to_ns(away_at_ms)),
                      [this, i, vanish, for_good = pop.away_for_good] { client_go_away(i, vanish, for_good); });
    }
    if (pop.behaviour == Behaviour::kChatter && pop.burst_size > 0 && pop.bursts_per_min > 0) {
      sim.schedule_after(Duration::nanoseconds(ms_to_ns(c.rng.exponential(60'000.0 / pop.bursts_per_min))),
                         [this, i] { client_burst(i); });
    }
  }
  for (const ClientAction& a : config.actions) {
    sim.schedule_at(Time::zero() + milliseconds(a.at_ms), [this, &a] { client_action(a); });
  }
}

ResumeMode World::draw_resume_mode(uint32_t client) {
  ClientState& c = clients[client];
  const ClientPopulation& pop = config.clients[c.population];
  if (pop.resume_modes.size() <= 1) return pop.resume_modes.empty() ? ResumeMode::kFrame : pop.resume_modes.front();
  if (pop.resume_mode_per_client) return c.resume_mode;  // drawn once in start_clients
  return pop.resume_modes[c.rng.uniform_below(pop.resume_modes.size())];
}

void World::client_go_away(uint32_t client, bool vanish, bool for_good) {
  ClientState& c = clients[client];
  if (ended || c.phase == ClientPhase::kStopped) return;
  const ClientPopulation& pop = config.clients[c.population];
  if (for_good) {
    properties::Event e = event(EventKind::kLeave);
    e.client = client_name(client);
    e.room = rooms[room_index.find(pop.room)->second]->name();
    e.value = vanish ? 1 : 0;
    rec.add(e);
  }
  probe(std::string(for_good ? "agent.leave_" : "agent.away_") + (vanish ? "vanish" : "clean"));
  if (c.conn != 0) {
    if (vanish) {
      client_vanish(client);
    } else {
      client_close(client, rooms::close_code::kNormal, for_good ? "leaving" : "going away");
    }
  }
  if (c.timer != 0) sim.cancel(c.timer);
  c.timer = 0;
  if (for_good) {
    c.phase = ClientPhase::kStopped;
    return;
  }
  c.phase = ClientPhase::kWaiting;
  c.attempt = 0;
  schedule_client(client, ms_to_ns(c.rng.uniform_real(pop.away_ms_min, pop.away_ms_max)));
}

void World::client_vanish(uint32_t client) {
  const uint64_t id = clients[client].conn;
  if (id == 0) return;
  // The client's end is gone without a close frame: it records 1006 (its own
  // doing); the room's end learns of it only when the network's heartbeat
  // gives up on the silent peer.
  client_closed(id, rooms::close_code::kAbnormal, "vanished", true);
  sim.schedule_after(milliseconds(config.limits.heartbeat_timeout_ms), [this, id] {
    const RoomSide side = conn(id).room_side;
    if (side == RoomSide::kOpen || side == RoomSide::kUpgrading) {
      drop_connection(id, rooms::close_code::kAbnormal, "heartbeat timeout", "agent.vanished_peer_timed_out");
    }
  });
}

void World::client_burst(uint32_t client) {
  ClientState& c = clients[client];
  if (ended || c.phase == ClientPhase::kStopped || now_ns() >= quiesce_ns) return;
  const ClientPopulation& pop = config.clients[c.population];
  if (c.phase == ClientPhase::kOpen) {
    probe("agent.burst");
    for (int k = 0; k < pop.burst_size && clients[client].phase == ClientPhase::kOpen; ++k) {
      client_send_broadcast(client, std::string(static_cast<size_t>(pop.payload_bytes), 'x'));
    }
  }
  sim.schedule_after(Duration::nanoseconds(ms_to_ns(clients[client].rng.exponential(60'000.0 / pop.bursts_per_min))),
                     [this, client] { client_burst(client); });
}

void World::schedule_client(uint32_t client, int64_t delay_ns) {
  ClientState& c = clients[client];
  if (c.timer != 0) sim.cancel(c.timer);
  c.timer = sim.schedule_after(Duration::nanoseconds(std::max<int64_t>(0, delay_ns)), [this, client] { client_timer(client); });
}

void World::schedule_reconnect(uint32_t client) {
  ClientState& c = clients[client];
  const ClientPopulation& pop = config.clients[c.population];
  if (!pop.reconnect || ended || c.phase == ClientPhase::kStopped) return;
  const double cap = std::min(pop.backoff_max_ms, pop.backoff_base_ms * std::ldexp(1.0, std::min<int>(c.attempt, 30)));
  const double delay_ms = c.rng.uniform_real(0, cap);  // full jitter
  if (c.attempt < 255) ++c.attempt;
  c.phase = ClientPhase::kWaiting;
  probe("agent.reconnect_scheduled");
  schedule_client(client, Duration::delay_ns(delay_ms * 1e6).ns());
}

void World::client_timer(uint32_t client) {
  ClientState& c = clients[client];
  c.timer = 0;
  if (ended) return;
  const ClientPopulation& pop = config.clients[c.population];
  if (c.phase == ClientPhase::kIdle || c.phase == ClientPhase::kWaiting) {
    client_connect(client, std::nullopt);
    return;
  }
  if (c.phase != ClientPhase::kOpen || c.scripted) return;
  if (pop.behaviour == Behaviour::kChatter && pop.send_rate_per_s > 0) {
    if (now_ns() >= quiesce_ns) return;  // quiet until the end: no more sends, no more timers
    client_send_broadcast(client, std::string(static_cast<size_t>(pop.payload_bytes), 'x'));
    if (clients[client].phase == ClientPhase::kOpen) {
      schedule_client(client, Duration::delay_ns(c.rng.exponential(1e9 / pop.send_rate_per_s)).ns());
    }
  } else if (pop.behaviour == Behaviour::kHostile && now_ns() < quiesce_ns) {
    const HostileAction action = pop.hostile[c.hostile_next % pop.hostile.size()];
    c.hostile_next = static_cast<uint8_t>((c.hostile_next + 1) % pop.hostile.size());
    client_hostile(client, action);
    if (clients[client].phase == ClientPhase::kOpen) {
      schedule_client(client, Duration::delay_ns(c.rng.exponential(kHostilePeriodMs * 1e6)).ns());
    }
  }
}

std::string World::mint_token(uint32_t client, std::optional<HostileAction> hostile) {
  const ClientState& c = clients[client];
  const ClientPopulation& pop = config.clients[c.population];
  const int64_t clock_ms = rooms::kSimulationEpochUnixMs + sim.now().ms() + c.skew_ms;  // the client's clock
  auth::TokenClaims claims;
  claims.sub = rec.name(c.user);
  claims.name = claims.sub;
  claims.exp = clock_ms / 1000 + pop.token_ttl_s;
  if (hostile == HostileAction::kExpiredToken) claims.exp = clock_ms / 1000 - kTokenExpiredAgoS;
  const std::string secret = hostile == HostileAction::kBadToken ? config.token_secret + "-forged" : config.token_secret;
  return auth::mint_hs256(secret, claims);
}

void World::client_connect(uint32_t client, std::optional<HostileAction> hostile) {
  if (ended) return;
  client_name(client);
  ClientState& c = clients[client];
  const bool extra = hostile.has_value();  // hostile extra connections never replace the main one
  const uint32_t room = room_index.find(config.clients[c.population].room)->second;
  std::string token;
  if (hostile != HostileAction::kNoToken) token = mint_token(client, hostile);
  const uint64_t id = open_connection(client, room);
  Connection& cn = conn(id);
  // Valid means valid at the true time: a client whose skewed clock minted an
  // already expired token presents an invalid one, whatever it believes.
  const RoomInstanceConfig& target = config.rooms[room];
  const auto valid_at_ms = [&](int64_t sim_ms) {
    const int64_t at_s = (rooms::kSimulationEpochUnixMs + sim_ms) / 1000;
    return !token.empty() && std::holds_alternative<auth::TokenClaims>(auth::verify_for_room(
                                 token, config.token_secret, at_s, target.kind, target.id));
  };
  cn.valid_token = valid_at_ms(sim.now().ms());
  // The upgrade may be in flight up to heartbeat_timeout_ms, and the room's
  // clock may be off by room_clock_error_ms: a token that expires within that
  // is valid when sent and may be refused (2); one that expired within the
  // clock error before now is invalid but may be accepted (3). (Tokens carry
  // no nbf here: validity is an interval ending at exp, so checking the ends
  // of the window is enough.)
  const int64_t in_flight_ms_max = std::min<int64_t>(config.limits.heartbeat_timeout_ms, int64_t{1} << 40);
  const bool valid_on_arrival = valid_at_ms(sim.now().ms() + in_flight_ms_max + room_clock_error_ms);
  const bool maybe_accepted = room_clock_error_ms > 0 && valid_at_ms(sim.now().ms() - room_clock_error_ms);
  if (!extra) {
    c.conn = id;
    c.phase = ClientPhase::kConnecting;
  }
  const ResumeMode mode = extra ? ResumeMode::kFrame : draw_resume_mode(client);
  properties::Event e = client_event(EventKind::kConnect, id);
  e.user = c.user;
  e.value = !cn.valid_token ? (maybe_accepted ? 3 : 0) : valid_on_arrival ? 1 : 2;
  rec.add(e);
  // The upgrade's query string (docs/protocol.md, "Connecting").
  Text query = make_shared_text();
  if (!token.empty()) query->text = "token=" + token;
  auto add_param = [&](const std::string& param) { query->text += (query->text.empty() ? "" : "&") + param; };
  if (mode == ResumeMode::kQuery && c.last_seq >= 0) {
    // Resume on connect: the room answers `resumed` right after `welcome`.
    properties::Event r = client_event(EventKind::kResume, id);
    r.value = c.last_seq;
    r.epoch = c.epoch;
    rec.add(r);
    probe("agent.resume_query");
    add_param("after=" + std::to_string(c.last_seq));
    add_param("epoch=" + std::to_string(c.epoch));
    c.query_resume_conn = id;
  }
  if (mode == ResumeMode::kNoHistory) {
    probe("agent.join_no_history");
    add_param("history=none");
  }
  if (edge_down(c.edge)) {
    // The edge is down: the request never reaches a room; the client sees 503 after its last mile.
    probe("agent.edge_down_refused");
    conn(id).room_side = RoomSide::kClosed;
    sim.schedule_after(Duration::nanoseconds(2 * c.last_mile_ns), [this, id] {
      Frame f;
      f.kind = FrameKind::kUpgradeResponse;
      f.code = 503;
      on_client_frame(id, f);
    });
    return;
  }
  send_frame(id, true, FrameKind::kUpgrade, 0, std::move(query));
}

void World::client_opened(uint32_t client) {
  ClientState& c = clients[client];
  const ClientPopulation& pop = config.clients[c.population];
  c.phase = ClientPhase::kOpen;
  c.attempt = 0;
  if (!pop.sub_room.empty() && !c.scripted) {
    client_join_room(client, pop.sub_room);
  }
  if (c.scripted) return;
  switch (pop.behaviour) {
    case Behaviour::kChatter:
      if (pop.send_rate_per_s > 0) {
        schedule_client(client, Duration::delay_ns(c.rng.exponential(1e9 / pop.send_rate_per_s)).ns());
      }
      break;
    case Behaviour::kDashboard:
      client_subscribe(client, pop.keys);
      break;
    case Behaviour::kLurker: break;
    case Behaviour::kHostile:
      schedule_client(client, Duration::delay_ns(c.rng.exponential(kHostilePeriodMs * 1e6)).ns());
      break;
  }
}

void World::on_client_frame(uint64_t conn_id, const Frame& frame) {
  Connection& cn = conn(conn_id);
  if (!cn.client_open) return;
  const uint32_t client = cn.client;
  switch (frame.kind) {
    case FrameKind::kUpgradeResponse: {
      properties::Event e = client_event(EventKind::kConnectResult, conn_id);
      e.code = frame.code;
      rec.add(e);
      if (frame.code == 101) {
        if (clients[client].conn == conn_id) client_opened(client);
        return;
      }
      probe("agent.connect_refused_" + std::to_string(frame.code));
      conn(conn_id).client_open = false;
      if (clients[client].conn == conn_id) {
        clients[client].conn = 0;
        schedule_reconnect(client);
      }
      return;
    }
    case FrameKind::kClose:
      client_closed(conn_id, frame.code, frame.text ? std::string_view(frame.text->text) : std::string_view(), false);
      return;
    case FrameKind::kText:
      client_text(conn_id, *frame.text);
      return;
    case FrameKind::kUpgrade: ROOMSIM_ASSERT_MSG(false, "upgrade request sent towards a client"); return;
  }
}

void World::client_closed(uint64_t conn_id, int code, std::string_view reason, bool initiated) {
  Connection& cn = conn(conn_id);
  if (!cn.client_open) return;
  cn.client_open = false;
  properties::Event e = client_event(EventKind::kClose, conn_id);
  e.code = code;
  e.text = rec.intern(reason);
  e.value = initiated ? 1 : 0;
  rec.add(e);
  if (!initiated) probe("conn.closed_" + std::to_string(code));
  const uint32_t client = cn.client;
  ClientState& c = clients[client];
  if (c.conn != conn_id) return;
  c.conn = 0;
  if (c.timer != 0) sim.cancel(c.timer);
  c.timer = 0;
  c.phase = ClientPhase::kWaiting;
  if (!initiated) schedule_reconnect(client);
}

void World::client_close(uint32_t client, int code, const char* reason) {
  ClientState& c = clients[client];
  if (c.conn == 0) return;
  const uint64_t id = c.conn;
  auto text = make_shared_text();
  text->text = reason;
  send_frame(id, true, FrameKind::kClose, code, std::move(text));
  client_closed(id, code, reason, true);
}

void World::client_send_raw(uint32_t client, std::string text) {
  const ClientState& c = clients[client];
  if (c.conn == 0 || !conn(c.conn).client_open) return;
  auto t = make_shared_text();
  t->text = std::move(text);
  send_frame(c.conn, true, FrameKind::kText, 0, std::move(t));
}

void World::client_join_room(uint32_t client, const std::string& sub_room) {
  const ClientState& c = clients[client];
  if (c.conn == 0 || !conn(c.conn).client_open) return;
  properties::Event e = client_event(EventKind::kJoinRoom, c.conn);
  e.target = rec.intern(sub_room);
  rec.add(e);
  client_send_raw(client, nlohmann::json{{"type", "join_room"}, {"roomId", sub_room}}.dump());
}

void World::client_subscribe(uint32_t client, const std::vector<std::string>& keys) {
  const ClientState& c = clients[client];
  if (c.conn == 0 || !conn(c.conn).client_open) return;
  for (const std::string& key : keys) {
    properties::Event e = client_event(EventKind::kSubscribe, c.conn);
    e.text = rec.intern(key);
    rec.add(e);
  }
  client_send_raw(client, nlohmann::json{{"type", "subscribe"}, {"keys", keys}}.dump());
}

void World::learn_peer(uint32_t client, NameId session) {
  ClientState& c = clients[client];
  if (session == properties::kNoName || session == c.session) return;
  c.peer = session;
}

void World::client_send_broadcast(uint32_t client, std::string_view filler) {
  ClientState& c = clients[client];
  if (c.phase != ClientPhase::kOpen || c.conn == 0) return;
  const ClientPopulation& pop = config.clients[c.population];
  const std::string& me = rec.name(client_name(client));
  std::string id = me + "-" + std::to_string(++c.sent);
  // Written directly in nlohmann's dump() form (rooms/protocol/json_text.hpp):
  // payload {"b","c","m"}, frame members in key order.
  using rooms::protocol::append_json_key;
  using rooms::protocol::append_json_member;
  std::string payload_text = "{";
  append_json_member(payload_text, "b", filler);
  payload_text += ',';
  append_json_member(payload_text, "c", me);
  payload_text += ',';
  append_json_member(payload_text, "m", id);
  payload_text += '}';
  properties::Event e = client_event(EventKind::kSend, c.conn);
  e.msg = fnv1a64(id);
  e.digest = fnv1a64(payload_text);
  std::string frame = "{";
  append_json_member(frame, "id", id);
  frame += ',';
  append_json_key(frame, "payload");
  frame += payload_text;
  if (!pop.sub_room.empty() && c.peer != properties::kNoName && c.sent % kDirectEvery == 0) {
    // Sub-room chatters also talk to one peer whose session id the room told them.
    frame += ',';
    append_json_member(frame, "targetId", rec.name(c.peer));
    frame += R"(,"type":"direct"})";
    e.channel = name_direct;
    e.target = c.peer;
  } else {
    if (!pop.sub_room.empty()) {
      frame += ',';
      append_json_member(frame, "roomId", pop.sub_room);
      e.channel = name_sub;
      e.target = rec.intern(pop.sub_room);
    }
    frame += R"(,"type":"broadcast"})";
  }
  e.value = static_cast<int64_t>(frame.size());
  rec.add(e);
  client_send_raw(client, std::move(frame));
}

void World::client_hostile(uint32_t client, HostileAction action) {
  probe(std::string("agent.hostile_") + hostile_action_name(action));
  switch (action) {
    case HostileAction::kBadToken:
    case HostileAction::kExpiredToken:
    case HostileAction::kNoToken:
      client_connect(client, action);
      return;
    case HostileAction::kTooManyConnections:
      for (int i = 0; i < kExtraConnections; ++i) client_connect(client, action);
      return;
    case HostileAction::kFlood:
      for (int i = 0; i < kFloodMessages && clients[client].phase == ClientPhase::kOpen; ++i) {
        client_send_broadcast(client, "flood");
      }
      return;
    case HostileAction::kMalformedJson:
      client_send_raw(client, "{\"type\": \"broadcast\", \"payload\": ");
      return;
    case HostileAction::kOversizedFrame:
      // A broadcast recorded like any other (a send with its size, which
      // admission judges the room's frame_too_large by) whose filler alone
      // passes max_frame_bytes.
      client_send_broadcast(client, std::string(static_cast<size_t>(config.limits.max_frame_bytes) + 1, 'o'));
      return;
    case HostileAction::kUnknownType:
      client_send_raw(client, "{\"type\":\"no_such_type\",\"payload\":1}");
      return;
    case HostileAction::kNotMember:
      // Refused (not_member) before the room counts or stores it.
      client_send_raw(client, R"({"id":"intruder","payload":{},"roomId":"not-joined","type":"broadcast"})");
      return;
  }
}

void World::client_action(const ClientAction& a) {
  if (ended) return;
  const uint32_t client = client_by_name(a.client);
  ClientState& c = clients[client];
  switch (a.kind) {
    case ClientAction::Kind::kConnect:
      if (c.conn == 0 && c.phase != ClientPhase::kStopped) client_connect(client, std::nullopt);
      return;
    case ClientAction::Kind::kLeave:
      client_go_away(client, a.text == "vanish", true);
      return;
    case ClientAction::Kind::kSend:
      if (c.phase != ClientPhase::kOpen) {
        probe("agent.scripted_send_while_disconnected");  // nothing to send on; counted, not hidden
        return;
      }
      for (int i = 0; i < a.count && clients[client].phase == ClientPhase::kOpen; ++i) client_send_broadcast(client, a.text);
      return;
    case ClientAction::Kind::kClose:
      client_close(client, rooms::close_code::kNormal, "client closed");
      return;
    case ClientAction::Kind::kSubscribe: {
      std::vector<std::string> keys;
      size_t start = 0;
      while (start <= a.text.size()) {
        const size_t comma = a.text.find(',', start);
        const std::string key = a.text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!key.empty()) keys.push_back(key);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      client_subscribe(client, keys);
      return;
    }
    case ClientAction::Kind::kJoinRoom:
      client_join_room(client, a.text);
      return;
    case ClientAction::Kind::kHostile:
      if (auto action = parse_hostile_action(a.text)) client_hostile(client, *action);
      return;
  }
}

// ---- receiving ----

using properties::json_int;
using properties::json_string;

MessageFields World::message_fields(const nlohmann::json& m) {
  return properties::observe_message(m, rec, name_sub);
}

void World::record_receive(uint64_t conn_id, const MessageFields& m, int64_t replayed) {
  properties::Event e = client_event(EventKind::kReceive, conn_id);
  e.sender = m.sender;
  e.msg = m.msg;
  e.digest = m.digest;
  e.seq = m.seq;
  e.epoch = m.epoch;
  e.channel = m.channel;
  e.target = m.target;
  e.value = replayed;
  rec.add(e);
  ++result.message_deliveries;
  // One resume point per client, fed by all its connections. It advances only
  // over contiguous seqs: a client that missed
  // 129 and 130 but saw 131.. keeps resuming after 128 until the room answers a
  // `resume` (see client_text), so a hole is never papered over.
  learn_peer(conn(conn_id).client, m.from);
  ClientState& c = clients[conn(conn_id).client];
  if (m.seq >= 0) {
    if (c.last_seq < 0) {
      c.epoch = m.epoch;
      c.last_seq = m.seq;
    } else if (m.epoch == c.epoch && m.seq == c.last_seq + 1) {
      c.last_seq = m.seq;
    }
  }
}

NameId World::presence_name(const nlohmann::json& participants) {
  return properties::observe_presence(participants, rec);
}

void World::record_named(EventKind kind, uint64_t conn_id, NameId text, uint64_t digest) {
  properties::Event e = client_event(kind, conn_id);
  e.text = text;
  e.digest = digest;
  rec.add(e);
}

void World::record_replay(uint64_t conn_id, const nlohmann::json& j, const std::vector<MessageFields>& messages) {
  const std::string type = json_string(j, "type");
  const uint32_t client = conn(conn_id).client;
  int64_t first = -1, last = -1, count = 0;
  for (const MessageFields& m : messages) {
    record_receive(conn_id, m, 1);
    if (count == 0) first = m.seq;
    last = m.seq;
    ++count;
  }
  const int64_t epoch = json_int(j, "epoch");
  // A resume the room could not fully answer: it names the lost range.
  const bool gap = type == "resumed" && j.contains("recovered") && j["recovered"].is_boolean() && !j["recovered"].get<bool>();
  if (gap) {
    properties::Event g = client_event(EventKind::kGap, conn_id);
    g.epoch = j.contains("missedEpoch") ? json_int(j, "missedEpoch") : epoch;  // the epoch the range counts in
    g.value = json_int(j, "missedFrom");
    g.seq = json_int(j, "missedTo");
    rec.add(g);
    probe("agent.resume_gap");
  }
  ClientState& c = clients[client];
  if (type == "resumed") {
    // The room sent everything it still has after `after` (or announced the gap):
    // the client is caught up to the end of the replay or of the gap. A gap in
    // another epoch (missedEpoch) says nothing about the room's epoch: there the
    // client is caught up to the end of the replay, or to the room's seq when
    // nothing was replayed (never to the old epoch's missedTo).
    const bool other_epoch = gap && j.contains("missedEpoch");
    const int64_t caught = other_epoch ? (count > 0 ? last : json_int(j, "seq"))
                                       : gap ? std::max(last, json_int(j, "missedTo")) : last;
    if (epoch >= 0 && epoch != c.epoch) {
      c.epoch = epoch;
      c.last_seq = caught;
    } else {
      c.last_seq = std::max(c.last_seq, caught);
    }
  }
  properties::Event w = client_event(EventKind::kReplayWindow, conn_id);
  w.epoch = epoch;
  w.value = first;
  w.seq = last;
  w.code = static_cast<int32_t>(count);
  rec.add(w);
}

bool World::client_replay_fast(uint64_t conn_id, std::string_view text) {
  // A history/resumed frame's messages are usually byte for byte message
  // frames this world's clients parsed before: split the array with the
  // scanner, take each element's fields from the cache (or parse it), and
  // parse the rest of the frame with the array emptied. Any surprise returns
  // false before anything is recorded, and the caller parses the whole frame.
  size_t begin = 0, end = 0;
  if (!json_member_span(text, "messages", begin, end)) return false;
  std::vector<std::string_view> items;
  if (!json_array_elements(text.substr(begin, end - begin), items)) return false;
  std::string outer;
  outer.reserve(text.size() - (end - begin) + 2);
  outer.append(text.substr(0, begin)).append("[]").append(text.substr(end));
  const nlohmann::json j = nlohmann::json::parse(outer, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return false;
  const std::string type = json_string(j, "type");
  if (type != "history" && type != "resumed") return false;
  std::vector<MessageFields> messages;
  messages.reserve(items.size());
  for (std::string_view item : items) {
    const MessageFields* known = message_cache.find(item);
    if (known != nullptr) {
      messages.push_back(*known);
      continue;
    }
    const nlohmann::json m = nlohmann::json::parse(item, nullptr, false);
    if (m.is_discarded()) return false;
    messages.push_back(message_fields(m));
    message_cache.put(item, messages.back());
  }
  record_replay(conn_id, j, messages);
  return true;
}

void World::client_text(uint64_t conn_id, SharedText& t) {
  // Fast paths: a frame shared by several receivers is parsed only once.
  switch (t.parsed) {
    case SharedText::kMessage: record_receive(conn_id, t.message, 0); return;
    case SharedText::kPresence: record_named(EventKind::kPresence, conn_id, t.name, 0); return;
    case SharedText::kDataUpdate: record_named(EventKind::kDataUpdate, conn_id, t.name, t.message.digest); return;
    case SharedText::kUnparsed:
    case SharedText::kOther: break;
  }
  if (t.text.find("\"messages\"") != std::string::npos && client_replay_fast(conn_id, t.text)) {
    t.parsed = SharedText::kOther;
    return;
  }
  const nlohmann::json j = nlohmann::json::parse(t.text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    probe("agent.unparsable_server_frame");
    properties::Event e = client_event(EventKind::kError, conn_id);
    e.text = rec.intern("client:unparsable_server_frame");
    rec.add(e);
    return;
  }
  const std::string type = json_string(j, "type");
  const uint32_t client = conn(conn_id).client;
  if (type == "message") {
    // Cache what every receiver records, so the next receiver skips the parse.
    t.message = message_fields(j);
    t.parsed = SharedText::kMessage;
    message_cache.put(t.text, t.message);  // history frames repeat this text
    record_receive(conn_id, t.message, 0);
    return;
  }
  if (properties::is_relayed_payload(j)) {  // a relay room sends the payload alone
    t.message = message_fields(nlohmann::json{{"payload", j}});
    t.parsed = SharedText::kMessage;
    record_receive(conn_id, t.message, 0);
    return;
  }
  t.parsed = SharedText::kOther;
  if (type == "direct") {
    MessageFields m = message_fields(j);
    m.channel = name_direct;
    m.seq = -1;
    m.epoch = -1;
    record_receive(conn_id, m, 0);
  } else if (type == "welcome") {
    properties::Event e = client_event(EventKind::kWelcome, conn_id);
    e.session = rec.intern(json_string(j, "sessionId"));
    e.seq = json_int(j, "seq");
    e.epoch = json_int(j, "epoch");
    rec.add(e);
    ClientState& c = clients[client];
    if (c.conn == conn_id) {
      c.session = e.session;
      c.peer = properties::kNoName;
    }
    if (auto p = j.find("participants"); p != j.end()) {
      record_named(EventKind::kPresence, conn_id, presence_name(*p), 0);
      if (c.conn == conn_id && p->is_array()) {
        for (const auto& q : *p) {
          if (q.is_object() && c.peer == properties::kNoName) learn_peer(client, rec.intern(json_string(q, "sessionId")));
        }
      }
    }
    const bool resumed_by_query = c.query_resume_conn == conn_id;
    if (c.last_seq >= 0 && resumed_by_query) {
      // Asked on the upgrade (kResume recorded there): the `resumed` answer follows.
    } else if (c.last_seq >= 0) {
      // A reconnect (or another connection of the same client): ask for what was missed.
      properties::Event r = client_event(EventKind::kResume, conn_id);
      r.value = c.last_seq;
      r.epoch = c.epoch;
      rec.add(r);
      probe("agent.resume");
      auto text = make_shared_text();
      text->text = nlohmann::json{{"type", "resume"}, {"after", c.last_seq}, {"epoch", c.epoch}}.dump();
      send_frame(conn_id, true, FrameKind::kText, 0, std::move(text));
    } else if (e.seq >= 0) {
      // First join: caught up to the room's latest seq (older ones come as history).
      c.epoch = e.epoch;
      c.last_seq = e.seq;
    }
  } else if (type == "history" || type == "resumed") {
    std::vector<MessageFields> messages;
    if (const auto m = j.find("messages"); m != j.end() && m->is_array()) {
      for (const auto& item : *m) messages.push_back(message_fields(item));
    }
    record_replay(conn_id, j, messages);
  } else if (type == "ack") {
    properties::Event e = client_event(EventKind::kAck, conn_id);
    e.msg = fnv1a64(json_string(j, "id"));
    e.seq = json_int(j, "seq");
    e.epoch = json_int(j, "epoch");
    rec.add(e);
  } else if (type == "user_joined" || type == "user_left") {
    if (auto p = j.find("participants"); p != j.end()) {
      t.name = presence_name(*p);
      t.parsed = SharedText::kPresence;
      record_named(EventKind::kPresence, conn_id, t.name, 0);
    }
  } else if (type == "snapshot") {
    auto data = j.find("data");
    if (data != j.end() && data->is_object()) {
      for (auto it = data->begin(); it != data->end(); ++it) {
        properties::Event e = client_event(EventKind::kDataUpdate, conn_id);
        e.text = rec.intern(it.key());
        e.digest = fnv1a64(it.value().dump());
        rec.add(e);
      }
    }
  } else if (type == "data_update") {
    auto v = j.find("value");
    t.name = rec.intern(json_string(j, "key"));
    t.message.digest = fnv1a64(v == j.end() ? std::string("null") : v->dump());
    t.parsed = SharedText::kDataUpdate;
    record_named(EventKind::kDataUpdate, conn_id, t.name, t.message.digest);
  } else if (type == "joined_room") {
    properties::Event e = client_event(EventKind::kJoinRoom, conn_id);
    e.target = rec.intern(json_string(j, "roomId"));
    e.value = 1;  // the room confirmed the join
    rec.add(e);
  } else if (type == "ping") {
    client_send_raw(client, nlohmann::json{{"type", "pong"}, {"timestamp", json_int(j, "timestamp", 0)}}.dump());
  } else if (type == "error") {
    properties::Event e = client_event(EventKind::kError, conn_id);
    e.text = rec.intern(json_string(j, "code"));
    rec.add(e);
  }
}

}  // namespace roomsim::netsim::internal
