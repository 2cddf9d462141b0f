// rooms/api/http.hpp: the HTTP-like request a room receives and the response
// it returns. Hosts translate real HTTP (live) or simulated requests into these.
#pragma once

#include <map>
#include <string>

namespace roomsim::rooms {

struct HttpRequest {
  std::string method = "GET";
  std::string path;                               // e.g. "/rooms/chat/lobby"
  std::map<std::string, std::string> query;       // decoded query parameters
  std::map<std::string, std::string> headers;     // header names in lower case
  std::string body;
  // True when the client asked for a WebSocket upgrade ("upgrade: websocket").
  bool websocket_upgrade = false;
  // Remote address as the host sees it ("10.0.0.7" live, "client/c17" in simulation).
  std::string remote;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;

  static HttpResponse json(int status, std::string body) { return {status, "application/json", std::move(body)}; }
  static HttpResponse text(int status, std::string body) { return {status, "text/plain", std::move(body)}; }
};

// An outbound call made with RoomContext::fetch; the service is named by the host's configuration.
struct FetchRequest {
  std::string method = "GET";
  std::string path = "/";
  std::string body;
};

// The result of a fetch. `status` 0 means the call failed before any response
// (connection refused, timeout); `error` then says why.
struct FetchResponse {
  int status = 0;
  std::string body;
  std::string error;
  bool ok() const { return status >= 200 && status < 300; }
};

}  // namespace roomsim::rooms
