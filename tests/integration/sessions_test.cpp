// The sessions API through real libcurl against stytch-mock: a login, then
// its session JWT verified locally, refreshed, revoked; key rotation; the
// JWKS fetch count under a flood of forged kids; and a JWKS server that is
// down while keys are cached.

#include "client_fixture.hpp"
#include "jwt_signer.hpp"
#include "mock_outbox.hpp"
#include "mock_server.hpp"
#include "session_verifier.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <future>

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

  /// Moves the client's verification clock as the mock's moves.
  void advance_both(long seconds) {
    mock.advance_clock(seconds);
    offset += seconds;
    stytch::internal::SessionsTestAccess::verifier(client.sessions).set_clock([ahead = offset] {
      return std::chrono::system_clock::now() + std::chrono::seconds(ahead);
    });
  }

  long offset = 0;

  stytch::mock::MockServer mock;
  stytch::StytchClient client{options_for(mock.base_url())};
};

std::string error_type(const stytch::Error& e) { return e.error_type; }

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

TEST_CASE("get lists the active sessions; revoke ends one, whose JWT still verifies locally until exp") {
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
