// live/websocket_session.cpp: see detail/websocket_session.hpp.
#include "live/detail/websocket_session.hpp"

#include <algorithm>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "live/detail/room_host.hpp"
#include "live/detail/tls.hpp"
#include "rooms/api/room_context.hpp"

namespace roomsim::live::detail {
namespace {

constexpr int kMaxReadsPerWakeup = 8;  // fairness between sockets of one room
constexpr size_t kTlsReadBytes = 16384;  // one TLS record
constexpr int kCloseUnsupportedData = 1003;  // RFC 6455 7.4.1
constexpr int kCloseInvalidPayload = 1007;

}  // namespace

WebSocketSession::WebSocketSession(std::shared_ptr<RoomHost> room, tcp::socket socket, std::unique_ptr<TlsStream> tls,
                                   IpSlot slot, rooms::SessionId id)
    : room_(std::move(room)),
      socket_(std::move(socket)),
      tls_(std::move(tls)),
      slot_(std::move(slot)),
      id_(id),
      last_rx_(Clock::now()) {
  Metrics& m = room_->server().metrics;
  m.connections_open.fetch_add(1, std::memory_order_relaxed);
  m.connections_total.fetch_add(1, std::memory_order_relaxed);
}

WebSocketSession::~WebSocketSession() {
  Metrics& m = room_->server().metrics;
  size_t frames = queue_.size() - head_;
  size_t bytes = queued_bytes_;
  m.send_queue_frames.fetch_sub(static_cast<int64_t>(frames), std::memory_order_relaxed);
  m.send_queue_bytes.fetch_sub(static_cast<int64_t>(bytes), std::memory_order_relaxed);
  if (!closed_) m.connections_open.fetch_sub(1, std::memory_order_relaxed);
}

tcp::socket& WebSocketSession::socket() { return tls_ ? tls_->socket() : socket_; }

void WebSocketSession::start(std::string leftover) {
  error_code ec;
  if (!tls_) socket_.non_blocking(true, ec);  // TLS runs asynchronous operations only
  socket().set_option(tcp::no_delay(true), ec);
  // Bound what the kernel holds for this client: with autotuning a client that stops reading
  // gets megabytes queued ahead of any close frame the server sends it later.
  if (const size_t bytes = room_->server().options.socket_send_buffer_bytes; bytes > 0) {
    socket().set_option(asio::socket_base::send_buffer_size(static_cast<int>(std::min<size_t>(bytes, INT32_MAX))), ec);
  }
  if (!leftover.empty()) {
    process(reinterpret_cast<uint8_t*>(leftover.data()), leftover.size());
  }
  if (closed_) return;
  if (tls_) {
    tls_read_buffer_.resize(kTlsReadBytes);
    read_tls();
  } else {
    wait_read();
  }
}

void WebSocketSession::read_tls() {
  tls_->stream.async_read_some(
      asio::buffer(tls_read_buffer_),
      asio::bind_executor(room_->strand(), [self = shared_from_this()](const error_code& ec, size_t n) {
        self->on_tls_read(ec, n);
      }));
}

void WebSocketSession::on_tls_read(const error_code& ec, size_t n) {
  if (closed_) return;
  if (ec) {
    read_failed(ec);
    return;
  }
  received(tls_read_buffer_.data(), n);
  room_->flush();
  if (!closed_) read_tls();
}

void WebSocketSession::wait_read() {
  socket_.async_wait(tcp::socket::wait_read,
                     asio::bind_executor(room_->strand(), [self = shared_from_this()](const error_code& ec) {
                       self->on_readable(ec);
                     }));
}

void WebSocketSession::on_readable(const error_code& ec) {
  if (closed_) return;
  if (ec) {
    connection_lost(rooms::close_code::kAbnormal, "connection lost: " + ec.message());
    return;
  }
  std::vector<uint8_t>& buffer = room_->read_buffer();
  for (int i = 0; i < kMaxReadsPerWakeup && !closed_; ++i) {
    error_code rec;
    const size_t n = socket_.read_some(asio::buffer(buffer), rec);
    if (rec == asio::error::would_block || rec == asio::error::try_again) break;
    if (rec) {
      read_failed(rec);
      return;
    }
    received(buffer.data(), n);
    if (n < buffer.size()) break;
  }
  room_->flush();
  if (!closed_) wait_read();
}

void WebSocketSession::read_failed(const error_code& ec) {
  const bool eof = ec == asio::error::eof || ec == asio::ssl::error::stream_truncated;
  connection_lost(rooms::close_code::kAbnormal, eof ? "connection closed without close frame" : ec.message());
  room_->flush();
}

void WebSocketSession::received(uint8_t* data, size_t size) {
  last_rx_ = Clock::now();
  ping_outstanding_ = false;
  if (!discard_input_) process(data, size);
}

void WebSocketSession::process(uint8_t* data, size_t size) {
  if (pending_in_.empty()) {
    const size_t used = parse(data, size);
    if (used < size && !discard_input_) pending_in_.assign(reinterpret_cast<const char*>(data) + used, size - used);
    return;
  }
  pending_in_.append(reinterpret_cast<const char*>(data), size);
  const size_t used = parse(reinterpret_cast<uint8_t*>(pending_in_.data()), pending_in_.size());
  if (discard_input_) {
    std::string().swap(pending_in_);
  } else {
    pending_in_.erase(0, used);
    if (pending_in_.empty()) std::string().swap(pending_in_);  // idle sessions hold no buffer
  }
}

size_t WebSocketSession::parse(uint8_t* data, size_t size) {
  const size_t max_frame = room_->server().options.max_frame_bytes;
  size_t pos = 0;
  while (pos < size && !discard_input_) {
    FrameHeader h;
    const ParseStatus st = parse_frame_header(data + pos, size - pos, true, h);
    if (st == ParseStatus::kNeedMore) break;
    if (st == ParseStatus::kProtocolError) {
      room_->server().metrics.reject("protocol_error");
      discard_input_ = true;
      close(rooms::close_code::kProtocolError, "protocol error", true);
      break;
    }
    const bool data_frame = (h.opcode & 0x08) == 0;
    const uint64_t total = data_frame && in_fragmented_ ? message_.size() + h.payload_size : h.payload_size;
    if (data_frame && total > max_frame) {
      frame_too_large(total);
      break;
    }
    if (size - pos < h.header_size + h.payload_size) break;
    uint8_t* payload = data + pos + h.header_size;
    const size_t n = static_cast<size_t>(h.payload_size);
    unmask(payload, n, h.mask);
    pos += h.header_size + n;
    on_frame(h, payload, n);
  }
  return pos;
}

void WebSocketSession::on_frame(const FrameHeader& h, uint8_t* payload, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(payload), size);
  switch (h.opcode) {
    case ws_opcode::kText:
    case ws_opcode::kBinary:
      if (in_fragmented_) {
        room_->server().metrics.reject("protocol_error");
        discard_input_ = true;
        close(rooms::close_code::kProtocolError, "new message inside a fragmented one", true);
        return;
      }
      if (h.opcode == ws_opcode::kBinary) {
        binary_message();
        return;
      }
      if (h.fin) {
        on_text(text);
      } else {
        in_fragmented_ = true;
        message_.assign(text);
      }
      return;
    case ws_opcode::kContinuation:
      if (!in_fragmented_) {
        room_->server().metrics.reject("protocol_error");
        discard_input_ = true;
        close(rooms::close_code::kProtocolError, "continuation without a message", true);
        return;
      }
      message_.append(text);
      if (h.fin) {
        in_fragmented_ = false;
        std::string whole;
        whole.swap(message_);
        on_text(whole);
      }
      return;
    case ws_opcode::kPing:
      if (!closing_) {
        enqueue(make_shared_frame(ws_opcode::kPong, text));
        room_->mark_dirty(shared_from_this());
      }
      return;
    case ws_opcode::kPong:
      return;
    case ws_opcode::kClose: {
      int code = 1005;  // no status received
      std::string reason;
      if (size >= 2) {
        code = (payload[0] << 8) | payload[1];
        reason.assign(text.substr(2));
      }
      discard_input_ = true;
      if (closing_) {  // the answer to our close
        close_socket();
        return;
      }
      // Echo the close, then tell the room.
      close(code == 1005 ? rooms::close_code::kNormal : code, reason, false);
      room_->session_ended(id_, code == 1005 ? rooms::close_code::kNormal : code, reason);
      return;
    }
    default:
      return;
  }
}

void WebSocketSession::on_text(std::string_view text) {
  if (!is_valid_utf8(text)) {
    room_->server().metrics.reject("invalid_utf8");
    discard_input_ = true;
    close(kCloseInvalidPayload, "text message is not valid UTF-8", true);
    return;
  }
  on_message(text);
}

void WebSocketSession::binary_message() {
  room_->server().metrics.reject("binary_frame");
  discard_input_ = true;
  nlohmann::json error = {{"type", "error"},
                          {"code", "unsupported_data"},
                          {"message", "binary frames are not supported: send JSON in text frames"}};
  enqueue(make_shared_frame(ws_opcode::kText, error.dump()));
  close(kCloseUnsupportedData, "binary frames are not supported", true);
}

void WebSocketSession::on_message(std::string_view text) {
  Metrics& m = room_->server().metrics;
  m.frames_in.fetch_add(1, std::memory_order_relaxed);
  m.bytes_in.fetch_add(text.size(), std::memory_order_relaxed);
  room_->handle_message(id_, text);
}

void WebSocketSession::frame_too_large(uint64_t size) {
  room_->server().metrics.reject("frame_too_large");
  discard_input_ = true;
  nlohmann::json error = {{"type", "error"},
                          {"code", "frame_too_large"},
                          {"message", "frame of " + std::to_string(size) + " bytes exceeds the limit of " +
                                          std::to_string(room_->server().options.max_frame_bytes) + " bytes"}};
  enqueue(make_shared_frame(ws_opcode::kText, error.dump()));
  close(rooms::close_code::kMessageTooBig, "frame too large", true);
}

void WebSocketSession::enqueue(const SharedFrame& frame) {
  if (closing_ || closed_) return;
  const ServerOptions& o = room_->server().options;
  if (queued_bytes_ + frame->size() > o.send_queue_max_bytes || queue_.size() - head_ >= o.send_queue_max_frames) {
    room_->server().metrics.reject("slow_consumer");
    // Drop what has not started on the wire (a partly written frame must finish); the close frame follows.
    const size_t keep = head_ + std::max(inflight_frames_, size_t{head_offset_ > 0 ? 1u : 0u});
    size_t dropped_bytes = 0;
    for (size_t i = keep; i < queue_.size(); ++i) dropped_bytes += queue_[i]->size();
    Metrics& m = room_->server().metrics;
    m.send_queue_frames.fetch_sub(static_cast<int64_t>(queue_.size() - keep), std::memory_order_relaxed);
    m.send_queue_bytes.fetch_sub(static_cast<int64_t>(dropped_bytes), std::memory_order_relaxed);
    queued_bytes_ -= dropped_bytes;
    queue_.resize(keep);
    close(rooms::close_code::kPolicyViolation, "slow consumer", true);
    return;
  }
  push(frame);
}

void WebSocketSession::push(const SharedFrame& frame) {
  queued_bytes_ += frame->size();
  queue_.push_back(frame);
  Metrics& m = room_->server().metrics;
  m.send_queue_frames.fetch_add(1, std::memory_order_relaxed);
  m.send_queue_bytes.fetch_add(static_cast<int64_t>(frame->size()), std::memory_order_relaxed);
}

void WebSocketSession::flush() {
  if (writing_ || closed_ || head_ == queue_.size()) return;
  if (tls_) {
    flush_tls();
    return;
  }
  // Fast path: write what the socket takes now (gather write, up to 64 frames a call);
  // only the remainder waits for writability.
  thread_local std::vector<asio::const_buffer> buffers_;  // scratch, shared by the sessions of a thread
  while (head_ < queue_.size()) {
    buffers_.clear();
    for (size_t i = head_; i < queue_.size() && buffers_.size() < 64; ++i) {
      const size_t off = i == head_ ? head_offset_ : 0;
      buffers_.emplace_back(queue_[i]->data() + off, queue_[i]->size() - off);
    }
    error_code ec;
    const size_t n = socket_.write_some(buffers_, ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) break;
    if (ec) {
      connection_lost(rooms::close_code::kAbnormal, "write failed: " + ec.message());
      return;
    }
    consume(n);
  }
  if (head_ == queue_.size()) {
    drained();
    return;
  }
  writing_ = true;
  socket_.async_wait(tcp::socket::wait_write,
                     asio::bind_executor(room_->strand(), [self = shared_from_this()](const error_code& ec) {
                       self->writing_ = false;
                       if (self->closed_) return;
                       if (ec) {
                         self->connection_lost(rooms::close_code::kAbnormal, "write failed: " + ec.message());
                         return;
                       }
                       self->flush();
                     }));
}

void WebSocketSession::drained() {
  queue_.clear();
  head_ = 0;
  head_offset_ = 0;
  if (closing_ && !close_written_) {
    // The close frame was the last frame queued: half-close, then wait for the peer's EOF
    // (a FIN, not a close that could reset the connection and lose the close frame). Over TLS
    // this half-closes the TCP layer without a close_notify; the peer's TLS sees end of stream.
    close_written_ = true;
    error_code ignored;
    socket().shutdown(tcp::socket::shutdown_send, ignored);
  }
}

void WebSocketSession::flush_tls() {
  // One asynchronous gather write in flight (up to 64 frames); the frames stay in queue_
  // (and so alive) until it completes.
  auto buffers = std::make_shared<std::vector<asio::const_buffer>>();
  for (size_t i = head_; i < queue_.size() && buffers->size() < 64; ++i) {
    const size_t off = i == head_ ? head_offset_ : 0;
    buffers->emplace_back(queue_[i]->data() + off, queue_[i]->size() - off);
  }
  inflight_frames_ = buffers->size();
  writing_ = true;
  asio::async_write(tls_->stream, *buffers,
                    asio::bind_executor(room_->strand(), [self = shared_from_this(), buffers](const error_code& ec,
                                                                                               size_t n) {
                      self->writing_ = false;
                      self->inflight_frames_ = 0;
                      if (self->closed_) return;
                      if (ec) {
                        self->connection_lost(rooms::close_code::kAbnormal, "write failed: " + ec.message());
                        return;
                      }
                      self->consume(n);
                      if (self->head_ == self->queue_.size()) {
                        self->drained();
                        return;
                      }
                      self->flush();
                    }));
}

void WebSocketSession::consume(size_t n) {
  Metrics& m = room_->server().metrics;
  m.bytes_out.fetch_add(n, std::memory_order_relaxed);
  size_t frames = 0;
  size_t bytes = 0;
  while (n > 0 && head_ < queue_.size()) {
    const size_t size = queue_[head_]->size();
    const size_t remaining = size - head_offset_;
    if (n < remaining) {
      head_offset_ += n;
      break;
    }
    n -= remaining;
    bytes += size;
    ++frames;
    queue_[head_].reset();
    ++head_;
    head_offset_ = 0;
  }
  queued_bytes_ -= bytes;
  m.frames_out.fetch_add(frames, std::memory_order_relaxed);
  m.send_queue_frames.fetch_sub(static_cast<int64_t>(frames), std::memory_order_relaxed);
  m.send_queue_bytes.fetch_sub(static_cast<int64_t>(bytes), std::memory_order_relaxed);
}

void WebSocketSession::close(int code, std::string_view reason, bool notify_room) {
  if (closing_ || closed_) return;
  closing_ = true;
  push(make_close_frame(code, reason));  // not subject to the queue bound
  if (notify_room) room_->session_ended(id_, code, std::string(reason));
  room_->mark_dirty(shared_from_this());
  close_timer_ = std::make_unique<asio::steady_timer>(room_->strand());
  close_timer_->expires_after(std::chrono::milliseconds(room_->server().options.close_timeout_ms));
  close_timer_->async_wait([self = shared_from_this()](const error_code& ec) {
    if (!ec) self->close_timed_out();
  });
}

void WebSocketSession::close_timed_out() {
  if (closed_) return;
  if (!close_written_) {
    // The client did not read far enough for the close frame to leave within close_timeout_ms
    // (it sits behind what fills the socket's buffers). Reset the connection: the kernel drops
    // what it still holds for this client instead of keeping it for an orphaned socket.
    room_->server().metrics.close_resets.fetch_add(1, std::memory_order_relaxed);
    error_code ignored;
    socket().set_option(asio::socket_base::linger(true, 0), ignored);
  }
  close_socket();
}

void WebSocketSession::abort() { close_socket(); }

void WebSocketSession::connection_lost(int code, std::string_view reason) {
  if (!closing_) room_->session_ended(id_, code, std::string(reason));
  close_socket();
}

void WebSocketSession::close_socket() {
  if (closed_) return;
  closed_ = true;
  closing_ = true;
  error_code ignored;
  socket().close(ignored);
  slot_.release();
  if (close_timer_) close_timer_->cancel();
  room_->server().metrics.connections_open.fetch_sub(1, std::memory_order_relaxed);
}

void WebSocketSession::tick(Clock::time_point now) {
  if (closing_ || closed_) return;
  const ServerOptions& o = room_->server().options;
  const auto quiet = std::chrono::duration_cast<std::chrono::milliseconds>(now - last_rx_).count();
  if (quiet >= o.idle_timeout_ms) {
    room_->server().metrics.reject("idle_timeout");
    close(rooms::close_code::kPolicyViolation, "idle timeout", true);
    return;
  }
  if (quiet >= o.ping_interval_ms && !ping_outstanding_) {
    ping_outstanding_ = true;
    enqueue(make_shared_frame(ws_opcode::kPing, "roomsim"));
    room_->mark_dirty(shared_from_this());
  }
}

}  // namespace roomsim::live::detail
