// rooms/api/registry.cpp: see registry.hpp.
#include "rooms/api/registry.hpp"

#include <stdexcept>

namespace roomsim::rooms {

void RoomRegistry::add(RoomKindInfo info) {
  if (kinds_.count(info.kind) != 0) throw std::logic_error("room kind registered twice: " + info.kind);
  std::string kind = info.kind;
  kinds_.emplace(std::move(kind), std::move(info));
}

const RoomKindInfo* RoomRegistry::find(const std::string& kind) const {
  auto it = kinds_.find(kind);
  return it == kinds_.end() ? nullptr : &it->second;
}

CreateResult RoomRegistry::create(const RoomSpec& spec) const {
  const RoomKindInfo* info = find(spec.kind);
  if (info == nullptr) {
    std::string known;
    for (const auto& [name, _] : kinds_) known += (known.empty() ? "" : ", ") + name;
    return "unknown room kind \"" + spec.kind + "\" (known: " + known + ")";
  }
  if (!spec.config.is_object()) return "room " + spec.kind + "/" + spec.id + ": config must be a JSON object";
  return info->factory(spec);
}

std::vector<std::string> RoomRegistry::kinds() const {
  std::vector<std::string> out;
  for (const auto& [name, _] : kinds_) out.push_back(name);
  return out;
}

}  // namespace roomsim::rooms
