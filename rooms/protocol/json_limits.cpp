// rooms/protocol/json_limits.cpp: see json_limits.hpp.
#include "rooms/protocol/json_limits.hpp"

#include <set>
#include <utility>
#include <vector>

namespace roomsim::rooms::protocol {

namespace {

using nlohmann::json;

std::string depth_message(size_t max_depth) {
  std::string out = "nested deeper than ";
  out += std::to_string(max_depth);
  out += " levels of arrays and objects";
  return out;
}

// One open array or object while parsing.
struct OpenContainer {
  bool object = false;
  std::set<std::string, std::less<>> keys;  // objects: keys seen so far
  std::string key;                           // objects: the key of the current member
  size_t next_index = 0;                     // arrays: index of the next element
};

// Thrown from the parser callback to stop the parse; never leaves this file.
struct Refused {
  JsonError error;
};

class StrictParse {
 public:
  explicit StrictParse(size_t max_depth) : max_depth_(max_depth) {}

  bool on_event(json::parse_event_t event, const json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        element_begins();
        if (open_.size() >= max_depth_) throw Refused{{path(), depth_message(max_depth_)}};
        open_.push_back(OpenContainer{});
        open_.back().object = event == json::parse_event_t::object_start;
        break;
      case json::parse_event_t::key: {
        OpenContainer& top = open_.back();
        top.key = parsed.get_ref<const std::string&>();
        if (!top.keys.insert(top.key).second) throw Refused{{path(), "duplicate key \"" + top.key + "\""}};
        break;
      }
      case json::parse_event_t::value:
        element_begins();
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        open_.pop_back();
        break;
    }
    return true;
  }

 private:
  // In an array, a new element starts: it takes the next index.
  void element_begins() {
    if (!open_.empty() && !open_.back().object) ++open_.back().next_index;
  }

  // The pointer to the current element of every open container.
  std::string path() const {
    std::string out;
    for (const OpenContainer& c : open_) {
      out = c.object ? json_pointer_child(out, c.key) : json_pointer_child(out, c.next_index - 1);
    }
    return out;
  }

  size_t max_depth_;
  std::vector<OpenContainer> open_;
};

}  // namespace

bool json_text_depth_within(std::string_view text, size_t max_depth) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return true;
}

std::optional<JsonError> find_json_too_deep(const json& value, size_t max_depth) {
  struct Pending {
    const json* value;
    size_t depth;  // containers around it
    std::string path;
  };
  std::vector<Pending> pending{{&value, 0, ""}};
  while (!pending.empty()) {
    Pending p = std::move(pending.back());
    pending.pop_back();
    if (!p.value->is_structured()) continue;
    if (p.depth >= max_depth) return JsonError{p.path, depth_message(max_depth)};
    if (p.value->is_object()) {
      for (const auto& [key, child] : p.value->items()) {
        pending.push_back({&child, p.depth + 1, json_pointer_child(p.path, key)});
      }
    } else {
      for (size_t i = 0; i < p.value->size(); ++i) {
        pending.push_back({&(*p.value)[i], p.depth + 1, json_pointer_child(p.path, i)});
      }
    }
  }
  return std::nullopt;
}

std::variant<json, JsonError> parse_json_strict(std::string_view text, size_t max_depth) {
  // nlohmann's lexer ends the input at a NUL byte: "5\0[[[..." would parse as
  // 5 and drop the rest silently. JSON text never contains a raw NUL.
  if (const size_t nul = text.find('\0'); nul != std::string_view::npos) {
    return JsonError{"", "not valid JSON: a NUL byte at offset " + std::to_string(nul)};
  }
  StrictParse strict(max_depth);
  try {
    return json::parse(text, [&strict](int /*depth*/, json::parse_event_t event, json& parsed) {
      return strict.on_event(event, parsed);
    });
  } catch (const Refused& refused) {
    return refused.error;
  } catch (const json::exception& e) {
    return JsonError{"", std::string("not valid JSON: ") + e.what()};
  }
}

std::string json_pointer_child(const std::string& path, std::string_view key) {
  std::string out = path;
  out += '/';
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string json_pointer_child(const std::string& path, size_t index) {
  std::string out = path;
  out += '/';
  out += std::to_string(index);
  return out;
}

}  // namespace roomsim::rooms::protocol
