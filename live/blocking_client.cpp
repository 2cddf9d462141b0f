// live/blocking_client.cpp: see blocking_client.hpp.
#include "live/blocking_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>

namespace roomsim::live {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Runs `ioc` until `done` or the timeout; on timeout cancels the socket.
template <typename Socket>
bool run_until(asio::io_context& ioc, bool& done, int timeout_ms, Socket& socket) {
  ioc.restart();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!done && std::chrono::steady_clock::now() < deadline) {
    ioc.run_one_for(deadline - std::chrono::steady_clock::now());
  }
  if (!done) {
    error_code ignored;
    socket.cancel(ignored);
    ioc.restart();
    while (!done) ioc.run_one_for(std::chrono::milliseconds(200));
    return false;
  }
  return true;
}

}  // namespace

HttpResult http_request(const std::string& host, uint16_t port, const std::string& target,
                        const std::map<std::string, std::string>& headers, const std::string& method,
                        int timeout_ms) {
  HttpResult out;
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(std::chrono::milliseconds(timeout_ms));
  error_code ec;
  tcp::resolver resolver(ioc);
  auto results = resolver.resolve(host, std::to_string(port), ec);
  if (!ec) stream.connect(results, ec);
  if (ec) {
    out.error = "connect: " + ec.message();
    return out;
  }
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, host);
  for (const auto& [k, v] : headers) req.set(k, v);
  req.prepare_payload();
  bool done = false;
  http::response<http::string_body> res;
  beast::flat_buffer buffer;
  http::async_write(stream, req, [&](const error_code& wec, size_t) {
    if (wec) {
      out.error = "write: " + wec.message();
      done = true;
      return;
    }
    http::async_read(stream, buffer, res, [&](const error_code& rec, size_t) {
      if (rec) out.error = "read: " + rec.message();
      done = true;
    });
  });
  ioc.run();
  if (!out.error.empty()) return out;
  out.status = static_cast<int>(res.result_int());
  out.body = res.body();
  for (const auto& f : res) out.headers[lower(std::string(f.name_string()))] = std::string(f.value());
  return out;
}

struct BlockingWsClient::Impl {
  asio::io_context ioc;
  websocket::stream<tcp::socket> ws{ioc};
  beast::flat_buffer buffer;
  bool read_pending = false;
  bool read_done = false;
  error_code read_ec;
};

BlockingWsClient::BlockingWsClient() : impl_(std::make_unique<Impl>()) {}
BlockingWsClient::~BlockingWsClient() {
  error_code ignored;
  impl_->ws.next_layer().close(ignored);
}

int BlockingWsClient::connect(const std::string& host, uint16_t port, const std::string& target, int timeout_ms) {
  auto& ws = impl_->ws;
  error_code ec;
  tcp::resolver resolver(impl_->ioc);
  auto results = resolver.resolve(host, std::to_string(port), ec);
  if (ec) return 0;
  asio::connect(ws.next_layer(), results, ec);
  if (ec) return 0;
  ws.read_message_max(64u << 20);
  websocket::response_type res;
  bool done = false;
  error_code hec;
  ws.async_handshake(res, host + ":" + std::to_string(port), target, [&](const error_code& e) {
    hec = e;
    done = true;
  });
  if (!run_until(impl_->ioc, done, timeout_ms, ws.next_layer())) return 0;
  if (hec) {
    refusal_body_ = res.body();
    return res.result_int() == 101 || res.result_int() == 0 ? 0 : static_cast<int>(res.result_int());
  }
  open_ = true;
  return 101;
}

bool BlockingWsClient::send(std::string_view text, int timeout_ms) {
  if (!open_) return false;
  bool done = false;
  error_code wec;
  impl_->ws.text(true);
  impl_->ws.async_write(asio::buffer(text.data(), text.size()), [&](const error_code& e, size_t) {
    wec = e;
    done = true;
  });
  return run_until(impl_->ioc, done, timeout_ms, impl_->ws.next_layer()) && !wec;
}

bool BlockingWsClient::send_raw(std::string_view bytes, int timeout_ms) {
  if (!open_) return false;
  bool done = false;
  error_code wec;
  asio::async_write(impl_->ws.next_layer(), asio::buffer(bytes.data(), bytes.size()), [&](const error_code& e, size_t) {
    wec = e;
    done = true;
  });
  return run_until(impl_->ioc, done, timeout_ms, impl_->ws.next_layer()) && !wec;
}

std::optional<std::string> BlockingWsClient::receive(int timeout_ms) {
  if (!open_) return std::nullopt;
  Impl& impl = *impl_;
  if (!impl.read_pending) {
    impl.read_pending = true;
    impl.read_done = false;
    impl.buffer.clear();
    impl.ws.async_read(impl.buffer, [&impl](const error_code& e, size_t) {
      impl.read_ec = e;
      impl.read_done = true;
    });
  }
  // A read that times out stays pending; the next receive() continues it.
  impl.ioc.restart();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!impl.read_done && std::chrono::steady_clock::now() < deadline) {
    impl.ioc.run_one_for(deadline - std::chrono::steady_clock::now());
  }
  if (!impl.read_done) return std::nullopt;
  impl.read_pending = false;
  if (impl.read_ec) {
    open_ = false;
    if (impl.read_ec == websocket::error::closed) {
      close_code_ = impl.ws.reason().code;
      close_reason_ = std::string(impl.ws.reason().reason.c_str());
    } else {
      close_code_ = 1006;
      close_reason_ = impl.read_ec.message();
    }
    return std::nullopt;
  }
  return beast::buffers_to_string(impl.buffer.data());
}

void BlockingWsClient::close(int timeout_ms) {
  if (!open_) return;
  open_ = false;
  bool done = false;
  impl_->ws.async_close(websocket::close_code::normal, [&](const error_code&) { done = true; });
  run_until(impl_->ioc, done, timeout_ms, impl_->ws.next_layer());
  if (impl_->read_pending) run_until(impl_->ioc, impl_->read_done, timeout_ms, impl_->ws.next_layer());
}

}  // namespace roomsim::live
