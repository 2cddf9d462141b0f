// live/history_recorder.hpp: the live history recorder. Turns what live
// clients (the load tool) observe into a properties::History, with the same
// field conventions as the simulator's client agents (properties/history.hpp
// table), so `roomsim check-history` judges a live run with the same checkers.
//
// Message identity: a broadcast payload carries "c" (sender client name) and
// "m" (client message id); msg = fnv1a64(id), digest = fnv1a64(payload.dump()).
// Time: t_ns is steady-clock time since the recorder was created.
// Not thread-safe (the load tool runs on one thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "properties/history.hpp"

namespace roomsim::live {

class HistoryRecorder {
 public:
  explicit HistoryRecorder(std::string room);

  // What on_frame learned, for the client's own bookkeeping.
  struct FrameFacts {
    std::string type;
    int64_t seq = -1;         // highest seq seen in the frame (message/history/resumed/ack/welcome)
    int64_t epoch = -1;
    bool is_ping = false;
    int64_t ping_timestamp = 0;
  };

  // valid_token: the client presented a token the room accepts, as the world knows it
  // (live/room_knowledge.hpp); false when nobody can tell.
  void connect(const std::string& client, uint64_t conn, const std::string& user, bool valid_token);
  void connect_result(const std::string& client, uint64_t conn, int code);
  // frame_bytes: the size of the text frame that carried it (admission judges frame-size refusals by it).
  void send(const std::string& client, uint64_t conn, const std::string& id, const nlohmann::json& payload,
            int64_t frame_bytes);
  void resume(const std::string& client, uint64_t conn, int64_t after, int64_t epoch);
  FrameFacts frame(const std::string& client, uint64_t conn, std::string_view text);
  void close(const std::string& client, uint64_t conn, int code, const std::string& reason, bool by_client);
  // A run parameter for every room (e.g. liveness_bound_ms).
  void config(const std::string& key, int64_t value);
  // A promise of this room (a RoomPromises limit, or "promises.<property>" = 0).
  void room_config(const std::string& key, int64_t value);
  // kPhase "safety" | "liveness" | "end", now.
  void phase(const std::string& name);

  const properties::History& history() const { return history_; }
  // Writes JSONL (properties/history_jsonl.hpp); returns an error message or "".
  std::string write(const std::string& path) const;

 private:
  properties::Event base(properties::EventKind kind, const std::string& client, uint64_t conn);
  void receive(const std::string& client, uint64_t conn, const nlohmann::json& m, int64_t replayed,
               properties::NameId channel);
  properties::NameId presence(const nlohmann::json& participants);
  void add_config(const std::string& key, int64_t value, properties::NameId room);

  properties::History history_;
  properties::NameId room_;
  properties::NameId direct_;
  properties::NameId sub_;
  std::chrono::steady_clock::time_point start_;
  int64_t last_t_ns_ = 0;
};

}  // namespace roomsim::live
