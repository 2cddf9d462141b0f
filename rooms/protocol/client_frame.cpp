// rooms/protocol/client_frame.cpp: see client_frame.hpp.
#include "rooms/protocol/client_frame.hpp"

#include <algorithm>

#include "rooms/protocol/json_limits.hpp"

namespace roomsim::rooms::protocol {
namespace {

constexpr size_t kMaxKeys = 256;

FrameError bad_field(std::string_view type, std::string_view field, std::string_view expected) {
  return {std::string(error_code::kBadField),
          "field \"" + std::string(field) + "\" of a \"" + std::string(type) + "\" frame must be " +
              std::string(expected)};
}

bool non_negative_integer(const nlohmann::json& v) {
  // Above 2^63 - 1 a value would turn negative as the int64 the frame holds.
  if (v.is_number_unsigned()) return v.get<uint64_t>() <= static_cast<uint64_t>(INT64_MAX);
  return v.is_number_integer() && v.get<int64_t>() >= 0;
}

bool non_empty_string(const nlohmann::json& body, const char* field) {
  auto it = body.find(field);
  return it != body.end() && it->is_string() && !it->get_ref<const std::string&>().empty();
}

// An optional field that, when present, must be a string (non-empty if `non_empty`).
bool optional_string_ok(const nlohmann::json& body, const char* field, bool non_empty) {
  auto it = body.find(field);
  if (it == body.end()) return true;
  if (!it->is_string()) return false;
  return !non_empty || !it->get_ref<const std::string&>().empty();
}

bool payload_ok(const nlohmann::json& body) {
  auto it = body.find("payload");
  return it != body.end() && !it->is_null();
}

}  // namespace

std::string ClientFrame::string_or_empty(std::string_view field) const {
  auto it = body.find(field);
  if (it == body.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

int64_t integer_field(const nlohmann::json& body, std::string_view field) {
  const auto& v = body.at(std::string(field));
  if (v.is_number_unsigned()) return static_cast<int64_t>(v.get<uint64_t>());
  return v.get<int64_t>();
}

std::variant<std::monostate, FrameError> validate_fields(const std::string& type, const nlohmann::json& body) {
  if (type == "broadcast") {
    if (!payload_ok(body)) return bad_field(type, "payload", "present and not null");
    if (!optional_string_ok(body, "id", false)) return bad_field(type, "id", "a string when present");
    if (!optional_string_ok(body, "roomId", true)) return bad_field(type, "roomId", "a non-empty string when present");
  } else if (type == "direct") {
    if (!non_empty_string(body, "targetId")) return bad_field(type, "targetId", "a non-empty string (a session id such as \"s17\")");
    if (!payload_ok(body)) return bad_field(type, "payload", "present and not null");
    if (!optional_string_ok(body, "id", false)) return bad_field(type, "id", "a string when present");
  } else if (type == "join_room" || type == "leave_room") {
    if (!non_empty_string(body, "roomId")) return bad_field(type, "roomId", "a non-empty string");
  } else if (type == "resume") {
    auto after = body.find("after");
    if (after == body.end() || !non_negative_integer(*after)) return bad_field(type, "after", "an integer >= 0");
    auto epoch = body.find("epoch");
    if (epoch == body.end() || !non_negative_integer(*epoch)) return bad_field(type, "epoch", "an integer >= 0");
  } else if (type == "subscribe" || type == "unsubscribe") {
    auto keys = body.find("keys");
    if (keys == body.end() || !keys->is_array()) return bad_field(type, "keys", "an array of strings");
    if (keys->size() > kMaxKeys) return bad_field(type, "keys", "an array of at most 256 strings");
    for (const auto& k : *keys) {
      if (!k.is_string()) return bad_field(type, "keys", "an array of strings");
    }
  } else if (type == "pong") {
    auto ts = body.find("timestamp");
    if (ts != body.end() && !ts->is_number()) return bad_field(type, "timestamp", "a number when present");
  }
  return std::monostate{};
}

FrameResult parse_client_frame(std::string_view text, const std::vector<std::string_view>& accepted,
                               size_t max_frame_bytes) {
  if (max_frame_bytes != 0 && text.size() > max_frame_bytes) {
    return FrameError{std::string(error_code::kFrameTooLarge), "frame of " + std::to_string(text.size()) +
                                                                   " bytes exceeds the limit of " +
                                                                   std::to_string(max_frame_bytes) + " bytes"};
  }
  // Before the parse: rooms dump and copy payloads, which recurse per level.
  if (!json_text_depth_within(text)) {
    return FrameError{std::string(error_code::kBadJson), "frame nests arrays and objects deeper than " +
                                                             std::to_string(kJsonDepthMax) + " levels"};
  }
  nlohmann::json body = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return FrameError{std::string(error_code::kBadJson), "frame is not valid JSON"};
  if (!body.is_object()) return FrameError{std::string(error_code::kBadFrame), "frame must be a JSON object"};
  auto type_it = body.find("type");
  if (type_it == body.end() || !type_it->is_string()) {
    return FrameError{std::string(error_code::kBadFrame), "frame must have a string field \"type\""};
  }
  std::string type = type_it->get<std::string>();
  if (std::find(accepted.begin(), accepted.end(), type) == accepted.end()) {
    std::string known;
    for (auto t : accepted) known += (known.empty() ? "" : ", ") + std::string(t);
    return FrameError{std::string(error_code::kUnknownType),
                      "unknown frame type \"" + type + "\" (this room accepts: " + known + ")"};
  }
  auto check = validate_fields(type, body);
  if (auto* err = std::get_if<FrameError>(&check)) return *err;
  return ClientFrame{std::move(type), std::move(body)};
}

}  // namespace roomsim::rooms::protocol
