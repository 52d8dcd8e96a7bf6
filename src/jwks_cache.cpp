#include "jwks_cache.hpp"

#include <algorithm>
#include <cctype>

namespace stytch::internal {

namespace {

std::int64_t nanoseconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

}  // namespace

std::optional<std::chrono::seconds> cache_max_age(const std::string& cache_control) {
  std::string lower = cache_control;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::size_t at = 0;
  while ((at = lower.find("max-age", at)) != std::string::npos) {
    // A directive starts the value or follows a comma ("s-maxage" is another).
    std::size_t before = at;
    while (before > 0 && lower[before - 1] == ' ') --before;
    const bool starts_directive = before == 0 || lower[before - 1] == ',';
    std::size_t i = at + 7;
    at = i;
    if (!starts_directive) continue;
    while (i < lower.size() && lower[i] == ' ') ++i;
    if (i >= lower.size() || lower[i] != '=') continue;
    ++i;
    while (i < lower.size() && lower[i] == ' ') ++i;
    if (i < lower.size() && lower[i] == '"') ++i;
    long long seconds = 0;
    std::size_t digits = 0;
    while (i < lower.size() && std::isdigit(static_cast<unsigned char>(lower[i])) != 0 && digits < 12) {
      seconds = seconds * 10 + (lower[i] - '0');
      ++i;
      ++digits;
    }
    if (digits == 0) continue;
    return std::chrono::seconds(seconds);
  }
  return std::nullopt;
}

std::variant<std::shared_ptr<const RsaPublicKey>, Error> JwksCache::key(const std::string& kid,
                                                                        std::uint64_t* generation) {
  std::unique_lock<std::mutex> lock(mutex_);
  bool fetched_for_this_call = false;
  bool refetched_for_unknown_kid = false;
  for (;;) {
    if (fetching_) {
      // While keys are being refreshed, the cached ones still serve: only a
      // caller with no key for its kid waits for the fetch under way (rather
      // than starting another).
      if (have_keys_) {
        if (auto it = keys_.find(kid); it != keys_.end()) {
          if (generation != nullptr) *generation = generation_.load(std::memory_order_acquire);
          return it->second;
        }
      }
      const std::uint64_t before = fetches_done_;
      fetched_.wait(lock, [&] { return !fetching_; });
      if (fetches_done_ != before) fetched_for_this_call = true;
      continue;
    }
    const auto now = clock_();
    if (!fetched_for_this_call && (!have_keys_ || now >= refresh_at_)) {
      fetched_for_this_call = true;
      fetch_locked(lock);
      continue;
    }
    if (!have_keys_) {
      if (last_error_) return *last_error_;
      return jwt_refusal("jwt_unknown_key", "no keys could be fetched");
    }
    if (auto it = keys_.find(kid); it != keys_.end()) {
      if (generation != nullptr) *generation = generation_.load(std::memory_order_acquire);
      return it->second;
    }
    const bool may_refetch = !last_unknown_kid_fetch_ || now - *last_unknown_kid_fetch_ >= kRefetchInterval;
    if (!refetched_for_unknown_kid && may_refetch) {
      refetched_for_unknown_kid = true;
      fetched_for_this_call = true;
      last_unknown_kid_fetch_ = now;
      fetch_locked(lock);
      continue;
    }
    return jwt_refusal("jwt_unknown_key", "no key of the project's JWKS has the token's kid");
  }
}

void JwksCache::fetch_locked(std::unique_lock<std::mutex>& lock) {
  fetching_ = true;
  lock.unlock();
  Result<JwksFetch> result = Error{};
  try {
    result = fetch_();
  } catch (...) {
    Error e;
    e.kind = ErrorKind::network;
    e.error_message = "the JWKS fetch failed unexpectedly";
    result = e;
  }
  KeySet parsed;
  std::string fingerprint;
  std::chrono::seconds max_age = kDefaultMaxAge;
  if (result) {
    parsed = parse_jwks(result->keys);
    for (const auto& [kid, key] : parsed) fingerprint.append(kid).append(":").append(key->fingerprint()).append(";");
    if (result->max_age) max_age = std::clamp(*result->max_age, kMinMaxAge, kMaxMaxAge);
  }
  lock.lock();
  fetching_ = false;
  ++fetches_done_;
  const auto now = clock_();
  if (result) {
    last_error_.reset();
    have_keys_ = true;
    keys_ = std::move(parsed);
    refresh_at_ = now + max_age;
    if (fingerprint != fingerprint_) {
      fingerprint_ = std::move(fingerprint);
      generation_.fetch_add(1, std::memory_order_acq_rel);
    }
  } else {
    last_error_ = std::move(result).error();
    // Keys already cached stay in use; the refresh is tried again later.
    if (have_keys_) refresh_at_ = now + kRefetchInterval;
  }
  fresh_until_ns_.store(have_keys_ ? nanoseconds(refresh_at_) : 0, std::memory_order_release);
  fetched_.notify_all();
}

bool JwksCache::fresh(std::chrono::system_clock::time_point now) const {
  return nanoseconds(now) < fresh_until_ns_.load(std::memory_order_acquire);
}

std::size_t JwksCache::fetch_count() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return static_cast<std::size_t>(fetches_done_);
}

void JwksCache::set_clock(Clock clock) {
  std::lock_guard<std::mutex> guard(mutex_);
  clock_ = std::move(clock);
}

}  // namespace stytch::internal
