// auth/room_scope.cpp: see room_scope.hpp.
#include "auth/room_scope.hpp"

namespace roomsim::auth {
namespace {

// RFC 3986 pchar without the percent-encoding check: unreserved / sub-delims / ":" / "@" / "%".
bool is_path_char(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '-': case '.': case '_': case '~':                                   // unreserved
    case '!': case '$': case '&': case '\'': case '(': case ')':              // sub-delims
    case '*': case '+': case ',': case ';': case '=':
    case ':': case '@': case '%':
      return true;
    default:
      return false;
  }
}

}  // namespace

bool is_room_name(std::string_view s) {
  if (s.empty() || s.size() > kRoomNameBytesMax) return false;
  for (char c : s) {
    if (!is_path_char(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool is_room_scope(std::string_view s) {
  const size_t slash = s.find('/');
  if (slash == std::string_view::npos) return false;
  return is_room_name(s.substr(0, slash)) && is_room_name(s.substr(slash + 1));
}

}  // namespace roomsim::auth
