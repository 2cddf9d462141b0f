// tests/rooms/fake_room_context.cpp: see fake_room_context.hpp.
#include "tests/rooms/fake_room_context.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "auth/jwt.hpp"

namespace roomsim::rooms::testing {

// ---- FakeStorage ----

std::optional<std::string> FakeStorage::get(std::string_view key) {
  if (auto it = pending_.find(key); it != pending_.end()) {
    if (!it->second || !live(*it->second)) return std::nullopt;
    return it->second->value;
  }
  auto it = committed_.find(key);
  if (it == committed_.end() || !live(it->second)) return std::nullopt;
  return it->second.value;
}

void FakeStorage::put(std::string_view key, std::string value, std::optional<RoomDuration> ttl) {
  std::optional<RoomTime> expires;
  if (ttl) expires = *clock_ + *ttl;
  pending_.insert_or_assign(std::string(key), Entry{std::move(value), expires});
}

bool FakeStorage::erase(std::string_view key) {
  bool existed = get(key).has_value();
  pending_.insert_or_assign(std::string(key), std::nullopt);
  return existed;
}

std::vector<std::pair<std::string, std::string>> FakeStorage::list(std::string_view prefix, size_t limit) {
  std::map<std::string, std::string> merged;
  for (const auto& [k, e] : committed_) {
    if (k.compare(0, prefix.size(), prefix) == 0 && live(e)) merged[k] = e.value;
  }
  for (const auto& [k, e] : pending_) {
    if (k.compare(0, prefix.size(), prefix) != 0) continue;
    if (e && live(*e)) {
      merged[k] = e->value;
    } else {
      merged.erase(k);
    }
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& [k, v] : merged) {
    if (out.size() >= limit) break;
    out.emplace_back(k, v);
  }
  return out;
}

void FakeStorage::commit() {
  if (pending_.empty()) return;
  for (auto& [k, e] : pending_) {
    if (e) {
      committed_.insert_or_assign(k, std::move(*e));
    } else {
      committed_.erase(k);
    }
  }
  pending_.clear();
  ++commit_count_;
}

std::map<std::string, std::string> FakeStorage::committed() const {
  std::map<std::string, std::string> out;
  for (const auto& [k, e] : committed_) {
    if (live(e)) out[k] = e.value;
  }
  return out;
}

// ---- FakeRoomContext ----

FakeRoomContext::FakeRoomContext(std::string kind, std::string id, uint64_t seed)
    : kind_(std::move(kind)), id_(std::move(id)), seed_(seed) {}

uint64_t FakeRoomContext::random_u64() {
  // SplitMix64 of (seed + counter): deterministic and independent of call sites.
  uint64_t z = seed_ + 0x9e3779b97f4a7c15ULL * ++draws_;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

SessionId FakeRoomContext::accept_websocket(SessionAttachment attachment) {
  if (!in_request_) throw std::logic_error("accept_websocket called outside on_request");
  SessionId id = next_session_++;
  sessions_[id].attachment = std::move(attachment);
  order_.push_back(id);
  return id;
}

bool FakeRoomContext::send(SessionId session, std::string_view text) {
  auto it = sessions_.find(session);
  if (it == sessions_.end() || !it->second.open) return false;
  it->second.sent.push_back({std::string(text), storage_.has_pending()});
  return true;
}

void FakeRoomContext::close(SessionId session, int code, std::string_view reason) {
  auto it = sessions_.find(session);
  if (it == sessions_.end() || !it->second.open) return;
  it->second.open = false;
  it->second.closed_by_room = std::make_pair(code, std::string(reason));
}

void FakeRoomContext::client_closed(SessionId session) { sessions_.at(session).open = false; }

void FakeRoomContext::drop_all_sessions() {
  for (auto& [_, s] : sessions_) s.open = false;
}

std::vector<SessionId> FakeRoomContext::sessions() const {
  std::vector<SessionId> out;
  for (SessionId id : order_) {
    if (sessions_.at(id).open) out.push_back(id);
  }
  return out;
}

SessionAttachment* FakeRoomContext::attachment(SessionId session) {
  auto it = sessions_.find(session);
  if (it == sessions_.end() || !it->second.open) return nullptr;
  return &it->second.attachment;
}

uint64_t FakeRoomContext::fetch(std::string_view service, FetchRequest request) {
  uint64_t id = next_fetch_++;
  fetches_.push_back({id, std::string(service), std::move(request)});
  return id;
}

std::optional<User> FakeRoomContext::verify_token(std::string_view token, std::string_view secret) {
  auto result = auth::verify_for_room(token, secret, to_unix_ms(now_) / 1000, kind_, id_);
  auto* claims = std::get_if<auth::TokenClaims>(&result);
  if (claims == nullptr) return std::nullopt;
  return User{claims->sub, claims->name, from_unix_ms(claims->exp * 1000)};
}

void FakeRoomContext::log(LogLevel level, std::string_view message) { logs_.emplace_back(level, std::string(message)); }

void FakeRoomContext::metric(std::string_view name, double value) { metrics_.emplace_back(std::string(name), value); }

// ---- FakeHost ----

FakeHost::FakeHost(RoomSpec spec, uint64_t seed) : spec_(std::move(spec)), seed_(seed) {
  ctx_ = std::make_unique<FakeRoomContext>(spec_.kind, spec_.id, seed_);
  restart();
}

template <typename F>
void FakeHost::run_handler(F&& f) {
  f();
  ctx_->fake_storage().commit();
}

void FakeHost::restart() {
  ctx_->drop_all_sessions();
  ctx_->fake_storage().discard();
  ctx_->fetches().clear();
  room_.reset();
  auto created = builtin_registry().create(spec_);
  if (auto* err = std::get_if<std::string>(&created)) {
    ADD_FAILURE() << "cannot create room: " << *err;
    throw std::runtime_error(*err);
  }
  room_ = std::move(std::get<std::unique_ptr<Room>>(created));
  run_handler([&] { room_->on_start(*ctx_); });
}

HttpResponse FakeHost::request(HttpRequest request) {
  HttpResponse response;
  run_handler([&] {
    ctx_->set_in_request(true);
    response = room_->on_request(*ctx_, request);
    ctx_->set_in_request(false);
  });
  return response;
}

ConnectResult FakeHost::connect(const std::string& token, std::map<std::string, std::string> extra_query) {
  HttpRequest req;
  req.path = "/rooms/" + spec_.kind + "/" + spec_.id;
  req.websocket_upgrade = true;
  req.headers["upgrade"] = "websocket";
  req.query = std::move(extra_query);
  if (!token.empty()) req.query["token"] = token;
  req.remote = "client/test";
  auto before = ctx_->all_sessions().size();
  ConnectResult result;
  result.response = request(req);
  if (ctx_->all_sessions().size() > before) {
    result.session = ctx_->all_sessions().rbegin()->first;
    result.response.status = 101;
  }
  return result;
}

void FakeHost::message(SessionId session, std::string_view text) {
  if (!ctx_->session(session).open) return;
  run_handler([&] { room_->on_message(*ctx_, session, text); });
}

void FakeHost::client_close(SessionId session, int code) {
  if (!ctx_->session(session).open) return;
  ctx_->client_closed(session);
  run_handler([&] { room_->on_close(*ctx_, session, code, "client closed"); });
}

bool FakeHost::fire_alarm(bool force) {
  auto at = ctx_->alarm();
  if (!at) return false;
  if (!force && *at > ctx_->now()) return false;
  ctx_->cancel_alarm();
  run_handler([&] { room_->on_alarm(*ctx_); });
  return true;
}

void FakeHost::advance_ms(int64_t ms, int64_t alarms_max) {
  RoomTime end = ctx_->now() + RoomDuration(ms);
  for (int64_t fired = 0; fired < alarms_max; ++fired) {
    auto at = ctx_->alarm();
    if (!at || *at > end) break;
    if (*at > ctx_->now()) ctx_->set_now(*at);
    fire_alarm();
  }
  ctx_->set_now(end);
}

void FakeHost::answer_fetch(uint64_t id, FetchResponse response) {
  auto& q = ctx_->fetches();
  for (auto it = q.begin(); it != q.end(); ++it) {
    if (it->id != id) continue;
    q.erase(it);
    run_handler([&] { room_->on_fetch_result(*ctx_, id, response); });
    return;
  }
  ADD_FAILURE() << "no pending fetch " << id;
}

std::vector<nlohmann::json> FakeHost::frames(SessionId session, const std::string& type) {
  std::vector<nlohmann::json> out;
  for (const auto& f : ctx_->session(session).sent) {
    auto j = nlohmann::json::parse(f.text, nullptr, false);
    if (j.is_discarded()) {
      ADD_FAILURE() << "room sent invalid JSON: " << f.text;
      continue;
    }
    if (type.empty() || j.value("type", "") == type) out.push_back(std::move(j));
  }
  return out;
}

void FakeHost::clear_frames() {
  for (const auto& [id, _] : ctx_->all_sessions()) ctx_->session(id).sent.clear();
}

std::string FakeHost::token(const std::string& user, const std::string& name, int64_t ttl_s,
                            const std::string& secret) {
  return auth::mint_hs256(secret, {user, name, to_unix_ms(ctx_->now()) / 1000 + ttl_s});
}

}  // namespace roomsim::rooms::testing
