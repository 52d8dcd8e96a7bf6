#ifndef STYTCH_SRC_RETRY_HPP
#define STYTCH_SRC_RETRY_HPP

#include <stytch/error.hpp>
#include <stytch/retry.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace stytch::internal {

/// A Retry-After value: delay-seconds or an HTTP-date (relative to `now`);
/// nullopt when it is neither. Never negative; huge values saturate.
std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value,
                                                           std::chrono::system_clock::time_point now);

/// Whether a failed attempt may be tried again, and after how long.
/// `attempt` is the number of the attempt that failed (from 1); `spent` is
/// the time the call has taken so far, waits included. `random01` is a
/// number in [0, 1) for the jitter.
std::optional<std::chrono::milliseconds> retry_delay(const RetryPolicy& policy, const Error& error, int attempt,
                                                     std::chrono::milliseconds spent, double random01);

}  // namespace stytch::internal

#endif
