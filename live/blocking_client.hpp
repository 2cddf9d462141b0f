// live/blocking_client.hpp: a small blocking HTTP + WebSocket client for
// tests and tools (Beast stays inside the .cpp). Every call has a timeout, so
// a test never hangs on a server that does not answer.
//
// Not thread-safe: one thread per client.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace roomsim::live {

struct HttpResult {
  int status = 0;  // 0: no answer (connection failed or timed out); `error` says why
  std::string body;
  std::string error;
  std::map<std::string, std::string> headers;  // lower-case names
};

// GET (or `method`) http://host:port/target.
HttpResult http_request(const std::string& host, uint16_t port, const std::string& target,
                        const std::map<std::string, std::string>& headers = {}, const std::string& method = "GET",
                        int timeout_ms = 5000);

class BlockingWsClient {
 public:
  BlockingWsClient();
  ~BlockingWsClient();
  BlockingWsClient(const BlockingWsClient&) = delete;
  BlockingWsClient& operator=(const BlockingWsClient&) = delete;

  // Opens ws://host:port/target. Returns the HTTP status of the answer: 101
  // when upgraded, the refusal status otherwise (body in refusal_body()), 0
  // when the connection failed.
  int connect(const std::string& host, uint16_t port, const std::string& target, int timeout_ms = 5000);
  const std::string& refusal_body() const { return refusal_body_; }
  // Sends one text frame; false when the socket failed.
  bool send(std::string_view text, int timeout_ms = 5000);
  // Writes raw bytes on the socket under the WebSocket layer (malformed-frame tests).
  bool send_raw(std::string_view bytes, int timeout_ms = 5000);
  // The next text frame, or nothing when the connection closed (close_code()) or the wait timed out.
  std::optional<std::string> receive(int timeout_ms = 5000);
  // Close code the server sent (0: none yet; 1006: connection lost without a close frame).
  int close_code() const { return close_code_; }
  const std::string& close_reason() const { return close_reason_; }
  bool open() const { return open_; }
  // Sends a close frame (code 1000) and waits briefly for the answer.
  void close(int timeout_ms = 2000);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string refusal_body_;
  int close_code_ = 0;
  std::string close_reason_;
  bool open_ = false;
};

}  // namespace roomsim::live
