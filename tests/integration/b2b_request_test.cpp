// The B2B calls against a scripted server: the exact request each call puts
// on the wire (method, path and query, body), the decoding of a
// Stytch-shaped answer in all three forms, the mapping of error answers,
// refusals before sending, and what authenticate_jwt asks the API.

#include "client_fixture.hpp"
#include "jwt_signer.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <vector>

using namespace stytch::test;
using nlohmann::json;
using stytch::ErrorKind;
namespace b2b = stytch::b2b;

namespace {

json b2breq_member() {
  return {{"organization_id", "organization-test-1"},
          {"member_id", "member-test-1"},
          {"email_address", "ada@acme.example"},
          {"email_address_verified", true},
          {"status", "active"},
          {"name", "Ada"},
          {"mfa_phone_number", "+12025550162"},
          {"mfa_phone_number_verified", true},
          {"mfa_enrolled", false},
          {"default_mfa_method", "sms_otp"},
          {"totp_registration_id", ""},
          {"is_breakglass", false},
          {"is_admin", true},
          {"is_locked", false},
          {"roles", json::array({{{"role_id", "stytch_admin"},
                                  {"sources", json::array({{{"type", "direct_assignment"}, {"details", nullptr}}})}}})},
          {"external_id", "ext|1"},
          {"created_at", "2027-01-15T08:00:00Z"},
          {"updated_at", "2027-01-15T08:00:00Z"},
          {"trusted_metadata", {{"tier", 1}}},
          {"untrusted_metadata", nullptr},
          {"sso_registrations", json::array()}};
}

json b2breq_organization() {
  return {{"organization_id", "organization-test-1"},
          {"organization_name", "Acme"},
          {"organization_slug", "acme.co"},
          {"organization_logo_url", ""},
          {"organization_external_id", nullptr},
          {"email_allowed_domains", json::array({"acme.example"})},
          {"email_jit_provisioning", "RESTRICTED"},
          {"email_invites", "ALL_ALLOWED"},
          {"sso_jit_provisioning", "ALL_ALLOWED"},
          {"auth_methods", "ALL_ALLOWED"},
          {"allowed_auth_methods", json::array()},
          {"mfa_policy", "REQUIRED_FOR_ALL"},
          {"mfa_methods", "ALL_ALLOWED"},
          {"allowed_mfa_methods", json::array()},
          {"created_at", "2027-01-15T08:00:00Z"},
          {"updated_at", "2027-01-15T08:00:00Z"},
          {"trusted_metadata", nullptr}};
}

json b2breq_member_session() {
  return {
      {"member_session_id", "member-session-test-1"},
      {"member_id", "member-test-1"},
      {"organization_id", "organization-test-1"},
      {"organization_slug", "acme.co"},
      {"started_at", "2027-01-15T08:00:00Z"},
      {"last_accessed_at", "2027-01-15T08:00:00Z"},
      {"expires_at", "2027-01-15T09:00:00Z"},
      {"authentication_factors",
       json::array({{{"type", "otp"}, {"delivery_method", "sms"}, {"last_authenticated_at", "2027-01-15T08:00:00Z"}}})},
      {"roles", json::array({"stytch_member", "stytch_admin"})},
      {"custom_claims", nullptr}};
}

json b2breq_answer(json fields) {
  fields["status_code"] = 200;
  fields["request_id"] = "request-id-test-b2b";
  return fields;
}

json b2breq_login(bool authenticated) {
  json out = {
      {"member_id", "member-test-1"},
      {"member", b2breq_member()},
      {"organization", b2breq_organization()},
      {"member_authenticated", authenticated},
      {"session_token", authenticated ? "session-token-1" : ""},
      {"session_jwt", authenticated ? "session-jwt-1" : ""},
      {"intermediate_session_token", authenticated ? "" : "ist-1"},
      {"intermediate_session_token_expires_at", authenticated ? "" : "2027-01-15T08:10:00Z"},
      {"member_session", authenticated ? b2breq_member_session() : json(nullptr)},
      {"mfa_required",
       authenticated ? json(nullptr)
                     : json{{"member_options", {{"mfa_phone_number", "+12025550162"}, {"totp_registration_id", ""}}},
                            {"secondary_auth_initiated", "sms_otp"}}},
      {"primary_required", nullptr},
      {"member_device", nullptr}};
  return b2breq_answer(out);
}

// A server that answers every request with the next scripted answer and
// keeps each request's raw target (path and query, as sent).
struct B2bScript {
  std::mutex mutex;
  std::vector<std::string> targets;
  json answer;
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string raw_body;  // sent as is when not empty
  TestServer server{[this](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> guard(mutex);
    targets.push_back(req.target);
    for (const auto& [name, value] : headers) res.set_header(name, value);
    res.status = status;
    res.set_content(raw_body.empty() ? answer.dump() : raw_body, "application/json");
  }};

  stytch::StytchClient client() { return stytch::StytchClient(options_for(server.base_url())); }
  RecordedRequest last() {
    auto all = server.requests();
    REQUIRE_FALSE(all.empty());
    return all.back();
  }
  std::string last_target() {
    std::lock_guard<std::mutex> guard(mutex);
    REQUIRE_FALSE(targets.empty());
    return targets.back();
  }
  json last_body() { return json::parse(last().body); }
};

template <typename Response>
Response b2breq_ok(const stytch::Result<Response>& r) {
  if (!r) FAIL(r.error().error_message);
  return *r;
}

}  // namespace

TEST_CASE("b2b otps.sms: send and authenticate put their exact bodies on the wire") {
  B2bScript s;
  auto client = s.client();
  s.answer = b2breq_answer(
      {{"member_id", "member-test-1"}, {"member", b2breq_member()}, {"organization", b2breq_organization()}});
  b2b::otps::sms::SendParams send;
  send.organization_id = "organization-test-1";
  send.member_id = "member-test-1";
  send.mfa_phone_number = "+12025550162";
  send.locale = "es";
  send.intermediate_session_token = "ist-1";
  auto sent = b2breq_ok(client.b2b.otps.sms.send(send));
  CHECK(s.last().method == "POST");
  CHECK(s.last_target() == "/v1/b2b/otps/sms/send");
  CHECK(s.last_body() == json{{"organization_id", "organization-test-1"},
                              {"member_id", "member-test-1"},
                              {"mfa_phone_number", "+12025550162"},
                              {"locale", "es"},
                              {"intermediate_session_token", "ist-1"}});
  CHECK(sent.member.mfa_phone_number == "+12025550162");
  CHECK(sent.organization.mfa_policy == "REQUIRED_FOR_ALL");
  CHECK(sent.request_id == "request-id-test-b2b");
  CHECK(sent.raw.at("member").at("external_id") == "ext|1");

  s.answer = b2breq_answer({{"member_id", "member-test-1"},
                            {"member", b2breq_member()},
                            {"organization", b2breq_organization()},
                            {"session_token", "session-token-1"},
                            {"session_jwt", "session-jwt-1"},
                            {"member_session", b2breq_member_session()},
                            {"member_device", nullptr}});
  b2b::otps::sms::AuthenticateParams auth;
  auth.organization_id = "organization-test-1";
  auth.member_id = "member-test-1";
  auth.code = "123456";
  auth.intermediate_session_token = "ist-1";
  auth.session_duration_minutes = 30;
  auth.session_custom_claims = json{{"plan", "pro"}};
  auth.set_mfa_enrollment = "enroll";
  auth.set_default_mfa = false;
  auto done = b2breq_ok(client.b2b.otps.sms.authenticate_async(auth).get());
  CHECK(s.last_target() == "/v1/b2b/otps/sms/authenticate");
  CHECK(s.last_body() == json{{"organization_id", "organization-test-1"},
                              {"member_id", "member-test-1"},
                              {"code", "123456"},
                              {"intermediate_session_token", "ist-1"},
                              {"session_duration_minutes", 30},
                              {"session_custom_claims", {{"plan", "pro"}}},
                              {"set_mfa_enrollment", "enroll"},
                              {"set_default_mfa", false}});
  REQUIRE(done.member_session);
  CHECK(done.member_session->organization_slug == "acme.co");
  CHECK(done.session_token == "session-token-1");
}

TEST_CASE("b2b otps.email and discovery: login_or_signup, authenticate stopping at MFA, discovery send/authenticate") {
  B2bScript s;
  auto client = s.client();
  s.answer = b2breq_answer({{"member_id", "member-test-1"},
                            {"member_created", true},
                            {"member", b2breq_member()},
                            {"organization", b2breq_organization()}});
  b2b::otps::email::LoginOrSignupParams los;
  los.organization_id = "acme.co";
  los.email_address = "ada@acme.example";
  los.login_expiration_minutes = 5;
  auto signed_up = b2breq_ok(client.b2b.otps.email.login_or_signup(los));
  CHECK(s.last_target() == "/v1/b2b/otps/email/login_or_signup");
  CHECK(s.last_body() ==
        json{{"organization_id", "acme.co"}, {"email_address", "ada@acme.example"}, {"login_expiration_minutes", 5}});
  CHECK(signed_up.member_created);

  s.answer = b2breq_login(false);
  b2b::otps::email::AuthenticateParams auth;
  auth.organization_id = "acme.co";
  auth.email_address = "ada@acme.example";
  auth.code = "654321";
  auth.locale = "fr";
  std::promise<stytch::Result<b2b::LoginResponse>> got;
  client.b2b.otps.email.authenticate_async(auth, [&got](stytch::Result<b2b::LoginResponse> r) { got.set_value(r); });
  auto login = b2breq_ok(got.get_future().get());
  CHECK(s.last_target() == "/v1/b2b/otps/email/authenticate");
  CHECK(s.last_body() == json{{"organization_id", "acme.co"},
                              {"email_address", "ada@acme.example"},
                              {"code", "654321"},
                              {"locale", "fr"}});
  CHECK_FALSE(login.member_authenticated);
  CHECK(login.intermediate_session_token == "ist-1");
  CHECK(login.intermediate_session_token_expires_at == "2027-01-15T08:10:00Z");
  CHECK(login.session_token.empty());
  CHECK_FALSE(login.member_session);
  REQUIRE(login.mfa_required);
  CHECK(login.mfa_required->mfa_phone_number == "+12025550162");
  CHECK(login.mfa_required->secondary_auth_initiated == "sms_otp");
  CHECK_FALSE(login.primary_required);

  s.answer = b2breq_answer({});
  b2b::otps::email::discovery::SendParams dsend;
  dsend.email_address = "ada@acme.example";
  dsend.discovery_expiration_minutes = 15;
  b2breq_ok(client.b2b.otps.email.discovery.send(dsend));
  CHECK(s.last_target() == "/v1/b2b/otps/email/discovery/send");
  CHECK(s.last_body() == json{{"email_address", "ada@acme.example"}, {"discovery_expiration_minutes", 15}});

  s.answer = b2breq_answer(
      {{"intermediate_session_token", "ist-discovery"},
       {"email_address", "ada@acme.example"},
       {"discovered_organizations",
        json::array({{{"member_authenticated", false},
                      {"organization", b2breq_organization()},
                      {"membership", {{"type", "active_member"}, {"details", nullptr}, {"member", b2breq_member()}}},
                      {"primary_required", nullptr},
                      {"mfa_required", {{"member_options", nullptr}, {"secondary_auth_initiated", nullptr}}}},
                     {{"member_authenticated", false},
                      {"organization", b2breq_organization()},
                      {"membership",
                       {{"type", "eligible_to_join_by_email_domain"},
                        {"details", {{"domain", "acme.example"}}},
                        {"member", nullptr}}},
                      {"primary_required", nullptr},
                      {"mfa_required", nullptr}}})}});
  b2b::otps::email::discovery::AuthenticateParams dauth;
  dauth.email_address = "ada@acme.example";
  dauth.code = "111111";
  auto found = b2breq_ok(client.b2b.otps.email.discovery.authenticate(dauth));
  CHECK(s.last_target() == "/v1/b2b/otps/email/discovery/authenticate");
  CHECK(s.last_body() == json{{"email_address", "ada@acme.example"}, {"code", "111111"}});
  CHECK(found.intermediate_session_token == "ist-discovery");
  REQUIRE(found.discovered_organizations.size() == 2);
  REQUIRE(found.discovered_organizations[0].membership);
  CHECK(found.discovered_organizations[0].membership->member);
  REQUIRE(found.discovered_organizations[0].mfa_required);
  CHECK(found.discovered_organizations[0].mfa_required->secondary_auth_initiated.empty());
  CHECK(found.discovered_organizations[1].membership->type == "eligible_to_join_by_email_domain");
  CHECK_FALSE(found.discovered_organizations[1].membership->member);
  CHECK(found.discovered_organizations[1].membership->details.at("domain") == "acme.example");
}

TEST_CASE("b2b discovery: exchange, list and create send their bodies, settings are flattened") {
  B2bScript s;
  auto client = s.client();
  s.answer = b2breq_login(true);
  b2b::discovery::intermediate_sessions::ExchangeParams ex;
  ex.intermediate_session_token = "ist-discovery";
  ex.organization_id = "organization-test-1";
  ex.session_duration_minutes = 60;
  auto joined = b2breq_ok(client.b2b.discovery.intermediate_sessions.exchange(ex));
  CHECK(s.last_target() == "/v1/b2b/discovery/intermediate_sessions/exchange");
  CHECK(s.last_body() == json{{"intermediate_session_token", "ist-discovery"},
                              {"organization_id", "organization-test-1"},
                              {"session_duration_minutes", 60}});
  CHECK(joined.member_authenticated);
  REQUIRE(joined.member_session);
  CHECK(joined.member_session->roles == std::vector<std::string>{"stytch_member", "stytch_admin"});

  s.answer = b2breq_answer({{"email_address", "ada@acme.example"},
                            {"discovered_organizations", json::array()},
                            {"organization_id_hint", nullptr}});
  b2b::discovery::organizations::ListParams list;
  list.session_jwt = "session-jwt-1";
  auto listed = b2breq_ok(client.b2b.discovery.organizations.list(list));
  CHECK(s.last_target() == "/v1/b2b/discovery/organizations");
  CHECK(s.last_body() == json{{"session_jwt", "session-jwt-1"}});
  CHECK(listed.organization_id_hint.empty());

  s.answer = b2breq_login(false);
  b2b::discovery::organizations::CreateParams create;
  create.intermediate_session_token = "ist-discovery";
  create.organization_name = "Acme";
  create.organization_slug = "acme.co";
  create.settings.mfa_policy = "REQUIRED_FOR_ALL";
  create.settings.email_allowed_domains = std::vector<std::string>{"acme.example"};
  create.trusted_metadata = json{{"tier", 1}};
  auto created = b2breq_ok(client.b2b.discovery.organizations.create(create));
  CHECK(s.last_target() == "/v1/b2b/discovery/organizations/create");
  CHECK(s.last_body() == json{{"intermediate_session_token", "ist-discovery"},
                              {"organization_name", "Acme"},
                              {"organization_slug", "acme.co"},
                              {"trusted_metadata", {{"tier", 1}}},
                              {"mfa_policy", "REQUIRED_FOR_ALL"},
                              {"email_allowed_domains", json::array({"acme.example"})}});
  CHECK_FALSE(created.member_authenticated);
}

TEST_CASE("b2b sessions: authenticate, get (query), revoke, exchange") {
  B2bScript s;
  auto client = s.client();
  s.answer = b2breq_answer({{"member_session", b2breq_member_session()},
                            {"session_token", "session-token-1"},
                            {"session_jwt", "session-jwt-2"},
                            {"member", b2breq_member()},
                            {"organization", b2breq_organization()},
                            {"verdict", {{"authorized", true}, {"granting_roles", json::array({"stytch_admin"})}}}});
  b2b::sessions::AuthenticateParams auth;
  auth.session_token = "session-token-1";
  auth.authorization_check = b2b::sessions::AuthorizationCheck{"organization-test-1", "documents", "read"};
  auto authed = b2breq_ok(client.b2b.sessions.authenticate(auth));
  CHECK(s.last_target() == "/v1/b2b/sessions/authenticate");
  CHECK(s.last_body() ==
        json{{"session_token", "session-token-1"},
             {"authorization_check",
              {{"organization_id", "organization-test-1"}, {"resource_id", "documents"}, {"action", "read"}}}});
  CHECK(authed.granting_roles == std::vector<std::string>{"stytch_admin"});
  CHECK(authed.member_session.member_session_id == "member-session-test-1");

  s.answer = b2breq_answer({{"member_sessions", json::array({b2breq_member_session()})}});
  b2b::sessions::GetParams get;
  get.organization_id = "acme.co|eu";
  get.member_id = "ext|1";
  auto listed = b2breq_ok(client.b2b.sessions.get(get));
  CHECK(s.last().method == "GET");
  CHECK(s.last_target() == "/v1/b2b/sessions?organization_id=acme.co%7Ceu&member_id=ext%7C1");
  CHECK(s.last().body.empty());
  REQUIRE(listed.member_sessions.size() == 1);

  s.answer = b2breq_answer({});
  b2b::sessions::RevokeParams revoke;
  revoke.member_id = "member-test-1";
  b2breq_ok(client.b2b.sessions.revoke(revoke));
  CHECK(s.last_target() == "/v1/b2b/sessions/revoke");
  CHECK(s.last_body() == json{{"member_id", "member-test-1"}});

  s.answer = b2breq_login(true);
  b2b::sessions::ExchangeParams ex;
  ex.organization_id = "organization-test-2";
  ex.session_token = "session-token-1";
  ex.locale = "de-DE";
  b2breq_ok(client.b2b.sessions.exchange(ex));
  CHECK(s.last_target() == "/v1/b2b/sessions/exchange");
  CHECK(s.last_body() ==
        json{{"organization_id", "organization-test-2"}, {"session_token", "session-token-1"}, {"locale", "de-DE"}});
}

TEST_CASE("b2b organizations and members: ids URL-encoded in the path, organization_id in the path only") {
  B2bScript s;
  auto client = s.client();
  s.answer = b2breq_answer({{"organization", b2breq_organization()}});
  b2b::organizations::CreateParams create;
  create.organization_name = "Acme";
  create.settings.email_jit_provisioning = "RESTRICTED";
  create.settings.allowed_mfa_methods = std::vector<std::string>{"sms_otp"};
  auto org = b2breq_ok(client.b2b.organizations.create(create));
  CHECK(s.last_target() == "/v1/b2b/organizations");
  CHECK(s.last_body() == json{{"organization_name", "Acme"},
                              {"email_jit_provisioning", "RESTRICTED"},
                              {"allowed_mfa_methods", json::array({"sms_otp"})}});
  CHECK(org.organization.email_allowed_domains == std::vector<std::string>{"acme.example"});

  b2b::organizations::GetParams get;
  get.organization_id = "acme.co|eu";
  b2breq_ok(client.b2b.organizations.get(get));
  CHECK(s.last().method == "GET");
  CHECK(s.last_target() == "/v1/b2b/organizations/acme.co%7Ceu");

  s.answer = b2breq_answer(
      {{"member_id", "member-test-1"}, {"member", b2breq_member()}, {"organization", b2breq_organization()}});
  b2b::organizations::members::CreateParams member;
  member.organization_id = "acme.co|eu";
  member.email_address = "ada@acme.example";
  member.mfa_phone_number = "+12025550162";
  member.roles = std::vector<std::string>{"stytch_admin"};
  member.create_member_as_pending = false;
  auto made = b2breq_ok(client.b2b.organizations.members.create(member));
  CHECK(s.last_target() == "/v1/b2b/organizations/acme.co%7Ceu/members");
  CHECK(s.last_body() == json{{"email_address", "ada@acme.example"},
                              {"mfa_phone_number", "+12025550162"},
                              {"roles", json::array({"stytch_admin"})},
                              {"create_member_as_pending", false}});
  CHECK(made.member.roles.at(0).sources.at(0).type == "direct_assignment");

  b2b::organizations::members::GetParams by_email;
  by_email.organization_id = "organization-test-1";
  by_email.email_address = "ada+b2b@acme.example";
  b2breq_ok(client.b2b.organizations.members.get(by_email));
  CHECK(s.last().method == "GET");
  CHECK(s.last_target() == "/v1/b2b/organizations/organization-test-1/member?email_address=ada%2Bb2b%40acme.example");
}

TEST_CASE("b2b error answers map as consumer ones, without the request's secrets in the text") {
  B2bScript s;
  auto client = s.client();
  b2b::otps::email::AuthenticateParams auth;
  auth.organization_id = "organization-test-1";
  auth.email_address = "ada@acme.example";
  auth.code = "987654";

  struct Case {
    int status;
    std::string body;
    ErrorKind kind;
    std::string type;
  };
  const std::vector<Case> cases = {
      {400,
       R"({"status_code":400,"request_id":"r1","error_type":"invalid_email","error_message":"bad ada@acme.example 987654","error_url":"u"})",
       ErrorKind::api, "invalid_email"},
      {401,
       R"({"status_code":401,"request_id":"r2","error_type":"unable_to_auth_otp_code","error_message":"expired","error_url":"u"})",
       ErrorKind::api, "unable_to_auth_otp_code"},
      {404,
       R"({"status_code":404,"request_id":"r3","error_type":"otp_code_not_found","error_message":"no code 987654","error_url":"u"})",
       ErrorKind::api, "otp_code_not_found"},
      {500, "<html>upstream down, code 987654 for ada@acme.example</html>", ErrorKind::decode, ""},
  };
  for (const auto& c : cases) {
    s.status = c.status;
    s.raw_body = c.body;
    auto r = client.b2b.otps.email.authenticate(auth);
    REQUIRE_FALSE(r);
    INFO(c.status);
    CHECK(r.error().kind == c.kind);
    CHECK(r.error().http_status == c.status);
    CHECK(r.error().error_type == c.type);
    CHECK(r.error().may_have_reached_server);
    const std::string text = r.error().error_message + r.error().body_excerpt + r.error().raw.dump();
    CHECK(text.find("987654") == std::string::npos);
    CHECK(text.find("ada@acme.example") == std::string::npos);
  }

  s.status = 429;
  s.raw_body =
      R"({"status_code":429,"request_id":"r4","error_type":"too_many_requests","error_message":"slow down","error_url":"u"})";
  s.headers = {{"Retry-After", "7"}};
  auto limited = client.b2b.organizations.members.get_async(
      b2b::organizations::members::GetParams{"organization-test-1", std::string("member-test-1"), std::nullopt});
  auto r = limited.get();
  REQUIRE_FALSE(r);
  CHECK(r.error().error_type == "too_many_requests");
  CHECK(r.error().retry_after == std::chrono::milliseconds(7000));
}

TEST_CASE("b2b input a standard rules out is refused before anything is sent") {
  B2bScript s;
  auto client = s.client();
  auto refused = [](const auto& r) {
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::invalid_argument);
    return r.error().error_message;
  };
  b2b::otps::sms::SendParams send;
  send.organization_id = "organization-test-1";
  send.member_id = "member-test-1";
  send.mfa_phone_number = "2025550162";
  CHECK(refused(client.b2b.otps.sms.send(send)).find("mfa_phone_number") != std::string::npos);

  b2b::otps::sms::AuthenticateParams both;
  both.organization_id = "organization-test-1";
  both.member_id = "member-test-1";
  both.code = "123456";
  both.intermediate_session_token = "ist-1";
  both.session_token = "session-token-1";
  refused(client.b2b.otps.sms.authenticate(both));
  both.intermediate_session_token.reset();
  both.session_token.reset();
  refused(client.b2b.otps.sms.authenticate(both));

  b2b::sessions::RevokeParams none;
  refused(client.b2b.sessions.revoke(none));
  b2b::organizations::members::GetParams two;
  two.organization_id = "organization-test-1";
  two.member_id = "member-test-1";
  two.email_address = "ada@acme.example";
  refused(client.b2b.organizations.members.get(two));
  b2b::organizations::GetParams empty;
  refused(client.b2b.organizations.get(empty));
  b2b::otps::email::discovery::SendParams not_email;
  not_email.email_address = "ada";
  refused(client.b2b.otps.email.discovery.send(not_email));
  b2b::organizations::CreateParams bad_metadata;
  bad_metadata.organization_name = "Acme";
  bad_metadata.trusted_metadata = json::array({1});
  refused(client.b2b.organizations.create(bad_metadata));
  b2b::discovery::organizations::ListParams list;
  refused(client.b2b.discovery.organizations.list(list));
  b2b::otps::email::LoginOrSignupParams not_utf8;
  not_utf8.organization_id = "organization-test-1";
  not_utf8.email_address = "ada@acme.example";
  not_utf8.locale = std::string("e\xff");
  refused(client.b2b.otps.email.login_or_signup(not_utf8));
  CHECK(s.server.requests().empty());
}

namespace {

const stytch::mock::RsaSigningKey& b2breq_key() {
  static const stytch::mock::RsaSigningKey k("jwk-test-b2b-request");
  return k;
}

std::string b2breq_jwt(long long issued_at, const std::string& kid = "jwk-test-b2b-request",
                       const std::string& audience = kProjectId) {
  const json claims = {
      {"sub", "member-test-1"},
      {"aud", json::array({audience})},
      {"iss", std::string("stytch.com/") + kProjectId},
      {"iat", issued_at},
      {"nbf", issued_at},
      {"exp", issued_at + 300},
      {"https://stytch.com/session",
       {{"id", "member-session-test-1"}, {"expires_at", "2027-01-15T09:00:00Z"}, {"roles", json::array({"r"})}}},
      {"https://stytch.com/organization", {{"organization_id", "organization-test-1"}, {"slug", "acme.co"}}}};
  return stytch::mock::sign_jwt({{"alg", "RS256"}, {"typ", "JWT"}, {"kid", kid}}, claims, b2breq_key());
}

long long b2breq_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

TEST_CASE("b2b authenticate_jwt: keys from the B2B JWKS path, the API only for an expired token, never a forged one") {
  std::mutex mutex;
  std::vector<std::string> targets;
  TestServer server([&](const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard<std::mutex> guard(mutex);
      targets.push_back(req.target);
    }
    if (req.method == "GET") {
      res.set_content(
          json{{"status_code", 200}, {"request_id", "r-jwks"}, {"keys", json::array({b2breq_key().jwk()})}}.dump(),
          "application/json");
      return;
    }
    res.set_content(b2breq_answer({{"member_session", b2breq_member_session()},
                                   {"session_token", "session-token-1"},
                                   {"session_jwt", "session-jwt-fresh"},
                                   {"member", b2breq_member()},
                                   {"organization", b2breq_organization()}})
                        .dump(),
                    "application/json");
  });
  stytch::StytchClient client(options_for(server.base_url()));
  auto seen = [&] {
    std::lock_guard<std::mutex> guard(mutex);
    return targets;
  };

  b2b::sessions::AuthenticateJwtParams params;
  params.session_jwt = b2breq_jwt(b2breq_now());
  params.session_duration_minutes = 45;
  auto local = client.b2b.sessions.authenticate_jwt(params);
  REQUIRE(local);
  CHECK(local->verified_locally);
  CHECK(local->member_session.organization_slug == "acme.co");
  CHECK(local->member_session.member_id == "member-test-1");
  CHECK(seen() == std::vector<std::string>{"/v1/b2b/sessions/jwks/" + std::string(kProjectId)});

  // Forged (another project's audience) and unsigned-by-this-key: refused, no call.
  b2b::sessions::AuthenticateJwtParams forged = params;
  forged.session_jwt = b2breq_jwt(b2breq_now(), "jwk-test-b2b-request", "project-test-other");
  auto refused = client.b2b.sessions.authenticate_jwt_async(forged).get();
  REQUIRE_FALSE(refused);
  CHECK(refused.error().error_type == "jwt_audience");
  CHECK(seen().size() == 1);

  // Expired: the API is asked, with the duration and claims.
  b2b::sessions::AuthenticateJwtParams expired = params;
  expired.session_jwt = b2breq_jwt(b2breq_now() - 3600);
  expired.session_custom_claims = json{{"plan", "pro"}};
  std::promise<stytch::Result<b2b::sessions::AuthenticateJwtResponse>> got;
  client.b2b.sessions.authenticate_jwt_async(
      expired, [&got](stytch::Result<b2b::sessions::AuthenticateJwtResponse> r) { got.set_value(r); });
  auto fresh = got.get_future().get();
  REQUIRE(fresh);
  CHECK_FALSE(fresh->verified_locally);
  CHECK(fresh->session_jwt == "session-jwt-fresh");
  auto all = server.requests();
  REQUIRE(all.size() == 2);
  CHECK(all.back().path == "/v1/b2b/sessions/authenticate");
  CHECK(json::parse(all.back().body) == json{{"session_jwt", expired.session_jwt},
                                             {"session_duration_minutes", 45},
                                             {"session_custom_claims", {{"plan", "pro"}}}});

  // authenticate_jwt_local never asks the API, and get_jwks is fresh.
  b2b::sessions::AuthenticateJwtLocalParams local_only;
  local_only.session_jwt = expired.session_jwt;
  auto stale = client.b2b.sessions.authenticate_jwt_local(local_only);
  REQUIRE_FALSE(stale);
  CHECK(stale.error().error_type == "jwt_expired");
  auto keys = client.b2b.sessions.get_jwks();
  REQUIRE(keys);
  CHECK(keys->keys.size() == 1);
  CHECK(server.requests().size() == 3);
}

TEST_CASE("b2b: a success that cannot be read keeps no token, IST, email or phone in its Error") {
  B2bScript s;
  auto client = s.client();
  json answer = b2breq_login(true);
  answer["member_authenticated"] = "yes";  // the wrong type: a decode Error
  answer["session_token"] = "session-token-minted-SECRET";
  answer["session_jwt"] = "session-jwt-minted-SECRET";
  answer["intermediate_session_token"] = "ist-minted-SECRET";
  s.answer = answer;
  b2b::otps::email::AuthenticateParams auth;
  auth.organization_id = "organization-test-1";
  auth.email_address = "ada@acme.example";
  auth.code = "246810";
  auto r = client.b2b.otps.email.authenticate(auth);
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == ErrorKind::decode);
  CHECK(r.error().error_message.find("member_authenticated") != std::string::npos);
  CHECK(r.error().request_id == "request-id-test-b2b");
  const std::string text =
      r.error().error_message + r.error().body_excerpt + r.error().raw.dump() + r.error().message();
  CHECK(text.find("SECRET") == std::string::npos);
  CHECK(text.find("ada@acme.example") == std::string::npos);
  CHECK(text.find("+12025550162") == std::string::npos);
  CHECK(r.error().raw.at("member").at("email_address") == "[REDACTED]");
  CHECK(r.error().raw.at("member_id") == "member-test-1");  // ids are kept
}

TEST_CASE("b2b members.get: the email in the query stays out of the Error, raw and URL-encoded") {
  B2bScript s;
  auto client = s.client();
  s.status = 404;
  s.raw_body = json{
      {"status_code", 404},
      {"request_id", "r5"},
      {"error_type", "member_not_found"},
      {"error_message", "no member ada+x@acme.example [ada%2Bx%40acme.example]"},
      {"error_url",
       "u"}}.dump();
  b2b::organizations::members::GetParams get;
  get.organization_id = "organization-test-1";
  get.email_address = "ada+x@acme.example";
  auto r = client.b2b.organizations.members.get(get);
  REQUIRE_FALSE(r);
  CHECK(r.error().error_type == "member_not_found");
  const std::string text = r.error().error_message + r.error().raw.dump() + r.error().message();
  CHECK(text.find("ada+x@acme.example") == std::string::npos);
  CHECK(text.find("ada%2Bx%40acme.example") == std::string::npos);
}
