// rooms/common/planted_bug.cpp: the switch of the planted-bug build
// (rooms/common/planted_bug.hpp). Empty in normal builds.
#include "rooms/common/planted_bug.hpp"

#if defined(ROOMSIM_PLANTED_BUGS)
#include <atomic>

namespace roomsim::planted {

namespace {
// Written once by the test before simulations start; read by every worker.
std::atomic<Bug> g_active{Bug::kNone};
}  // namespace

void set_active(Bug bug) { g_active.store(bug, std::memory_order_release); }
Bug active() { return g_active.load(std::memory_order_relaxed); }

}  // namespace roomsim::planted
#endif
