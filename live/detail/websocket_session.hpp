// live/detail/websocket_session.hpp: one upgraded client socket.
//
// Turns bytes into frames for its room and queued frames back into bytes;
// the room object is the shared state (Beast chat-multi style). Every
// completion handler runs on the room's strand, so a session and its room are
// never touched concurrently. Reads wait for readability and then read into
// the room's shared buffer (an idle session holds no read buffer). Writes:
// a non-blocking gather write of everything queued; what the socket does not
// take waits for writability (one wait in flight). The send queue is bounded (bytes and frames) and so is
// the kernel's send buffer (socket_send_buffer_bytes); a slow consumer is closed 1008: the frames that have
// not started on the wire are dropped and the close frame follows the one partly written, if any. A close
// frame still unwritten after close_timeout_ms (the client reads nothing) ends in a TCP reset, which drops
// what the kernel holds. Frames above max_frame_bytes get an error frame and close 1009.
// A text message that is not valid UTF-8 closes 1007; a binary message gets an
// error frame (unsupported_data) and close 1003 (rooms speak JSON text only).
// Over TLS (wss) the same queue and parser run over the TlsStream with
// asynchronous reads into a per-session 16 KiB buffer and asynchronous gather
// writes (one in flight); the plain path only pays a null-pointer test.
// Internal to live/*.cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "live/detail/asio.hpp"
#include "live/detail/server_state.hpp"
#include "live/ws_frame.hpp"
#include "rooms/api/session.hpp"

namespace roomsim::live::detail {

class RoomHost;
struct TlsStream;

class WebSocketSession : public std::enable_shared_from_this<WebSocketSession> {
 public:
  using Clock = std::chrono::steady_clock;

  // `tls`: null for a plain connection; otherwise the session uses it and `socket` is unused.
  WebSocketSession(std::shared_ptr<RoomHost> room, tcp::socket socket, std::unique_ptr<TlsStream> tls, IpSlot slot,
                   rooms::SessionId id);
  ~WebSocketSession();

  // All members below: on the room's strand only.
  // Starts reading; `leftover` holds bytes read past the HTTP request.
  void start(std::string leftover);
  // Queues a frame (dropped when closing). May close the session as a slow consumer.
  void enqueue(const SharedFrame& frame);
  // Starts a write when none is in flight and frames are queued.
  void flush();
  // Queues a close frame after everything queued; the socket closes once it is written
  // and the peer answered (or close_timeout_ms passed). `notify_room`: tell the room the
  // session ended (host-initiated closes), false when the room closed it itself.
  void close(int code, std::string_view reason, bool notify_room);
  // Closes the socket at once (no close frame).
  void abort();
  // Keep-alive check at `now`: ping a quiet session, close an idle one.
  void tick(Clock::time_point now);

  rooms::SessionId id() const { return id_; }
  bool closing() const { return closing_ || closed_; }
  bool dirty = false;  // in the room's flush list

 private:
  void wait_read();
  void on_readable(const error_code& ec);
  void read_tls();
  void on_tls_read(const error_code& ec, size_t n);
  void flush_tls();
  void drained();         // the whole queue is on the wire
  tcp::socket& socket();  // the TCP socket (under TLS or not)
  void read_failed(const error_code& ec);           // a read error or EOF: the connection is gone
  void received(uint8_t* data, size_t size);         // bytes read from the peer
  void process(uint8_t* data, size_t size);
  // Returns bytes consumed; stops early when the session starts closing.
  size_t parse(uint8_t* data, size_t size);
  void on_frame(const FrameHeader& h, uint8_t* payload, size_t size);
  void on_text(std::string_view text);  // a whole text message: UTF-8 checked (else close 1007)
  void binary_message();                // error frame unsupported_data + close 1003
  void on_message(std::string_view text);
  void consume(size_t bytes);  // `bytes` of the queue head are on the wire
  void push(const SharedFrame& frame);  // unchecked enqueue
  void connection_lost(int code, std::string_view reason);
  void close_socket();
  void close_timed_out();  // close_timeout_ms after close(): reset when the close frame is still unwritten
  void frame_too_large(uint64_t size);

  std::shared_ptr<RoomHost> room_;
  tcp::socket socket_;
  std::unique_ptr<TlsStream> tls_;
  std::vector<uint8_t> tls_read_buffer_;
  size_t inflight_frames_ = 0;  // TLS: queue frames from head_ in the write in flight
  IpSlot slot_;
  rooms::SessionId id_;
  std::vector<SharedFrame> queue_;  // frames before head_ are written (and reset)
  size_t head_ = 0;
  size_t head_offset_ = 0;          // bytes of queue_[head_] already written
  size_t queued_bytes_ = 0;
  std::string pending_in_;  // a partial frame carried to the next read
  std::string message_;     // a fragmented message being assembled
  bool in_fragmented_ = false;
  bool writing_ = false;
  bool closing_ = false;       // close frame queued; nothing else is sent
  bool close_written_ = false;
  bool closed_ = false;        // socket closed
  bool discard_input_ = false;
  bool ping_outstanding_ = false;
  Clock::time_point last_rx_;
  std::unique_ptr<asio::steady_timer> close_timer_;
};

}  // namespace roomsim::live::detail
