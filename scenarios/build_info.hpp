// scenarios/build_info.hpp: what identifies the binary that ran a sweep.
//
// A sweep summary records the roomsim version and this build identifier, so
// that `roomsim merge` refuses shards made by different binaries and `roomsim
// replay` can warn when a seed is replayed by a binary other than the one
// that found it. The identifier is
//   <compiler>-<version>/<standard library>/<build type>/<commit>
// e.g. "gcc-12.2.0/libstdc++/Release/81f5986abcde". The compiler and the
// standard library are read from the macros of the translation unit that
// compiles build_info.cpp; the build type and the git commit (12 hex digits,
// or "unknown" without git) are captured when CMake configures the build
// (a commit re-runs the configure step; uncommitted edits are not recorded).
// Each part holds only [A-Za-z0-9._+-], so the identifier needs no shell
// quoting inside a replay command.
#pragma once

#include <string>

namespace roomsim::scenarios {

// The build identifier of this binary (constant for the process).
const std::string& build_id();

// "0.1.0": the project version of this binary.
const char* roomsim_version();

}  // namespace roomsim::scenarios
