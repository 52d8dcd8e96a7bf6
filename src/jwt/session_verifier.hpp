#ifndef STYTCH_SRC_SESSION_VERIFIER_HPP
#define STYTCH_SRC_SESSION_VERIFIER_HPP

// Local verification of session JWTs (consumer and B2B alike): the JWKS cache, the checks in order,
// and a bounded cache of tokens already verified, so that the token a user
// presents on every request costs no RSA work after the first time.

#include "jwt/jwks_cache.hpp"
#include "jwt/jwt.hpp"

#include <stytch/b2b/member_session.hpp>
#include <stytch/result.hpp>
#include <stytch/session.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace stytch::internal {

template <typename SessionType>
class BasicSessionVerifier {
 public:
  using Clock = JwksCache::Clock;
  using session_type = SessionType;
  static constexpr std::size_t kDefaultCacheCapacity = 16384;

  using Done = std::function<void(Result<SessionType>)>;

  /// `base_url` is the client's (ending in '/'); tokens issued by
  /// stytch.com/{project_id} or by the base URL without its '/' are accepted.
  /// Over a blocking fetch of the keys (the unit tests').
  BasicSessionVerifier(std::string project_id, const std::string& base_url, JwksCache::Fetch fetch,
                       std::size_t cache_capacity = kDefaultCacheCapacity);
  /// Over an async fetch of the keys (the client's, on its I/O thread).
  BasicSessionVerifier(std::string project_id, const std::string& base_url, JwksCache::AsyncFetch fetch,
                       JwksCache::Pump pump, std::size_t cache_capacity = kDefaultCacheCapacity);

  /// Verifies the token: structure, algorithm, key, signature, claims, then
  /// the time claims (on every call, cached or not). Blocks while the keys
  /// are fetched.
  Result<SessionType> verify(const std::string& token, std::optional<std::chrono::seconds> max_age,
                             std::chrono::seconds tolerance);

  /// The same without blocking: `done` gets the Result at once, on this
  /// thread, when no fetch is needed; otherwise once the fetch it waits for
  /// ended, where it ended (the I/O thread). The caller keeps the verifier
  /// alive until then (the client's calls hold it in `done`).
  void verify_async(const std::string& token, std::optional<std::chrono::seconds> max_age,
                    std::chrono::seconds tolerance, Done done);

  /// Replaces the clock (tests); set before the verifier is shared.
  void set_clock(Clock clock);

  JwksCache& jwks() noexcept { return jwks_; }
  const std::string& project_id() const noexcept { return project_id_; }
  std::size_t cached_tokens() const;

 private:
  // A verified token. Its session is kept from the second time the token is
  // presented on: a token seen once (most of a flood of distinct tokens)
  // costs no copy of its session.
  struct Cached {
    TimeClaims times;
    std::uint64_t generation = 0;
    std::shared_ptr<const SessionType> session;
  };
  // The signature's tail is already uniformly distributed: hashing it is
  // enough, and cheaper than hashing the whole token. Equality still
  // compares the whole token.
  struct TokenHash {
    std::size_t operator()(const std::string& token) const noexcept;
  };

  /// The accepted issuers, and the token cache sized once.
  void set_up(const std::string& base_url);
  /// The answer from the verified-token cache, when it has one.
  std::optional<Result<SessionType>> cached(const std::string& token, std::chrono::system_clock::time_point now,
                                            std::optional<std::chrono::seconds> max_age,
                                            std::chrono::seconds tolerance);
  Result<SessionType> verify_uncached(const std::string& token, std::chrono::system_clock::time_point now,
                                      std::optional<std::chrono::seconds> max_age, std::chrono::seconds tolerance);
  /// The checks once the key is known (or known to be missing): signature,
  /// claims, time claims. `parts` are the token's, which they point into.
  Result<SessionType> with_key(const std::string& token, JwtParts& parts, const JwksCache::KeyResult& found,
                               std::uint64_t generation, std::chrono::system_clock::time_point now,
                               std::optional<std::chrono::seconds> max_age, std::chrono::seconds tolerance);
  void remember(const std::string& token, const TimeClaims& times, std::uint64_t generation,
                std::chrono::system_clock::time_point now);
  /// The session of a cached token, built again from its claims (its
  /// signature was verified) and kept in the cache.
  std::shared_ptr<const SessionType> materialize(const std::string& token, std::uint64_t generation);

  std::string project_id_;
  std::vector<std::string> issuers_;
  Clock clock_;
  JwksCache jwks_;
  std::size_t capacity_;
  mutable std::shared_mutex cache_mutex_;
  std::unordered_map<std::string, Cached, TokenHash> cache_;
};

/// Verifies consumer session JWTs (client.sessions).
class SessionVerifier final : public BasicSessionVerifier<Session> {
 public:
  using BasicSessionVerifier::BasicSessionVerifier;
};

/// Verifies B2B session JWTs (client.b2b.sessions): the organization claim
/// is required.
class MemberSessionVerifier final : public BasicSessionVerifier<b2b::MemberSession> {
 public:
  using BasicSessionVerifier::BasicSessionVerifier;
};

extern template class BasicSessionVerifier<Session>;
extern template class BasicSessionVerifier<b2b::MemberSession>;

}  // namespace stytch::internal

#endif
