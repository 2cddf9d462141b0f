// properties/checkers/no_phantoms.cpp: every receive (live or replayed)
// matches an earlier kSend of the same room, sender and client message id
// with the same payload digest. A receive whose message was never sent is a
// phantom; one whose digest differs from every send of it is corrupted.
//
// Judged against: what each client sent (the world's kSend), never the
// room's frames.
//
// Memory: one entry per distinct sent (message, digest).
#include <unordered_map>
#include <unordered_set>

#include "properties/checkers/checkers.hpp"
#include "properties/checkers/support.hpp"

namespace roomsim::properties::internal {

namespace {
struct DigestKeyHash {
  size_t operator()(const std::pair<MsgKey, uint64_t>& k) const noexcept {
    return MsgKeyHash{}(k.first) ^ static_cast<size_t>(k.second * 0x9e3779b97f4a7c15ULL);
  }
};
}  // namespace

Verdict check_no_phantoms(const History& h) {
  VerdictBuilder out("no_phantoms");
  const ConfigView config(h);
  RoomScope scope(h, config, out);
  std::unordered_map<MsgKey, uint64_t, MsgKeyHash> last_digest;  // latest send of each message
  std::unordered_set<std::pair<MsgKey, uint64_t>, DigestKeyHash> older;  // earlier sends with another digest
  const auto& events = h.events();
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (!scope.judges(e.room)) continue;
    if (e.kind == EventKind::kSend) {
      auto [it, fresh] = last_digest.try_emplace(send_key(e), e.digest);
      if (!fresh && it->second != e.digest) {
        older.insert({it->first, it->second});
        it->second = e.digest;
      }
    } else if (e.kind == EventKind::kReceive) {
      out.judged();
      const MsgKey key = receive_key(e);
      auto it = last_digest.find(key);
      if (it != last_digest.end() && (it->second == e.digest || older.count({key, e.digest}))) continue;
      const bool corrupted = it != last_digest.end();
      out.fail(i, e.t_ns, "never_sent", [&] {
        std::string what = "client " + name_or_none(h, e.client) + " received " + message_label(e) + " from " +
                           name_or_none(h, e.sender) + " in room " + name_or_none(h, e.room) + " at " +
                           at_time(e.t_ns);
        if (corrupted) return what + " with a payload digest that differs from what the sender sent";
        return what + " that the sender never sent";
      });
    }
  }
  out.if_vacuous("no receives recorded");
  return out.finish();
}

}  // namespace roomsim::properties::internal
