#include "jwt/session_verifier.hpp"

#include <functional>
#include <mutex>
#include <string_view>
#include <utility>

namespace stytch::internal {

template <typename SessionType>
std::size_t BasicSessionVerifier<SessionType>::TokenHash::operator()(const std::string& token) const noexcept {
  constexpr std::size_t kTail = 24;
  const std::string_view view(token);
  return std::hash<std::string_view>()(view.size() > kTail ? view.substr(view.size() - kTail) : view);
}

template <typename SessionType>
BasicSessionVerifier<SessionType>::BasicSessionVerifier(std::string project_id, const std::string& base_url,
                                                        JwksCache::Fetch fetch, std::size_t cache_capacity)
    : project_id_(std::move(project_id)),
      clock_([] { return std::chrono::system_clock::now(); }),
      jwks_(std::move(fetch), clock_),
      capacity_(cache_capacity) {
  set_up(base_url);
}

template <typename SessionType>
BasicSessionVerifier<SessionType>::BasicSessionVerifier(std::string project_id, const std::string& base_url,
                                                        JwksCache::AsyncFetch fetch, JwksCache::Pump pump,
                                                        std::size_t cache_capacity)
    : project_id_(std::move(project_id)),
      clock_([] { return std::chrono::system_clock::now(); }),
      jwks_(std::move(fetch), std::move(pump), clock_),
      capacity_(cache_capacity) {
  set_up(base_url);
}

template <typename SessionType>
void BasicSessionVerifier<SessionType>::set_up(const std::string& base_url) {
  cache_.reserve(capacity_);  // never rehashed while it fills
  issuers_.push_back("stytch.com/" + project_id_);
  std::string base = base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (!base.empty()) issuers_.push_back(std::move(base));
}

template <typename SessionType>
void BasicSessionVerifier<SessionType>::set_clock(Clock clock) {
  clock_ = clock;
  jwks_.set_clock(std::move(clock));
}

template <typename SessionType>
std::size_t BasicSessionVerifier<SessionType>::cached_tokens() const {
  std::shared_lock<std::shared_mutex> lock(cache_mutex_);
  return cache_.size();
}

template <typename SessionType>
Result<SessionType> BasicSessionVerifier<SessionType>::verify(const std::string& token,
                                                              std::optional<std::chrono::seconds> max_age,
                                                              std::chrono::seconds tolerance) {
  const auto now = clock_();
  if (auto hit = cached(token, now, max_age, tolerance)) return std::move(*hit);
  return verify_uncached(token, now, max_age, tolerance);
}

template <typename SessionType>
void BasicSessionVerifier<SessionType>::verify_async(const std::string& token,
                                                     std::optional<std::chrono::seconds> max_age,
                                                     std::chrono::seconds tolerance, Done done) {
  const auto now = clock_();
  if (auto hit = cached(token, now, max_age, tolerance)) {
    done(std::move(*hit));
    return;
  }
  // The token and its parts, which point into it, stay together (and in
  // place) while the call waits for the keys.
  struct Pending {
    std::string token;
    JwtParts parts;
  };
  auto pending = std::make_shared<Pending>();
  pending->token = token;
  if (auto refused = parse_jwt(pending->token, pending->parts)) {
    done(*refused);
    return;
  }
  std::string kid;
  if (auto refused = check_header(pending->parts.header, kid)) {
    done(*refused);
    return;
  }
  jwks_.key_async(kid, [this, pending, max_age, tolerance, done = std::move(done)](const JwksCache::KeyResult& found,
                                                                                   std::uint64_t generation) {
    // The time claims are checked at the time of the answer (a fetch may
    // have taken a while).
    done(with_key(pending->token, pending->parts, found, generation, clock_(), max_age, tolerance));
  });
}

template <typename SessionType>
std::optional<Result<SessionType>> BasicSessionVerifier<SessionType>::cached(
    const std::string& token, std::chrono::system_clock::time_point now, std::optional<std::chrono::seconds> max_age,
    std::chrono::seconds tolerance) {
  if (token.size() > kMaxJwtBytes) return std::nullopt;
  std::optional<Cached> hit;
  {
    std::shared_lock<std::shared_mutex> lock(cache_mutex_);
    if (auto it = cache_.find(token); it != cache_.end()) hit = it->second;
  }
  // A hit counts only while the key set it was verified with is current.
  if (!hit || hit->generation != jwks_.generation() || !jwks_.fresh(now)) return std::nullopt;
  if (auto refused = check_times(hit->times, now, max_age, tolerance)) return Result<SessionType>(*refused);
  if (hit->session) return Result<SessionType>(*hit->session);
  if (auto session = materialize(token, hit->generation)) return Result<SessionType>(*session);
  return std::nullopt;
}

template <typename SessionType>
Result<SessionType> BasicSessionVerifier<SessionType>::verify_uncached(const std::string& token,
                                                                       std::chrono::system_clock::time_point now,
                                                                       std::optional<std::chrono::seconds> max_age,
                                                                       std::chrono::seconds tolerance) {
  JwtParts parts;
  if (auto refused = parse_jwt(token, parts)) return *refused;
  std::string kid;
  if (auto refused = check_header(parts.header, kid)) return *refused;
  std::uint64_t generation = 0;
  const auto found = jwks_.key(kid, &generation);
  return with_key(token, parts, found, generation, now, max_age, tolerance);
}

template <typename SessionType>
Result<SessionType> BasicSessionVerifier<SessionType>::with_key(const std::string& token, JwtParts& parts,
                                                                const JwksCache::KeyResult& found,
                                                                std::uint64_t generation,
                                                                std::chrono::system_clock::time_point now,
                                                                std::optional<std::chrono::seconds> max_age,
                                                                std::chrono::seconds tolerance) {
  if (const auto* failure = std::get_if<Error>(&found)) return *failure;
  const auto& key = std::get<std::shared_ptr<const RsaPublicKey>>(found);
  if (!key->verify(parts.signing_input, parts.signature)) {
    return jwt_refusal("jwt_signature", "the signature does not verify with the key named by kid");
  }
  VerifiedClaims<SessionType> claims;
  if (auto refused = check_claims(parts.claims, project_id_, issuers_, claims)) return *refused;
  const auto refused = check_times(claims, now, max_age, tolerance);
  if (!refused || refused->error_type != "jwt_expired") remember(token, claims, generation, now);
  if (refused) return *refused;
  return std::move(claims.session);
}

template <typename SessionType>
std::shared_ptr<const SessionType> BasicSessionVerifier<SessionType>::materialize(const std::string& token,
                                                                                  std::uint64_t generation) {
  JwtParts parts;
  VerifiedClaims<SessionType> claims;
  if (parse_jwt(token, parts) || check_claims(parts.claims, project_id_, issuers_, claims)) return nullptr;
  auto session = std::make_shared<const SessionType>(std::move(claims.session));
  std::unique_lock<std::shared_mutex> lock(cache_mutex_);
  if (auto it = cache_.find(token); it != cache_.end() && it->second.generation == generation) {
    it->second.session = session;
  }
  return session;
}

template <typename SessionType>
void BasicSessionVerifier<SessionType>::remember(const std::string& token, const TimeClaims& times,
                                                 std::uint64_t generation, std::chrono::system_clock::time_point now) {
  const double t = std::chrono::duration<double>(now.time_since_epoch()).count();
  std::unique_lock<std::shared_mutex> lock(cache_mutex_);
  if (cache_.size() >= capacity_) {
    // Bounded memory: expired tokens go first; if that frees nothing, all.
    for (auto it = cache_.begin(); it != cache_.end();) {
      it = it->second.times.exp <= t ? cache_.erase(it) : std::next(it);
    }
    if (cache_.size() >= capacity_) cache_.clear();
  }
  cache_.insert_or_assign(token, Cached{times, generation, nullptr});
}

template class BasicSessionVerifier<Session>;
template class BasicSessionVerifier<b2b::MemberSession>;

}  // namespace stytch::internal
