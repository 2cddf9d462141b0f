// properties/history_jsonl.cpp: JSONL writer and validating reader for History.
#include "properties/history_jsonl.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <istream>
#include <limits>
#include <optional>
#include <ostream>
#include <vector>

#include <nlohmann/json.hpp>

#include "rooms/protocol/json_limits.hpp"

namespace roomsim::properties {

namespace {

using nlohmann::json;

NameId* name_field(Event& e, std::string_view key) {
  if (key == "client") return &e.client;
  if (key == "room") return &e.room;
  if (key == "user") return &e.user;
  if (key == "session") return &e.session;
  if (key == "sender") return &e.sender;
  if (key == "target") return &e.target;
  if (key == "channel") return &e.channel;
  if (key == "text") return &e.text;
  return nullptr;
}

uint64_t* unsigned_field(Event& e, std::string_view key) {
  if (key == "conn") return &e.conn;
  if (key == "msg") return &e.msg;
  if (key == "digest") return &e.digest;
  return nullptr;
}

int64_t* signed_field(Event& e, std::string_view key) {
  if (key == "seq") return &e.seq;
  if (key == "epoch") return &e.epoch;
  if (key == "value") return &e.value;
  return nullptr;
}

std::string hex16(uint64_t v) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string shown(const json& v) {
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

std::optional<int64_t> as_signed(const json& v) {
  if (v.is_number_integer() && !v.is_number_unsigned()) return v.get<int64_t>();
  if (v.is_number_unsigned() && v.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return static_cast<int64_t>(v.get<uint64_t>());
  }
  return std::nullopt;
}

std::optional<uint64_t> as_unsigned(const json& v) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer() && v.get<int64_t>() >= 0) return static_cast<uint64_t>(v.get<int64_t>());
  return std::nullopt;
}

std::optional<uint64_t> as_hex(const json& v) {
  if (!v.is_string()) return as_unsigned(v);
  const std::string& s = v.get_ref<const std::string&>();
  if (s.empty() || s.size() > 16) return std::nullopt;
  uint64_t out = 0;
  for (char c : s) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return std::nullopt;
    out = out << 4 | static_cast<uint64_t>(d);
  }
  return out;
}

class LineReader {
 public:
  LineReader(std::string_view source, size_t line) : source_(source), line_(line) {}

  std::string error(std::string_view what) const {
    return std::string(source_) + ":" + std::to_string(line_) + ": " + std::string(what);
  }
  std::string field_error(std::string_view key, std::string_view expected, const json& got) const {
    return error("field \"" + std::string(key) + "\": expected " + std::string(expected) + ", got " + shown(got));
  }

  // Fills `e` from the object `obj`; returns an error message or nullopt.
  std::optional<std::string> read_event(const json& obj, History& h, Event& e) const {
    for (const auto& [key, v] : obj.items()) {
      if (key == "t_ns") {
        auto t = as_signed(v);
        if (!t) return field_error(key, "an integer (nanoseconds)", v);
        e.t_ns = *t;
      } else if (key == "kind") {
        if (!v.is_string()) return field_error(key, "an event kind name", v);
        if (!parse_event_kind(v.get_ref<const std::string&>(), e.kind)) {
          return field_error(key, "an event kind name such as \"send\" or \"receive\"", v);
        }
      } else if (NameId* n = name_field(e, key)) {
        if (!v.is_string()) return field_error(key, "a string", v);
        *n = h.intern(v.get_ref<const std::string&>());
      } else if (key == "msg" || key == "digest") {
        auto x = as_hex(v);
        if (!x) return field_error(key, "16 hex digits", v);
        *unsigned_field(e, key) = *x;
      } else if (uint64_t* u = unsigned_field(e, key)) {
        auto x = as_unsigned(v);
        if (!x) return field_error(key, "a non-negative integer", v);
        *u = *x;
      } else if (int64_t* s = signed_field(e, key)) {
        auto x = as_signed(v);
        if (!x) return field_error(key, "an integer", v);
        *s = *x;
      } else if (key == "code") {
        auto x = as_signed(v);
        if (!x || *x < std::numeric_limits<int32_t>::min() || *x > std::numeric_limits<int32_t>::max()) {
          return field_error(key, "a 32-bit integer", v);
        }
        e.code = static_cast<int32_t>(*x);
      } else {
        return error("field \"" + key + "\": unknown field (known: t_ns, kind, client, conn, room, user, session, "
                                        "sender, target, channel, text, msg, digest, seq, epoch, value, code)");
      }
    }
    if (!obj.contains("t_ns")) return error("field \"t_ns\": missing");
    if (!obj.contains("kind")) return error("field \"kind\": missing");
    return std::nullopt;
  }

 private:
  std::string_view source_;
  size_t line_;
};

}  // namespace

void write_history_jsonl(const History& history, std::ostream& out) {
  out << "{\"history\":" << kHistoryJsonlVersion << ",\"events\":" << history.size() << "}\n";
  std::vector<std::string> quoted(history.name_count());
  for (size_t i = 0; i < quoted.size(); ++i) {
    quoted[i] = json(history.name(static_cast<NameId>(i))).dump(-1, ' ', false, json::error_handler_t::replace);
  }
  std::string line;
  for (const Event& e : history.events()) {
    line = "{\"t_ns\":" + std::to_string(e.t_ns) + ",\"kind\":\"" + to_string(e.kind) + "\"";
    auto name = [&](const char* key, NameId id) {
      if (id != kNoName) line += std::string(",\"") + key + "\":" + quoted[id];
    };
    auto number = [&](const char* key, auto v, decltype(v) fallback) {
      if (v != fallback) line += std::string(",\"") + key + "\":" + std::to_string(v);
    };
    auto hex = [&](const char* key, uint64_t v) {
      if (v != 0) line += std::string(",\"") + key + "\":\"" + hex16(v) + "\"";
    };
    const Event d;  // defaults
    name("client", e.client);
    number("conn", e.conn, d.conn);
    name("room", e.room);
    name("user", e.user);
    name("session", e.session);
    name("sender", e.sender);
    name("target", e.target);
    name("channel", e.channel);
    name("text", e.text);
    hex("msg", e.msg);
    hex("digest", e.digest);
    number("seq", e.seq, d.seq);
    number("epoch", e.epoch, d.epoch);
    number("value", e.value, d.value);
    number("code", e.code, d.code);
    line += "}\n";
    out << line;
  }
}

std::variant<History, std::string> read_history_jsonl(std::istream& in, std::string_view source) {
  History h;
  std::string text;
  size_t line_no = 0;
  bool first_content = true;
  std::optional<uint64_t> declared;
  size_t declared_line = 0;
  int64_t last_t = std::numeric_limits<int64_t>::min();
  while (std::getline(in, text)) {
    ++line_no;
    const LineReader r(source, line_no);
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto parsed = rooms::protocol::parse_json_strict(text);
    if (const auto* bad = std::get_if<rooms::protocol::JsonError>(&parsed)) {
      if (bad->path.empty()) return r.error("not valid JSON: " + shown(json(text)));
      return r.error(bad->path + ": " + bad->message);
    }
    json& obj = std::get<json>(parsed);
    if (!obj.is_object()) return r.error("expected a JSON object, got " + shown(obj));
    if (obj.contains("history")) {
      if (!first_content) return r.error("field \"history\": the header must be the first line");
      first_content = false;
      const json& v = obj["history"];
      if (as_signed(v) != std::optional<int64_t>(kHistoryJsonlVersion)) {
        return r.field_error("history", "version " + std::to_string(kHistoryJsonlVersion), v);
      }
      for (const auto& [key, value] : obj.items()) {
        if (key == "history") continue;
        if (key != "events") return r.error("field \"" + key + "\": unknown header field (known: history, events)");
        declared = as_unsigned(value);
        if (!declared) return r.field_error(key, "a non-negative integer", value);
        declared_line = line_no;
      }
      continue;
    }
    first_content = false;
    Event e;
    if (auto err = r.read_event(obj, h, e)) return *err;
    if (e.t_ns < last_t) {
      return r.error("field \"t_ns\": " + std::to_string(e.t_ns) + " is before the previous event's " +
                     std::to_string(last_t) + " (events must be in time order)");
    }
    last_t = e.t_ns;
    h.add(e);
  }
  if (in.bad()) return std::string(source) + ": read error after line " + std::to_string(line_no);
  if (declared && *declared != h.size()) {
    return LineReader(source, declared_line)
        .error("field \"events\": the header declares " + std::to_string(*declared) + " events but the file has " +
               std::to_string(h.size()) + " (truncated?)");
  }
  return h;
}

std::variant<History, std::string> read_history_jsonl(const std::string& path) {
  std::error_code ec;
  // A directory opens like a file on Linux and reads as an empty history, which every property accepts.
  if (std::filesystem::is_directory(path, ec)) return path + ": is a directory, expected a history JSONL file";
  std::ifstream in(path);
  if (!in) return path + ": cannot open for reading";
  return read_history_jsonl(in, path);
}

}  // namespace roomsim::properties
