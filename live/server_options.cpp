// live/server_options.cpp: see server_options.hpp.
#include "live/server_options.hpp"

#include <fstream>
#include <sstream>

#include "rooms/protocol/json_limits.hpp"

namespace roomsim::live {

std::string load_server_config(const std::string& path, ServerOptions& options) {
  std::ifstream in(path);
  if (!in) return path + ": cannot read file";
  std::stringstream ss;
  ss << in.rdbuf();
  // Bounded depth and no duplicated key (rooms/protocol/json_limits.hpp): room configs are copied, which recurses.
  auto parsed = rooms::protocol::parse_json_strict(ss.str());
  if (const auto* bad = std::get_if<rooms::protocol::JsonError>(&parsed)) {
    return path + ": " + (bad->path.empty() ? "" : bad->path + ": ") + bad->message;
  }
  const nlohmann::json& j = std::get<nlohmann::json>(parsed);
  if (!j.is_object()) return path + ": expected a JSON object at the top level";
  for (const auto& [key, value] : j.items()) {
    if (key == "rooms") {
      if (!value.is_object()) return path + ": \"rooms\" must be an object of kind -> config object";
      for (const auto& [kind, config] : value.items()) {
        if (!config.is_object()) return path + ": rooms." + kind + " must be an object";
        options.room_config[kind] = config;
      }
    } else if (key == "services") {
      if (!value.is_object()) return path + ": \"services\" must be an object of name -> \"http://host:port\"";
      for (const auto& [name, url] : value.items()) {
        if (!url.is_string() || url.get<std::string>().rfind("http://", 0) != 0) {
          return path + ": services." + name + " must be a string starting with http://";
        }
        options.services[name] = url.get<std::string>();
      }
    } else {
      return path + ": unknown field \"" + key + "\" (expected \"rooms\" or \"services\")";
    }
  }
  return "";
}

}  // namespace roomsim::live
