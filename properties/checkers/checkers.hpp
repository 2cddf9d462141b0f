// properties/checkers/checkers.hpp: one pure function per property; each is
// defined in properties/checkers/<name>.cpp and registered in checker.cpp.
// docs/properties.md is the definition each one implements.
#pragma once

#include "properties/checker.hpp"

namespace roomsim::properties::internal {

Verdict check_fifo(const History& h);
Verdict check_total_order(const History& h);
Verdict check_no_duplicates(const History& h);
Verdict check_no_phantoms(const History& h);
Verdict check_durability(const History& h);
Verdict check_recovery(const History& h);
Verdict check_liveness(const History& h);
Verdict check_connection_limits(const History& h);
Verdict check_rate_limit(const History& h);
Verdict check_authorization(const History& h);
Verdict check_addressed_delivery(const History& h);
Verdict check_admission(const History& h);
Verdict check_history_bound(const History& h);
Verdict check_dashboard_convergence(const History& h);
Verdict check_presence_convergence(const History& h);
Verdict check_latency_slo(const History& h);

}  // namespace roomsim::properties::internal
