// live/load_tool.cpp: see load_tool.hpp.
#include "live/load_tool.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <algorithm>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "auth/jwt.hpp"
#include "live/history_recorder.hpp"
#include "live/room_knowledge.hpp"

namespace roomsim::live {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using Clock = std::chrono::steady_clock;

struct Target {
  bool tls = false;  // wss://
  std::string host;
  std::string port;
  std::string path;
};

bool parse_ws_url(const std::string& url, Target& out) {
  out.tls = url.rfind("wss://", 0) == 0;
  if (!out.tls && url.rfind("ws://", 0) != 0) return false;
  const std::string rest = url.substr(out.tls ? 6 : 5);
  const size_t slash = rest.find('/');
  if (slash == std::string::npos) return false;
  std::string authority = rest.substr(0, slash);
  out.path = rest.substr(slash);
  const size_t colon = authority.rfind(':');
  out.port = colon == std::string::npos ? (out.tls ? "443" : "80") : authority.substr(colon + 1);
  out.host = colon == std::string::npos ? authority : authority.substr(0, colon);
  return !out.host.empty();
}

// Finds `"key":<integer>` in a frame; the fast path for payloads we produced.
bool find_int(std::string_view sv, std::string_view key, int64_t& out) {
  const size_t at = sv.find(key);
  if (at == std::string_view::npos) return false;
  size_t i = at + key.size();
  bool neg = false;
  if (i < sv.size() && sv[i] == '-') {
    neg = true;
    ++i;
  }
  if (i >= sv.size() || sv[i] < '0' || sv[i] > '9') return false;
  int64_t v = 0;
  for (; i < sv.size() && sv[i] >= '0' && sv[i] <= '9'; ++i) v = v * 10 + (sv[i] - '0');
  out = neg ? -v : v;
  return true;
}

class Load;

struct Client : std::enable_shared_from_this<Client> {
  Load* load = nullptr;
  int index = 0;
  std::string name;
  std::string user;
  bool sender = false;
  bool bad_token = false;  // presents a token signed with a wrong secret (LoadOptions::bad_token_clients)
  std::string token;       // the token of the current connection attempt ("" for none)
  std::unique_ptr<websocket::stream<beast::tcp_stream>> ws;                          // ws://
  std::unique_ptr<websocket::stream<beast::ssl_stream<beast::tcp_stream>>> wss;     // wss://
  beast::flat_buffer buffer;
  bool open = false;
  bool writing = false;
  bool done = false;  // closed on purpose at the end
  struct Outgoing {
    std::string text;
    bool message = false;  // a broadcast of this run (counted in `sent` once written)
  };
  std::deque<Outgoing> outq;
  int sent = 0;
  uint64_t conn = 0;
  int64_t last_seq = -1;
  int64_t epoch = -1;
  bool welcomed = false;
  int attempts = 0;
  std::unique_ptr<asio::steady_timer> backoff;
  std::vector<bool> seen;  // (sender index * (messages + 1) + q) received on any connection
};

// Calls `f` with the client's WebSocket stream, plain or TLS.
template <class F>
void with_ws(Client& c, F&& f) {
  if (c.wss) {
    f(*c.wss);
  } else {
    f(*c.ws);
  }
}

beast::tcp_stream& tcp_layer(Client& c) {
  return c.wss ? beast::get_lowest_layer(*c.wss) : beast::get_lowest_layer(*c.ws);
}

class Load {
 public:
  explicit Load(const LoadOptions& o) : o_(o), resolver_(ioc_), tick_(ioc_) {
    ssl_.set_verify_mode(asio::ssl::verify_none);  // a load tool: self-signed test certificates are fine
  }

  std::variant<nlohmann::json, std::string> run();
  void on_frame(Client& c, std::string_view text);
  void pump();

 private:
  void start_connect(const std::shared_ptr<Client>& c);
  void ws_handshake(const std::shared_ptr<Client>& c);
  // A connection attempt failed (`status`: HTTP refusal or 0); the next client may start.
  void connect_failed(const std::shared_ptr<Client>& c, int status, const std::string& reason);
  void connect_next();
  void read(const std::shared_ptr<Client>& c);
  void write(const std::shared_ptr<Client>& c);
  void send_message(Client& c, int64_t t_ns);
  void on_closed(const std::shared_ptr<Client>& c, int code, const std::string& reason);
  void schedule_tick();
  bool finished() const;
  int64_t now_ns() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start_).count();
  }
  std::string target_for(const Client& c) const;
  std::string token_for(const Client& c) const;
  // Kind and id from the URL path /rooms/<kind>/<id>[/...][?...]; false when it has no such shape.
  bool room_of_target(std::string& kind, std::string& id) const;
  std::optional<std::string> start_history();

  LoadOptions o_;
  asio::io_context ioc_;
  asio::ssl::context ssl_{asio::ssl::context::tls_client};
  tcp::resolver resolver_;
  tcp::resolver::results_type endpoints_;
  asio::steady_timer tick_;
  Target target_;
  std::vector<std::shared_ptr<Client>> clients_;
  std::optional<HistoryRecorder> recorder_;
  std::optional<RoomKnowledge> room_;  // from --server-config
  bool liveness_recorded_ = false;
  Clock::time_point start_ = Clock::now();
  size_t next_to_connect_ = 0;
  int connecting_ = 0;
  int connected_ = 0;
  int connect_failures_ = 0;
  int refused_status_ = 0;
  std::string last_connect_error_;  // why the latest failed connection attempt failed
  uint64_t next_conn_ = 1;
  int64_t first_send_ns_ = -1;
  int64_t last_delivery_ns_ = -1;
  int64_t last_progress_ns_ = 0;
  bool sending_started_ = false;
  uint64_t sent_total_ = 0;
  uint64_t delivered_ = 0;   // unique deliveries to clients other than the sender
  uint64_t duplicates_ = 0;
  uint64_t self_echo_ = 0;
  uint64_t replayed_ = 0;
  uint64_t acks_ = 0;
  uint64_t errors_ = 0;       // error frames
  uint64_t unparsed_ = 0;
  uint64_t abnormal_closes_ = 0;
  uint64_t reconnects_ = 0;
  int receivers_ = 0;
  int next_sender_ = 0;
  uint64_t rate_k_ = 0;
  std::vector<uint32_t> latencies_us_;
};

int64_t unix_now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string Load::token_for(const Client& c) const {
  if (!c.bad_token && !o_.token.empty()) return o_.token;
  if (o_.secret.empty()) return "";
  auth::TokenClaims claims;
  claims.sub = c.user;
  claims.name = c.user;
  claims.exp = unix_now_s() + 24 * 3600;
  return auth::mint_hs256(c.bad_token ? o_.secret + "-but-wrong" : o_.secret, claims);
}

std::string Load::target_for(const Client& c) const {
  std::string t = target_.path;
  if (!c.token.empty()) t += (t.find('?') == std::string::npos ? "?token=" : "&token=") + c.token;
  return t;
}

bool Load::room_of_target(std::string& kind, std::string& id) const {
  const std::string path = target_.path.substr(0, target_.path.find('?'));
  if (path.rfind("/rooms/", 0) != 0) return false;
  const size_t slash = path.find('/', 7);
  if (slash == std::string::npos || slash == 7) return false;
  kind = path.substr(7, slash - 7);
  id = path.substr(slash + 1, path.find('/', slash + 1) - slash - 1);
  return !id.empty();
}

void Load::connect_next() {
  while (connecting_ < o_.connect_parallel && next_to_connect_ < clients_.size()) {
    start_connect(clients_[next_to_connect_++]);
  }
}

void Load::start_connect(const std::shared_ptr<Client>& c) {
  ++connecting_;
  c->ws.reset();
  c->wss.reset();
  if (target_.tls) {
    c->wss = std::make_unique<websocket::stream<beast::ssl_stream<beast::tcp_stream>>>(ioc_, ssl_);
  } else {
    c->ws = std::make_unique<websocket::stream<beast::tcp_stream>>(ioc_);
  }
  with_ws(*c, [](auto& ws) {
    ws.read_message_max(64u << 20);
    ws.auto_fragment(false);
  });
  c->conn = next_conn_++;
  c->buffer.clear();
  c->outq.clear();
  c->writing = false;
  c->token = token_for(*c);
  if (recorder_) recorder_->connect(c->name, c->conn, c->user, room_ && token_valid(*room_, c->token, unix_now_s()));
  tcp_layer(*c).expires_after(std::chrono::seconds(10));
  tcp_layer(*c).async_connect(endpoints_, [this, c](const error_code& ec, const tcp::endpoint&) {
    if (ec) {
      connect_failed(c, 0, "connect: " + ec.message());
      return;
    }
    tcp_layer(*c).socket().set_option(tcp::no_delay(true));
    if (!c->wss) {
      ws_handshake(c);
      return;
    }
    SSL_set_tlsext_host_name(c->wss->next_layer().native_handle(), target_.host.c_str());
    c->wss->next_layer().async_handshake(asio::ssl::stream_base::client, [this, c](const error_code& tec) {
      if (tec) {
        connect_failed(c, 0, "TLS handshake: " + tec.message());
        return;
      }
      ws_handshake(c);
    });
  });
}

void Load::connect_failed(const std::shared_ptr<Client>& c, int status, const std::string& reason) {
  --connecting_;
  ++connect_failures_;
  if (recorder_) recorder_->connect_result(c->name, c->conn, status);
  last_connect_error_ = reason;
  on_closed(c, 1006, reason);
  connect_next();
}

void Load::ws_handshake(const std::shared_ptr<Client>& c) {
  auto res = std::make_shared<websocket::response_type>();
  with_ws(*c, [&](auto& ws) {
    ws.async_handshake(*res, target_.host + ":" + target_.port, target_for(*c), [this, c, res](const error_code& hec) {
      tcp_layer(*c).expires_never();
      if (hec) {
        const int status = static_cast<int>(res->result_int());
        if (status != 0 && status != 101) refused_status_ = status;
        connect_failed(c, status == 101 ? 0 : status, "handshake: " + hec.message());
        return;
      }
      --connecting_;
      if (recorder_) recorder_->connect_result(c->name, c->conn, 101);
      c->open = true;
      c->attempts = 0;
      ++connected_;
      read(c);
      connect_next();
      pump();
    });
  });
}

void Load::read(const std::shared_ptr<Client>& c) {
  with_ws(*c, [&](auto& ws) { ws.async_read(c->buffer, [this, c](const error_code& ec, size_t) {
    if (ec) {
      int code = 1006;
      std::string reason = ec.message();
      if (ec == websocket::error::closed) {
        with_ws(*c, [&](auto& s) {
          code = s.reason().code;
          reason = std::string(s.reason().reason.c_str());
        });
      }
      c->open = false;
      --connected_;
      on_closed(c, code, reason);
      return;
    }
    const auto data = c->buffer.cdata();
    on_frame(*c, std::string_view(static_cast<const char*>(data.data()), data.size()));
    c->buffer.consume(c->buffer.size());
    if (c->open) read(c);
    pump();
  }); });
}

void Load::on_frame(Client& c, std::string_view text) {
  const int64_t now = now_ns();
  if (recorder_) {
    HistoryRecorder::FrameFacts f = recorder_->frame(c.name, c.conn, text);
    if (f.type == "welcome") {
      if (c.welcomed && c.last_seq >= 0) {
        recorder_->resume(c.name, c.conn, c.last_seq, c.epoch);
        c.outq.push_back({nlohmann::json{{"type", "resume"}, {"after", c.last_seq}, {"epoch", c.epoch}}.dump(), false});
        write(c.shared_from_this());
      } else if (f.seq >= 0) {
        c.last_seq = f.seq;
        c.epoch = f.epoch;
      }
      c.welcomed = true;
    } else if (f.seq >= 0 && f.type != "welcome") {
      if (f.epoch != c.epoch) {
        c.epoch = f.epoch;
        c.last_seq = f.seq;
      } else {
        c.last_seq = std::max(c.last_seq, f.seq);
      }
    }
    if (f.is_ping) {
      c.outq.push_back({nlohmann::json{{"type", "pong"}, {"timestamp", f.ping_timestamp}}.dump(), false});
      write(c.shared_from_this());
    }
    if (f.type == "ack") ++acks_;
    if (f.type == "error") ++errors_;
    if (f.type == "history" || f.type == "resumed") {
      // Count replayed payloads of this run as deliveries too (a resume recovers them).
      const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
      if (j.is_object() && j.contains("messages") && j["messages"].is_array()) {
        for (const auto& m : j["messages"]) {
          const std::string s = m.is_object() && m.contains("payload") ? m["payload"].dump() : "";
          int64_t sv, q, t;
          if (find_int(s, "\"s\":", sv) && find_int(s, "\"q\":", q) && find_int(s, "\"t\":", t) && sv >= 0 &&
              sv < o_.senders && q >= 1 && q <= o_.messages && sv != c.index) {
            const size_t key = static_cast<size_t>(sv) * (o_.messages + 1) + static_cast<size_t>(q);
            if (t >= 0 && !c.seen[key]) {
              c.seen[key] = true;
              ++delivered_;
              ++replayed_;
              last_delivery_ns_ = now;
              last_progress_ns_ = now;
            }
          }
        }
      }
      return;
    }
  } else if (text.size() > 6 && text.find("\"ping\"") != std::string_view::npos) {
    int64_t ts = 0;
    find_int(text, "\"timestamp\":", ts);
    c.outq.push_back({nlohmann::json{{"type", "pong"}, {"timestamp", ts}}.dump(), false});
    write(c.shared_from_this());
  }
  int64_t s, q, t;
  if (!find_int(text, "\"s\":", s) || !find_int(text, "\"q\":", q) || !find_int(text, "\"t\":", t)) {
    if (!recorder_) {
      if (text.find("\"type\":\"ack\"") != std::string_view::npos) {
        ++acks_;
      } else if (text.find("\"type\":\"error\"") != std::string_view::npos) {
        ++errors_;
      } else if (text.find("\"type\":\"welcome\"") == std::string_view::npos &&
                 text.find("\"type\":\"user_") == std::string_view::npos &&
                 text.find("\"type\":\"history\"") == std::string_view::npos) {
        ++unparsed_;
      }
    }
    return;
  }
  if (s < 0 || s >= o_.senders || q < 1 || q > o_.messages || t < 0 || t > now + 1'000'000'000) {
    ++unparsed_;  // not from this run
    return;
  }
  if (s == c.index) {
    ++self_echo_;
    return;
  }
  const size_t key = static_cast<size_t>(s) * (o_.messages + 1) + static_cast<size_t>(q);
  if (c.seen[key]) {
    ++duplicates_;
    return;
  }
  c.seen[key] = true;
  ++delivered_;
  last_delivery_ns_ = now;
  last_progress_ns_ = now;
  latencies_us_.push_back(static_cast<uint32_t>(std::min<int64_t>((now - t) / 1000, UINT32_MAX)));
}

void Load::write(const std::shared_ptr<Client>& c) {
  if (c->writing || !c->open || c->outq.empty()) return;
  c->writing = true;
  with_ws(*c, [&](auto& ws) {
    ws.text(true);
    ws.async_write(asio::buffer(c->outq.front().text), [this, c](const error_code& ec, size_t) {
      c->writing = false;
      if (ec) return;  // the read side reports the close; a message not written is not sent
      if (c->outq.front().message) ++sent_total_;
      c->outq.pop_front();
      write(c);
      if (c->sender) pump();
    });
  });
}

void Load::send_message(Client& c, int64_t t_ns) {
  const int q = ++c.sent;
  const std::string id = c.name + "-" + std::to_string(q);
  nlohmann::json payload = {{"c", c.name}, {"m", id}, {"s", c.index}, {"q", q}, {"t", t_ns}};
  if (o_.payload_bytes > 0) payload["p"] = std::string(static_cast<size_t>(o_.payload_bytes), 'x');
  const nlohmann::json frame = {{"type", "broadcast"}, {"id", id}, {"payload", payload}};
  std::string text = frame.dump();
  if (recorder_) recorder_->send(c.name, c.conn, id, payload, static_cast<int64_t>(text.size()));
  c.outq.push_back({std::move(text), true});
  if (first_send_ns_ < 0) first_send_ns_ = now_ns();
  last_progress_ns_ = now_ns();
  write(c.shared_from_this());
}

void Load::pump() {
  if (!sending_started_ || o_.rate > 0) return;
  // Closed loop: at most window x senders messages not yet delivered to every receiver.
  const uint64_t limit = static_cast<uint64_t>(o_.window) * static_cast<uint64_t>(o_.senders) *
                         static_cast<uint64_t>(std::max(receivers_, 1));
  for (int n = 0; n < o_.senders; ++n) {
    Client& c = *clients_[static_cast<size_t>(next_sender_)];
    next_sender_ = (next_sender_ + 1) % o_.senders;
    if (!c.open || c.sent >= o_.messages || c.outq.size() > 4) continue;
    const uint64_t outstanding = sent_total_ * static_cast<uint64_t>(receivers_) - std::min(delivered_, sent_total_ * static_cast<uint64_t>(receivers_));
    if (outstanding + static_cast<uint64_t>(receivers_) > limit) return;
    send_message(c, now_ns());
  }
}

void Load::on_closed(const std::shared_ptr<Client>& c, int code, const std::string& reason) {
  if (recorder_) recorder_->close(c->name, c->conn, code, reason, c->done);
  if (c->done || c->bad_token) return;
  if (code != 1000) ++abnormal_closes_;
  if (!o_.reconnect) return;
  // Exponential backoff with jitter-free doubling: 100 ms, 200 ms, ... 2 s.
  const int delay_ms = std::min(2000, 100 << std::min(c->attempts, 5));
  ++c->attempts;
  ++reconnects_;
  c->backoff = std::make_unique<asio::steady_timer>(ioc_, std::chrono::milliseconds(delay_ms));
  c->backoff->async_wait([this, c](const error_code& ec) {
    if (!ec && !c->done && !finished()) start_connect(c);
  });
}

bool Load::finished() const {
  const uint64_t expected = sent_total_ * static_cast<uint64_t>(receivers_);
  bool all_sent = true;
  for (int i = 0; i < o_.senders; ++i) all_sent = all_sent && clients_[static_cast<size_t>(i)]->sent >= o_.messages;
  if (all_sent && delivered_ >= expected) return true;
  if (now_ns() > static_cast<int64_t>(o_.timeout_s) * 1'000'000'000) return true;
  if (all_sent && now_ns() - last_progress_ns_ > static_cast<int64_t>(o_.idle_timeout_s) * 1'000'000'000) return true;
  return false;
}

void Load::schedule_tick() {
  tick_.expires_after(std::chrono::milliseconds(o_.rate > 0 ? 1 : 20));
  tick_.async_wait([this](const error_code& ec) {
    if (ec) return;
    if (!sending_started_ && connecting_ == 0 && next_to_connect_ >= clients_.size()) {
      sending_started_ = true;
      last_progress_ns_ = now_ns();
    }
    if (recorder_ && !liveness_recorded_ && o_.liveness_from_s >= 0 &&
        static_cast<double>(now_ns()) >= o_.liveness_from_s * 1e9) {
      recorder_->phase("liveness");
      liveness_recorded_ = true;
    }
    if (sending_started_ && o_.rate > 0) {
      // Open loop: message k is due at t0 + k / rate and carries its due time.
      if (first_send_ns_ < 0) first_send_ns_ = now_ns();
      const int64_t now = now_ns();
      for (;;) {
        const int64_t due = first_send_ns_ + static_cast<int64_t>(static_cast<double>(rate_k_) * 1e9 / o_.rate);
        if (due > now) break;
        Client* c = nullptr;
        for (int n = 0; n < o_.senders && c == nullptr; ++n) {
          Client& cand = *clients_[static_cast<size_t>((rate_k_ + n) % o_.senders)];
          if (cand.sent < o_.messages) c = &cand;
        }
        if (c == nullptr) break;
        ++rate_k_;
        if (c->open) {
          send_message(*c, due);
        } else {
          ++c->sent;  // due while disconnected: counted as not sent
        }
      }
    }
    pump();
    if (finished()) {
      if (recorder_) recorder_->phase("end");
      for (auto& c : clients_) {
        c->done = true;
        if (c->backoff) c->backoff->cancel();
        if (c->open) {
          with_ws(*c, [](auto& ws) { ws.async_close(websocket::close_code::normal, [](const error_code&) {}); });
        } else if ((c->ws || c->wss) && connecting_ > 0) {
          error_code ignored;
          tcp_layer(*c).socket().close(ignored);
        }
      }
      return;
    }
    schedule_tick();
  });
}

std::optional<std::string> Load::start_history() {
  std::string kind, id;
  if (!room_of_target(kind, id)) return "--history needs a URL of the form ws[s]://host:port/rooms/<kind>/<id>";
  if (!o_.server_config_path.empty()) {
    auto learned = learn_room(o_.server_config_path, kind, id, o_.registry ? *o_.registry : rooms::builtin_registry(),
                              o_.server_max_frame_bytes);
    if (auto* error = std::get_if<std::string>(&learned)) return "--server-config " + *error;
    room_ = std::move(std::get<RoomKnowledge>(learned));
  }
  recorder_.emplace(kind + "/" + id);
  o_.reconnect = true;
  recorder_->config("liveness_bound_ms", o_.liveness_bound_ms);
  // A frame in flight longer than the liveness bound fails liveness anyway: it is the slack
  // admission allows when it counts a user's sends against a rate_limited error.
  recorder_->config("heartbeat_timeout_ms", o_.liveness_bound_ms);
  if (room_) {
    for (const auto& [key, value] : room_->promises.limits) recorder_->room_config(key, value);
    for (const std::string& property : room_->promises.not_promised) recorder_->room_config("promises." + property, 0);
  }
  if (o_.liveness_from_s == 0) {
    recorder_->phase("liveness");
    liveness_recorded_ = true;
  } else {
    recorder_->phase("safety");
  }
  return std::nullopt;
}

std::variant<nlohmann::json, std::string> Load::run() {
  if (!parse_ws_url(o_.url, target_)) return "URL must look like ws[s]://host:port/rooms/<kind>/<id> (got \"" + o_.url + "\")";
  if (o_.clients < 1 || o_.senders < 1 || o_.senders > o_.clients || o_.messages < 1) {
    return std::string("need --clients >= 1, 1 <= --senders <= --clients, --messages >= 1");
  }
  if (o_.bad_token_clients < 0 || o_.senders > o_.clients - o_.bad_token_clients) {
    return std::string("need 0 <= --bad-token-clients <= --clients - --senders (bad-token clients never send)");
  }
  if (o_.bad_token_clients > 0 && o_.secret.empty()) {
    return std::string("--bad-token-clients needs --secret (their tokens are signed with a different one)");
  }
  if (o_.history_path.empty() && !o_.server_config_path.empty()) {
    return std::string("--server-config is only used with --history (it says what the history is judged against)");
  }
  if (o_.liveness_bound_ms < 1 || o_.liveness_bound_ms > 86'400'000) {
    return std::string("--liveness-bound-ms must be in [1, 86400000]");
  }
  if (o_.server_max_frame_bytes < 1) return std::string("--server-max-frame-bytes must be at least 1");
  if (!o_.history_path.empty()) {
    if (std::optional<std::string> error = start_history()) return *error;
  }
  error_code ec;
  endpoints_ = resolver_.resolve(target_.host, target_.port, ec);
  if (ec) return "cannot resolve " + target_.host + ": " + ec.message();
  receivers_ = o_.clients - 1 - o_.bad_token_clients;
  for (int i = 0; i < o_.clients; ++i) {
    auto c = std::make_shared<Client>();
    c->load = this;
    c->index = i;
    c->name = "c" + std::to_string(i);
    c->user = "u" + std::to_string(i);
    c->sender = i < o_.senders;
    c->bad_token = i >= o_.clients - o_.bad_token_clients;
    c->seen.assign(static_cast<size_t>(o_.senders) * (o_.messages + 1), false);
    clients_.push_back(std::move(c));
  }
  latencies_us_.reserve(std::min<size_t>(static_cast<size_t>(o_.messages) * o_.senders * receivers_, 50'000'000));
  start_ = Clock::now();
  connect_next();
  schedule_tick();
  ioc_.run();

  const int64_t end_ns = last_delivery_ns_ > 0 ? last_delivery_ns_ : now_ns();
  // Only messages that were written count: one due while its sender was disconnected (the
  // server down, say) is `unsent`, not `missing`.
  const uint64_t planned = static_cast<uint64_t>(o_.messages) * static_cast<uint64_t>(o_.senders);
  const uint64_t expected = sent_total_ * static_cast<uint64_t>(receivers_);
  nlohmann::json out;
  out["url"] = o_.url;
  out["clients"] = o_.clients;
  out["senders"] = o_.senders;
  out["messages"] = o_.messages;
  out["mode"] = o_.rate > 0 ? "rate" : "closed";
  if (o_.rate > 0) out["rate"] = o_.rate;
  out["sent"] = sent_total_;
  out["unsent"] = planned > sent_total_ ? planned - sent_total_ : 0;
  out["expected"] = expected;
  out["delivered"] = delivered_;
  out["missing"] = expected > delivered_ ? expected - delivered_ : 0;
  out["duplicates"] = duplicates_;
  out["self_echo"] = self_echo_;
  out["replayed"] = replayed_;
  out["acks"] = acks_;
  out["error_frames"] = errors_;
  out["unparsed"] = unparsed_;
  out["connect_failures"] = connect_failures_;
  out["abnormal_closes"] = abnormal_closes_;
  out["reconnects"] = reconnects_;
  const double secs = first_send_ns_ >= 0 && end_ns > first_send_ns_ ? static_cast<double>(end_ns - first_send_ns_) / 1e9 : 0;
  out["elapsed_s"] = secs;
  out["deliveries_per_s"] = secs > 0 ? static_cast<double>(delivered_) / secs : 0.0;
  std::sort(latencies_us_.begin(), latencies_us_.end());
  auto pct = [&](double p) {
    if (latencies_us_.empty()) return 0.0;
    const size_t i = std::min(latencies_us_.size() - 1, static_cast<size_t>(p * static_cast<double>(latencies_us_.size())));
    return static_cast<double>(latencies_us_[i]) / 1000.0;
  };
  out["latency_ms"] = {{"p50", pct(0.50)}, {"p90", pct(0.90)}, {"p99", pct(0.99)},
                       {"max", latencies_us_.empty() ? 0.0 : latencies_us_.back() / 1000.0}};
  if (recorder_) {
    if (std::string err = recorder_->write(o_.history_path); !err.empty()) return err;
    out["history"] = o_.history_path;
    out["judged_against"] = o_.server_config_path.empty() ? "nothing: no --server-config, room promises and token validity not recorded"
                                                          : "promises of " + room_->kind + " under " + o_.server_config_path;
    out["history_events"] = recorder_->history().size();
  }
  if (connected_ == 0 && delivered_ == 0 && sent_total_ == 0) {
    return refused_status_ != 0 ? "the server refused the upgrade with HTTP " + std::to_string(refused_status_)
                                : "no client could connect to " + o_.url +
                                      (last_connect_error_.empty() ? "" : " (" + last_connect_error_ + ")");
  }
  return out;
}

}  // namespace

std::variant<nlohmann::json, std::string> run_load(const LoadOptions& options) {
  Load load(options);
  return load.run();
}

}  // namespace roomsim::live
