#include "call/retry.hpp"

#include "transport/engine.hpp"

#include "platform/http_date.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace stytch::internal {

namespace {

constexpr long long kMaxSeconds = 86400LL * 365;  // saturate absurd values at a year

}  // namespace

std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value,
                                                           std::chrono::system_clock::time_point now) {
  std::size_t begin = 0;
  std::size_t end = value.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(value[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(value[end - 1]))) --end;
  if (begin == end) return std::nullopt;
  const std::string text = value.substr(begin, end - begin);

  if (std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    long long seconds = 0;
    for (char c : text) {
      seconds = seconds * 10 + (c - '0');
      if (seconds > kMaxSeconds) {
        seconds = kMaxSeconds;
        break;
      }
    }
    return std::chrono::milliseconds(seconds * 1000);
  }

  // An HTTP-date, in any of its three forms (the two obsolete ones too, as
  // RFC 9110 asks of a recipient).
  const long long now_seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const std::optional<long long> at = platform::parse_http_date(text, now_seconds);
  if (!at) return std::nullopt;
  // In whole seconds: a date centuries away does not fit the clock's
  // nanosecond time_point, so no time_point is made from it.
  const long long delta = *at - now_seconds;
  if (delta <= 0) return std::chrono::milliseconds(0);
  return std::chrono::milliseconds(std::min(delta, kMaxSeconds) * 1000);
}

std::optional<std::chrono::milliseconds> retry_delay(const RetryPolicy& policy, const Error& error, int attempt,
                                                     std::chrono::milliseconds spent, double random01) {
  if (attempt >= policy.max_attempts) return std::nullopt;
  // A refused connection is safe to retry only if no earlier attempt inside
  // libcurl (a reused connection that died) already sent the request.
  const bool connect_failure = error.kind == ErrorKind::network && error.http_status == 0 &&
                               !error.may_have_reached_server && is_connect_failure(error.transport_code) &&
                               policy.retry_on_connect_failure;
  const bool too_many = error.kind == ErrorKind::api && error.http_status == 429 && policy.retry_on_too_many_requests;
  if (!connect_failure && !too_many) return std::nullopt;

  std::chrono::milliseconds delay;
  if (too_many && error.retry_after.count() > 0) {
    delay = std::min(error.retry_after, policy.max_retry_after);
  } else {
    const double base = static_cast<double>(policy.initial_backoff.count()) *
                        std::pow(std::max(policy.backoff_multiplier, 1.0), attempt - 1);
    const double capped = std::min(base, static_cast<double>(policy.max_backoff.count()));
    const double jitter = std::clamp(policy.jitter, 0.0, 1.0);
    const double jittered =
        std::min(capped * (1.0 + jitter * (2.0 * random01 - 1.0)), static_cast<double>(policy.max_backoff.count()));
    delay = std::chrono::milliseconds(static_cast<long long>(std::llround(std::max(jittered, 0.0))));
  }
  if (spent + delay > policy.max_total) return std::nullopt;
  return delay;
}

}  // namespace stytch::internal
