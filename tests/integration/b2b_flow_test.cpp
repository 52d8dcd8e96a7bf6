// The B2B calls of the SDK against stytch-mock, end to end over https: the
// login by email code that stops at MFA and finishes by SMS code, the member
// session and its JWT, discovery with several organizations, and the set-up
// calls. Every answer the mock gives goes through the SDK's decoders.

#include "client_fixture.hpp"
#include "mock_outbox.hpp"
#include "mock_server.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <map>
#include <memory>
#include <string>

using namespace stytch::test;
using nlohmann::json;
using stytch::ErrorKind;
namespace b2b = stytch::b2b;

namespace {

struct B2bFlow {
  stytch::mock::MockServer mock;
  stytch::StytchClient client;

  explicit B2bFlow(std::vector<std::string> seeds = {})
      : mock(options(std::move(seeds))), client((mock.start(), client_options(mock))) {}

  static stytch::mock::MockOptions options(std::vector<std::string> seeds) {
    stytch::mock::MockOptions o;
    o.project_id = kProjectId;
    o.secret = kSecret;
    o.https = true;
    o.b2b_seeds = std::move(seeds);
    return o;
  }
  static stytch::ClientOptions client_options(const stytch::mock::MockServer& m) {
    auto o = options_for(m.base_url());
    o.ca_file = m.ca_file();
    return o;
  }
  std::string code_for(const std::string& destination) const {
    std::string code = last_code(mock.port(), destination, /*https=*/true);
    REQUIRE_FALSE(code.empty());
    return code;
  }
};

template <typename Response>
Response b2bflow_ok(stytch::Result<Response> r) {
  if (!r) FAIL(r.error().message());
  return std::move(*r);
}

std::string b2bflow_api_error(const stytch::Error& e) {
  CHECK(e.kind == ErrorKind::api);
  return e.error_type;
}

}  // namespace

TEST_CASE("b2b flow: an email code login stops at MFA, the SMS code finishes it, the member session holds",
          "[b2b-flow]") {
  B2bFlow f;
  auto& b2bc = f.client.b2b;

  b2b::organizations::CreateParams org_params;
  org_params.organization_name = "Acme";
  org_params.organization_slug = "acme.eu";
  org_params.settings.mfa_policy = "REQUIRED_FOR_ALL";
  const auto org = b2bflow_ok(b2bc.organizations.create(org_params)).organization;
  CHECK(org.mfa_policy == "REQUIRED_FOR_ALL");
  CHECK(org.organization_slug == "acme.eu");

  b2b::organizations::members::CreateParams member_params;
  member_params.organization_id = "acme.eu";  // the slug works wherever an id does
  member_params.email_address = "ann@acme.io";
  member_params.name = "Ann";
  member_params.mfa_phone_number = "+12025550100";
  const auto created = b2bflow_ok(b2bc.organizations.members.create(member_params));
  CHECK(created.member.status == "active");
  CHECK(created.organization.organization_id == org.organization_id);
  const std::string member_id = created.member_id;

  b2b::otps::email::LoginOrSignupParams los;
  los.organization_id = org.organization_id;
  los.email_address = "ann@acme.io";
  const auto sent = b2bflow_ok(b2bc.otps.email.login_or_signup(los));
  CHECK_FALSE(sent.member_created);
  CHECK(sent.member_id == member_id);

  b2b::otps::email::AuthenticateParams login;
  login.organization_id = org.organization_id;
  login.email_address = "ann@acme.io";
  login.code = f.code_for("ann@acme.io");
  const auto stopped = b2bflow_ok(b2bc.otps.email.authenticate_async(login).get());
  CHECK_FALSE(stopped.member_authenticated);
  CHECK(stopped.session_token.empty());
  CHECK(stopped.session_jwt.empty());
  CHECK_FALSE(stopped.member_session);
  CHECK_FALSE(stopped.intermediate_session_token.empty());
  CHECK_FALSE(stopped.method_id.empty());
  CHECK(stopped.member.email_address_verified);
  REQUIRE(stopped.mfa_required);
  CHECK(stopped.mfa_required->mfa_phone_number == "+12025550100");
  CHECK(stopped.mfa_required->secondary_auth_initiated == "sms_otp");
  CHECK_FALSE(stopped.primary_required);

  // The same code again: used.
  auto again = b2bc.otps.email.authenticate(login);
  REQUIRE_FALSE(again);
  CHECK(b2bflow_api_error(again.error()) == "unable_to_auth_otp_code");

  // Re-send the SMS (the first code is void), then finish MFA with the IST.
  const std::string first_sms = f.code_for("+12025550100");
  b2b::otps::sms::SendParams resend;
  resend.organization_id = org.organization_id;
  resend.member_id = member_id;
  resend.intermediate_session_token = stopped.intermediate_session_token;
  CHECK(b2bflow_ok(b2bc.otps.sms.send(resend)).member.mfa_phone_number == "+12025550100");
  b2b::otps::sms::AuthenticateParams mfa;
  mfa.organization_id = org.organization_id;
  mfa.member_id = member_id;
  mfa.intermediate_session_token = stopped.intermediate_session_token;
  mfa.session_custom_claims = json{{"plan", "enterprise"}};
  mfa.code = f.code_for("+12025550100");
  if (first_sms != mfa.code) {
    b2b::otps::sms::AuthenticateParams stale = mfa;
    stale.code = first_sms;
    auto voided = b2bc.otps.sms.authenticate(stale);
    REQUIRE_FALSE(voided);
    CHECK(voided.error().kind == ErrorKind::api);
  }
  std::promise<stytch::Result<b2b::otps::sms::AuthenticateResponse>> finished_promise;
  b2bc.otps.sms.authenticate_async(
      mfa, [&](stytch::Result<b2b::otps::sms::AuthenticateResponse> r) { finished_promise.set_value(std::move(r)); });
  const auto finished = b2bflow_ok(finished_promise.get_future().get());
  REQUIRE(finished.member_session);
  CHECK(finished.member.mfa_phone_number_verified);
  CHECK(finished.member.mfa_enrolled);
  CHECK(finished.member_session->organization_id == org.organization_id);
  CHECK(finished.member_session->authentication_factors.size() == 2);
  CHECK_FALSE(finished.session_token.empty());

  // The JWT, verified here: the organization claim and the custom claim.
  b2b::sessions::AuthenticateJwtLocalParams local;
  local.session_jwt = finished.session_jwt;
  const auto verified = b2bflow_ok(b2bc.sessions.authenticate_jwt_local(local));
  CHECK(verified.member_id == member_id);
  CHECK(verified.organization_id == org.organization_id);
  CHECK(verified.organization_slug == "acme.eu");
  CHECK(verified.member_session_id == finished.member_session->member_session_id);
  CHECK(verified.custom_claims == json{{"plan", "enterprise"}});
  b2b::sessions::AuthenticateJwtParams jwt_params;
  jwt_params.session_jwt = finished.session_jwt;
  CHECK(b2bflow_ok(b2bc.sessions.authenticate_jwt(jwt_params)).verified_locally);
  CHECK(b2bflow_ok(b2bc.sessions.get_jwks()).keys.size() >= 1);

  // The session through the API, listed, then revoked with all of the member's.
  b2b::sessions::AuthenticateParams by_token;
  by_token.session_token = finished.session_token;
  by_token.authorization_check = b2b::sessions::AuthorizationCheck{org.organization_id, "documents", "write"};
  auto refused = b2bc.sessions.authenticate(by_token);  // a plain member: the mock grants admins only
  REQUIRE_FALSE(refused);
  CHECK(refused.error().http_status == 403);
  CHECK(b2bflow_api_error(refused.error()) == "session_authorization_error");
  by_token.authorization_check.reset();
  const auto checked = b2bflow_ok(b2bc.sessions.authenticate(by_token));
  CHECK(checked.granting_roles.empty());
  CHECK(checked.member_session.member_id == member_id);
  CHECK(checked.member.member_id == member_id);
  b2b::sessions::GetParams get;
  get.organization_id = org.organization_id;
  get.member_id = member_id;
  CHECK(b2bflow_ok(b2bc.sessions.get(get)).member_sessions.size() == 1);
  b2b::sessions::RevokeParams revoke;
  revoke.member_id = member_id;
  b2bflow_ok(b2bc.sessions.revoke(revoke));
  auto gone = b2bc.sessions.authenticate(by_token);
  REQUIRE_FALSE(gone);
  CHECK(b2bflow_api_error(gone.error()) == "session_not_found");
  CHECK(b2bflow_ok(b2bc.sessions.get(get)).member_sessions.empty());
}

TEST_CASE("b2b flow: discovery lists member, invited and eligible organizations, exchange joins, create makes one",
          "[b2b-flow]") {
  B2bFlow f({R"({"organizations": [
      {"organization_name": "Member Org", "organization_slug": "member-org",
       "members": [{"email_address": "dee@beta.io"}]},
      {"organization_name": "Beta Domain", "organization_slug": "beta-domain",
       "email_allowed_domains": ["beta.io"], "email_jit_provisioning": "RESTRICTED",
       "members": [{"email_address": "boss@beta.io", "email_address_verified": true}]},
      {"organization_name": "Closed", "organization_slug": "closed", "email_allowed_domains": ["beta.io"]}]})"});
  auto& b2bc = f.client.b2b;

  b2b::otps::email::discovery::SendParams send;
  send.email_address = "dee@beta.io";
  b2bflow_ok(b2bc.otps.email.discovery.send(send));
  b2b::otps::email::discovery::AuthenticateParams auth;
  auth.email_address = "dee@beta.io";
  auth.code = f.code_for("dee@beta.io");
  const auto found = b2bflow_ok(b2bc.otps.email.discovery.authenticate(auth));
  CHECK(found.email_address == "dee@beta.io");
  CHECK_FALSE(found.intermediate_session_token.empty());
  std::map<std::string, std::string> relation;  // slug -> membership type
  for (const auto& d : found.discovered_organizations) {
    REQUIRE(d.organization);
    REQUIRE(d.membership);
    relation[d.organization->organization_slug] = d.membership->type;
  }
  CHECK(relation == std::map<std::string, std::string>{{"member-org", "active_member"},
                                                       {"beta-domain", "eligible_to_join_by_email_domain"}});

  b2b::discovery::organizations::ListParams list;
  list.intermediate_session_token = found.intermediate_session_token;
  CHECK(b2bflow_ok(b2bc.discovery.organizations.list(list)).discovered_organizations.size() == 2);

  // Join by email domain: a new member, logged in (the org asks no MFA).
  b2b::discovery::intermediate_sessions::ExchangeParams exchange;
  exchange.intermediate_session_token = found.intermediate_session_token;
  exchange.organization_id = "beta-domain";
  const auto joined = b2bflow_ok(b2bc.discovery.intermediate_sessions.exchange(exchange));
  CHECK(joined.member_authenticated);
  CHECK(joined.member.email_address == "dee@beta.io");
  CHECK(joined.organization.organization_slug == "beta-domain");
  REQUIRE(joined.member_session);
  CHECK(joined.intermediate_session_token.empty());

  // A fresh discovery login creates an organization with the user as admin.
  b2bflow_ok(b2bc.otps.email.discovery.send(send));
  auth.code = f.code_for("dee@beta.io");
  const auto second = b2bflow_ok(b2bc.otps.email.discovery.authenticate(auth));
  b2b::discovery::organizations::CreateParams create;
  create.intermediate_session_token = second.intermediate_session_token;
  create.organization_name = "Dee's Team";
  create.organization_slug = "dees-team";
  const auto made = b2bflow_ok(b2bc.discovery.organizations.create(create));
  CHECK(made.member_authenticated);
  CHECK(made.organization.organization_slug == "dees-team");
  CHECK(made.member.is_admin);
  b2b::sessions::AuthenticateParams admin_check;
  admin_check.session_jwt = made.session_jwt;
  admin_check.authorization_check =
      b2b::sessions::AuthorizationCheck{made.organization.organization_id, "documents", "write"};
  const auto granted = b2bflow_ok(b2bc.sessions.authenticate(admin_check));
  CHECK(granted.granting_roles == std::vector<std::string>{"stytch_admin"});

  // The session moves to an org where the member exists.
  b2b::sessions::ExchangeParams move;
  move.organization_id = "member-org";
  move.session_token = made.session_token;
  const auto moved = b2bflow_ok(b2bc.sessions.exchange(move));
  CHECK(moved.organization.organization_slug == "member-org");
  CHECK(moved.member.email_address == "dee@beta.io");

  // Look-ups by id, slug, member id and email.
  b2b::organizations::GetParams org_get;
  org_get.organization_id = "closed";
  CHECK(b2bflow_ok(b2bc.organizations.get(org_get)).organization.organization_name == "Closed");
  b2b::organizations::members::GetParams by_email;
  by_email.organization_id = "beta-domain";
  by_email.email_address = "dee@beta.io";
  const auto looked_up = b2bflow_ok(b2bc.organizations.members.get(by_email));
  CHECK(looked_up.member.member_id == joined.member_id);
  b2b::organizations::members::GetParams unknown;
  unknown.organization_id = "beta-domain";
  unknown.member_id = "member-test-00000000-0000-4000-8000-000000000000";
  auto missing = b2bc.organizations.members.get(unknown);
  REQUIRE_FALSE(missing);
  CHECK(b2bflow_api_error(missing.error()) == "member_not_found");
}

TEST_CASE("b2b flow: an expired member JWT is refreshed through the API while its session lives (ClientOptions::clock)",
          "[b2b-flow]") {
  auto ahead = std::make_shared<std::atomic<long>>(0);
  stytch::mock::MockOptions mock_options = B2bFlow::options({});
  stytch::mock::MockServer mock(mock_options);
  mock.start();
  auto options = B2bFlow::client_options(mock);
  options.clock = [ahead] { return std::chrono::system_clock::now() + std::chrono::seconds(ahead->load()); };
  stytch::StytchClient client(options);

  b2b::organizations::CreateParams org;
  org.organization_name = "Clocked";
  const auto made = b2bflow_ok(client.b2b.organizations.create(org));
  b2b::organizations::members::CreateParams member;
  member.organization_id = made.organization.organization_id;
  member.email_address = "cat@clocked.io";
  b2bflow_ok(client.b2b.organizations.members.create(member));
  b2b::otps::email::LoginOrSignupParams los;
  los.organization_id = made.organization.organization_id;
  los.email_address = "cat@clocked.io";
  b2bflow_ok(client.b2b.otps.email.login_or_signup(los));
  b2b::otps::email::AuthenticateParams login;
  login.organization_id = made.organization.organization_id;
  login.email_address = "cat@clocked.io";
  login.code = last_code(mock.port(), "cat@clocked.io", /*https=*/true);
  const auto in = b2bflow_ok(client.b2b.otps.email.authenticate(login));
  REQUIRE(in.member_authenticated);  // OPTIONAL policy, not enrolled: no MFA

  // 10 minutes later for both: the 5-minute JWT expired, the 60-minute session lives.
  mock.advance_clock(600);
  *ahead += 600;
  b2b::sessions::AuthenticateJwtLocalParams local;
  local.session_jwt = in.session_jwt;
  auto stale = client.b2b.sessions.authenticate_jwt_local(local);
  REQUIRE_FALSE(stale);
  CHECK(stale.error().error_type == "jwt_expired");
  b2b::sessions::AuthenticateJwtParams jwt;
  jwt.session_jwt = in.session_jwt;
  const auto refreshed = b2bflow_ok(client.b2b.sessions.authenticate_jwt_async(jwt).get());
  CHECK_FALSE(refreshed.verified_locally);
  CHECK(refreshed.session_jwt != in.session_jwt);
  CHECK(refreshed.member_session.organization_id == made.organization.organization_id);
  local.session_jwt = refreshed.session_jwt;
  CHECK(client.b2b.sessions.authenticate_jwt_local(local));

  // Past the session's end: the API's refusal comes back.
  mock.advance_clock(3600);
  *ahead += 3600;
  auto over = client.b2b.sessions.authenticate_jwt(jwt);
  REQUIRE_FALSE(over);
  CHECK(b2bflow_api_error(over.error()) == "session_not_found");
}
