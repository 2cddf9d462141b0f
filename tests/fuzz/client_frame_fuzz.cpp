// tests/fuzz/client_frame_fuzz.cpp: libFuzzer target for the client frame
// parser (rooms/protocol/client_frame). Any bytes: no crash, no exception, no
// sanitizer report; a frame it accepts has a type the room accepts and the
// fields its type requires (validate_fields agrees), and the integer fields
// of a `resume` read back as validated (>= 0).
#include <algorithm>
#include <iterator>

#include "rooms/protocol/client_frame.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

using namespace roomsim::rooms::protocol;

const std::vector<std::string_view> kAll(std::begin(kClientTypes), std::end(kClientTypes));
const std::vector<std::string_view> kChat = {"broadcast", "direct", "join_room", "leave_room", "resume", "pong", "sync"};

void check_frame(std::string_view text, const std::vector<std::string_view>& accepted, size_t max_bytes) {
  const FrameResult r = parse_client_frame(text, accepted, max_bytes);
  if (const auto* error = std::get_if<FrameError>(&r)) {
    roomsim::fuzz::check(!error->code.empty() && !error->message.empty(), "an error has a code and a message");
    return;
  }
  const ClientFrame& frame = std::get<ClientFrame>(r);
  roomsim::fuzz::check(max_bytes == 0 || text.size() <= max_bytes, "an accepted frame is within the size limit");
  roomsim::fuzz::check(std::find(accepted.begin(), accepted.end(), frame.type) != accepted.end(),
                       "an accepted frame has an accepted type");
  roomsim::fuzz::check(std::holds_alternative<std::monostate>(validate_fields(frame.type, frame.body)),
                       "an accepted frame passes validate_fields");
  if (frame.type == "resume") {
    roomsim::fuzz::check(integer_field(frame.body, "after") >= 0, "resume.after >= 0");
    roomsim::fuzz::check(integer_field(frame.body, "epoch") >= 0, "resume.epoch >= 0");
  }
  (void)frame.string_or_empty("id");
  (void)frame.string_or_empty("roomId");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = roomsim::fuzz::as_text(data, size);
  check_frame(text, kAll, 0);
  check_frame(text, kChat, 64);
  return 0;
}
