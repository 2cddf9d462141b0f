// live/history_recorder.cpp: see history_recorder.hpp.
#include "live/history_recorder.hpp"

#include <algorithm>
#include <fstream>
#include <vector>

#include "engine/rng.hpp"
#include "properties/history_jsonl.hpp"
#include "properties/observed_frame.hpp"

namespace roomsim::live {
namespace {

using properties::EventKind;
using properties::json_int;
using properties::json_string;

}  // namespace

HistoryRecorder::HistoryRecorder(std::string room) : start_(std::chrono::steady_clock::now()) {
  room_ = history_.intern(room);
  direct_ = history_.intern("direct");
  sub_ = history_.intern("sub");
}

properties::Event HistoryRecorder::base(EventKind kind, const std::string& client, uint64_t conn) {
  properties::Event e;
  const int64_t t =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start_).count();
  last_t_ns_ = std::max(last_t_ns_, t);
  e.t_ns = last_t_ns_;
  e.kind = kind;
  e.client = history_.intern(client);
  e.room = room_;
  e.conn = conn;
  return e;
}

void HistoryRecorder::connect(const std::string& client, uint64_t conn, const std::string& user, bool valid_token) {
  properties::Event e = base(EventKind::kConnect, client, conn);
  e.user = history_.intern(user);
  e.value = valid_token ? 1 : 0;
  history_.add(e);
}

void HistoryRecorder::connect_result(const std::string& client, uint64_t conn, int code) {
  properties::Event e = base(EventKind::kConnectResult, client, conn);
  e.code = code;
  history_.add(e);
}

void HistoryRecorder::send(const std::string& client, uint64_t conn, const std::string& id,
                           const nlohmann::json& payload, int64_t frame_bytes) {
  properties::Event e = base(EventKind::kSend, client, conn);
  e.msg = fnv1a64(id);
  e.digest = fnv1a64(payload.dump());
  e.value = frame_bytes;
  history_.add(e);
}

void HistoryRecorder::resume(const std::string& client, uint64_t conn, int64_t after, int64_t epoch) {
  properties::Event e = base(EventKind::kResume, client, conn);
  e.value = after;
  e.epoch = epoch;
  history_.add(e);
}

void HistoryRecorder::receive(const std::string& client, uint64_t conn, const nlohmann::json& m, int64_t replayed,
                              properties::NameId channel) {
  properties::Event e = base(EventKind::kReceive, client, conn);
  e.seq = json_int(m, "seq");
  e.epoch = json_int(m, "epoch");
  e.value = replayed;
  e.channel = channel;
  if (channel == direct_) {
    e.seq = -1;
    e.epoch = -1;
  }
  const properties::ObservedMessage observed = properties::observe_message(m, history_, sub_);
  e.digest = observed.digest;
  e.sender = observed.sender;
  e.msg = observed.msg;
  if (observed.channel == sub_ && channel != direct_) {
    e.channel = sub_;
    e.target = observed.target;
  }
  history_.add(e);
}

properties::NameId HistoryRecorder::presence(const nlohmann::json& participants) {
  return properties::observe_presence(participants, history_);
}

HistoryRecorder::FrameFacts HistoryRecorder::frame(const std::string& client, uint64_t conn, std::string_view text) {
  FrameFacts f;
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    properties::Event e = base(EventKind::kError, client, conn);
    e.text = history_.intern("client:unparsable_server_frame");
    history_.add(e);
    return f;
  }
  f.type = json_string(j, "type");
  f.epoch = json_int(j, "epoch");
  if (properties::is_relayed_payload(j)) {  // a relay room sends the payload alone
    receive(client, conn, nlohmann::json{{"payload", j}}, 0, properties::kNoName);
  } else if (f.type == "message") {
    receive(client, conn, j, 0, properties::kNoName);
    f.seq = json_int(j, "seq");
  } else if (f.type == "direct") {
    receive(client, conn, j, 0, direct_);
  } else if (f.type == "welcome") {
    properties::Event e = base(EventKind::kWelcome, client, conn);
    e.session = history_.intern(json_string(j, "sessionId"));
    e.seq = json_int(j, "seq");
    e.epoch = f.epoch;
    history_.add(e);
    f.seq = e.seq;
    if (auto p = j.find("participants"); p != j.end()) {
      properties::Event pe = base(EventKind::kPresence, client, conn);
      pe.text = presence(*p);
      history_.add(pe);
    }
  } else if (f.type == "history" || f.type == "resumed") {
    int64_t first = -1, last = -1, count = 0;
    if (auto messages = j.find("messages"); messages != j.end() && messages->is_array()) {
      for (const auto& m : *messages) {
        receive(client, conn, m, 1, properties::kNoName);
        const int64_t s = m.is_object() ? json_int(m, "seq") : -1;
        if (count == 0) first = s;
        last = s;
        ++count;
      }
    }
    if (f.type == "resumed" && j.contains("recovered") && j["recovered"].is_boolean() && !j["recovered"].get<bool>()) {
      properties::Event g = base(EventKind::kGap, client, conn);
      g.epoch = f.epoch;
      g.value = json_int(j, "missedFrom");
      g.seq = json_int(j, "missedTo");
      history_.add(g);
    }
    properties::Event w = base(EventKind::kReplayWindow, client, conn);
    w.epoch = f.epoch;
    w.value = first;
    w.seq = last;
    w.code = static_cast<int32_t>(count);
    history_.add(w);
    f.seq = std::max(last, json_int(j, "seq"));
  } else if (f.type == "ack") {
    properties::Event e = base(EventKind::kAck, client, conn);
    e.msg = fnv1a64(json_string(j, "id"));
    e.seq = json_int(j, "seq");
    e.epoch = f.epoch;
    history_.add(e);
    f.seq = e.seq;
  } else if (f.type == "user_joined" || f.type == "user_left") {
    if (auto p = j.find("participants"); p != j.end()) {
      properties::Event pe = base(EventKind::kPresence, client, conn);
      pe.text = presence(*p);
      history_.add(pe);
    }
  } else if (f.type == "snapshot") {
    if (auto data = j.find("data"); data != j.end() && data->is_object()) {
      for (auto it = data->begin(); it != data->end(); ++it) {
        properties::Event e = base(EventKind::kDataUpdate, client, conn);
        e.text = history_.intern(it.key());
        e.digest = fnv1a64(it.value().dump());
        history_.add(e);
      }
    }
  } else if (f.type == "data_update") {
    properties::Event e = base(EventKind::kDataUpdate, client, conn);
    auto v = j.find("value");
    e.text = history_.intern(json_string(j, "key"));
    e.digest = fnv1a64(v == j.end() ? std::string("null") : v->dump());
    history_.add(e);
  } else if (f.type == "ping") {
    f.is_ping = true;
    f.ping_timestamp = json_int(j, "timestamp", 0);
  } else if (f.type == "error") {
    properties::Event e = base(EventKind::kError, client, conn);
    e.text = history_.intern(json_string(j, "code"));
    history_.add(e);
  }
  return f;
}

void HistoryRecorder::close(const std::string& client, uint64_t conn, int code, const std::string& reason,
                            bool by_client) {
  properties::Event e = base(EventKind::kClose, client, conn);
  e.code = code;
  e.text = history_.intern(reason);
  e.value = by_client ? 1 : 0;
  history_.add(e);
}

void HistoryRecorder::config(const std::string& key, int64_t value) { add_config(key, value, properties::kNoName); }

void HistoryRecorder::room_config(const std::string& key, int64_t value) { add_config(key, value, room_); }

void HistoryRecorder::add_config(const std::string& key, int64_t value, properties::NameId room) {
  properties::Event e;
  e.t_ns = last_t_ns_;
  e.kind = EventKind::kConfig;
  e.text = history_.intern(key);
  e.value = value;
  e.room = room;
  history_.add(e);
}

void HistoryRecorder::phase(const std::string& name) {
  properties::Event e = base(EventKind::kPhase, "", 0);
  e.client = properties::kNoName;
  e.room = properties::kNoName;
  e.text = history_.intern(name);
  history_.add(e);
}

std::string HistoryRecorder::write(const std::string& path) const {
  std::ofstream out(path);
  if (!out) return "cannot write " + path;
  properties::write_history_jsonl(history_, out);
  out.flush();
  if (!out) return "error while writing " + path;
  return "";
}

}  // namespace roomsim::live
