// stytch-mock's B2B API, in-process, over raw HTTP and JSON: organizations and
// members, the email login with the MFA stop and the SMS step, discovery,
// member sessions and their JWTs, the codes' lifetimes, the errors, and the
// seed control.

#include "client_fixture.hpp"
#include "jwt_signer.hpp"
#include "mock_outbox.hpp"
#include "mock_server.hpp"

#include <catch2/catch.hpp>

#include <httplib.h>

#include <set>

using nlohmann::json;

namespace {

struct B2bmockAnswer {
  int status = 0;
  json body;
};

stytch::mock::MockOptions b2bmock_options() {
  stytch::mock::MockOptions o;
  o.project_id = stytch::test::kProjectId;
  o.secret = stytch::test::kSecret;
  return o;
}

httplib::Client b2bmock_http(const stytch::mock::MockServer& mock) {
  httplib::Client http("127.0.0.1", mock.port());
  http.set_basic_auth(stytch::test::kProjectId, stytch::test::kSecret);
  http.set_read_timeout(10, 0);
  return http;
}

B2bmockAnswer b2bmock_post(const stytch::mock::MockServer& mock, const std::string& path, const json& body) {
  auto http = b2bmock_http(mock);
  auto res = http.Post(path.c_str(), body.dump(), "application/json");
  REQUIRE(res);
  return {res->status, json::parse(res->body, nullptr, false)};
}

B2bmockAnswer b2bmock_get(const stytch::mock::MockServer& mock, const std::string& path) {
  auto http = b2bmock_http(mock);
  auto res = http.Get(path.c_str());
  REQUIRE(res);
  return {res->status, json::parse(res->body, nullptr, false)};
}

// 200 with status_code and request_id; gives the body.
json b2bmock_ok(const B2bmockAnswer& answer) {
  INFO(answer.body.dump());
  REQUIRE(answer.status == 200);
  CHECK(answer.body.at("status_code") == 200);
  CHECK(answer.body.at("request_id").get<std::string>().rfind("request-id-test-", 0) == 0);
  return answer.body;
}

void b2bmock_error(const B2bmockAnswer& answer, int status, const std::string& type) {
  INFO(answer.body.dump());
  CHECK(answer.status == status);
  CHECK(answer.body.value("status_code", 0) == status);
  CHECK(answer.body.value("error_type", "") == type);
  CHECK(!answer.body.value("error_message", "").empty());
  CHECK(answer.body.value("request_id", "").rfind("request-id-test-", 0) == 0);
}

void b2bmock_has(const json& object, std::initializer_list<const char*> fields) {
  for (const char* field : fields) {
    INFO(field << " in " << object.dump());
    CHECK(object.contains(field));
  }
}

void b2bmock_check_organization(const json& o) {
  REQUIRE(o.is_object());
  b2bmock_has(o, {"organization_id",
                  "organization_name",
                  "organization_slug",
                  "organization_logo_url",
                  "organization_external_id",
                  "sso_default_connection_id",
                  "email_allowed_domains",
                  "email_jit_provisioning",
                  "email_invites",
                  "sso_jit_provisioning",
                  "auth_methods",
                  "allowed_auth_methods",
                  "mfa_policy",
                  "mfa_methods",
                  "allowed_mfa_methods",
                  "rbac_email_implicit_role_assignments",
                  "oauth_tenant_jit_provisioning",
                  "allowed_oauth_tenants",
                  "claimed_email_domains",
                  "sso_jit_provisioning_allowed_connections",
                  "sso_active_connections",
                  "scim_active_connection",
                  "custom_roles",
                  "trusted_metadata",
                  "created_at",
                  "updated_at"});
  CHECK(o.at("organization_id").get<std::string>().rfind("organization-test-", 0) == 0);
  CHECK(o.at("email_allowed_domains").is_array());
  CHECK(o.at("allowed_auth_methods").is_array());
  CHECK(o.at("allowed_mfa_methods").is_array());
}

void b2bmock_check_member(const json& m) {
  REQUIRE(m.is_object());
  b2bmock_has(m, {"organization_id",
                  "member_id",
                  "email_address",
                  "email_address_verified",
                  "status",
                  "name",
                  "mfa_phone_number",
                  "mfa_phone_number_verified",
                  "mfa_enrolled",
                  "default_mfa_method",
                  "totp_registration_id",
                  "member_password_id",
                  "is_breakglass",
                  "is_admin",
                  "is_locked",
                  "lock_created_at",
                  "lock_expires_at",
                  "roles",
                  "sso_registrations",
                  "oauth_registrations",
                  "retired_email_addresses",
                  "trusted_metadata",
                  "untrusted_metadata",
                  "created_at",
                  "updated_at",
                  "external_id",
                  "scim_registration"});
  CHECK(m.at("member_id").get<std::string>().rfind("member-test-", 0) == 0);
  for (const json& role : m.at("roles")) b2bmock_has(role, {"role_id", "sources"});
}

void b2bmock_check_session(const json& s) {
  REQUIRE(s.is_object());
  b2bmock_has(s, {"member_session_id", "member_id", "organization_id", "organization_slug", "started_at",
                  "last_accessed_at", "expires_at", "authentication_factors", "roles", "custom_claims"});
}

// Every field of the login shape, and the member and organization in full.
void b2bmock_check_login(const json& body) {
  b2bmock_has(body, {"member_id", "member", "organization", "member_authenticated", "session_token", "session_jwt",
                     "member_session", "intermediate_session_token", "intermediate_session_token_expires_at",
                     "mfa_required", "primary_required", "member_device"});
  b2bmock_check_member(body.at("member"));
  b2bmock_check_organization(body.at("organization"));
  if (body.at("member_authenticated") == true) {
    CHECK(!body.at("session_token").get<std::string>().empty());
    CHECK(!body.at("session_jwt").get<std::string>().empty());
    CHECK(body.at("intermediate_session_token") == "");
    b2bmock_check_session(body.at("member_session"));
  } else {
    CHECK(body.at("session_token") == "");
    CHECK(body.at("session_jwt") == "");
    CHECK(body.at("member_session").is_null());
    CHECK(!body.at("intermediate_session_token").get<std::string>().empty());
  }
}

json b2bmock_claims(const std::string& jwt) {
  const auto first = jwt.find('.');
  const auto second = jwt.find('.', first + 1);
  REQUIRE(second != std::string::npos);
  const auto payload = stytch::mock::base64url_decode(jwt.substr(first + 1, second - first - 1));
  REQUIRE(payload);
  return json::parse(*payload);
}

std::string b2bmock_code(const stytch::mock::MockServer& mock, const std::string& destination) {
  const std::string code = stytch::test::last_code(mock.port(), destination);
  REQUIRE(code.size() == 6);
  return code;
}

std::size_t b2bmock_outbox_count(const stytch::mock::MockServer& mock, const std::string& destination) {
  std::size_t n = 0;
  for (const auto& m : stytch::test::outbox_messages(mock.port())) n += m.at("destination") == destination ? 1U : 0U;
  return n;
}

json b2bmock_create_org(const stytch::mock::MockServer& mock, json body) {
  return b2bmock_ok(b2bmock_post(mock, "/v1/b2b/organizations", body)).at("organization");
}

json b2bmock_create_member(const stytch::mock::MockServer& mock, const std::string& organization, const json& body) {
  return b2bmock_ok(b2bmock_post(mock, "/v1/b2b/organizations/" + organization + "/members", body)).at("member");
}

// Email login: login_or_signup, the code from the outbox, authenticate.
json b2bmock_email_login(const stytch::mock::MockServer& mock, const std::string& organization,
                         const std::string& email, json extra = json::object()) {
  b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/email/login_or_signup",
                          {{"organization_id", organization}, {"email_address", email}}));
  extra["organization_id"] = organization;
  extra["email_address"] = email;
  extra["code"] = b2bmock_code(mock, email);
  return b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/email/authenticate", extra));
}

}  // namespace

TEST_CASE("b2b mock: email login stops for MFA, the SMS code finishes it, and the member session works", "[b2b-mock]") {
  stytch::mock::MockServer mock(b2bmock_options());
  mock.start();
  const json org = b2bmock_create_org(
      mock, {{"organization_name", "Acme Corp"}, {"organization_slug", "acme"}, {"mfa_policy", "REQUIRED_FOR_ALL"}});
  const std::string org_id = org.at("organization_id");
  CHECK(org.at("mfa_policy") == "REQUIRED_FOR_ALL");
  CHECK(org.at("email_jit_provisioning") == "NOT_ALLOWED");
  CHECK(org.at("email_invites") == "ALL_ALLOWED");
  const json member =
      b2bmock_create_member(mock, org_id, {{"email_address", "ann@acme.io"}, {"mfa_phone_number", "+12025550100"}});
  b2bmock_check_member(member);
  CHECK(member.at("status") == "active");
  CHECK(member.at("email_address_verified") == false);
  const std::string member_id = member.at("member_id");

  // The primary factor: an email code.
  const json sent = b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/email/login_or_signup",
                                            {{"organization_id", "acme"}, {"email_address", "ann@acme.io"}}));
  CHECK(sent.at("member_created") == false);
  CHECK(sent.at("member_id") == member_id);
  b2bmock_check_member(sent.at("member"));
  b2bmock_check_organization(sent.at("organization"));
  const auto outbox = stytch::test::outbox_messages(mock.port());
  REQUIRE(outbox.size() == 1);
  CHECK(outbox[0].at("channel") == "email");
  CHECK(outbox[0].at("destination") == "ann@acme.io");

  const json stopped = b2bmock_ok(b2bmock_post(
      mock, "/v1/b2b/otps/email/authenticate",
      {{"organization_id", org_id}, {"email_address", "ann@acme.io"}, {"code", b2bmock_code(mock, "ann@acme.io")}}));
  b2bmock_check_login(stopped);
  CHECK(stopped.at("member_authenticated") == false);
  CHECK(stopped.at("method_id") == outbox[0].at("method_id"));
  CHECK(stopped.at("organization_id") == org_id);
  CHECK(stopped.at("member").at("email_address_verified") == true);
  CHECK(stopped.at("intermediate_session_token_expires_at").is_string());
  const json& mfa = stopped.at("mfa_required");
  CHECK(mfa.at("member_options").at("mfa_phone_number") == "+12025550100");
  CHECK(mfa.at("member_options").at("totp_registration_id") == "");
  CHECK(mfa.at("secondary_auth_initiated") == "sms_otp");
  CHECK(stopped.at("primary_required").is_null());
  const std::string ist = stopped.at("intermediate_session_token");

  // The mock sent the SMS itself.
  const auto sms = stytch::test::outbox_messages(mock.port()).back();
  CHECK(sms.at("channel") == "sms");
  CHECK(sms.at("destination") == "+12025550100");

  const json done = b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/sms/authenticate",
                                            {{"organization_id", org_id},
                                             {"member_id", member_id},
                                             {"code", sms.at("code")},
                                             {"intermediate_session_token", ist},
                                             {"session_custom_claims", {{"team", "blue"}, {"sub", "ignored"}}}}));
  b2bmock_has(
      done, {"member_id", "member", "organization", "session_token", "session_jwt", "member_session", "member_device"});
  CHECK(done.at("member").at("mfa_phone_number_verified") == true);
  CHECK(done.at("member").at("mfa_enrolled") == true);
  b2bmock_check_session(done.at("member_session"));
  const json& session = done.at("member_session");
  CHECK(session.at("organization_slug") == "acme");
  REQUIRE(session.at("authentication_factors").size() == 2);
  CHECK(session.at("authentication_factors")[0].at("delivery_method") == "email");
  CHECK(session.at("authentication_factors")[0].at("email_factor").at("email_address") == "ann@acme.io");
  CHECK(session.at("authentication_factors")[1].at("delivery_method") == "sms");
  CHECK(session.at("authentication_factors")[1].at("phone_number_factor").at("phone_number") == "+12025550100");
  // 60 minutes by default.
  const std::string token = done.at("session_token");
  const std::string jwt = done.at("session_jwt");

  const json claims = b2bmock_claims(jwt);
  CHECK(claims.at("sub") == member_id);
  CHECK(claims.at("aud") == json::array({stytch::test::kProjectId}));
  CHECK(claims.at("iss") == std::string("stytch.com/") + stytch::test::kProjectId);
  CHECK(claims.at("exp").get<long long>() - claims.at("iat").get<long long>() == 300);
  CHECK(claims.at("nbf") == claims.at("iat"));
  CHECK(claims.at("https://stytch.com/organization") == json{{"organization_id", org_id}, {"slug", "acme"}});
  const json& session_claim = claims.at("https://stytch.com/session");
  CHECK(session_claim.at("id") == session.at("member_session_id"));
  CHECK(session_claim.at("roles") == json::array({"stytch_member"}));
  CHECK(session_claim.at("authentication_factors").size() == 2);
  b2bmock_has(session_claim, {"started_at", "last_accessed_at", "expires_at"});
  CHECK(claims.at("team") == "blue");
  CHECK(claims.at("sub") != "ignored");

  // The IST is used up.
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/otps/sms/authenticate",
                             {{"organization_id", org_id},
                              {"member_id", member_id},
                              {"code", sms.at("code")},
                              {"intermediate_session_token", ist}}),
                404, "intermediate_session_not_found");

  // sessions.authenticate by token and by JWT, extending, with an authorization check.
  const json by_token = b2bmock_ok(b2bmock_post(mock, "/v1/b2b/sessions/authenticate",
                                                {{"session_token", token}, {"session_duration_minutes", 120}}));
  b2bmock_has(by_token, {"member_session", "session_token", "session_jwt", "member", "organization"});
  CHECK_FALSE(by_token.contains("verdict"));
  b2bmock_check_member(by_token.at("member"));
  b2bmock_check_organization(by_token.at("organization"));
  CHECK(by_token.at("session_token") == token);
  const json by_jwt = b2bmock_ok(b2bmock_post(mock, "/v1/b2b/sessions/authenticate", {{"session_jwt", jwt}}));
  CHECK(by_jwt.at("member_session").at("member_session_id") == session.at("member_session_id"));
  const json read_check = {{"organization_id", org_id}, {"resource_id", "documents"}, {"action", "read"}};
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/sessions/authenticate",
                             {{"session_token", token}, {"authorization_check", read_check}}),
                403, "session_authorization_error");

  // An expired JWT of a live session is refreshed.
  mock.advance_clock(301);
  const json refreshed = b2bmock_ok(b2bmock_post(mock, "/v1/b2b/sessions/authenticate", {{"session_jwt", jwt}}));
  CHECK(refreshed.at("session_jwt") != jwt);

  // sessions.get lists it; revoke ends it.
  const json listed =
      b2bmock_ok(b2bmock_get(mock, "/v1/b2b/sessions?organization_id=" + org_id + "&member_id=" + member_id));
  REQUIRE(listed.at("member_sessions").size() == 1);
  b2bmock_check_session(listed.at("member_sessions")[0]);
  b2bmock_ok(b2bmock_post(mock, "/v1/b2b/sessions/revoke", {{"session_jwt", refreshed.at("session_jwt")}}));
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/sessions/authenticate", {{"session_token", token}}), 404,
                "session_not_found");
  CHECK(b2bmock_ok(b2bmock_get(mock, "/v1/b2b/sessions?organization_id=acme&member_id=" + member_id))
            .at("member_sessions")
            .empty());
}

TEST_CASE("b2b mock: an admin passes the authorization check, sessions move between organizations", "[b2b-mock]") {
  stytch::mock::MockServer mock(b2bmock_options());
  mock.start();
  const std::string a = b2bmock_create_org(mock, {{"organization_name", "Alpha"}}).at("organization_id");
  const json beta = b2bmock_create_org(mock, {{"organization_name", "Beta"}, {"mfa_policy", "REQUIRED_FOR_ALL"}});
  const std::string b = beta.at("organization_id");
  CHECK(beta.at("organization_slug") == "beta");
  b2bmock_create_member(mock, a, {{"email_address", "root@alpha.io"}, {"roles", {"stytch_admin"}}});
  b2bmock_create_member(mock, b, {{"email_address", "root@alpha.io"}, {"mfa_phone_number", "+12025550111"}});

  // OPTIONAL policy and no enrolment: the email code alone logs in.
  const json login = b2bmock_email_login(mock, a, "root@alpha.io", {{"session_duration_minutes", 30}});
  b2bmock_check_login(login);
  CHECK(login.at("member_authenticated") == true);
  CHECK(login.at("mfa_required").is_null());
  CHECK(login.at("member").at("is_admin") == true);
  const std::string token = login.at("session_token");

  const json allowed = b2bmock_ok(b2bmock_post(
      mock, "/v1/b2b/sessions/authenticate",
      {{"session_token", token},
       {"authorization_check", {{"organization_id", "alpha"}, {"resource_id", "documents"}, {"action", "delete"}}}}));
  CHECK(allowed.at("verdict") == json{{"authorized", true}, {"granting_roles", {"stytch_admin"}}});
  const json other_check = {{"organization_id", b}, {"resource_id", "documents"}, {"action", "read"}};
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/sessions/authenticate",
                             {{"session_token", token}, {"authorization_check", other_check}}),
                403, "session_authorization_tenancy_error");

  // Into Beta, which needs MFA: an IST and the SMS, then the SMS step.
  const json moved =
      b2bmock_ok(b2bmock_post(mock, "/v1/b2b/sessions/exchange", {{"organization_id", b}, {"session_token", token}}));
  b2bmock_check_login(moved);
  CHECK(moved.at("member_authenticated") == false);
  CHECK(moved.at("mfa_required").at("secondary_auth_initiated") == "sms_otp");
  const json finished = b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/sms/authenticate",
                                                {{"organization_id", b},
                                                 {"member_id", moved.at("member_id")},
                                                 {"code", b2bmock_code(mock, "+12025550111")},
                                                 {"intermediate_session_token", moved.at("intermediate_session_token")},
                                                 {"set_default_mfa", true}}));
  CHECK(finished.at("member_session").at("organization_id") == b);
  CHECK(finished.at("member").at("default_mfa_method") == "sms_otp");

  // A live session waives MFA on a later email login in Beta and is extended.
  const json again = b2bmock_email_login(mock, b, "root@alpha.io", {{"session_token", finished.at("session_token")}});
  CHECK(again.at("member_authenticated") == true);
  CHECK(again.at("session_token") == finished.at("session_token"));

  // Revoke by member_id ends every session of that member.
  b2bmock_ok(b2bmock_post(mock, "/v1/b2b/sessions/revoke", {{"member_id", moved.at("member_id")}}));
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/sessions/authenticate", {{"session_token", finished.at("session_token")}}),
                404, "session_not_found");
  b2bmock_ok(b2bmock_post(mock, "/v1/b2b/sessions/authenticate", {{"session_token", token}}));
}

TEST_CASE("b2b mock: login_or_signup creates pending members only by allowed domain, enrolment decides MFA",
          "[b2b-mock]") {
  stytch::mock::MockServer mock(b2bmock_options());
  mock.start();
  const std::string open = b2bmock_create_org(mock, {{"organization_name", "Open"},
                                                     {"email_jit_provisioning", "RESTRICTED"},
                                                     {"email_allowed_domains", {"open.io"}}})
                               .at("organization_id");
  const std::string closed = b2bmock_create_org(mock, {{"organization_name", "Closed"}}).at("organization_id");

  const json created = b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/email/login_or_signup",
                                               {{"organization_id", open}, {"email_address", "New@Open.io"}}));
  CHECK(created.at("member_created") == true);
  CHECK(created.at("member").at("status") == "pending");
  CHECK(created.at("member").at("email_address") == "new@open.io");
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/otps/email/login_or_signup",
                             {{"organization_id", open}, {"email_address", "x@elsewhere.io"}}),
                400, "email_jit_provisioning_not_allowed");
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/otps/email/login_or_signup",
                             {{"organization_id", closed}, {"email_address", "x@open.io"}}),
                400, "email_jit_provisioning_not_allowed");

  const json login = b2bmock_ok(b2bmock_post(
      mock, "/v1/b2b/otps/email/authenticate",
      {{"organization_id", open}, {"email_address", "new@open.io"}, {"code", b2bmock_code(mock, "new@open.io")}}));
  CHECK(login.at("member_authenticated") == true);
  CHECK(login.at("member").at("status") == "active");
  CHECK(login.at("member").at("email_address_verified") == true);
  const std::string member_id = login.at("member_id");

  // SMS send from the session: links the number; enrol with the code.
  const json sent = b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/sms/send",
                                            {{"organization_id", open},
                                             {"member_id", member_id},
                                             {"mfa_phone_number", "+12025550122"},
                                             {"session_token", login.at("session_token")}}));
  b2bmock_has(sent, {"member_id", "member", "organization"});
  CHECK(sent.at("member").at("mfa_phone_number") == "+12025550122");
  CHECK(sent.at("member").at("mfa_phone_number_verified") == false);
  const json enrolled = b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/sms/authenticate",
                                                {{"organization_id", open},
                                                 {"member_id", member_id},
                                                 {"code", b2bmock_code(mock, "+12025550122")},
                                                 {"session_jwt", login.at("session_jwt")},
                                                 {"set_mfa_enrollment", "enroll"}}));
  CHECK(enrolled.at("member").at("mfa_enrolled") == true);
  CHECK(enrolled.at("session_token") == login.at("session_token"));

  // Enrolled under OPTIONAL: the next email login stops for MFA.
  const json stopped = b2bmock_email_login(mock, open, "new@open.io");
  CHECK(stopped.at("member_authenticated") == false);
  CHECK(stopped.at("mfa_required").at("secondary_auth_initiated") == "sms_otp");

  // Unenrol: logins go straight through again.
  b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/sms/authenticate",
                          {{"organization_id", open},
                           {"member_id", member_id},
                           {"code", b2bmock_code(mock, "+12025550122")},
                           {"intermediate_session_token", stopped.at("intermediate_session_token")},
                           {"set_mfa_enrollment", "unenroll"}}));
  CHECK(b2bmock_email_login(mock, open, "new@open.io").at("member_authenticated") == true);

  // A member with a proven number gets no SMS without a login.
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/otps/sms/send", {{"organization_id", open}, {"member_id", member_id}}), 400,
                "action_available_only_once_primary_authentication_is_met");
}

TEST_CASE("b2b mock: discovery finds member, invited and eligible organizations, then exchange and create",
          "[b2b-mock]") {
  stytch::mock::MockServer mock(b2bmock_options());
  mock.start();
  // Member of "home"; invited to "guest"; "domain" lets acme.io join (a verified
  // acme.io member is there); "lure" allows acme.io but has nobody proven from
  // it; "closed" has no JIT.
  const B2bmockAnswer seeded = b2bmock_post(mock, "/_mock/b2b/seed", json::parse(R"({"organizations": [
    {"organization_name": "Home", "organization_slug": "home",
     "members": [{"email_address": "dee@acme.io", "mfa_phone_number": "+12025550133"}]},
    {"organization_name": "Guest", "organization_slug": "guest",
     "members": [{"email_address": "dee@acme.io", "status": "invited"}]},
    {"organization_name": "Domain", "organization_slug": "domain", "email_jit_provisioning": "RESTRICTED",
     "email_allowed_domains": ["acme.io"],
     "members": [{"email_address": "boss@acme.io", "email_address_verified": true}]},
    {"organization_name": "Lure", "organization_slug": "lure", "email_jit_provisioning": "RESTRICTED",
     "email_allowed_domains": ["acme.io"], "members": [{"email_address": "x@acme.io"}]},
    {"organization_name": "Closed", "organization_slug": "closed",
     "members": [{"email_address": "y@acme.io", "email_address_verified": true}]}
  ]})"));
  REQUIRE(seeded.status == 200);
  REQUIRE(seeded.body.at("organizations").size() == 5);

  b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/email/discovery/send", {{"email_address", "dee@acme.io"}}));
  const json found =
      b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/email/discovery/authenticate",
                              {{"email_address", "dee@acme.io"}, {"code", b2bmock_code(mock, "dee@acme.io")}}));
  b2bmock_has(found, {"intermediate_session_token", "email_address", "discovered_organizations",
                      "intermediate_session_token_expires_at"});
  CHECK(found.at("email_address") == "dee@acme.io");
  const std::string ist = found.at("intermediate_session_token");
  std::map<std::string, json> by_slug;
  for (const json& d : found.at("discovered_organizations")) {
    b2bmock_has(d, {"member_authenticated", "organization", "membership", "primary_required", "mfa_required"});
    b2bmock_check_organization(d.at("organization"));
    by_slug[d.at("organization").at("organization_slug")] = d;
  }
  REQUIRE(by_slug.size() == 3);
  CHECK(by_slug.at("home").at("membership").at("type") == "active_member");
  b2bmock_check_member(by_slug.at("home").at("membership").at("member"));
  CHECK(by_slug.at("guest").at("membership").at("type") == "invited_member");
  CHECK(by_slug.at("domain").at("membership").at("type") == "eligible_to_join_by_email_domain");
  CHECK(by_slug.at("domain").at("membership").at("member").is_null());
  CHECK(by_slug.at("domain").at("membership").at("details").at("domain") == "acme.io");
  CHECK(by_slug.at("home").at("member_authenticated") == true);
  // Discovery sends no SMS.
  CHECK(b2bmock_outbox_count(mock, "+12025550133") == 0);

  // The list does not use the IST up.
  const json listed =
      b2bmock_ok(b2bmock_post(mock, "/v1/b2b/discovery/organizations", {{"intermediate_session_token", ist}}));
  b2bmock_has(listed, {"email_address", "discovered_organizations", "organization_id_hint"});
  CHECK(listed.at("discovered_organizations").size() == 3);
  CHECK(listed.at("organization_id_hint").is_null());

  // Join "domain" by JIT.
  const json joined = b2bmock_ok(b2bmock_post(mock, "/v1/b2b/discovery/intermediate_sessions/exchange",
                                              {{"intermediate_session_token", ist}, {"organization_id", "domain"}}));
  b2bmock_check_login(joined);
  CHECK(joined.at("member_authenticated") == true);
  CHECK(joined.at("member").at("status") == "active");
  CHECK(joined.at("member").at("email_address_verified") == true);
  CHECK(joined.at("member_session").at("organization_slug") == "domain");
  // The exchange used the IST.
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/discovery/intermediate_sessions/exchange",
                             {{"intermediate_session_token", ist}, {"organization_id", "guest"}}),
                404, "intermediate_session_not_found");

  // With a member session, the list shows memberships only.
  const json by_session = b2bmock_ok(
      b2bmock_post(mock, "/v1/b2b/discovery/organizations", {{"session_token", joined.at("session_token")}}));
  std::set<std::string> types;
  for (const json& d : by_session.at("discovered_organizations")) types.insert(d.at("membership").at("type"));
  CHECK(types == std::set<std::string>{"active_member", "invited_member"});
  CHECK(by_session.at("discovered_organizations").size() == 3);

  // A new discovery login; the invitee joins "guest".
  b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/email/discovery/send", {{"email_address", "dee@acme.io"}}));
  const std::string ist2 =
      b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/email/discovery/authenticate",
                              {{"email_address", "dee@acme.io"}, {"code", b2bmock_code(mock, "dee@acme.io")}}))
          .at("intermediate_session_token");
  const json guest = b2bmock_ok(b2bmock_post(mock, "/v1/b2b/discovery/intermediate_sessions/exchange",
                                             {{"intermediate_session_token", ist2}, {"organization_id", "guest"}}));
  CHECK(guest.at("member").at("status") == "active");
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/discovery/intermediate_sessions/exchange",
                             {{"intermediate_session_token", ist2}, {"organization_id", "closed"}}),
                404, "intermediate_session_not_found");

  // A third login creates an organization (REQUIRED_FOR_ALL: the MFA stop).
  b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/email/discovery/send", {{"email_address", "dee@acme.io"}}));
  const std::string ist3 =
      b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/email/discovery/authenticate",
                              {{"email_address", "dee@acme.io"}, {"code", b2bmock_code(mock, "dee@acme.io")}}))
          .at("intermediate_session_token");
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/discovery/intermediate_sessions/exchange",
                             {{"intermediate_session_token", ist3}, {"organization_id", "closed"}}),
                400, "email_jit_provisioning_not_allowed");
  const json made = b2bmock_ok(b2bmock_post(mock, "/v1/b2b/discovery/organizations/create",
                                            {{"intermediate_session_token", ist3},
                                             {"mfa_policy", "REQUIRED_FOR_ALL"},
                                             {"email_allowed_domains", {"acme.io"}}}));
  b2bmock_check_login(made);
  CHECK(made.at("member_authenticated") == false);
  CHECK(made.at("intermediate_session_token") == ist3);  // echoed
  CHECK(made.at("mfa_required").at("secondary_auth_initiated").is_null());
  CHECK(made.at("organization").at("organization_name") == "acme");
  CHECK(made.at("organization").at("organization_slug") == "acme");
  CHECK(made.at("organization").at("mfa_policy") == "REQUIRED_FOR_ALL");
  CHECK(made.at("member").at("is_admin") == true);
  CHECK(made.at("member").at("email_address_verified") == true);
  CHECK(made.at("member").at("roles").size() == 2);
  const json hinted =
      b2bmock_ok(b2bmock_post(mock, "/v1/b2b/discovery/organizations", {{"intermediate_session_token", ist3}}));
  CHECK(hinted.at("organization_id_hint") == made.at("organization").at("organization_id"));

  // An OPTIONAL one logs straight in, named from the email.
  b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/email/discovery/send", {{"email_address", "solo@gmail.com"}}));
  const std::string ist4 =
      b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/email/discovery/authenticate",
                              {{"email_address", "solo@gmail.com"}, {"code", b2bmock_code(mock, "solo@gmail.com")}}))
          .at("intermediate_session_token");
  const json solo =
      b2bmock_ok(b2bmock_post(mock, "/v1/b2b/discovery/organizations/create", {{"intermediate_session_token", ist4}}));
  b2bmock_check_login(solo);
  CHECK(solo.at("member_authenticated") == true);
  CHECK(solo.at("organization").at("organization_name") == "solo");
  CHECK(solo.at("member_session").at("roles") == json::array({"stytch_member", "stytch_admin"}));
}

TEST_CASE("b2b mock: codes expire on the mock clock, work once, and a new send voids the old one", "[b2b-mock]") {
  stytch::mock::MockServer mock(b2bmock_options());
  mock.start();
  const std::string org = b2bmock_create_org(mock, {{"organization_name", "Clock"}, {"mfa_policy", "REQUIRED_FOR_ALL"}})
                              .at("organization_id");
  const std::string member_id =
      b2bmock_create_member(mock, org, {{"email_address", "c@clock.io"}, {"mfa_phone_number", "+12025550144"}})
          .at("member_id");
  auto send = [&](json extra = json::object()) {
    extra["organization_id"] = org;
    extra["email_address"] = "c@clock.io";
    b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/email/login_or_signup", extra));
    return b2bmock_code(mock, "c@clock.io");
  };
  auto authenticate = [&](const std::string& code) {
    return b2bmock_post(mock, "/v1/b2b/otps/email/authenticate",
                        {{"organization_id", org}, {"email_address", "c@clock.io"}, {"code", code}});
  };

  // Email codes: 10 minutes by default; 2 to 15 when asked.
  std::string code = send();
  auto message = stytch::test::outbox_messages(mock.port()).back();
  mock.advance_clock(9 * 60);
  const std::string first = send();  // the resend voids `code`
  b2bmock_error(authenticate(code == first ? "999999" : code), 404, "otp_code_not_found");
  mock.advance_clock(10 * 60 + 1);
  b2bmock_error(authenticate(first), 401, "unable_to_auth_otp_code");
  code = send({{"login_expiration_minutes", 2}});
  mock.advance_clock(2 * 60 + 1);
  b2bmock_error(authenticate(code), 401, "unable_to_auth_otp_code");
  b2bmock_error(
      b2bmock_post(mock, "/v1/b2b/otps/email/login_or_signup",
                   {{"organization_id", org}, {"email_address", "c@clock.io"}, {"login_expiration_minutes", 16}}),
      400, "invalid_expiration_minutes");
  CHECK(message.at("channel") == "email");

  // Once.
  code = send();
  const json stopped = b2bmock_ok(authenticate(code));
  b2bmock_error(authenticate(code), 401, "unable_to_auth_otp_code");
  const std::string ist = stopped.at("intermediate_session_token");

  // SMS codes live 2 minutes; a resend voids the previous one.
  const std::string sms1 = b2bmock_code(mock, "+12025550144");
  mock.advance_clock(121);
  auto sms_auth = [&](const std::string& sms) {
    return b2bmock_post(
        mock, "/v1/b2b/otps/sms/authenticate",
        {{"organization_id", org}, {"member_id", member_id}, {"code", sms}, {"intermediate_session_token", ist}});
  };
  b2bmock_error(sms_auth(sms1), 401, "unable_to_auth_otp_code");
  b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/sms/send",
                          {{"organization_id", org}, {"member_id", member_id}, {"intermediate_session_token", ist}}));
  const std::string sms2 = b2bmock_code(mock, "+12025550144");
  b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/sms/send",
                          {{"organization_id", org}, {"member_id", member_id}, {"intermediate_session_token", ist}}));
  const std::string sms3 = b2bmock_code(mock, "+12025550144");
  if (sms2 != sms3) b2bmock_error(sms_auth(sms2), 404, "otp_code_not_found");
  b2bmock_ok(sms_auth(sms3));

  // The IST lives 10 minutes.
  const json later = b2bmock_ok(authenticate(send()));
  mock.advance_clock(10 * 60 + 1);
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/otps/sms/authenticate",
                             {{"organization_id", org},
                              {"member_id", member_id},
                              {"code", b2bmock_code(mock, "+12025550144")},
                              {"intermediate_session_token", later.at("intermediate_session_token")}}),
                404, "intermediate_session_not_found");

  // Discovery codes: only the newest works.
  b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/email/discovery/send", {{"email_address", "d@clock.io"}}));
  const std::string d1 = b2bmock_code(mock, "d@clock.io");
  b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/email/discovery/send",
                          {{"email_address", "d@clock.io"}, {"discovery_expiration_minutes", 2}}));
  const std::string d2 = b2bmock_code(mock, "d@clock.io");
  if (d1 != d2) {
    b2bmock_error(b2bmock_post(mock, "/v1/b2b/otps/email/discovery/authenticate",
                               {{"email_address", "d@clock.io"}, {"code", d1}}),
                  404, "otp_code_not_found");
  }
  mock.advance_clock(121);
  b2bmock_error(
      b2bmock_post(mock, "/v1/b2b/otps/email/discovery/authenticate", {{"email_address", "d@clock.io"}, {"code", d2}}),
      401, "unable_to_auth_otp_code");
}

TEST_CASE("b2b mock: error types and bodies", "[b2b-mock]") {
  stytch::mock::MockServer mock(b2bmock_options());
  mock.start();
  const std::string org =
      b2bmock_create_org(mock, {{"organization_name", "Errs"}, {"organization_slug", "errs"}}).at("organization_id");
  const std::string member_id =
      b2bmock_create_member(mock, org, {{"email_address", "e@errs.io"}, {"mfa_phone_number", "+12025550155"}})
          .at("member_id");

  b2bmock_error(b2bmock_post(mock, "/v1/b2b/organizations/" + org + "/members", {{"email_address", "E@errs.io"}}), 400,
                "duplicate_member_email");
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/organizations/" + org + "/members",
                             {{"email_address", "f@errs.io"}, {"mfa_phone_number", "+12025550155"}}),
                400, "duplicate_member_phone_number");
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/organizations/" + org + "/members",
                             {{"email_address", "g@errs.io"}, {"mfa_phone_number", "555-0100"}}),
                400, "invalid_phone_number");
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/organizations/" + org + "/members", {{"email_address", "not-an-email"}}),
                400, "invalid_email");
  b2bmock_error(
      b2bmock_post(mock, "/v1/b2b/organizations/organization-test-nope/members", {{"email_address", "h@errs.io"}}), 404,
      "organization_not_found");
  b2bmock_error(
      b2bmock_post(mock, "/v1/b2b/organizations", {{"organization_name", "Again"}, {"organization_slug", "errs"}}), 400,
      "organization_slug_already_used");
  b2bmock_error(
      b2bmock_post(mock, "/v1/b2b/organizations", {{"organization_name", "Bad"}, {"organization_slug", "a b"}}), 400,
      "invalid_organization_slug");
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/organizations", {{"organization_slug", "nameless"}}), 400,
                "organization_name_missing");
  b2bmock_error(b2bmock_get(mock, "/v1/b2b/organizations/" + org + "/member?member_id=member-test-nope"), 404,
                "member_not_found");
  b2bmock_error(b2bmock_get(mock, "/v1/b2b/organizations/" + org + "/member"), 400, "invalid_member_get_fields");
  b2bmock_error(b2bmock_get(mock, "/v1/b2b/organizations/" + org + "/member?member_id=" + member_id +
                                      "&email_address=e%40errs.io"),
                400, "invalid_member_get_fields");

  // SMS before a primary factor, and an SMS code not sent.
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/otps/sms/authenticate",
                             {{"organization_id", org}, {"member_id", member_id}, {"code", "123456"}}),
                400, "action_available_only_once_primary_authentication_is_met");
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/otps/sms/authenticate",
                             {{"organization_id", org},
                              {"member_id", member_id},
                              {"code", "123456"},
                              {"intermediate_session_token", "nope"}}),
                404, "intermediate_session_not_found");
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/otps/sms/authenticate",
                             {{"organization_id", org},
                              {"member_id", member_id},
                              {"code", "123456"},
                              {"session_token", "a"},
                              {"session_jwt", "b"}}),
                400, "too_many_session_arguments");
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/otps/email/authenticate",
                             {{"organization_id", org}, {"email_address", "e@errs.io"}, {"code", "123456"}}),
                404, "otp_code_not_found");

  // Sessions.
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/sessions/authenticate", json::object()), 400, "no_session_arguments");
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/sessions/authenticate", {{"session_token", "a"}, {"session_jwt", "b"}}),
                400, "too_many_session_arguments");
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/sessions/authenticate", {{"session_token", "nope"}}), 404,
                "session_not_found");
  b2bmock_error(
      b2bmock_post(mock, "/v1/b2b/sessions/authenticate", {{"session_token", "nope"}, {"session_duration_minutes", 1}}),
      400, "invalid_session_duration");
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/sessions/revoke", json::object()), 400, "no_session_revoke_arguments");
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/sessions/revoke", {{"member_id", member_id}, {"session_token", "a"}}), 400,
                "too_many_session_revoke_arguments");
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/sessions/revoke", {{"member_session_id", "member-session-test-nope"}}), 404,
                "session_not_found");
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/sessions/exchange", {{"organization_id", org}}), 400,
                "no_session_arguments");
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/discovery/organizations", json::object()), 400, "no_session_arguments");
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/discovery/organizations",
                             {{"intermediate_session_token", "a"}, {"session_token", "b"}}),
                400, "too_many_session_arguments");
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/discovery/intermediate_sessions/exchange",
                             {{"intermediate_session_token", "nope"}, {"organization_id", org}}),
                404, "intermediate_session_not_found");
  b2bmock_error(b2bmock_get(mock, "/v1/b2b/sessions?organization_id=" + org + "&member_id=member-test-nope"), 404,
                "member_not_found");

  // An IST of one member does not finish another's MFA.
  const json other = b2bmock_create_org(mock, {{"organization_name", "Other"}, {"mfa_policy", "REQUIRED_FOR_ALL"}});
  b2bmock_create_member(mock, other.at("organization_id"), {{"email_address", "e@errs.io"}});
  const json stopped = b2bmock_email_login(mock, other.at("organization_id"), "e@errs.io");
  CHECK(stopped.at("mfa_required").at("secondary_auth_initiated").is_null());
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/otps/sms/authenticate",
                             {{"organization_id", org},
                              {"member_id", member_id},
                              {"code", "123456"},
                              {"intermediate_session_token", stopped.at("intermediate_session_token")}}),
                400, "invalid_intermediate_session_token_for_organization");

  // Transport-level refusals as on the consumer routes.
  auto http = b2bmock_http(mock);
  auto bad_json = http.Post("/v1/b2b/organizations", "{not json", "application/json");
  REQUIRE(bad_json);
  CHECK(bad_json->status == 400);
  CHECK(json::parse(bad_json->body).at("error_type") == "invalid_request_body");
  httplib::Client anonymous("127.0.0.1", mock.port());
  auto unauthorized = anonymous.Get(("/v1/b2b/organizations/" + org).c_str());
  REQUIRE(unauthorized);
  CHECK(unauthorized->status == 401);
  CHECK(json::parse(unauthorized->body).at("error_type") == "unauthorized_credentials");
}

TEST_CASE("b2b mock: slugs and external ids in paths are URL-decoded, members.get takes either key", "[b2b-mock]") {
  stytch::mock::MockServer mock(b2bmock_options());
  mock.start();
  const json org = b2bmock_create_org(mock, {{"organization_name", "Dots"},
                                             {"organization_slug", "dots.example_x~1"},
                                             {"organization_external_id", "crm|42.a"},
                                             {"trusted_metadata", {{"tier", "gold"}}}});
  const std::string org_id = org.at("organization_id");
  CHECK(org.at("trusted_metadata").at("tier") == "gold");
  CHECK(org.at("organization_external_id") == "crm|42.a");

  for (const std::string ref : {"dots.example_x~1", "dots.example_x%7E1", "crm%7C42.a", "crm%7c42%2Ea"}) {
    INFO(ref);
    const json got = b2bmock_ok(b2bmock_get(mock, "/v1/b2b/organizations/" + ref + "?organization_id=" + ref));
    CHECK(got.at("organization").at("organization_id") == org_id);
  }
  // members.create with the id repeated in the body, by external id in the path.
  const json created = b2bmock_ok(b2bmock_post(mock, "/v1/b2b/organizations/crm%7C42.a/members",
                                               {{"organization_id", org_id},
                                                {"email_address", "pat@dots.io"},
                                                {"name", "Pat"},
                                                {"external_id", "emp|7.b"},
                                                {"create_member_as_pending", true},
                                                {"is_breakglass", true},
                                                {"mfa_enrolled", true},
                                                {"roles", {"editor"}},
                                                {"untrusted_metadata", {{"x", 1}}}}));
  b2bmock_has(created, {"member_id", "member", "organization"});
  const json& member = created.at("member");
  b2bmock_check_member(member);
  CHECK(member.at("status") == "pending");
  CHECK(member.at("name") == "Pat");
  CHECK(member.at("is_breakglass") == true);
  CHECK(member.at("mfa_enrolled") == true);
  CHECK(member.at("external_id") == "emp|7.b");
  CHECK(member.at("roles").size() == 2);
  CHECK(member.at("roles")[1].at("role_id") == "editor");
  CHECK(member.at("roles")[1].at("sources")[0].at("type") == "direct_assignment");
  const std::string member_id = created.at("member_id");

  // Empty query values count as absent; member_id takes the external id.
  const std::string base = "/v1/b2b/organizations/dots.example_x~1/member?organization_id=" + org_id;
  CHECK(b2bmock_ok(b2bmock_get(mock, base + "&member_id=&email_address=pat%40dots.io")).at("member_id") == member_id);
  CHECK(b2bmock_ok(b2bmock_get(mock, base + "&member_id=emp%7C7.b&email_address=")).at("member_id") == member_id);
  CHECK(b2bmock_ok(b2bmock_get(mock, base + "&member_id=" + member_id)).at("member_id") == member_id);
  // Sessions.get takes the slug and the external ids too.
  CHECK(b2bmock_ok(b2bmock_get(mock, "/v1/b2b/sessions?organization_id=crm%7C42.a&member_id=emp%7C7.b"))
            .at("member_sessions")
            .empty());
}

TEST_CASE("b2b mock: the B2B JWKS is the project's, and key rotation changes it", "[b2b-mock]") {
  stytch::mock::MockServer mock(b2bmock_options());
  mock.start();
  const std::string path = std::string("/v1/b2b/sessions/jwks/") + stytch::test::kProjectId;
  const json before = b2bmock_ok(b2bmock_get(mock, path));
  REQUIRE(before.at("keys").size() == 1);
  CHECK(before.at("keys")[0].at("alg") == "RS256");
  const std::string kid = mock.rotate_keys();
  const json after = b2bmock_ok(b2bmock_get(mock, path));
  REQUIRE(after.at("keys").size() == 2);
  CHECK(after.at("keys")[1].at("kid") == kid);
  CHECK(b2bmock_get(mock, "/v1/b2b/sessions/jwks/project-test-other").status == 404);

  // New sessions are signed with the new key.
  const std::string org = b2bmock_create_org(mock, {{"organization_name", "Keys"}}).at("organization_id");
  b2bmock_create_member(mock, org, {{"email_address", "k@keys.io"}});
  const std::string jwt = b2bmock_email_login(mock, org, "k@keys.io").at("session_jwt");
  const auto header = stytch::mock::base64url_decode(jwt.substr(0, jwt.find('.')));
  REQUIRE(header);
  CHECK(json::parse(*header).at("kid") == kid);
}

TEST_CASE("b2b mock: seeds at start survive a reset, the console state shows organizations and sessions",
          "[b2b-mock]") {
  auto options = b2bmock_options();
  options.b2b_seeds = {R"({"organizations": [{"organization_name": "Seeded", "organization_slug": "seeded",
      "members": [{"email_address": "s@seeded.io", "name": "Sam"}]}]})"};
  stytch::mock::MockServer mock(options);
  mock.start();
  const json login = b2bmock_email_login(mock, "seeded", "s@seeded.io");
  CHECK(login.at("member_authenticated") == true);

  httplib::Client http("127.0.0.1", mock.port());
  auto state = http.Get("/_mock/state");
  REQUIRE(state);
  const json b2b = json::parse(state->body).at("b2b");
  REQUIRE(b2b.at("organizations").size() == 1);
  const json& o = b2b.at("organizations")[0];
  CHECK(o.at("organization_slug") == "seeded");
  REQUIRE(o.at("members").size() == 1);
  CHECK(o.at("members")[0].at("name") == "Sam");
  REQUIRE(o.at("members")[0].at("sessions").size() == 1);
  CHECK(o.at("members")[0].at("sessions")[0].at("status") == "active");
  CHECK(o.at("members")[0].at("sessions")[0].at("factors") == json::array({"email"}));
  // The outbox shows the B2B code as used.
  CHECK(json::parse(state->body).at("messages")[0].at("state") == "used");

  auto reset = http.Post("/_mock/reset", "{}", "application/json");
  REQUIRE(reset);
  CHECK(reset->status == 200);
  const json after = json::parse(http.Get("/_mock/state")->body).at("b2b");
  REQUIRE(after.at("organizations").size() == 1);
  CHECK(after.at("organizations")[0].at("members")[0].at("sessions").empty());
  CHECK(after.at("organizations")[0].at("organization_id") != o.at("organization_id"));

  auto bad = http.Post("/_mock/b2b/seed", R"({"organizations": [{"organization_slug": "x"}]})", "application/json");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(json::parse(bad->body).at("error_type") == "organization_name_missing");
}

TEST_CASE("b2b mock: SMS is never a primary factor, follows the MFA methods, and JIT needs the anti-phishing proof",
          "[b2b-mock]") {
  stytch::mock::MockServer mock(b2bmock_options());
  mock.start();

  // An organization whose primary factor cannot be email: the IST of an
  // email login still lacks a primary factor, and SMS cannot stand in.
  const json sso_only = b2bmock_create_org(mock, {{"organization_name", "SSO Only"},
                                                  {"organization_slug", "sso-only"},
                                                  {"auth_methods", "RESTRICTED"},
                                                  {"allowed_auth_methods", json::array({"sso"})}});
  const json member = b2bmock_create_member(mock, sso_only.at("organization_id"),
                                            {{"email_address", "sam@sso.io"}, {"mfa_phone_number", "+12025550177"}});
  // (Email codes are refused there; a discovery login's IST reaches it.)
  b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/email/discovery/send", {{"email_address", "sam@sso.io"}}));
  const json discovered =
      b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/email/discovery/authenticate",
                              {{"email_address", "sam@sso.io"}, {"code", b2bmock_code(mock, "sam@sso.io")}}));
  const json stopped = b2bmock_ok(b2bmock_post(
      mock, "/v1/b2b/discovery/intermediate_sessions/exchange",
      {{"intermediate_session_token", discovered.at("intermediate_session_token")}, {"organization_id", "sso-only"}}));
  CHECK(stopped.at("member_authenticated") == false);
  CHECK(stopped.at("primary_required").is_object());
  const std::string ist = stopped.at("intermediate_session_token");
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/otps/sms/send",
                             {{"organization_id", "sso-only"},
                              {"member_id", member.at("member_id")},
                              {"intermediate_session_token", ist}}),
                400, "action_available_only_once_primary_authentication_is_met");
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/otps/sms/authenticate",
                             {{"organization_id", "sso-only"},
                              {"member_id", member.at("member_id")},
                              {"code", "000000"},
                              {"intermediate_session_token", ist}}),
                400, "action_available_only_once_primary_authentication_is_met");

  // MFA required but SMS not among the organization's MFA methods: the mock
  // sends no SMS at the MFA stop, and an SMS code is refused.
  const json totp_only = b2bmock_create_org(mock, {{"organization_name", "TOTP Only"},
                                                   {"organization_slug", "totp-only"},
                                                   {"mfa_policy", "REQUIRED_FOR_ALL"},
                                                   {"mfa_methods", "RESTRICTED"},
                                                   {"allowed_mfa_methods", json::array({"totp"})}});
  const json tina = b2bmock_create_member(mock, totp_only.at("organization_id"),
                                          {{"email_address", "tina@totp.io"}, {"mfa_phone_number", "+12025550178"}});
  const json mfa_stop = b2bmock_email_login(mock, "totp-only", "tina@totp.io");
  CHECK(mfa_stop.at("mfa_required").at("secondary_auth_initiated").is_null());
  CHECK(b2bmock_outbox_count(mock, "+12025550178") == 0);
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/otps/sms/authenticate",
                             {{"organization_id", "totp-only"},
                              {"member_id", tina.at("member_id")},
                              {"code", "000000"},
                              {"intermediate_session_token", mfa_stop.at("intermediate_session_token")}}),
                400, "operation_restricted_by_organization_mfa_methods");

  // JIT by domain through a discovery exchange only where discovery would
  // list the organization: no verified member of the domain yet, no join.
  b2bmock_create_org(mock, {{"organization_name", "New Domain"},
                            {"organization_slug", "new-domain"},
                            {"email_allowed_domains", json::array({"fresh.io"})},
                            {"email_jit_provisioning", "RESTRICTED"}});
  b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/email/discovery/send", {{"email_address", "una@fresh.io"}}));
  const json found =
      b2bmock_ok(b2bmock_post(mock, "/v1/b2b/otps/email/discovery/authenticate",
                              {{"email_address", "una@fresh.io"}, {"code", b2bmock_code(mock, "una@fresh.io")}}));
  CHECK(found.at("discovered_organizations").empty());
  b2bmock_error(b2bmock_post(mock, "/v1/b2b/discovery/intermediate_sessions/exchange",
                             {{"intermediate_session_token", found.at("intermediate_session_token")},
                              {"organization_id", "new-domain"}}),
                400, "email_jit_provisioning_not_allowed");
}
