// tests/live/ws_frame_test.cpp: RFC 6455 framing helpers, including the
// refusals (unmasked client frame, reserved bits, bad control frames).
#include <gtest/gtest.h>

#include "live/ws_frame.hpp"

namespace roomsim::live {
namespace {

const uint8_t* bytes(const std::string& s) { return reinterpret_cast<const uint8_t*>(s.data()); }

TEST(WsFrame, AcceptKeyMatchesTheRfcExample) {
  EXPECT_EQ(websocket_accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
}

TEST(WsFrame, Utf8ValidationAcceptsWellFormedAndRejectsEveryMalformedClass) {
  using namespace std::string_literals;
  for (const std::string& ok : {""s, "plain ascii, longer than eight bytes"s, "caf\xC3\xA9"s, "\xE2\x82\xAC"s,
                                "\xED\x9F\xBF"s, "\xEE\x80\x80"s, "\xF0\x9F\x98\x80 smile"s, "\xF4\x8F\xBF\xBF"s,
                                "\x00"s}) {
    EXPECT_TRUE(is_valid_utf8(ok)) << ok;
  }
  for (const std::string& bad : {"\x80"s,                      // continuation without lead
                                 "abcdefgh\xBFxyz"s,           // ... after the ASCII fast path
                                 "\xC0\x80"s, "\xC1\xBF"s,      // overlong 2-byte
                                 "\xE0\x9F\xBF"s,              // overlong 3-byte
                                 "\xF0\x8F\xBF\xBF"s,          // overlong 4-byte
                                 "\xED\xA0\x80"s,              // UTF-16 surrogate
                                 "\xF4\x90\x80\x80"s,          // above U+10FFFF
                                 "\xF5\x80\x80\x80"s, "\xFF"s,  // invalid lead bytes
                                 "caf\xC3"s,                   // truncated at the end
                                 "\xE2\x82x"s}) {              // bad continuation
    EXPECT_FALSE(is_valid_utf8(bad)) << testing::PrintToString(bad);
  }
}

TEST(WsFrame, EncodesEveryLengthForm) {
  for (size_t n : {0u, 125u, 126u, 65535u, 65536u}) {
    const std::string f = encode_frame(ws_opcode::kText, std::string(n, 'a'));
    FrameHeader h;
    ASSERT_EQ(parse_frame_header(bytes(f), f.size(), false, h), ParseStatus::kOk) << n;
    EXPECT_EQ(h.payload_size, n);
    EXPECT_EQ(h.header_size, frame_header_size(n));
    EXPECT_TRUE(h.fin);
    EXPECT_EQ(f.size(), h.header_size + n);
  }
}

TEST(WsFrame, ParsesAMaskedClientFrameAndUnmasks) {
  std::string f = "\x81\x85";
  f += std::string("\x01\x02\x03\x04", 4);
  std::string payload = "hello";
  const uint8_t mask[4] = {1, 2, 3, 4};
  unmask(reinterpret_cast<uint8_t*>(payload.data()), payload.size(), mask);  // XOR is its own inverse
  f += payload;
  FrameHeader h;
  ASSERT_EQ(parse_frame_header(bytes(f), f.size(), true, h), ParseStatus::kOk);
  EXPECT_EQ(h.header_size, 6u);
  std::string body = f.substr(h.header_size);
  unmask(reinterpret_cast<uint8_t*>(body.data()), body.size(), h.mask);
  EXPECT_EQ(body, "hello");
}

TEST(WsFrame, RefusesBadFrames) {
  FrameHeader h;
  EXPECT_EQ(parse_frame_header(bytes(std::string("\x81\x02hi", 4)), 4, true, h), ParseStatus::kProtocolError)
      << "unmasked client frame";
  EXPECT_EQ(parse_frame_header(bytes(std::string("\xC1\x80\0\0\0\0", 6)), 6, true, h), ParseStatus::kProtocolError)
      << "reserved bit without extension";
  EXPECT_EQ(parse_frame_header(bytes(std::string("\x83\x80\0\0\0\0", 6)), 6, true, h), ParseStatus::kProtocolError)
      << "unknown opcode";
  EXPECT_EQ(parse_frame_header(bytes(std::string("\x09\x80\0\0\0\0", 6)), 6, true, h), ParseStatus::kProtocolError)
      << "fragmented ping";
  EXPECT_EQ(parse_frame_header(bytes(std::string("\x89\xFE\0\xFF\0\0\0\0", 8)), 8, true, h),
            ParseStatus::kProtocolError)
      << "control frame over 125 bytes";
  EXPECT_EQ(parse_frame_header(bytes(std::string("\x81", 1)), 1, true, h), ParseStatus::kNeedMore);
  EXPECT_EQ(parse_frame_header(bytes(std::string("\x81\xFE\x01", 3)), 3, true, h), ParseStatus::kNeedMore);
}

TEST(WsFrame, CloseFrameCarriesCodeAndReason) {
  SharedFrame f = make_close_frame(1009, "frame too large");
  ASSERT_GE(f->size(), 4u);
  EXPECT_EQ(static_cast<uint8_t>((*f)[0]), 0x88);
  EXPECT_EQ((static_cast<uint8_t>((*f)[2]) << 8) | static_cast<uint8_t>((*f)[3]), 1009);
  EXPECT_EQ(f->substr(4), "frame too large");
}

}  // namespace
}  // namespace roomsim::live
