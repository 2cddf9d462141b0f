// scenarios/build_info.cpp: the build identifier from compiler macros plus
// the configure-time ROOMSIM_BUILD_TYPE and ROOMSIM_GIT_COMMIT, which
// scenarios/CMakeLists.txt defines for this file alone (so a new commit
// recompiles this file only).
#include "scenarios/build_info.hpp"

#include <version>  // defines _LIBCPP_VERSION or __GLIBCXX__

#ifndef ROOMSIM_BUILD_TYPE
#define ROOMSIM_BUILD_TYPE "unknown"
#endif
#ifndef ROOMSIM_GIT_COMMIT
#define ROOMSIM_GIT_COMMIT "unknown"
#endif

namespace roomsim::scenarios {
namespace {

#define ROOMSIM_STR2(x) #x
#define ROOMSIM_STR(x) ROOMSIM_STR2(x)

constexpr const char* kCompiler =
#if defined(__clang__)
    "clang-" ROOMSIM_STR(__clang_major__) "." ROOMSIM_STR(__clang_minor__) "." ROOMSIM_STR(__clang_patchlevel__);
#elif defined(__GNUC__)
    "gcc-" ROOMSIM_STR(__GNUC__) "." ROOMSIM_STR(__GNUC_MINOR__) "." ROOMSIM_STR(__GNUC_PATCHLEVEL__);
#else
    "unknown-compiler";
#endif

constexpr const char* kStandardLibrary =
#if defined(_LIBCPP_VERSION)
    "libc++";
#elif defined(__GLIBCXX__)
    "libstdc++";
#else
    "unknown-stdlib";
#endif

// Keeps the identifier free of '/' inside a part and of anything a shell would interpret.
std::string clean_part(const std::string& text) {
  std::string out = text.empty() ? std::string("unknown") : text;
  for (char& c : out) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '_' || c == '+' || c == '-';
    if (!safe) c = '_';
  }
  return out;
}

}  // namespace

const std::string& build_id() {
  static const std::string id = clean_part(kCompiler) + "/" + clean_part(kStandardLibrary) + "/" +
                                clean_part(ROOMSIM_BUILD_TYPE) + "/" + clean_part(ROOMSIM_GIT_COMMIT);
  return id;
}

const char* roomsim_version() { return ROOMSIM_VERSION; }

}  // namespace roomsim::scenarios
