#include <stytch/stytch.hpp>

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <utility>

TEST_CASE("a Secret converts from a string but prints only [REDACTED]") {
  stytch::ClientOptions options;
  options.secret = "secret-test-SENTINEL";
  CHECK(options.secret.reveal() == "secret-test-SENTINEL");
  CHECK(options.secret.size() == 20);
  std::ostringstream out;
  out << options.secret;
  CHECK(out.str() == "[REDACTED]");
  const std::string from_string = "secret-from-string";
  stytch::Secret copy(from_string);
  CHECK(copy.reveal() == from_string);
  CHECK(from_string == "secret-from-string");  // the caller's string is left alone
}

TEST_CASE("a moved-from Secret is empty and assignment replaces the value") {
  stytch::Secret a("secret-a");
  stytch::Secret b(std::move(a));
  CHECK(b.reveal() == "secret-a");
  CHECK(a.empty());  // NOLINT(bugprone-use-after-move): wiped on purpose
  stytch::Secret c("secret-c-that-is-long-enough-to-live-on-the-heap");
  c = b;
  CHECK(c.reveal() == "secret-a");
  c = stytch::Secret("other");
  CHECK(c.reveal() == "other");
  stytch::Secret null_c_string(static_cast<const char*>(nullptr));
  CHECK(null_c_string.empty());
}

TEST_CASE("only allow-listed headers may be logged, whatever their case") {
  CHECK(stytch::is_loggable_header("Content-Type"));
  CHECK(stytch::is_loggable_header("content-length"));
  CHECK(stytch::is_loggable_header("X-REQUEST-ID"));
  CHECK(stytch::is_loggable_header("Retry-After"));
  CHECK_FALSE(stytch::is_loggable_header("Authorization"));
  CHECK_FALSE(stytch::is_loggable_header("Proxy-Authorization"));
  CHECK_FALSE(stytch::is_loggable_header("Set-Cookie"));
  CHECK_FALSE(stytch::is_loggable_header("Cookie"));
  CHECK_FALSE(stytch::is_loggable_header("X-Custom"));
  CHECK_FALSE(stytch::is_loggable_header(""));
  CHECK_FALSE(stytch::is_loggable_header("content-type-x"));
}

TEST_CASE("a log record is one line with the call's facts") {
  stytch::LogRecord r;
  r.method = "POST";
  r.path = "/v1/otps/sms/send";
  r.status = 429;
  r.duration = std::chrono::milliseconds(12);
  r.attempt = 1;
  r.request_id = "request-id-test-1\nforged line";
  r.error = stytch::ErrorKind::api;
  CHECK(
      r.to_string() ==
      "POST /v1/otps/sms/send status=429 duration_ms=12 attempt=1 request_id=request-id-test-1 forged line error=api");
}
