// RapidCheck property over random runs of the corrected `chat` and
// `persistent` rooms (joins, leaves, messages, restarts, time passing,
// resumes): every message frame a session sees has a seq one above the
// previous one it saw live (no gaps or reorders while connected; in
// `persistent` the sender's ack takes the place of its own message), every ack
// names a stored seq, restarts keep epoch and seq, and a resume from any seq
// a client saw is answered exactly (recovered, or the precise missing range).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "tests/rooms/fake_room_context.hpp"

namespace roomsim::rooms::testing {
namespace {

struct Observer {
  int64_t last_live = -1;  // last live seq seen on this session
};

RC_GTEST_PROP(SequencedRoomsModel, SeqsContiguousAcksDurableResumeExact, ()) {
  const std::string kind = *rc::gen::element<std::string>("chat", "persistent");
  const int history_max = *rc::gen::inRange(3, 12);
  FakeHost host(RoomSpec{kind, "m", {{"history_max", history_max}, {"rate_limit_per_min", 0}}}, 11);
  std::map<SessionId, Observer> open;
  int64_t acked_max = 0;
  std::optional<uint64_t> epoch;
  int users = 0;

  auto drain = [&](SessionId s) {
    Observer& o = open.at(s);
    for (const auto& f : host.frames(s)) {
      const std::string type = f["type"];
      if (type == "welcome") {
        RC_ASSERT(f["seq"].get<int64_t>() >= acked_max);  // nothing acked is forgotten
        if (epoch) RC_ASSERT(f["epoch"].get<uint64_t>() == *epoch);
        epoch = f["epoch"].get<uint64_t>();
        o.last_live = f["seq"];
      } else if (type == "message") {
        RC_ASSERT(f["seq"].get<int64_t>() == o.last_live + 1);
        o.last_live = f["seq"];
      } else if (type == "ack") {
        const int64_t seq = f["seq"];
        acked_max = std::max(acked_max, seq);
        if (kind == "chat") {
          RC_ASSERT(seq == o.last_live);  // chat: the sender saw its own message just before
        } else {
          RC_ASSERT(seq == o.last_live + 1);  // persistent: the ack stands in for its own message
          o.last_live = seq;
        }
      }
    }
    host.ctx().session(s).sent.clear();
  };

  const int steps = *rc::gen::inRange(5, 60);
  for (int step = 0; step < steps; ++step) {
    const int op = *rc::gen::inRange(0, 10);
    if (op <= 1 || open.empty()) {
      if (open.size() < 5) {
        auto s = host.join(label("u", users++));
        RC_ASSERT(s.has_value());
        open[*s] = {};
        drain(*s);
      }
    } else if (op <= 6) {
      auto it = std::next(open.begin(), *rc::gen::inRange<size_t>(0, open.size()));
      host.message(it->first, nlohmann::json{{"type", "broadcast"}, {"id", label("m", step)}, {"payload", step}});
    } else if (op == 7) {
      auto it = std::next(open.begin(), *rc::gen::inRange<size_t>(0, open.size()));
      host.client_close(it->first);
      open.erase(it);
    } else if (op == 8) {
      host.restart();
      open.clear();
    } else {
      // A fresh client resumes from a seq it might have seen.
      const int64_t after = *rc::gen::inRange<int64_t>(0, acked_max + 2);
      auto s = host.join(label("r", users++));
      RC_ASSERT(s.has_value());
      host.ctx().session(*s).sent.clear();
      host.message(*s, nlohmann::json{{"type", "resume"}, {"after", after}, {"epoch", epoch.value_or(0)}});
      auto answers = host.frames(*s, "resumed");
      RC_ASSERT(answers.size() == 1u);
      const auto& r = answers[0];
      const int64_t seq = r["seq"];
      const auto& msgs = r["messages"];
      if (epoch && r["epoch"].get<uint64_t>() == *epoch && after <= seq) {
        const int64_t first_kept = std::max<int64_t>(1, seq - history_max + 1);
        if (after + 1 >= first_kept) {
          RC_ASSERT(r["recovered"].get<bool>());
          RC_ASSERT(static_cast<int64_t>(msgs.size()) == seq - after);
        } else {
          RC_ASSERT(!r["recovered"].get<bool>());
          RC_ASSERT(r["missedFrom"].get<int64_t>() == after + 1);
          RC_ASSERT(r["missedTo"].get<int64_t>() == first_kept - 1);
        }
        for (size_t i = 0; i < msgs.size(); ++i) RC_ASSERT(msgs[i]["seq"].get<int64_t>() == seq - static_cast<int64_t>(msgs.size()) + 1 + static_cast<int64_t>(i));
      } else {
        RC_ASSERT(!r["recovered"].get<bool>());
      }
      host.client_close(*s);
    }
    for (auto& [s, _] : open) drain(s);
  }
}

}  // namespace
}  // namespace roomsim::rooms::testing
