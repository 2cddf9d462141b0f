// live/http_session.cpp: see detail/http_session.hpp.
#include "live/detail/http_session.hpp"

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>

#include <nlohmann/json.hpp>

#include "auth/jwt.hpp"
#include "live/detail/room_directory.hpp"
#include "live/detail/room_host.hpp"
#include "live/detail/tls.hpp"
#include "live/http_route.hpp"
#include "live/ws_frame.hpp"

namespace roomsim::live::detail {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool header_has_token(std::string_view value, std::string_view token) {
  const std::string v = lower(value);
  size_t pos = 0;
  while (pos <= v.size()) {
    size_t comma = v.find(',', pos);
    if (comma == std::string::npos) comma = v.size();
    std::string_view part(v.data() + pos, comma - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (part == token) return true;
    pos = comma + 1;
  }
  return false;
}

}  // namespace

HttpSession::HttpSession(Server::Impl& server, tcp::socket socket, IpSlot slot)
    : server_(server), stream_(socket.get_executor()), slot_(std::move(slot)) {
  if (server_.tls_context) {
    tls_ = std::make_unique<TlsStream>(std::move(socket), *server_.tls_context);
  } else {
    stream_.socket() = std::move(socket);
  }
  server_.metrics.http_connections_open.fetch_add(1, std::memory_order_relaxed);
}

beast::tcp_stream& HttpSession::tcp_layer() { return tls_ ? tls_->stream.next_layer() : stream_; }

template <class F>
void HttpSession::with_stream(F&& f) {
  if (tls_) {
    f(tls_->stream);
  } else {
    f(stream_);
  }
}

HttpSession::~HttpSession() { server_.metrics.http_connections_open.fetch_sub(1, std::memory_order_relaxed); }

void HttpSession::run() {
  if (!tls_) {
    read();
    return;
  }
  tcp_layer().expires_after(std::chrono::milliseconds(server_.options.handshake_timeout_ms));
  tls_->stream.async_handshake(asio::ssl::stream_base::server, [self = shared_from_this()](const error_code& ec) {
    if (ec) {
      // A plain-text client, a client that does not trust the certificate, or a timeout:
      // the connection closes when the session goes.
      const bool timeout = ec == beast::error::timeout || ec == asio::error::operation_aborted;
      self->server_.metrics.reject(timeout ? "handshake_timeout" : "tls_handshake");
      return;
    }
    self->read();
  });
}

void HttpSession::read() {
  parser_.emplace();
  parser_->header_limit(static_cast<uint32_t>(server_.options.max_header_bytes));
  parser_->body_limit(server_.options.max_body_bytes);
  tcp_layer().expires_after(std::chrono::milliseconds(server_.options.handshake_timeout_ms));
  with_stream([&](auto& stream) {
    http::async_read(stream, buffer_, *parser_,
                     [self = shared_from_this()](const error_code& ec, size_t) { self->on_read(ec); });
  });
}

void HttpSession::on_read(const error_code& ec) {
  if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) {
    error_code ignored;
    tcp_layer().socket().shutdown(tcp::socket::shutdown_send, ignored);
    return;
  }
  // tcp_stream's expiry cancels the read: Beast 1.81 reports it as operation_aborted
  // (nothing else cancels a session's read; at shutdown handlers do not run).
  if (ec == beast::error::timeout || ec == asio::error::operation_aborted) {
    server_.metrics.reject("handshake_timeout");
    return;  // the stream closed itself
  }
  if (ec) {
    keep_alive_ = false;
    version_ = 11;
    head_ = false;
    if (ec == http::error::header_limit) {
      server_.metrics.reject("header_too_large");
      http::response<http::string_body> res{http::status::request_header_fields_too_large, 11};
      res.body() = "request headers exceed " + std::to_string(server_.options.max_header_bytes) + " bytes\n";
      write(std::move(res));
    } else if (ec == http::error::body_limit) {
      server_.metrics.reject("body_too_large");
      http::response<http::string_body> res{http::status::payload_too_large, 11};
      res.body() = "request body exceeds " + std::to_string(server_.options.max_body_bytes) + " bytes\n";
      write(std::move(res));
    } else {
      server_.metrics.reject("bad_request");
      http::response<http::string_body> res{http::status::bad_request, 11};
      res.body() = "malformed HTTP request: " + ec.message() + "\n";
      write(std::move(res));
    }
    return;
  }
  server_.metrics.http_requests.fetch_add(1, std::memory_order_relaxed);
  route();
}

void HttpSession::route() {
  const auto& req = parser_->get();
  keep_alive_ = req.keep_alive();
  version_ = req.version();
  head_ = req.method() == http::verb::head;
  const Route r = route_target(std::string_view(req.target().data(), req.target().size()));
  switch (r.kind) {
    case RouteKind::kRoom:
      route_room(r);
      return;
    case RouteKind::kBadRoom:
      server_.metrics.reject("http_404");
      answer(rooms::HttpResponse::text(404, r.error));
      return;
    case RouteKind::kHealthz:
      answer(rooms::HttpResponse::text(200, "ok\n"));
      return;
    case RouteKind::kMetrics:
      answer(rooms::HttpResponse{200, "text/plain; version=0.0.4", server_.metrics.render()});
      return;
    case RouteKind::kDevToken:
      if (server_.options.dev) {
        dev_token(r);
        return;
      }
      break;
    case RouteKind::kStatic:
      if (req.method() == http::verb::get || head_) {
        if (const StaticFile* file = server_.web_files.find(r.path)) {
          answer(rooms::HttpResponse{200, file->content_type, file->body});
          return;
        }
      }
      break;
    case RouteKind::kNotFound:
      break;
  }
  server_.metrics.reject("http_404");
  answer(rooms::HttpResponse::text(404, "not found\n"));
}

void HttpSession::route_room(const Route& r) {
  const auto& req = parser_->get();
  rooms::HttpRequest request;
  request.method = std::string(req.method_string());
  request.path = r.path;
  request.query = parse_query(r.query);
  // Rooms speak JSON: a decoded query name or value that is not UTF-8 (?user=%ff) would make a
  // room's JSON throw and reset it for every session. Refused before any instance exists.
  for (const auto& [name, value] : request.query) {
    if (!is_valid_utf8(name) || !is_valid_utf8(value)) {
      server_.metrics.reject("bad_query");
      answer(rooms::HttpResponse::text(400, "query parameters must decode to valid UTF-8\n"));
      return;
    }
  }
  for (const auto& field : req) request.headers[lower(field.name_string())] = std::string(field.value());
  request.body = req.body();
  request.remote = slot_.ip();
  std::string key;
  if (req.method() == http::verb::get && header_has_token(request.headers["connection"], "upgrade") &&
      lower(request.headers["upgrade"]) == "websocket") {
    request.websocket_upgrade = true;
    key = request.headers["sec-websocket-key"];
    if (key.empty() || request.headers["sec-websocket-version"] != "13") {
      server_.metrics.reject("bad_handshake");
      answer(rooms::HttpResponse::text(400, "WebSocket upgrade needs Sec-WebSocket-Key and Sec-WebSocket-Version: 13\n"));
      return;
    }
  }
  // Checked before a room exists for it: a refused handshake creates no instance.
  RoomDirectory::Lease lease = server_.directory->acquire(r.room_kind, r.room_id);
  if (lease.refusal == RoomDirectory::Refusal::kUnknownKind) {
    server_.metrics.reject("http_404");
    answer(rooms::HttpResponse::text(404, "unknown room kind \"" + r.room_kind + "\"\n"));
    return;
  }
  if (lease.refusal == RoomDirectory::Refusal::kFull) {
    server_.metrics.reject("max_rooms");
    answer(rooms::HttpResponse::text(503, "the server holds its maximum of " +
                                               std::to_string(server_.options.max_rooms) +
                                               " live rooms (--max-rooms); try again later\n"));
    return;
  }
  tcp_layer().expires_never();
  asio::post(lease.host->strand(), [room = lease.host, self = shared_from_this(), request = std::move(request),
                                    key = std::move(key)]() mutable {
    room->handle_http(self, std::move(request), std::move(key));
  });
}

void HttpSession::dev_token(const Route& r) {
  const auto query = parse_query(r.query);
  auto user = query.find("user");
  if (user == query.end() || user->second.empty()) {
    server_.metrics.reject("http_400");
    answer(rooms::HttpResponse::json(400, R"({"error":"bad_field","message":"query parameter user is required"})"));
    return;
  }
  // The claims become JSON: bytes that are not UTF-8 cannot be minted (and must not throw on an io thread).
  for (const char* field : {"user", "name", "room"}) {
    auto it = query.find(field);
    if (it != query.end() && !is_valid_utf8(it->second)) {
      server_.metrics.reject("http_400");
      answer(rooms::HttpResponse::json(400, std::string(R"({"error":"bad_field","message":"query parameter )") +
                                                 field + R"( is not valid UTF-8"})"));
      return;
    }
  }
  auto name = query.find("name");
  auto room = query.find("room");
  if (room != query.end() && !auth::is_room_scope(room->second)) {
    server_.metrics.reject("http_400");
    answer(rooms::HttpResponse::json(
        400, nlohmann::json{{"error", "bad_field"},
                            {"message", "query parameter room must be KIND/ID, each 1 to " +
                                            std::to_string(auth::kRoomNameBytesMax) + " URL path characters"}}
                 .dump()));
    return;
  }
  auth::TokenClaims claims;
  claims.sub = user->second;
  claims.name = name == query.end() || name->second.empty() ? user->second : name->second;
  if (room != query.end()) claims.room = room->second;
  claims.exp = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                   .count() +
               24 * 3600;
  nlohmann::json body = {{"token", auth::mint_hs256(server_.options.dev_secret, claims)},
                         {"user", claims.sub},
                         {"name", claims.name}};
  if (!claims.room.empty()) body["room"] = claims.room;
  answer(rooms::HttpResponse::json(200, body.dump()));
}

void HttpSession::respond(const rooms::HttpResponse& response) {
  // A room answers from its own strand. Beast's tcp_stream is not thread-safe: every
  // operation of this connection (reads, writes, the expiry timer, the destructor's
  // close) runs on the connection's strand, so the answer is written there too.
  asio::dispatch(tcp_layer().get_executor(), [self = shared_from_this(), response] { self->answer(response); });
}

void HttpSession::answer(const rooms::HttpResponse& response) {
  http::response<http::string_body> res{static_cast<http::status>(response.status), version_};
  res.set(http::field::content_type, response.content_type);
  res.body() = response.body;
  write(std::move(res));
}

void HttpSession::write(http::response<http::string_body> response) {
  response.set(http::field::server, "roomsim");
  response.keep_alive(keep_alive_);
  response.prepare_payload();
  // HEAD: the header GET would send (Content-Length of the body, RFC 9110 9.3.2), no body bytes.
  const uint64_t length = response.body().size();
  if (head_) response.body().clear();
  auto res = std::make_shared<http::response<http::string_body>>(std::move(response));
  if (head_) res->content_length(length);
  tcp_layer().expires_after(std::chrono::milliseconds(server_.options.handshake_timeout_ms));
  with_stream([&](auto& stream) {
    http::async_write(stream, *res, [self = shared_from_this(), res](const error_code& ec, size_t) {
      if (ec) return;
      if (self->keep_alive_ && !res->need_eof()) {
        self->read();
        return;
      }
      error_code ignored;
      self->tcp_layer().socket().shutdown(tcp::socket::shutdown_send, ignored);
    });
  });
}

tcp::socket HttpSession::release_socket() { return stream_.release_socket(); }

std::unique_ptr<TlsStream> HttpSession::release_tls() { return std::move(tls_); }

std::string HttpSession::release_leftover() {
  std::string out = beast::buffers_to_string(buffer_.data());
  buffer_.consume(buffer_.size());
  return out;
}

}  // namespace roomsim::live::detail
