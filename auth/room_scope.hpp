// auth/room_scope.hpp: what a room name is, and the room scope a token may
// carry (claim "room" = "KIND/ID"). One definition for the live router, the
// CLI and the /dev/token endpoint, so a scope that can be minted is a scope
// some URL can match.
//
// A room kind or id is 1..kRoomNameBytesMax bytes of RFC 3986 path characters
// (letters, digits, -._~!$&'()*+,;=:@%). Names are compared exactly as they
// appear in the URL path: the server does not percent-decode them, so
// "/rooms/chat/a%3Ab" is the room "a%3Ab", not "a:b".
#pragma once

#include <cstddef>
#include <string_view>

namespace roomsim::auth {

// Longest room kind or id accepted, in bytes (it becomes a storage key).
inline constexpr size_t kRoomNameBytesMax = 128;

// A valid room kind or id.
bool is_room_name(std::string_view s);

// "KIND/ID" with both parts valid room names: a value for a token's "room" claim.
bool is_room_scope(std::string_view s);

}  // namespace roomsim::auth
