// scenarios/shrinker.cpp: explicit scenarios and delta debugging.
#include "scenarios/shrinker.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "properties/checker.hpp"
#include "scenarios/enum_names.hpp"

namespace roomsim::scenarios {

using netsim::ClientAction;
using netsim::FaultSpec;
using properties::EventKind;

std::string ScenarioSize::text() const {
  std::string out = std::to_string(faults) + " faults" + (random_faults ? " + random fault rates" : "") + ", " +
                    std::to_string(populations) + " populations / " + std::to_string(clients) + " clients, " +
                    std::to_string(actions) + " actions";
  if (history_events > 0) out += ", " + std::to_string(history_events) + " history events";
  return out;
}

std::vector<size_t> ddmin(size_t n, const std::function<bool(const std::vector<size_t>&)>& fails, size_t& budget) {
  std::vector<size_t> items(n);
  for (size_t i = 0; i < n; ++i) items[i] = i;
  auto test = [&](const std::vector<size_t>& subset) {
    if (budget == 0) return false;
    --budget;
    return fails(subset);
  };
  if (n == 0) return items;
  if (test({})) return {};
  size_t granularity = 2;
  while (items.size() >= 2 && budget > 0) {
    const size_t chunk = (items.size() + granularity - 1) / granularity;
    std::vector<std::vector<size_t>> chunks;
    for (size_t start = 0; start < items.size(); start += chunk) {
      chunks.emplace_back(items.begin() + static_cast<ptrdiff_t>(start),
                          items.begin() + static_cast<ptrdiff_t>(std::min(items.size(), start + chunk)));
    }
    bool reduced = false;
    for (const auto& c : chunks) {
      if (test(c)) {
        items = c;
        granularity = 2;
        reduced = true;
        break;
      }
    }
    if (!reduced && chunks.size() > 2) {
      for (size_t k = 0; k < chunks.size(); ++k) {
        std::vector<size_t> complement;
        for (size_t m = 0; m < chunks.size(); ++m) {
          if (m != k) complement.insert(complement.end(), chunks[m].begin(), chunks[m].end());
        }
        if (test(complement)) {
          items = complement;
          granularity = std::max<size_t>(granularity - 1, 2);
          reduced = true;
          break;
        }
      }
    }
    if (!reduced) {
      if (granularity >= items.size()) break;
      granularity = std::min(items.size(), granularity * 2);
    }
  }
  if (items.size() == 1 && budget > 0 && test({})) return {};
  return items;
}

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) {
    if (!cur.empty()) out.push_back(cur);
  }
  return out;
}

bool parse_int(const std::string& s, int64_t& out) {
  if (s.empty()) return false;
  size_t pos = 0;
  try {
    out = std::stoll(s, &pos);
  } catch (...) {
    return false;
  }
  return pos == s.size();
}

bool parse_double(const std::string& s, double& out) {
  if (s.empty()) return false;
  size_t pos = 0;
  try {
    out = std::stod(s, &pos);
  } catch (...) {
    return false;
  }
  return pos == s.size();
}

}  // namespace

std::optional<FaultSpec> parse_fault_description(const std::string& text) {
  const std::vector<std::string> words = split(text, ' ');
  if (words.empty()) return std::nullopt;
  const auto hash = words[0].find('#');
  if (hash == std::string::npos) return std::nullopt;
  std::string kind = words[0].substr(0, hash);
  std::replace(kind.begin(), kind.end(), '_', '-');
  FaultSpec f;
  bool kind_found = false;
  for (const auto& [name, value] : fault_kind_names()) {
    if (name == kind) {
      f.kind = value;
      kind_found = true;
    }
  }
  if (!kind_found) return std::nullopt;
  bool have_ms = false;
  for (size_t i = 1; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w == "one_way") {
      f.one_way = true;
      continue;
    }
    const auto eq = w.find('=');
    if (eq == std::string::npos) return std::nullopt;
    const std::string key = w.substr(0, eq);
    const std::string value = w.substr(eq + 1);
    bool ok = true;
    if (key == "a") {
      f.regions_a = split(value, ',');
    } else if (key == "b") {
      f.regions_b = split(value, ',');
    } else if (key == "region") {
      f.region = value;
    } else if (key == "client") {
      f.client = value;
    } else if (key == "room") {
      f.room = value;
    } else if (key == "population") {
      f.population = value;
    } else if (key == "factor") {
      ok = parse_double(value, f.factor);
    } else if (key == "p") {
      ok = parse_double(value, f.probability);
    } else if (key == "rate_per_s") {
      ok = parse_double(value, f.rate_per_s);
    } else if (key == "skew_ms") {
      ok = parse_int(value, f.skew_ms);
    } else if (key == "ms") {
      const auto plus = value.find('+');
      ok = plus != std::string::npos && parse_int(value.substr(0, plus), f.start_ms) &&
           parse_int(value.substr(plus + 1), f.duration_ms);
      have_ms = ok;
    } else {
      ok = false;
    }
    if (!ok) return std::nullopt;
  }
  if (!have_ms) return std::nullopt;
  return f;
}

namespace {

class Shrinker {
 public:
  Shrinker(const Scenario& s, uint64_t seed, const ShrinkOptions& o, const SimulateFn& simulate)
      : seed_(seed), options_(o), simulate_(simulate), budget_(o.max_runs) {
    result_.minimal = s;
  }

  ShrinkResult run() {
    Scenario& s = result_.minimal;
    properties::History history;
    const SeedResult first = run_seed(s, seed_, simulate_, {}, &history);
    ++result_.runs;
    if (!first.config_errors.empty()) {
      result_.error = "the simulator refused the scenario: " + first.config_errors.front();
      return finish();
    }
    for (const auto& v : first.verdicts) {
      if (!v.passed && (options_.property.empty() || v.property == options_.property)) {
        result_.property = v.property;
        result_.rule = v.rule;
        result_.event_kind = kind_of_first(v, history);
        violation_t_ns_ = v.t_ns;
        break;
      }
    }
    if (result_.property.empty()) {
      const auto& names = properties_to_check(s);
      if (!options_.property.empty() && std::find(names.begin(), names.end(), options_.property) == names.end() &&
          !properties::check_property(options_.property, history)) {
        result_.error = "unknown property \"" + options_.property + "\"";
      } else {
        result_.error = "seed " + std::to_string(seed_) + " does not fail " +
                        (options_.property.empty() ? std::string("any property") : options_.property) +
                        ": nothing to shrink";
      }
      return finish();
    }
    // Only the property being shrunk is checked from here on.
    s.properties = {result_.property};
    result_.before = size_of(s, history.size());
    last_events_ = history.size();
    make_faults_explicit(history);
    shrink_faults();
    remove_populations();
    reduce_counts();
    make_actions_explicit();
    shrink_faults();
    remove_populations();
    reduce_counts();
    result_.after = size_of(s, last_events_);
    if (result_.budget_exhausted) {
      result_.notes.push_back("the budget of " + std::to_string(options_.max_runs) +
                              " runs ran out: the result still fails the same way but may not be minimal");
    }
    s.name = s.name + "-shrunk";
    s.description = "Shrunk by `roomsim shrink` from scenario " + result_.minimal.source + " seed " +
                    std::to_string(seed_) + ": fails " + result_.rule + " at a " + result_.event_kind +
                    " event with --seed " + std::to_string(seed_) + ".";
    s.default_seeds = 1;
    return finish();
  }

 private:
  ShrinkResult finish() { return std::move(result_); }

  static std::string kind_of_first(const properties::Verdict& v, const properties::History& h) {
    if (v.violating.empty() || v.violating.front() >= h.size()) return "";
    return properties::to_string(h.events()[v.violating.front()].kind);
  }

  static ScenarioSize size_of(const Scenario& s, uint64_t events) {
    ScenarioSize z;
    z.faults = s.config.faults.size();
    z.random_faults = !s.config.fault_rates.per_minute.empty();
    z.populations = s.config.clients.size();
    for (const auto& p : s.config.clients) z.clients += static_cast<size_t>(p.count);
    z.actions = s.config.actions.size();
    z.history_events = events;
    return z;
  }

  // Runs `candidate`; true when it still shows the same violation (then the
  // caller may accept it).
  bool still_fails(const Scenario& candidate) {
    if (budget_ == 0) {
      result_.budget_exhausted = true;
      return false;
    }
    --budget_;
    ++result_.runs;
    properties::History history;
    const SeedResult r = run_seed(candidate, seed_, simulate_, {}, &history);
    if (!r.config_errors.empty()) return false;
    for (const auto& v : r.verdicts) {
      if (v.property != result_.property) continue;
      if (v.passed || v.rule != result_.rule || kind_of_first(v, history) != result_.event_kind) return false;
      last_candidate_events_ = history.size();
      last_candidate_t_ns_ = v.t_ns;
      return true;
    }
    return false;
  }

  void accept(Scenario candidate) {
    result_.minimal = std::move(candidate);
    last_events_ = last_candidate_events_;
    violation_t_ns_ = last_candidate_t_ns_;
  }

  // ddmin over n items where `make(subset)` builds the candidate; accepts the
  // smallest still-failing subset. Returns the kept indices.
  std::vector<size_t> ddmin_accept(size_t n, const std::function<Scenario(const std::vector<size_t>&)>& make) {
    std::vector<size_t> all(n);
    for (size_t i = 0; i < n; ++i) all[i] = i;
    if (n == 0) return all;
    std::optional<Scenario> best;
    const auto kept = ddmin(n, [&](const std::vector<size_t>& subset) {
      ++budget_;  // ddmin already charged this test; still_fails charges again
      Scenario c = make(subset);
      if (!still_fails(c)) return false;
      best = std::move(c);
      best_events_ = last_candidate_events_;
      best_t_ns_ = last_candidate_t_ns_;
      return true;
    }, budget_);
    if (budget_ == 0) result_.budget_exhausted = true;
    if (kept.size() < n && best) {
      // ddmin's last failing test is the subset it returns.
      last_candidate_events_ = best_events_;
      last_candidate_t_ns_ = best_t_ns_;
      accept(std::move(*best));
      return kept;
    }
    return all;
  }

  void make_faults_explicit(const properties::History& history) {
    Scenario& s = result_.minimal;
    if (s.config.fault_rates.per_minute.empty()) return;
    std::map<int64_t, FaultSpec> drawn;  // by fault index
    for (const auto& e : history.events()) {
      if (e.kind != EventKind::kFaultBegin || drawn.count(e.value) != 0) continue;
      if (e.value >= 0 && static_cast<size_t>(e.value) < s.config.faults.size()) {
        drawn[e.value] = s.config.faults[static_cast<size_t>(e.value)];
        continue;
      }
      auto f = parse_fault_description(history.name(e.text));
      if (!f) {
        result_.notes.push_back("random faults kept: cannot read fault description \"" + history.name(e.text) + "\"");
        return;
      }
      f->duration_ms = std::min(f->duration_ms, s.config.phases.safety_ms - f->start_ms);
      drawn[e.value] = *f;
    }
    Scenario candidate = s;
    candidate.config.faults.clear();
    for (const auto& [index, f] : drawn) candidate.config.faults.push_back(f);
    std::stable_sort(candidate.config.faults.begin(), candidate.config.faults.end(),
                     [](const FaultSpec& a, const FaultSpec& b) { return a.start_ms < b.start_ms; });
    candidate.config.fault_rates = netsim::FaultRates{};
    if (still_fails(candidate)) {
      accept(std::move(candidate));
      result_.notes.push_back("faults made explicit: " + std::to_string(drawn.size()) + " faults drawn by the seed");
    } else {
      result_.notes.push_back("random faults kept: the explicit schedule did not reproduce the failure");
    }
  }

  template <typename T>
  static std::vector<T> pick(const std::vector<T>& all, const std::vector<size_t>& subset) {
    std::vector<T> out;
    for (size_t i : subset) out.push_back(all[i]);
    return out;
  }

  void shrink_faults() {
    const Scenario base = result_.minimal;
    const auto& faults = base.config.faults;
    if (faults.empty()) return;
    ddmin_accept(faults.size(), [&](const std::vector<size_t>& subset) {
      Scenario c = base;
      c.config.faults = pick(faults, subset);
      return c;
    });
    result_.notes.push_back("faults: " + std::to_string(faults.size()) + " -> " +
                            std::to_string(result_.minimal.config.faults.size()));
  }

  static bool refers_to(const std::string& client, const std::string& population, int min_index_removed) {
    const auto dash = client.rfind('-');
    if (dash == std::string::npos || client.substr(0, dash) != population) return false;
    return std::stoi(client.substr(dash + 1)) >= min_index_removed;
  }

  // `s` with population p cut to `count` clients (0 removes it), dropping
  // faults and actions that name removed clients.
  static Scenario with_count(const Scenario& s, size_t p, int count) {
    Scenario c = s;
    const std::string name = c.config.clients[p].name;
    auto& faults = c.config.faults;
    faults.erase(std::remove_if(faults.begin(), faults.end(),
                                [&](const FaultSpec& f) {
                                  return (!f.client.empty() && refers_to(f.client, name, count)) ||
                                         (count == 0 && f.population == name);
                                }),
                 faults.end());
    auto& actions = c.config.actions;
    actions.erase(std::remove_if(actions.begin(), actions.end(),
                                 [&](const ClientAction& a) { return refers_to(a.client, name, count); }),
                  actions.end());
    if (count == 0) {
      c.config.clients.erase(c.config.clients.begin() + static_cast<ptrdiff_t>(p));
    } else {
      c.config.clients[p].count = count;
    }
    return c;
  }

  void remove_populations() {
    for (size_t p = result_.minimal.config.clients.size(); p-- > 0;) {
      if (result_.minimal.config.clients.size() == 1) break;
      Scenario c = with_count(result_.minimal, p, 0);
      if (still_fails(c)) accept(std::move(c));
    }
  }

  void reduce_counts() {
    for (size_t p = 0; p < result_.minimal.config.clients.size(); ++p) {
      // Halve while it still fails, then step down one at a time.
      for (int count = result_.minimal.config.clients[p].count / 2; count >= 1;) {
        Scenario c = with_count(result_.minimal, p, count);
        if (!still_fails(c)) break;
        accept(std::move(c));
        count = result_.minimal.config.clients[p].count / 2;
      }
      for (int count = result_.minimal.config.clients[p].count - 1; count >= 1; --count) {
        Scenario c = with_count(result_.minimal, p, count);
        if (!still_fails(c)) break;
        accept(std::move(c));
      }
    }
  }

  void make_actions_explicit() {
    Scenario& s = result_.minimal;
    properties::History h;
    run_seed(s, seed_, simulate_, {}, &h);
    ++result_.runs;
    // Whole populations of chatters and lurkers become scripted: each client
    // does what the run shows it did, and nothing when it has no action left.
    std::set<std::string> scriptable;
    std::map<std::string, int> payload_bytes;
    Scenario candidate = s;
    for (auto& pop : candidate.config.clients) {
      if (pop.scripted) continue;
      if (pop.behaviour != netsim::Behaviour::kChatter && pop.behaviour != netsim::Behaviour::kLurker) continue;
      pop.scripted = true;
      for (int i = 0; i < pop.count; ++i) {
        const std::string name = pop.name + "-" + std::to_string(i);
        scriptable.insert(name);
        payload_bytes[name] = pop.payload_bytes;
      }
    }
    for (const auto& a : s.config.actions) scriptable.erase(a.client);  // already scripted
    if (scriptable.empty()) return;
    std::vector<ClientAction> actions = s.config.actions;
    std::set<std::string> connected;
    std::set<std::string> joined;
    for (const auto& e : h.events()) {
      const std::string& client = h.name(e.client);
      if (scriptable.count(client) == 0) continue;
      const int64_t at_ms = e.t_ns / 1'000'000;
      if (e.kind == EventKind::kConnect && connected.insert(client).second) {
        actions.push_back({at_ms, client, ClientAction::Kind::kConnect, ""});
      } else if (e.kind == EventKind::kJoinRoom && e.value == 0 && joined.insert(client).second) {
        actions.push_back({at_ms, client, ClientAction::Kind::kJoinRoom, h.name(e.target)});
      } else if (e.kind == EventKind::kSend) {
        actions.push_back({at_ms, client, ClientAction::Kind::kSend,
                           std::string(static_cast<size_t>(payload_bytes[client]), 'x')});
      } else if (e.kind == EventKind::kClose && e.value == 1) {
        actions.push_back({at_ms, client, ClientAction::Kind::kClose, ""});
      }
    }
    std::stable_sort(actions.begin(), actions.end(),
                     [](const ClientAction& a, const ClientAction& b) { return a.at_ms < b.at_ms; });
    candidate.config.actions = actions;
    if (!still_fails(candidate)) {
      result_.notes.push_back("client actions stay behaviour-driven: the explicit actions did not reproduce the failure");
      return;
    }
    accept(candidate);
    const size_t explicit_count = actions.size();
    // Actions well after the violation rarely matter: try without them first.
    {
      const int64_t cut_ms = violation_t_ns_ / 1'000'000 + s.config.phases.convergence_bound_ms;
      Scenario c = result_.minimal;
      auto& a = c.config.actions;
      a.erase(std::remove_if(a.begin(), a.end(), [&](const ClientAction& x) { return x.at_ms > cut_ms; }), a.end());
      if (a.size() < result_.minimal.config.actions.size() && still_fails(c)) accept(std::move(c));
    }
    // Whole clients, then single actions.
    {
      const Scenario base = result_.minimal;
      std::vector<std::string> clients;
      for (const auto& a : base.config.actions) {
        if (std::find(clients.begin(), clients.end(), a.client) == clients.end()) clients.push_back(a.client);
      }
      ddmin_accept(clients.size(), [&](const std::vector<size_t>& subset) {
        std::set<std::string> keep;
        for (size_t k : subset) keep.insert(clients[k]);
        Scenario c = base;
        auto& a = c.config.actions;
        a.erase(std::remove_if(a.begin(), a.end(), [&](const ClientAction& x) { return keep.count(x.client) == 0; }),
                a.end());
        return c;
      });
    }
    merge_sends_into_bursts();  // before single actions: a burst is one action to keep or drop
    {
      const Scenario base = result_.minimal;
      ddmin_accept(base.config.actions.size(), [&](const std::vector<size_t>& subset) {
        Scenario c = base;
        c.config.actions = pick(base.config.actions, subset);
        return c;
      });
    }
    merge_sends_into_bursts();
    result_.notes.push_back("client actions made explicit and shrunk: " + std::to_string(explicit_count) + " -> " +
                            std::to_string(result_.minimal.config.actions.size()));
  }

  // A failure of a volume limit (history kept, messages per minute) needs
  // many messages, not many steps: all sends of one client become one burst
  // (`count`) at its first send's time, kept when the violation stays. When
  // it does not (a limit refused one message too early is only visible while
  // no later message was sent yet), the burst of the sends up to the first
  // violation is tried too.
  void merge_sends_into_bursts() {
    std::vector<std::string> senders;
    for (const auto& a : result_.minimal.config.actions) {
      if (a.kind == ClientAction::Kind::kSend && std::find(senders.begin(), senders.end(), a.client) == senders.end()) {
        senders.push_back(a.client);
      }
    }
    for (const std::string& client : senders) {
      if (result_.runs >= budget_) return;
      const auto is_send_of_client = [&](const ClientAction& a) {
        return a.kind == ClientAction::Kind::kSend && a.client == client;
      };
      Scenario c = result_.minimal;
      auto& actions = c.config.actions;
      const auto first = std::find_if(actions.begin(), actions.end(), is_send_of_client);
      int64_t total = 0, until_violation = 0;
      size_t sends = 0;
      for (const auto& a : actions) {
        if (!is_send_of_client(a)) continue;
        total += a.count;
        if (a.at_ms <= violation_t_ns_ / 1'000'000) until_violation += a.count;
        ++sends;
      }
      if (sends < 2 || total > netsim::kActionSendCountMax) continue;
      // Keep the first send (now the burst), drop the client's later ones.
      actions.erase(std::remove_if(std::next(first), actions.end(), is_send_of_client), actions.end());
      const int64_t counts[2] = {total, until_violation};
      for (size_t k = 0; k < 2; ++k) {
        if (counts[k] < 1 || (k == 1 && counts[1] == total)) continue;
        if (result_.runs >= budget_) return;
        first->count = static_cast<int>(counts[k]);
        if (still_fails(c)) {
          accept(Scenario(c));
          break;
        }
      }
    }
  }

  uint64_t seed_;
  ShrinkOptions options_;
  const SimulateFn& simulate_;
  size_t budget_;
  ShrinkResult result_;
  uint64_t last_events_ = 0;
  uint64_t last_candidate_events_ = 0;
  int64_t violation_t_ns_ = 0;  // of the current minimal scenario's first violation
  int64_t last_candidate_t_ns_ = 0;
  uint64_t best_events_ = 0;
  int64_t best_t_ns_ = 0;
};

}  // namespace

ShrinkResult shrink_scenario(const Scenario& scenario, uint64_t seed, const ShrinkOptions& options,
                             const SimulateFn& simulate) {
  return Shrinker(scenario, seed, options, simulate).run();
}

}  // namespace roomsim::scenarios
