#ifndef STYTCH_RETRY_HPP
#define STYTCH_RETRY_HPP

/// @file stytch/retry.hpp
/// When a failed call is tried again. By default it never is.

#include <chrono>
#include <functional>

namespace stytch {

/// Retries, opt-in. An OTP send is not idempotent, so only failures where
/// the request was not run are ever retried: no connection could be made at
/// all (nothing was sent), or Stytch answered 429 too_many_requests (it
/// refused the request). A request that may have reached the server and run
/// is never repeated, whatever the policy.
struct RetryPolicy {
  /// Attempts in all, the first included. 1, the default, never retries.
  int max_attempts = 1;
  /// Retry when no connection could be made (refused, DNS failure).
  bool retry_on_connect_failure = true;
  /// Retry a 429 answer, waiting as its Retry-After header says (capped by
  /// max_retry_after) or, without one, by the backoff.
  bool retry_on_too_many_requests = false;
  /// The wait before the first retry; each further one multiplies it.
  std::chrono::milliseconds initial_backoff{200};
  /// The growth of the wait from one retry to the next.
  double backoff_multiplier = 2.0;
  /// The longest wait the backoff reaches.
  std::chrono::milliseconds max_backoff{5000};
  /// Each backoff wait is moved by up to this fraction, up or down, so that
  /// many clients do not retry in step. 0 turns it off.
  double jitter = 0.2;
  /// The longest Retry-After honoured; a longer one is cut to this.
  std::chrono::milliseconds max_retry_after{30000};
  /// No retry starts once the call has taken (or would take) longer.
  std::chrono::milliseconds max_total{60000};
  /// Waits between attempts of a synchronous call; the default sleeps. Tests
  /// install their own to check the schedule without waiting. Async calls
  /// wait on the I/O thread's timer instead and do not use it, nor does a
  /// synchronous call made inside a callback: on the I/O thread its wait is
  /// a timer of the loop it runs, so the other calls go on meanwhile.
  std::function<void(std::chrono::milliseconds)> sleep;
};

}  // namespace stytch

#endif  // STYTCH_RETRY_HPP
