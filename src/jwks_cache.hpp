#ifndef STYTCH_SRC_JWKS_CACHE_HPP
#define STYTCH_SRC_JWKS_CACHE_HPP

// The project's signing keys, fetched on first need and kept as the JWKS
// answer's Cache-Control max-age says. One fetch at a time: concurrent
// callers that need it wait for the same fetch, while those whose key is
// cached go on with it during a refresh. A failed refresh keeps the cached
// keys. An
// unknown kid triggers one refetch at once, and further ones at most every
// 30 s, so a flood of forged kids cannot flood the API.

#include "jwt.hpp"

#include <stytch/result.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>

namespace stytch::internal {

/// What one JWKS fetch gives: the `keys` array and the max-age, if any.
struct JwksFetch {
  nlohmann::json keys;
  std::optional<std::chrono::seconds> max_age;
};

/// The max-age of a Cache-Control value ("public, max-age=900"), if any.
std::optional<std::chrono::seconds> cache_max_age(const std::string& cache_control);

class JwksCache {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  using Fetch = std::function<Result<JwksFetch>()>;

  static constexpr std::chrono::seconds kDefaultMaxAge{600};
  /// max-age is held between these, so a 0 cannot turn every verification
  /// into a fetch.
  static constexpr std::chrono::seconds kMinMaxAge{30};
  static constexpr std::chrono::seconds kMaxMaxAge{24 * 3600};
  /// Between unknown-kid refetches, and before retrying a failed refresh.
  static constexpr std::chrono::seconds kRefetchInterval{30};

  JwksCache(Fetch fetch, Clock clock) : fetch_(std::move(fetch)), clock_(std::move(clock)) {}

  /// The key named `kid`, fetching the key set when none is cached, when it
  /// is stale, or (rate-limited) when the kid is unknown. The fetch's Error
  /// when no keys could be had; jwt_unknown_key when the kid is not there.
  /// `generation` gets the generation of the key set the key came from.
  std::variant<std::shared_ptr<const RsaPublicKey>, Error> key(const std::string& kid,
                                                               std::uint64_t* generation = nullptr);

  /// Whether keys are cached and within their max-age at `now` (a
  /// verification then needs no I/O). Lock-free.
  bool fresh(std::chrono::system_clock::time_point now) const;

  /// Changes whenever the set of keys changes (so tokens verified with a
  /// key that is gone are verified again).
  std::uint64_t generation() const noexcept { return generation_.load(std::memory_order_acquire); }

  /// Fetches made so far (for tests).
  std::size_t fetch_count() const;

  void set_clock(Clock clock);

 private:
  void fetch_locked(std::unique_lock<std::mutex>& lock);

  Fetch fetch_;
  Clock clock_;
  mutable std::mutex mutex_;
  std::condition_variable fetched_;
  bool fetching_ = false;
  std::uint64_t fetches_done_ = 0;
  bool have_keys_ = false;
  KeySet keys_;
  std::string fingerprint_;
  std::optional<Error> last_error_;
  std::chrono::system_clock::time_point refresh_at_{};
  std::optional<std::chrono::system_clock::time_point> last_unknown_kid_fetch_;
  // Read without the lock on the verified-token cache path.
  std::atomic<std::int64_t> fresh_until_ns_{0};
  std::atomic<std::uint64_t> generation_{0};
};

}  // namespace stytch::internal

#endif
