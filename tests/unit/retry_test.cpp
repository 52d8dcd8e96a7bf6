#include "call/retry.hpp"

#include <curl/curl.h>

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using stytch::Error;
using stytch::ErrorKind;
using stytch::RetryPolicy;
using stytch::internal::parse_retry_after;
using stytch::internal::retry_delay;

namespace {

const auto kNow = std::chrono::system_clock::from_time_t(784111777);  // Sun, 06 Nov 1994 08:49:37 GMT

Error too_many(std::chrono::milliseconds retry_after = 0ms) {
  Error e;
  e.kind = ErrorKind::api;
  e.http_status = 429;
  e.error_type = "too_many_requests";
  e.retry_after = retry_after;
  return e;
}

Error refused() {
  Error e;
  e.kind = ErrorKind::network;
  e.transport_code = CURLE_COULDNT_CONNECT;
  return e;
}

}  // namespace

TEST_CASE("Retry-After is read as seconds or as an HTTP-date") {
  CHECK(parse_retry_after("120", kNow) == 120000ms);
  CHECK(parse_retry_after(" 5 ", kNow) == 5000ms);
  CHECK(parse_retry_after("0", kNow) == 0ms);
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", kNow) == 10000ms);
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:27 GMT", kNow) == 0ms);  // in the past
  CHECK(parse_retry_after("99999999999999999999999", kNow) == std::chrono::milliseconds(86400LL * 365 * 1000));
  CHECK(parse_retry_after("Sun, 06 Nov 0997 08:49:37 GMT", kNow) == 0ms);  // centuries ago: found by fuzzing
  CHECK(parse_retry_after("Sun, 06 Nov 9997 08:49:37 GMT", kNow) == std::chrono::milliseconds(86400LL * 365 * 1000));
  CHECK_FALSE(parse_retry_after("", kNow));
  CHECK_FALSE(parse_retry_after("-1", kNow));
  CHECK_FALSE(parse_retry_after("1.5", kNow));
  CHECK_FALSE(parse_retry_after("soon", kNow));
  CHECK_FALSE(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT trailing", kNow));
}

TEST_CASE("Retry-After takes the obsolete HTTP-date forms too, and only real dates") {
  CHECK(parse_retry_after("Sunday, 06-Nov-94 08:50:37 GMT", kNow) == 60000ms);  // RFC 850
  CHECK(parse_retry_after("Sun Nov  6 08:51:37 1994", kNow) == 120000ms);       // asctime
  CHECK(parse_retry_after("  Sun Nov  6 08:51:37 1994\t", kNow) == 120000ms);   // the header's own spaces
  CHECK(parse_retry_after("Mon, 07 Nov 1994 08:49:37 GMT", kNow) == std::chrono::milliseconds(86400LL * 1000));
  CHECK(parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", kNow) == 0ms);
  CHECK(parse_retry_after("Tue, 19 Jan 2038 03:14:08 GMT", kNow) == std::chrono::milliseconds(86400LL * 365 * 1000));
  CHECK_FALSE(parse_retry_after("Thu, 31 Nov 1994 08:49:47 GMT", kNow));  // no 31 November
  CHECK_FALSE(parse_retry_after("Sun, 06 Nov 1994 24:49:47 GMT", kNow));
  CHECK_FALSE(parse_retry_after("sun, 06 nov 1994 08:49:47 gmt", kNow));
  CHECK_FALSE(parse_retry_after("Sun, 06 Nov 1994 08:49:47 +0000", kNow));
  CHECK_FALSE(parse_retry_after("Sun Nov 6 08:51:37 1994", kNow));
}

TEST_CASE("the default policy never retries") {
  const RetryPolicy policy;
  CHECK_FALSE(retry_delay(policy, refused(), 1, 0ms, 0.5));
  CHECK_FALSE(retry_delay(policy, too_many(1000ms), 1, 0ms, 0.5));
}

TEST_CASE("only failures where the request did not run are retried") {
  RetryPolicy policy;
  policy.max_attempts = 5;
  policy.retry_on_too_many_requests = true;
  CHECK(retry_delay(policy, refused(), 1, 0ms, 0.5));
  CHECK(retry_delay(policy, too_many(), 1, 0ms, 0.5));
  Error timeout;
  timeout.kind = ErrorKind::timeout;
  timeout.transport_code = CURLE_OPERATION_TIMEDOUT;
  CHECK_FALSE(retry_delay(policy, timeout, 1, 0ms, 0.5));
  Error reset;
  reset.kind = ErrorKind::network;
  reset.transport_code = CURLE_RECV_ERROR;
  CHECK_FALSE(retry_delay(policy, reset, 1, 0ms, 0.5));
  Error rewind;
  rewind.kind = ErrorKind::network;
  rewind.transport_code = CURLE_SEND_FAIL_REWIND;
  CHECK_FALSE(retry_delay(policy, rewind, 1, 0ms, 0.5));
  Error server_error = too_many();
  server_error.http_status = 500;
  server_error.error_type = "internal_server_error";
  CHECK_FALSE(retry_delay(policy, server_error, 1, 0ms, 0.5));
  policy.retry_on_connect_failure = false;
  CHECK_FALSE(retry_delay(policy, refused(), 1, 0ms, 0.5));
}

TEST_CASE("backoff grows exponentially up to its cap, with jitter around it") {
  RetryPolicy policy;
  policy.max_attempts = 10;
  policy.initial_backoff = 100ms;
  policy.backoff_multiplier = 2.0;
  policy.max_backoff = 500ms;
  policy.jitter = 0.0;
  CHECK(retry_delay(policy, refused(), 1, 0ms, 0.9) == 100ms);
  CHECK(retry_delay(policy, refused(), 2, 0ms, 0.9) == 200ms);
  CHECK(retry_delay(policy, refused(), 3, 0ms, 0.9) == 400ms);
  CHECK(retry_delay(policy, refused(), 4, 0ms, 0.9) == 500ms);
  CHECK(retry_delay(policy, refused(), 9, 0ms, 0.9) == 500ms);
  CHECK_FALSE(retry_delay(policy, refused(), 10, 0ms, 0.9));  // max_attempts reached
  policy.jitter = 0.2;
  CHECK(retry_delay(policy, refused(), 1, 0ms, 0.0) == 80ms);
  CHECK(retry_delay(policy, refused(), 1, 0ms, 0.5) == 100ms);
  CHECK(retry_delay(policy, refused(), 1, 0ms, 0.999999) == 120ms);
  CHECK(retry_delay(policy, refused(), 9, 0ms, 0.999999) == 500ms);  // jitter never passes max_backoff
}

TEST_CASE("a refused connection after the request went out is not retried") {
  RetryPolicy policy;
  policy.max_attempts = 3;
  Error e = refused();
  e.may_have_reached_server = true;
  CHECK_FALSE(retry_delay(policy, e, 1, 0ms, 0.5));
}

TEST_CASE("Retry-After is honoured up to max_retry_after, and max_total ends the retries") {
  RetryPolicy policy;
  policy.max_attempts = 4;
  policy.retry_on_too_many_requests = true;
  policy.max_retry_after = 10000ms;
  policy.max_total = 20000ms;
  CHECK(retry_delay(policy, too_many(3000ms), 1, 0ms, 0.5) == 3000ms);
  CHECK(retry_delay(policy, too_many(120000ms), 1, 0ms, 0.5) == 10000ms);
  CHECK(retry_delay(policy, too_many(3000ms), 2, 16000ms, 0.5) == 3000ms);
  CHECK_FALSE(retry_delay(policy, too_many(3000ms), 2, 17001ms, 0.5));
}
