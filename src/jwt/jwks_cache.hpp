#ifndef STYTCH_SRC_JWKS_CACHE_HPP
#define STYTCH_SRC_JWKS_CACHE_HPP

// The project's signing keys, fetched on first need and kept as the JWKS
// answer's Cache-Control max-age says. One fetch at a time: concurrent
// callers that need it wait for the same fetch, while those whose key is
// cached go on with it during a refresh. A failed refresh keeps the cached
// keys. An unknown kid triggers one refetch at once, and further ones at
// most every 30 s, so a flood of forged kids cannot flood the API.
//
// A caller either blocks until the key is there (key) or leaves a callback
// that the fetch's end runs (key_async): async callers waiting for a fetch
// cost an entry in a list, not a thread.

#include "jwt/jwt.hpp"

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
#include <vector>

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
  /// A blocking fetch (the unit tests').
  using Fetch = std::function<Result<JwksFetch>()>;
  /// Gets the outcome of one fetch, once.
  using FetchDone = std::function<void(Result<JwksFetch>)>;
  /// Starts one fetch; `done` runs once, later (on the client's I/O thread)
  /// or at once (when the fetch cannot be started).
  using AsyncFetch = std::function<void(FetchDone done)>;
  /// For a blocking caller that waits for a fetch: when this thread must run
  /// the client's I/O loop for the fetch to end (it is the I/O thread), runs
  /// it until `ready()` or shutdown and returns true; elsewhere returns
  /// false at once.
  using Pump = std::function<bool(const std::function<bool()>& ready)>;
  /// A key, or why there is none.
  using KeyResult = std::variant<std::shared_ptr<const RsaPublicKey>, Error>;
  /// Gets key_async's answer and the generation of the key set it came from.
  using KeyDone = std::function<void(KeyResult, std::uint64_t generation)>;

  static constexpr std::chrono::seconds kDefaultMaxAge{600};
  /// max-age is held between these, so a 0 cannot turn every verification
  /// into a fetch.
  static constexpr std::chrono::seconds kMinMaxAge{30};
  static constexpr std::chrono::seconds kMaxMaxAge{24 * 3600};
  /// Between unknown-kid refetches, and before retrying a failed refresh.
  static constexpr std::chrono::seconds kRefetchInterval{30};

  /// Over a blocking fetch, run by the caller that needs it.
  JwksCache(Fetch fetch, Clock clock);
  /// Over an async fetch; `pump` (may be empty) lets a blocking caller on
  /// the I/O thread wait for it.
  JwksCache(AsyncFetch fetch, Pump pump, Clock clock)
      : fetch_(std::move(fetch)), pump_(std::move(pump)), clock_(std::move(clock)) {}
  JwksCache(const JwksCache&) = delete;
  JwksCache& operator=(const JwksCache&) = delete;

  /// The key named `kid`, fetching the key set when none is cached, when it
  /// is stale, or (rate-limited) when the kid is unknown; blocks until then.
  /// The fetch's Error when no keys could be had; jwt_unknown_key when the
  /// kid is not there. `generation` gets the generation of the key set the
  /// key came from.
  KeyResult key(const std::string& kid, std::uint64_t* generation = nullptr);

  /// The same answer without blocking: `done` runs at once, on this thread,
  /// when no fetch is needed; otherwise it is kept until the fetch it waits
  /// for ends, and runs where that fetch ended (the I/O thread). When the
  /// fetch was cancelled (the client went away), every waiting `done` gets
  /// its cancelled Error, once.
  void key_async(const std::string& kid, KeyDone done);

  /// Keeps `owner` (whatever owns this cache) alive while a fetch is under
  /// way, so that the fetch's end always finds the cache.
  void hold_while_fetching(std::weak_ptr<const void> owner) { owner_ = std::move(owner); }

  /// Whether keys are cached and within their max-age at `now` (a
  /// verification then needs no I/O). Lock-free.
  bool fresh(std::chrono::system_clock::time_point now) const;

  /// Changes whenever the set of keys changes (so tokens verified with a
  /// key that is gone are verified again).
  std::uint64_t generation() const noexcept { return generation_.load(std::memory_order_acquire); }

  /// Fetches made so far (for tests).
  std::size_t fetch_count() const;

  /// Async callers waiting for a fetch (for tests).
  std::size_t parked() const;

  void set_clock(Clock clock);

 private:
  // One caller's way through the rules, kept while it waits for a fetch.
  struct Lookup {
    std::string kid;
    bool fetched = false;    // a fetch ended since the caller asked
    bool refetched = false;  // its one unknown-kid refetch is spent
  };
  struct Parked {
    Lookup lookup;
    KeyDone done;
  };
  enum class Next { answer, wait, fetch };

  /// What the caller does now: take `answer`, wait for the fetch under
  /// way, or start one (fetching_ is then set). Caller holds the lock.
  Next decide(Lookup& lookup, KeyResult& answer);
  /// Starts a fetch (decide said so); no lock held.
  void start_fetch();
  /// A fetch ended: keeps its keys (or its error), wakes the blocking
  /// callers, and finishes or parks again the async ones.
  void fetched(Result<JwksFetch> result);
  /// Blocks until a fetch after `before` ended; false when the client shut
  /// down first (under a blocking call inside a callback).
  bool wait_for_fetch(std::unique_lock<std::mutex>& lock, std::uint64_t before);

  AsyncFetch fetch_;
  Pump pump_;
  Clock clock_;
  std::weak_ptr<const void> owner_;
  mutable std::mutex mutex_;
  std::condition_variable fetched_;
  std::vector<Parked> parked_;  // async callers waiting for the fetch under way
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
