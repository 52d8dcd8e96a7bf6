#include "base/validation.hpp"

#include <catch2/catch.hpp>

#include <string>

using stytch::internal::is_e164;
using stytch::internal::is_valid_utf8;

TEST_CASE("E.164 accepts '+' and 2 to 15 digits with a non-zero first digit") {
  CHECK(is_e164("+12025550162"));
  CHECK(is_e164("+10000000000"));
  CHECK(is_e164("+44"));               // 2 digits: the shortest
  CHECK(is_e164("+123456789012345"));  // 15 digits: the longest
  CHECK(is_e164("+91"));
}

TEST_CASE("E.164 refuses what the standard rules out") {
  CHECK_FALSE(is_e164(""));
  CHECK_FALSE(is_e164("+"));
  CHECK_FALSE(is_e164("+1"));                 // one digit
  CHECK_FALSE(is_e164("+1234567890123456"));  // 16 digits
  CHECK_FALSE(is_e164("12025550162"));        // no '+'
  CHECK_FALSE(is_e164("+02025550162"));       // leading zero
  CHECK_FALSE(is_e164("+1 202 555 0162"));
  CHECK_FALSE(is_e164("+1-202-555-0162"));
  CHECK_FALSE(is_e164("+1202555016a"));
  CHECK_FALSE(is_e164("++12025550162"));
  CHECK_FALSE(
      is_e164(std::string("+1202\0"
                          "5550162",
                          12)));
  CHECK_FALSE(is_e164("+１２０２５５５０１６２"));  // full-width digits
}

TEST_CASE("UTF-8 check accepts well-formed text and refuses malformed bytes") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ascii"));
  CHECK(is_valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));  // é € 😀
  CHECK_FALSE(is_valid_utf8("\xC3"));                                 // truncated
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));                             // overlong
  CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));                         // overlong
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));                         // surrogate
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));                     // past U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xFF"));
  CHECK_FALSE(is_valid_utf8("ok\x80"));  // stray continuation byte
}
