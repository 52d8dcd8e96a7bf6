#include "jwt/jwks_cache.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

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

JwksCache::JwksCache(Fetch fetch, Clock clock)
    : fetch_([fetch = std::move(fetch)](const FetchDone& done) { done(fetch()); }), clock_(std::move(clock)) {}

JwksCache::Next JwksCache::decide(Lookup& lookup, KeyResult& answer) {
  if (fetching_) {
    // While keys are being refreshed, the cached ones still serve: only a
    // caller with no key for its kid waits for the fetch under way (rather
    // than starting another).
    if (have_keys_) {
      if (auto it = keys_.find(lookup.kid); it != keys_.end()) {
        answer = it->second;
        return Next::answer;
      }
    }
    return Next::wait;
  }
  const auto now = clock_();
  if (!lookup.fetched && (!have_keys_ || now >= refresh_at_)) {
    lookup.fetched = true;
    fetching_ = true;
    return Next::fetch;
  }
  if (!have_keys_) {
    answer = last_error_ ? *last_error_ : jwt_refusal("jwt_unknown_key", "no keys could be fetched");
    return Next::answer;
  }
  if (auto it = keys_.find(lookup.kid); it != keys_.end()) {
    answer = it->second;
    return Next::answer;
  }
  const bool may_refetch = !last_unknown_kid_fetch_ || now - *last_unknown_kid_fetch_ >= kRefetchInterval;
  if (!lookup.refetched && may_refetch) {
    lookup.refetched = true;
    lookup.fetched = true;
    last_unknown_kid_fetch_ = now;
    fetching_ = true;
    return Next::fetch;
  }
  answer = jwt_refusal("jwt_unknown_key", "no key of the project's JWKS has the token's kid");
  return Next::answer;
}

JwksCache::KeyResult JwksCache::key(const std::string& kid, std::uint64_t* generation) {
  std::unique_lock<std::mutex> lock(mutex_);
  Lookup lookup{kid};
  for (;;) {
    const std::uint64_t before = fetches_done_;
    KeyResult answer;
    const Next next = decide(lookup, answer);
    if (next == Next::answer) {
      if (generation != nullptr) *generation = generation_.load(std::memory_order_acquire);
      return answer;
    }
    if (next == Next::fetch) {
      lock.unlock();
      start_fetch();
      lock.lock();
    }
    if (!wait_for_fetch(lock, before)) {
      Error e;
      e.kind = ErrorKind::cancelled;
      e.error_message = "the client was destroyed before the JWKS fetch completed";
      return e;
    }
    lookup.fetched = true;
  }
}

void JwksCache::key_async(const std::string& kid, KeyDone done) {
  std::unique_lock<std::mutex> lock(mutex_);
  Lookup lookup{kid};
  KeyResult answer;
  const Next next = decide(lookup, answer);
  if (next == Next::answer) {
    const std::uint64_t generation = generation_.load(std::memory_order_acquire);
    lock.unlock();
    done(std::move(answer), generation);
    return;
  }
  parked_.push_back(Parked{std::move(lookup), std::move(done)});
  lock.unlock();
  if (next == Next::fetch) start_fetch();
}

bool JwksCache::wait_for_fetch(std::unique_lock<std::mutex>& lock, std::uint64_t before) {
  if (fetches_done_ != before) return true;
  if (pump_) {
    // On the I/O thread the fetch ends only if this thread runs the loop.
    lock.unlock();
    const bool pumped = pump_([this, before] {
      std::lock_guard<std::mutex> guard(mutex_);
      return fetches_done_ != before;
    });
    lock.lock();
    if (pumped) return fetches_done_ != before;
  }
  fetched_.wait(lock, [&] { return fetches_done_ != before; });
  return true;
}

void JwksCache::start_fetch() {
  // The cache's owner stays alive until the fetch has ended, wherever that
  // is (the client may be gone by then).
  auto ended = std::make_shared<std::atomic<bool>>(false);
  try {
    fetch_([this, ended, keep = owner_.lock()](Result<JwksFetch> result) {
      ended->store(true);
      fetched(std::move(result));
    });
  } catch (...) {
    if (ended->load()) return;
    Error e;
    e.kind = ErrorKind::network;
    e.error_message = "the JWKS fetch failed unexpectedly";
    fetched(std::move(e));
  }
}

void JwksCache::fetched(Result<JwksFetch> result) {
  KeySet parsed;
  std::string fingerprint;
  std::chrono::seconds max_age = kDefaultMaxAge;
  if (result) {
    parsed = parse_jwks(result->keys);
    for (const auto& [kid, key] : parsed) fingerprint.append(kid).append(":").append(key->fingerprint()).append(";");
    if (result->max_age) max_age = std::clamp(*result->max_age, kMinMaxAge, kMaxMaxAge);
  }
  // Async callers the fetch answers, with what they get.
  std::vector<std::pair<KeyDone, KeyResult>> answers;
  bool fetch_again = false;
  std::uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> guard(mutex_);
    fetching_ = false;
    ++fetches_done_;
    const auto now = clock_();
    const bool cancelled = !result && result.error().kind == ErrorKind::cancelled;
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
    generation = generation_.load(std::memory_order_acquire);
    std::vector<Parked> waiting;
    waiting.swap(parked_);
    for (Parked& parked : waiting) {
      if (cancelled) {  // the client is gone: so is every call that waited
        answers.emplace_back(std::move(parked.done), *last_error_);
        continue;
      }
      parked.lookup.fetched = true;
      KeyResult answer;
      switch (decide(parked.lookup, answer)) {
        case Next::answer:
          answers.emplace_back(std::move(parked.done), std::move(answer));
          break;
        case Next::fetch:
          fetch_again = true;  // an unknown kid's refetch, or a refresh due again
          parked_.push_back(std::move(parked));
          break;
        case Next::wait:
          parked_.push_back(std::move(parked));
          break;
      }
    }
  }
  fetched_.notify_all();
  if (fetch_again) start_fetch();
  for (auto& [done, answer] : answers) {
    try {
      done(std::move(answer), generation);
    } catch (...) {  // NOLINT(bugprone-empty-catch): one caller's failure must not stop the others
    }
  }
}

bool JwksCache::fresh(std::chrono::system_clock::time_point now) const {
  return nanoseconds(now) < fresh_until_ns_.load(std::memory_order_acquire);
}

std::size_t JwksCache::fetch_count() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return static_cast<std::size_t>(fetches_done_);
}

std::size_t JwksCache::parked() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return parked_.size();
}

void JwksCache::set_clock(Clock clock) {
  std::lock_guard<std::mutex> guard(mutex_);
  clock_ = std::move(clock);
}

}  // namespace stytch::internal
