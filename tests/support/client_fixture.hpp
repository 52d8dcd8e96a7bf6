#ifndef STYTCH_TESTS_CLIENT_FIXTURE_HPP
#define STYTCH_TESTS_CLIENT_FIXTURE_HPP

#include <stytch/stytch.hpp>

#include <string>

namespace stytch::test {

// Fixed credentials, so the tests can compare the Authorization header with
// a value worked out independently, and look for the secret in any output.
inline constexpr const char* kProjectId = "project-test-11111111-1111-4111-8111-111111111111";
inline constexpr const char* kSecret = "secret-test-SENTINEL-7f3a9c-do-not-print";
// base64("<kProjectId>:<kSecret>"), computed with coreutils' base64.
inline constexpr const char* kBasicCredentials =
    "cHJvamVjdC10ZXN0LTExMTExMTExLTExMTEtNDExMS04MTExLTExMTExMTExMTExMTpzZWNyZXQtdGVzdC1TRU5USU5FTC03ZjNhOWMtZG8tbm90"
    "LXByaW50";

inline ClientOptions options_for(const std::string& base_url) {
  ClientOptions o;
  o.project_id = kProjectId;
  o.secret = kSecret;
  o.base_url = base_url;
  o.timeout = std::chrono::milliseconds(5000);
  o.connect_timeout = std::chrono::milliseconds(2000);
  return o;
}

inline otps::sms::SendParams sms_to(const std::string& phone) {
  otps::sms::SendParams p;
  p.phone_number = phone;
  return p;
}

/// True when the secret or its Basic encoding shows anywhere in the text.
inline bool leaks_secret(const std::string& text) {
  return text.find(kSecret) != std::string::npos || text.find(kBasicCredentials) != std::string::npos ||
         text.find("SENTINEL") != std::string::npos;
}

inline constexpr const char* kOkBody =
    R"({"status_code":200,"request_id":"request-id-test-1","user_id":"user-test-1","phone_id":"phone-number-test-1"})";

}  // namespace stytch::test

#endif
