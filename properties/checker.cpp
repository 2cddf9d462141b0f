// properties/checker.cpp: the registry of properties (name, description,
// checker) behind the public API in checker.hpp.
#include "properties/checker.hpp"

#include <algorithm>

#include "properties/checkers/checkers.hpp"

namespace roomsim::properties {

namespace {

struct PropertyEntry {
  const char* name;
  const char* description;
  Verdict (*check)(const History&);
};

using namespace internal;

// Order is part of the API (all_property_names()).
const PropertyEntry kProperties[] = {
    {"fifo", "messages sent on one connection are received live on each receiving connection in send order",
     check_fifo},
    {"total_order",
     "one message per room position (room, epoch, seq), and all receivers see a room's messages in one common order",
     check_total_order},
    {"no_duplicates", "no connection receives the same room message live twice", check_no_duplicates},
    {"no_phantoms", "every received message was sent earlier by that sender with that payload digest",
     check_no_phantoms},
    {"durability",
     "a message acked or delivered is never lost or replaced: no later welcome, replay or message at its seq forgets it",
     check_durability},
    {"recovery",
     "every room message reaches each connected or reconnecting client unless an honest gap notice covers it",
     check_recovery},
    {"liveness", "in the liveness phase every message reaches every connected member within the bound",
     check_liveness},
    {"connection_limits", "accepted open connections stay within each room's per-room and per-user limits",
     check_connection_limits},
    {"rate_limit", "accepted messages per connection (and per user where declared) stay within the limit per 60 s",
     check_rate_limit},
    {"authorization", "no room traffic reaches a connection without a valid token in a room that requires one",
     check_authorization},
    {"addressed_delivery",
     "direct, sub-room and per-key messages reach their addressees within the bound and nobody else",
     check_addressed_delivery},
    {"admission",
     "legitimate clients are admitted below the room's limits, and never refused for limits they are within",
     check_admission},
    {"history_bound", "replayed history never exceeds the bound and always ends at the room's latest message",
     check_history_bound},
    {"dashboard_convergence",
     "every subscriber's values follow the external feed within the promised staleness, and match it at the end",
     check_dashboard_convergence},
    {"presence_convergence", "at the end every connected client's participant list equals the connected users",
     check_presence_convergence},
    {"latency_slo", "p99 of live delivery latency stays within the configured bound", check_latency_slo},
};

const PropertyEntry* find_entry(std::string_view name) {
  for (const auto& p : kProperties) {
    if (name == p.name) return &p;
  }
  return nullptr;
}

}  // namespace

const std::vector<std::string>& all_property_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& p : kProperties) out.emplace_back(p.name);
    return out;
  }();
  return names;
}

std::string_view describe_property(std::string_view name) {
  const PropertyEntry* p = find_entry(name);
  return p ? std::string_view(p->description) : std::string_view();
}

std::optional<Verdict> check_property(std::string_view name, const History& history) {
  const PropertyEntry* p = find_entry(name);
  if (!p) return std::nullopt;
  return p->check(history);
}

std::vector<Verdict> check_properties(const History& history, const std::vector<std::string>& names) {
  const auto& wanted = names.empty() ? all_property_names() : names;
  std::vector<Verdict> out;
  out.reserve(wanted.size());
  for (const auto& name : wanted) {
    if (auto v = check_property(name, history)) {
      out.push_back(std::move(*v));
      continue;
    }
    Verdict unknown;
    unknown.property = name;
    unknown.passed = false;
    unknown.explanation = "unknown property \"" + name + "\"; known:";
    for (const auto& known : all_property_names()) unknown.explanation += " " + known;
    out.push_back(std::move(unknown));
  }
  return out;
}

}  // namespace roomsim::properties
