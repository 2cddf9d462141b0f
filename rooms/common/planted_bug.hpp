// rooms/common/planted_bug.hpp: deliberately wrong code paths for the
// planted-bug suite (tests/planted/), which proves end to end that the
// property checkers catch real bugs in real rooms, hosts and networks.
//
// A planted bug is one small mistake of the kind a developer makes in a hurry
// (an off-by-one, a `>` for `>=`, a forgotten branch), written at its real
// place in the code as
//
//   if (ROOMSIM_PLANTED(kHistoryKeepsOneLess)) { ...wrong... } else { ...right... }
//
// In every normal build ROOMSIM_PLANTED(...) is the constant `false`: the
// compiler drops the wrong branch, and neither the libraries nor the
// `roomsim` binary contain it. tests/planted/ compiles rooms/, netsim/ and
// scenarios/ a second time with ROOMSIM_PLANTED_BUGS defined, into libraries
// used only by the planted-bug test binary; there the macro compares with the
// one bug the test switched on for the whole process.
//
// The list below is the single registry of planted bugs: an unknown name at a
// use site is a compile error, and the suite runs every entry.
#pragma once

#include <cstdint>
#include <string_view>

// X(name, property that must catch it, where it is, what is wrong)
#define ROOMSIM_PLANTED_BUG_LIST(X)                                                                              \
  X(kNone, "", "", "no bug: the correct code")

namespace roomsim::planted {

enum class Bug : uint16_t {
#define ROOMSIM_PLANTED_ENUM(name, property, where, what) name,
  ROOMSIM_PLANTED_BUG_LIST(ROOMSIM_PLANTED_ENUM)
#undef ROOMSIM_PLANTED_ENUM
};

struct BugInfo {
  Bug bug;
  std::string_view name;      // "kHistoryKeepsOneLess"
  std::string_view property;  // the property whose rule names this mistake
  std::string_view where;     // "rooms/common/message_log.cpp"
  std::string_view what;      // one line: the mistake
};

inline constexpr BugInfo kBugs[] = {
#define ROOMSIM_PLANTED_INFO(name, property, where, what) {Bug::name, #name, property, where, what},
    ROOMSIM_PLANTED_BUG_LIST(ROOMSIM_PLANTED_INFO)
#undef ROOMSIM_PLANTED_INFO
};

#if defined(ROOMSIM_PLANTED_BUGS)
// The bug the process runs with. Set it before any simulation starts (the
// runner's worker threads only read it); kNone = the correct code.
void set_active(Bug bug);
Bug active();
#define ROOMSIM_PLANTED(name) (::roomsim::planted::active() == ::roomsim::planted::Bug::name)
#else
#define ROOMSIM_PLANTED(name) (static_cast<void>(::roomsim::planted::Bug::name), false)
#endif

}  // namespace roomsim::planted
