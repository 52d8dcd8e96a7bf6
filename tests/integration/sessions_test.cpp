// The sessions API through real libcurl against stytch-mock: a login, then
// its session JWT verified locally, refreshed, revoked; key rotation; the
// JWKS fetch count under a flood of forged kids; a JWKS server that is
// down while keys are cached; and async verifications waiting for a slow
// JWKS fetch: how many threads they cost, a failed fetch, a destroyed client.

#include "client_fixture.hpp"
#include "jwt_signer.hpp"
#include "mock_outbox.hpp"
#include "mock_server.hpp"
#include "test_server.hpp"
#include "thread_sampler.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

using namespace stytch::test;
using nlohmann::json;
using stytch::ErrorKind;
namespace sessions = stytch::sessions;
using namespace std::chrono_literals;

namespace {

constexpr const char* kPhone = "+12025550162";

stytch::mock::MockOptions sessions_mock_options() {
  stytch::mock::MockOptions o;
  o.project_id = kProjectId;
  o.secret = kSecret;
  o.users = {kPhone};
  o.rate_limit = 0;
  return o;
}

struct Login {
  std::string user_id;
  std::string session_id;
  std::string token;
  std::string jwt;
};

struct SessionsFixture {
  SessionsFixture() : mock(sessions_mock_options()) { mock.start(); }

  Login login(int minutes = 60) {
    stytch::otps::sms::LoginOrCreateParams send;
    send.phone_number = kPhone;
    auto sent = client.otps.sms.login_or_create(send);
    REQUIRE(sent);
    stytch::otps::AuthenticateParams auth;
    auth.method_id = sent->phone_id;
    auth.code = last_code(mock.port(), kPhone);
    auth.session_duration_minutes = minutes;
    auth.session_custom_claims = json{{"plan", "pro"}};
    auto r = client.otps.authenticate(auth);
    REQUIRE(r);
    REQUIRE(r->session);
    return Login{r->user_id, r->session->session_id, r->session_token, r->session_jwt};
  }

  stytch::Result<stytch::Session> local(const std::string& jwt, std::chrono::seconds tolerance = 0s) {
    sessions::AuthenticateJwtLocalParams p;
    p.session_jwt = jwt;
    p.clock_tolerance = tolerance;
    return client.sessions.authenticate_jwt_local(p);
  }

  /// Moves the client's verification clock (ClientOptions::clock) as the
  /// mock's moves.
  void advance_both(long seconds) {
    mock.advance_clock(seconds);
    *offset += seconds;
  }

  // Read by the client's clock on any thread.
  std::shared_ptr<std::atomic<long>> offset = std::make_shared<std::atomic<long>>(0);

  stytch::mock::MockServer mock;
  stytch::StytchClient client{clocked_options(mock.base_url(), offset)};

  static stytch::ClientOptions clocked_options(const std::string& base_url,
                                               const std::shared_ptr<std::atomic<long>>& ahead) {
    auto options = options_for(base_url);
    options.clock = [ahead] { return std::chrono::system_clock::now() + std::chrono::seconds(ahead->load()); };
    return options;
  }
};

std::string error_type(const stytch::Error& e) { return e.error_type; }

// A JWKS endpoint that answers after `delay`, with its one key, or with a
// Stytch error of status `status`; other paths get the fixed success body.
// Two server threads only, so that a test can count the process's threads.
class SlowJwks {
 public:
  explicit SlowJwks(std::chrono::milliseconds delay, int status = 200)
      : delay_(delay),
        status_(status),
        server_([this](const httplib::Request& req, httplib::Response& res) { answer(req, res); }, 2) {}

  std::string base_url() const { return server_.base_url(); }
  int fetches() const { return fetches_.load(); }

  /// A session JWT of the test project, signed with the served key, valid
  /// for 5 minutes from now.
  std::string jwt() const {
    const long long now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const json claims = {{"sub", "user-test-slow"},
                         {"aud", json::array({kProjectId})},
                         {"iss", std::string("stytch.com/") + kProjectId},
                         {"iat", now},
                         {"nbf", now},
                         {"exp", now + 300},
                         {"https://stytch.com/session",
                          {{"id", "session-test-slow"},
                           {"started_at", "2027-01-15T08:00:00Z"},
                           {"last_accessed_at", "2027-01-15T08:00:00Z"},
                           {"expires_at", "2027-01-15T09:00:00Z"},
                           {"attributes", {{"ip_address", ""}, {"user_agent", ""}}},
                           {"authentication_factors", json::array()},
                           {"roles", json::array({"stytch_user"})}}}};
    return stytch::mock::sign_jwt({{"alg", "RS256"}, {"typ", "JWT"}, {"kid", key_.kid()}}, claims, key_);
  }

 private:
  void answer(const httplib::Request& req, httplib::Response& res) {
    if (req.path.rfind("/v1/sessions/jwks/", 0) != 0) {
      res.set_content(kOkBody, "application/json");
      return;
    }
    ++fetches_;
    std::this_thread::sleep_for(delay_);
    if (status_ == 200) {
      res.set_content(json{{"status_code", 200}, {"request_id", "r"}, {"keys", json::array({key_.jwk()})}}.dump(),
                      "application/json");
      return;
    }
    res.status = status_;
    res.set_content(json{{"status_code", status_},
                         {"request_id", "r"},
                         {"error_type", "service_unavailable"},
                         {"error_message", "down for a moment"}}
                        .dump(),
                    "application/json");
  }

  stytch::mock::RsaSigningKey key_{"jwk-test-slow"};
  std::chrono::milliseconds delay_;
  int status_;
  std::atomic<int> fetches_{0};
  TestServer server_;  // last: its handler uses the members above
};

// What the callbacks of a burst of async verifications saw: how many ran,
// on which threads, with which outcome per call.
struct BurstResults {
  explicit BurstResults(int calls) : per_call(static_cast<std::size_t>(calls)) {}

  void record(int index, const stytch::Result<stytch::Session>& r) {
    std::lock_guard<std::mutex> lock(mutex);
    Seen& seen = per_call[static_cast<std::size_t>(index)];
    ++seen.times;
    seen.ok = r.ok();
    if (!r) seen.kind = r.error().kind;
    threads.insert(std::this_thread::get_id());
    if (++delivered == static_cast<int>(per_call.size())) all.notify_all();
  }
  bool wait_all(std::chrono::seconds limit) {
    std::unique_lock<std::mutex> lock(mutex);
    return all.wait_for(lock, limit, [&] { return delivered == static_cast<int>(per_call.size()); });
  }

  struct Seen {
    int times = 0;
    bool ok = false;
    ErrorKind kind = ErrorKind::api;
  };
  std::mutex mutex;
  std::condition_variable all;
  int delivered = 0;
  std::vector<Seen> per_call;
  std::set<std::thread::id> threads;
};

}  // namespace

TEST_CASE("login, then the session JWT verifies locally with the mock's JWKS") {
  SessionsFixture f;
  const Login login = f.login();
  auto s = f.local(login.jwt);
  REQUIRE(s);
  CHECK(s->session_id == login.session_id);
  CHECK(s->user_id == login.user_id);
  REQUIRE(s->authentication_factors.size() == 1);
  CHECK(s->authentication_factors[0].delivery_method == "sms");
  CHECK(s->roles == std::vector<std::string>{"stytch_user"});
  CHECK(s->custom_claims == json{{"plan", "pro"}});
  CHECK(f.mock.jwks_requests() == 1);

  for (int i = 0; i < 5; ++i) REQUIRE(f.local(login.jwt));
  CHECK(f.mock.jwks_requests() == 1);

  sessions::AuthenticateJwtParams p;
  p.session_jwt = login.jwt;
  auto both = f.client.sessions.authenticate_jwt(p);
  REQUIRE(both);
  CHECK(both->verified_locally);
  CHECK(both->session_jwt == login.jwt);
  CHECK(both->session.session_id == login.session_id);
}

TEST_CASE("sessions.authenticate by token and by JWT, and get_jwks") {
  SessionsFixture f;
  const Login login = f.login();
  sessions::AuthenticateParams by_token;
  by_token.session_token = login.token;
  by_token.session_duration_minutes = 120;
  auto r = f.client.sessions.authenticate(by_token);
  REQUIRE(r);
  CHECK(r->status_code == 200);
  CHECK_FALSE(r->request_id.empty());
  CHECK(r->session.session_id == login.session_id);
  CHECK(r->user.user_id == login.user_id);
  CHECK(r->session_token == login.token);
  REQUIRE(f.local(r->session_jwt));

  sessions::AuthenticateParams by_jwt;
  by_jwt.session_jwt = login.jwt;
  by_jwt.session_custom_claims = json{{"tier", 2}};
  auto j = f.client.sessions.authenticate(by_jwt);
  REQUIRE(j);
  CHECK(j->session.custom_claims.at("tier") == 2);
  auto claims = f.local(j->session_jwt);
  REQUIRE(claims);
  CHECK(claims->custom_claims.at("tier") == 2);

  sessions::AuthenticateParams both = by_token;
  both.session_jwt = login.jwt;
  auto refused = f.client.sessions.authenticate(both);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().kind == ErrorKind::invalid_argument);

  auto jwks = f.client.sessions.get_jwks();
  REQUIRE(jwks);
  REQUIRE(jwks->keys.size() == 1);
  CHECK(jwks->keys[0].at("kty") == "RSA");
  CHECK(jwks->keys[0].at("alg") == "RS256");
}

TEST_CASE("get lists the active sessions, revoke ends one, whose JWT still verifies locally until exp") {
  SessionsFixture f;
  const Login first = f.login();
  const Login second = f.login();
  sessions::GetParams get;
  get.user_id = first.user_id;
  auto listed = f.client.sessions.get(get);
  REQUIRE(listed);
  CHECK(listed->sessions.size() == 2);

  sessions::RevokeParams by_id;
  by_id.session_id = first.session_id;
  auto revoked = f.client.sessions.revoke(by_id);
  REQUIRE(revoked);
  CHECK(revoked->status_code == 200);
  listed = f.client.sessions.get(get);
  REQUIRE(listed);
  REQUIRE(listed->sessions.size() == 1);
  CHECK(listed->sessions[0].session_id == second.session_id);

  sessions::AuthenticateParams by_token;
  by_token.session_token = first.token;
  auto gone = f.client.sessions.authenticate(by_token);
  REQUIRE_FALSE(gone);
  CHECK(gone.error().kind == ErrorKind::api);
  CHECK(gone.error().http_status == 404);
  CHECK(gone.error().error_type == "session_not_found");
  CHECK(f.local(first.jwt));  // a JWT lives its 5 minutes

  sessions::RevokeParams by_jwt;
  by_jwt.session_jwt = second.jwt;
  REQUIRE(f.client.sessions.revoke(by_jwt));
  auto again = f.client.sessions.revoke(by_jwt);
  REQUIRE_FALSE(again);
  CHECK(again.error().error_type == "session_not_found");
  listed = f.client.sessions.get(get);
  REQUIRE(listed);
  CHECK(listed->sessions.empty());

  auto empty = f.client.sessions.get(sessions::GetParams{});
  REQUIRE_FALSE(empty);
  CHECK(empty.error().kind == ErrorKind::invalid_argument);
}

TEST_CASE("key rotation: tokens of the old and the new key both verify, after one refetch") {
  SessionsFixture f;
  const Login before = f.login();
  REQUIRE(f.local(before.jwt));
  CHECK(f.mock.jwks_requests() == 1);
  f.mock.rotate_keys();
  const Login after = f.login();
  auto s = f.local(after.jwt);
  REQUIRE(s);
  CHECK(s->session_id == after.session_id);
  CHECK(f.mock.jwks_requests() == 2);
  CHECK(f.local(before.jwt));
  CHECK(f.client.sessions.get_jwks()->keys.size() == 2);
}

TEST_CASE("authenticate_jwt refreshes an expired JWT through the API while the session lives") {
  SessionsFixture f;
  const Login login = f.login(60);
  f.advance_both(400);
  auto local = f.local(login.jwt);
  REQUIRE_FALSE(local);
  CHECK(local.error().kind == ErrorKind::invalid_jwt);
  CHECK(error_type(local.error()) == "jwt_expired");

  sessions::AuthenticateJwtParams p;
  p.session_jwt = login.jwt;
  auto refreshed = f.client.sessions.authenticate_jwt(p);
  REQUIRE(refreshed);
  CHECK_FALSE(refreshed->verified_locally);
  CHECK(refreshed->session.session_id == login.session_id);
  CHECK(refreshed->session_jwt != login.jwt);
  REQUIRE(f.local(refreshed->session_jwt));

  p.session_jwt = refreshed->session_jwt;
  auto fresh = f.client.sessions.authenticate_jwt(p);
  REQUIRE(fresh);
  CHECK(fresh->verified_locally);

  // max_token_age asks the API too; 0 always does.
  p.max_token_age = 0s;
  f.advance_both(1);
  auto asked = f.client.sessions.authenticate_jwt(p);
  REQUIRE(asked);
  CHECK_FALSE(asked->verified_locally);
}

TEST_CASE("authenticate_jwt answers the API's refusal once the session is over") {
  SessionsFixture f;
  const Login login = f.login(5);
  f.advance_both(6 * 60);
  sessions::AuthenticateJwtParams p;
  p.session_jwt = login.jwt;
  auto r = f.client.sessions.authenticate_jwt(p);
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == ErrorKind::api);
  CHECK(r.error().error_type == "session_not_found");
}

TEST_CASE("forged tokens are refused locally, and a flood of unknown kids costs one JWKS refetch") {
  SessionsFixture f;
  const Login login = f.login();
  REQUIRE(f.local(login.jwt));
  const stytch::mock::RsaSigningKey attacker("attacker");
  const auto first = login.jwt.find('.');
  const std::string claims_b64 = login.jwt.substr(first + 1, login.jwt.find('.', first + 1) - first - 1);
  const json claims = json::parse(*stytch::mock::base64url_decode(claims_b64));
  for (int i = 0; i < 200; ++i) {
    const std::string forged =
        stytch::mock::sign_jwt({{"alg", "RS256"}, {"kid", "forged-" + std::to_string(i)}}, claims, attacker);
    auto r = f.local(forged);
    REQUIRE_FALSE(r);
    CHECK(r.error().error_type == "jwt_unknown_key");
  }
  CHECK(f.mock.jwks_requests() == 2);

  // The real kid, the attacker's signature: refused here, the API never asked.
  const std::string header_b64 = login.jwt.substr(0, first);
  const json header = json::parse(*stytch::mock::base64url_decode(header_b64));
  sessions::AuthenticateJwtParams p;
  p.session_jwt = stytch::mock::sign_jwt(header, claims, attacker);
  auto r = f.client.sessions.authenticate_jwt(p);
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == ErrorKind::invalid_jwt);
  CHECK(r.error().error_type == "jwt_signature");
}

TEST_CASE("with the JWKS server down, cached keys keep verifying") {
  SessionsFixture f;
  const Login login = f.login();
  REQUIRE(f.local(login.jwt));
  f.mock.stop();
  f.advance_both(1000);  // past the JWKS max-age of 900 s: a refresh is due, and fails
  auto s = f.local(login.jwt, 2000s);
  REQUIRE(s);
  CHECK(s->session_id == login.session_id);

  stytch::StytchClient cold(options_for(f.mock.base_url()));
  sessions::AuthenticateJwtLocalParams p;
  p.session_jwt = login.jwt;
  auto none = cold.sessions.authenticate_jwt_local(p);
  REQUIRE_FALSE(none);
  CHECK(none.error().kind == ErrorKind::network);
}

TEST_CASE("the async twins deliver the same results") {
  SessionsFixture f;
  const Login login = f.login();
  sessions::AuthenticateJwtLocalParams p;
  p.session_jwt = login.jwt;
  auto cold = f.client.sessions.authenticate_jwt_local_async(p);  // fetches the keys on another thread
  REQUIRE(cold.wait_for(10s) == std::future_status::ready);
  CHECK(cold.get());

  std::promise<stytch::Result<stytch::Session>> done;
  f.client.sessions.authenticate_jwt_local_async(
      p, [&](stytch::Result<stytch::Session> r) { done.set_value(std::move(r)); });
  auto warm = done.get_future().get();
  REQUIRE(warm);
  CHECK(warm->session_id == login.session_id);

  sessions::GetParams get;
  get.user_id = login.user_id;
  auto listed = f.client.sessions.get_async(get).get();
  REQUIRE(listed);
  CHECK(listed->sessions.size() == 1);

  f.advance_both(400);
  sessions::AuthenticateJwtParams jp;
  jp.session_jwt = login.jwt;
  auto refreshed = f.client.sessions.authenticate_jwt_async(jp).get();
  REQUIRE(refreshed);
  CHECK_FALSE(refreshed->verified_locally);

  auto jwks = f.client.sessions.get_jwks_async().get();
  REQUIRE(jwks);
  CHECK(jwks->keys.size() == 1);

  sessions::RevokeParams revoke;
  revoke.session_token = login.token;
  CHECK(f.client.sessions.revoke_async(revoke).get());
  sessions::AuthenticateParams by_token;
  by_token.session_token = login.token;
  auto gone = f.client.sessions.authenticate_async(by_token).get();
  REQUIRE_FALSE(gone);
  CHECK(gone.error().error_type == "session_not_found");
}

TEST_CASE("5000 async verifications during a 2 s JWKS fetch share it and cost no thread each", "[concurrency]") {
  const int threads_before = process_threads();
  SlowJwks jwks(std::chrono::milliseconds(2000));
  stytch::StytchClient client(options_for(jwks.base_url()));
  sessions::AuthenticateJwtLocalParams p;
  p.session_jwt = jwks.jwt();
  constexpr int kCalls = 5000;
  BurstResults results(kCalls);
  ThreadSampler sampler;
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < kCalls; ++i) {
    client.sessions.authenticate_jwt_local_async(
        p, [&results, i](stytch::Result<stytch::Session> r) { results.record(i, r); });
  }
  const auto submitted = std::chrono::steady_clock::now() - started;
  const bool all_came = results.wait_all(30s);
  sampler.stop();
  INFO("threads before the test " << threads_before << ", peak " << sampler.peak() << " in " << sampler.samples()
                                  << " samples; submitting took "
                                  << std::chrono::duration_cast<std::chrono::milliseconds>(submitted).count() << " ms");
  REQUIRE(all_came);
  std::lock_guard<std::mutex> lock(results.mutex);
  int ok = 0;
  int once = 0;
  for (const auto& seen : results.per_call) {
    ok += seen.ok ? 1 : 0;
    once += seen.times == 1 ? 1 : 0;
  }
  CHECK(ok == kCalls);
  CHECK(once == kCalls);
  CHECK(jwks.fetches() == 1);
  // Main, the sampler, the server's listener and its 2 workers, the client's
  // I/O thread: 6. A thread per waiting call would be thousands.
  CHECK(sampler.peak() <= 8);
  // Every parked call finished on the I/O thread, as callbacks do.
  CHECK(results.threads.size() == 1);
  CHECK(results.threads.count(std::this_thread::get_id()) == 0);
}

TEST_CASE("a failed JWKS fetch fails each waiting async verification once with its error", "[concurrency]") {
  SlowJwks jwks(std::chrono::milliseconds(300), 503);
  stytch::StytchClient client(options_for(jwks.base_url()));
  sessions::AuthenticateJwtLocalParams p;
  p.session_jwt = jwks.jwt();
  constexpr int kCalls = 100;
  BurstResults results(kCalls);
  for (int i = 0; i < kCalls; ++i) {
    client.sessions.authenticate_jwt_local_async(
        p, [&results, i](stytch::Result<stytch::Session> r) { results.record(i, r); });
  }
  REQUIRE(results.wait_all(10s));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // room for a second delivery, which must not come
  std::lock_guard<std::mutex> lock(results.mutex);
  CHECK(results.delivered == kCalls);
  int api_errors = 0;
  for (const auto& seen : results.per_call) {
    CHECK(seen.times == 1);
    api_errors += !seen.ok && seen.kind == ErrorKind::api ? 1 : 0;
  }
  CHECK(api_errors == kCalls);
  CHECK(jwks.fetches() == 1);
  CHECK(results.threads.size() == 1);  // the I/O thread, not a thread per call
  CHECK(results.threads.count(std::this_thread::get_id()) == 0);
}

TEST_CASE("destroying the last client cancels each async verification waiting for the keys once", "[concurrency]") {
  SlowJwks jwks(std::chrono::milliseconds(2000));
  std::optional<stytch::StytchClient> client(std::in_place, options_for(jwks.base_url()));
  sessions::AuthenticateJwtLocalParams local;
  local.session_jwt = jwks.jwt();
  sessions::AuthenticateJwtParams either;
  either.session_jwt = local.session_jwt;
  constexpr int kCalls = 50;
  BurstResults results(kCalls);
  std::vector<std::future<stytch::Result<stytch::Session>>> futures;
  std::vector<std::future<stytch::Result<sessions::AuthenticateJwtResponse>>> api_futures;
  for (int i = 0; i < kCalls; ++i) {
    client->sessions.authenticate_jwt_local_async(
        local, [&results, i](stytch::Result<stytch::Session> r) { results.record(i, r); });
    futures.push_back(client->sessions.authenticate_jwt_local_async(local));
    api_futures.push_back(client->sessions.authenticate_jwt_async(either));
  }
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (jwks.fetches() == 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
  REQUIRE(jwks.fetches() == 1);  // the fetch is under way, every call waits for it
  const auto start = std::chrono::steady_clock::now();
  client.reset();
  CHECK(std::chrono::steady_clock::now() - start < 1000ms);  // not the 2 s the fetch would take
  REQUIRE(results.wait_all(1s));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  {
    std::lock_guard<std::mutex> lock(results.mutex);
    CHECK(results.delivered == kCalls);
    int cancelled = 0;
    for (const auto& seen : results.per_call) cancelled += seen.times == 1 && seen.kind == ErrorKind::cancelled;
    CHECK(cancelled == kCalls);
  }
  int cancelled_futures = 0;
  for (auto& f : futures) {
    REQUIRE(f.wait_for(1s) == std::future_status::ready);
    auto r = f.get();
    cancelled_futures += !r && r.error().kind == ErrorKind::cancelled ? 1 : 0;
  }
  for (auto& f : api_futures) {
    REQUIRE(f.wait_for(1s) == std::future_status::ready);
    auto r = f.get();
    cancelled_futures += !r && r.error().kind == ErrorKind::cancelled ? 1 : 0;
  }
  CHECK(cancelled_futures == 2 * kCalls);
}

TEST_CASE("a blocking verification inside a callback waits for the keys without stopping the loop", "[concurrency]") {
  SlowJwks jwks(std::chrono::milliseconds(500));
  stytch::StytchClient client(options_for(jwks.base_url()));
  sessions::AuthenticateJwtLocalParams p;
  p.session_jwt = jwks.jwt();
  constexpr int kCalls = 20;
  BurstResults parked(kCalls);
  for (int i = 0; i < kCalls; ++i) {
    client.sessions.authenticate_jwt_local_async(
        p, [&parked, i](stytch::Result<stytch::Session> r) { parked.record(i, r); });
  }
  // A callback verifies blocking while the fetch the parked calls wait for
  // is under way: it runs the loop until the keys came.
  std::promise<std::pair<bool, int>> inside;
  client.otps.sms.send_async(sms_to(kPhone), [&](stytch::Result<stytch::otps::sms::SendResponse>) {
    auto r = client.sessions.authenticate_jwt_local(p);
    int delivered = 0;
    {
      std::lock_guard<std::mutex> lock(parked.mutex);
      delivered = parked.delivered;
    }
    inside.set_value({r.ok(), delivered});
  });
  auto seen = inside.get_future();
  REQUIRE(seen.wait_for(10s) == std::future_status::ready);
  const auto [verified, delivered_by_then] = seen.get();
  CHECK(verified);
  CHECK(delivered_by_then == kCalls);  // the parked calls finished inside the blocking one's loop
  REQUIRE(parked.wait_all(1s));
  CHECK(jwks.fetches() == 1);
}
