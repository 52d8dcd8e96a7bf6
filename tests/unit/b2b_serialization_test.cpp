// The JSON of every B2B call: request bodies with and without their optional
// fields, the refusals made before sending, paths and query strings, and the
// decoding of Stytch-shaped answers (full, minimal, nulls, wrong types).

#include "b2b/b2b_json.hpp"
#include "b2b/b2b_models_json.hpp"

#include <stytch/b2b/discovery/intermediate_sessions.hpp>
#include <stytch/b2b/discovery/organizations.hpp>
#include <stytch/b2b/organizations/members.hpp>
#include <stytch/b2b/organizations/organizations.hpp>
#include <stytch/b2b/otps/email.hpp>
#include <stytch/b2b/otps/email_discovery.hpp>
#include <stytch/b2b/otps/sms.hpp>
#include <stytch/b2b/sessions.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using nlohmann::json;
using stytch::ErrorKind;
using stytch::internal::BodyWriter;
using stytch::internal::decode;
using stytch::internal::FieldError;
namespace b2b = stytch::b2b;
namespace b2bj = stytch::internal;

namespace {

json b2bjson_body(const BodyWriter& body) {
  INFO((body.error() ? body.error()->error_message : std::string()));
  REQUIRE_FALSE(body.error());
  return json::parse(body.dump());
}

// The refusal's message, after checking its kind and that `secret` (the
// refused value) is not in it.
std::string b2bjson_refusal(const BodyWriter& body, const std::string& secret = "") {
  REQUIRE(body.error());
  CHECK(body.error()->kind == ErrorKind::invalid_argument);
  const std::string message = body.error()->error_message;
  if (!secret.empty()) CHECK(message.find(secret) == std::string::npos);
  return message;
}

bool b2bjson_is_sensitive(const BodyWriter& body, const std::string& value) {
  const auto& list = body.sensitive();
  return std::find(list.begin(), list.end(), value) != list.end();
}

const json kB2bClaims = {{"plan", "pro"}, {"limits", {{"seats", 5}}}, {"tags", {"a", nullptr}}};

b2b::OrganizationSettings b2bjson_all_settings() {
  b2b::OrganizationSettings s;
  s.email_allowed_domains = std::vector<std::string>{"example.com", "example.org"};
  s.email_jit_provisioning = "RESTRICTED";
  s.email_invites = "ALL_ALLOWED";
  s.sso_jit_provisioning = "NOT_ALLOWED";
  s.auth_methods = "RESTRICTED";
  s.allowed_auth_methods = std::vector<std::string>{"email_otp", "magic_link"};
  s.mfa_policy = "REQUIRED_FOR_ALL";
  s.mfa_methods = "RESTRICTED";
  s.allowed_mfa_methods = std::vector<std::string>{"sms_otp"};
  return s;
}

const json kB2bSettingsJson = {{"email_allowed_domains", {"example.com", "example.org"}},
                               {"email_jit_provisioning", "RESTRICTED"},
                               {"email_invites", "ALL_ALLOWED"},
                               {"sso_jit_provisioning", "NOT_ALLOWED"},
                               {"auth_methods", "RESTRICTED"},
                               {"allowed_auth_methods", {"email_otp", "magic_link"}},
                               {"mfa_policy", "REQUIRED_FOR_ALL"},
                               {"mfa_methods", "RESTRICTED"},
                               {"allowed_mfa_methods", {"sms_otp"}}};

}  // namespace

// ---- request bodies ----

TEST_CASE("b2b sms send body: minimal and with every field") {
  b2b::otps::sms::SendParams p;
  p.organization_id = "organization-test-1";
  p.member_id = "member-test-1";
  CHECK(b2bjson_body(b2bj::b2b_sms_send_body(p)) ==
        json{{"organization_id", "organization-test-1"}, {"member_id", "member-test-1"}});
  p.mfa_phone_number = "+12025550162";
  p.locale = "pt-br";
  p.intermediate_session_token = "ist-1";
  p.session_token = "tok-1";
  p.session_jwt = "jwt-1";
  const auto body = b2bj::b2b_sms_send_body(p);
  CHECK(b2bjson_body(body) == json{{"organization_id", "organization-test-1"},
                                   {"member_id", "member-test-1"},
                                   {"mfa_phone_number", "+12025550162"},
                                   {"locale", "pt-br"},
                                   {"intermediate_session_token", "ist-1"},
                                   {"session_token", "tok-1"},
                                   {"session_jwt", "jwt-1"}});
  for (const char* secret : {"+12025550162", "ist-1", "tok-1", "jwt-1"}) {
    INFO(secret);
    CHECK(b2bjson_is_sensitive(body, secret));
  }
}

TEST_CASE("b2b sms authenticate body: minimal and with every field") {
  b2b::otps::sms::AuthenticateParams p;
  p.organization_id = "organization-test-1";
  p.member_id = "member-test-1";
  p.code = "123456";
  p.intermediate_session_token = "ist-1";
  const auto minimal = b2bj::b2b_sms_authenticate_body(p);
  CHECK(b2bjson_body(minimal) == json{{"organization_id", "organization-test-1"},
                                      {"member_id", "member-test-1"},
                                      {"code", "123456"},
                                      {"intermediate_session_token", "ist-1"}});
  CHECK(b2bjson_is_sensitive(minimal, "123456"));
  CHECK(b2bjson_is_sensitive(minimal, "ist-1"));
  p.intermediate_session_token.reset();
  p.session_jwt = "jwt-1";
  p.session_duration_minutes = 120;
  p.session_custom_claims = kB2bClaims;
  p.set_mfa_enrollment = "enroll";
  p.set_default_mfa = false;
  p.telemetry_id = "tel-1";
  CHECK(b2bjson_body(b2bj::b2b_sms_authenticate_body(p)) == json{{"organization_id", "organization-test-1"},
                                                                 {"member_id", "member-test-1"},
                                                                 {"code", "123456"},
                                                                 {"session_jwt", "jwt-1"},
                                                                 {"session_duration_minutes", 120},
                                                                 {"session_custom_claims", kB2bClaims},
                                                                 {"set_mfa_enrollment", "enroll"},
                                                                 {"set_default_mfa", false},
                                                                 {"telemetry_id", "tel-1"}});
}

TEST_CASE("b2b email login_or_signup body: minimal and with every field") {
  b2b::otps::email::LoginOrSignupParams p;
  p.organization_id = "organization-test-1";
  p.email_address = "ada@example.com";
  const auto minimal = b2bj::b2b_email_login_or_signup_body(p);
  CHECK(b2bjson_body(minimal) ==
        json{{"organization_id", "organization-test-1"}, {"email_address", "ada@example.com"}});
  CHECK(b2bjson_is_sensitive(minimal, "ada@example.com"));
  p.login_template_id = "login-tpl";
  p.signup_template_id = "signup-tpl";
  p.locale = "fr";
  p.login_expiration_minutes = 5;
  p.signup_expiration_minutes = 15;
  CHECK(b2bjson_body(b2bj::b2b_email_login_or_signup_body(p)) == json{{"organization_id", "organization-test-1"},
                                                                      {"email_address", "ada@example.com"},
                                                                      {"login_template_id", "login-tpl"},
                                                                      {"signup_template_id", "signup-tpl"},
                                                                      {"locale", "fr"},
                                                                      {"login_expiration_minutes", 5},
                                                                      {"signup_expiration_minutes", 15}});
}

TEST_CASE("b2b email authenticate body: minimal and with every field") {
  b2b::otps::email::AuthenticateParams p;
  p.organization_id = "organization-test-1";
  p.email_address = "ada@example.com";
  p.code = "654321";
  CHECK(b2bjson_body(b2bj::b2b_email_authenticate_body(p)) ==
        json{{"organization_id", "organization-test-1"}, {"email_address", "ada@example.com"}, {"code", "654321"}});
  p.session_token = "tok-1";
  p.session_jwt = "jwt-1";
  p.intermediate_session_token = "ist-1";
  p.session_duration_minutes = 60;
  p.session_custom_claims = json::object();
  p.locale = "es";
  p.telemetry_id = "tel-1";
  const auto body = b2bj::b2b_email_authenticate_body(p);
  CHECK(b2bjson_body(body) == json{{"organization_id", "organization-test-1"},
                                   {"email_address", "ada@example.com"},
                                   {"code", "654321"},
                                   {"session_token", "tok-1"},
                                   {"session_jwt", "jwt-1"},
                                   {"intermediate_session_token", "ist-1"},
                                   {"session_duration_minutes", 60},
                                   {"session_custom_claims", json::object()},
                                   {"locale", "es"},
                                   {"telemetry_id", "tel-1"}});
  for (const char* secret : {"ada@example.com", "654321", "tok-1", "jwt-1", "ist-1"}) {
    INFO(secret);
    CHECK(b2bjson_is_sensitive(body, secret));
  }
}

TEST_CASE("b2b email discovery send and authenticate bodies") {
  b2b::otps::email::discovery::SendParams send;
  send.email_address = "ada@example.com";
  CHECK(b2bjson_body(b2bj::b2b_email_discovery_send_body(send)) == json{{"email_address", "ada@example.com"}});
  send.login_template_id = "tpl";
  send.locale = "en";
  send.discovery_expiration_minutes = 2;
  CHECK(b2bjson_body(b2bj::b2b_email_discovery_send_body(send)) == json{{"email_address", "ada@example.com"},
                                                                        {"login_template_id", "tpl"},
                                                                        {"locale", "en"},
                                                                        {"discovery_expiration_minutes", 2}});

  b2b::otps::email::discovery::AuthenticateParams auth;
  auth.email_address = "ada@example.com";
  auth.code = "111222";
  const auto body = b2bj::b2b_email_discovery_authenticate_body(auth);
  CHECK(b2bjson_body(body) == json{{"email_address", "ada@example.com"}, {"code", "111222"}});
  CHECK(b2bjson_is_sensitive(body, "111222"));
  CHECK(b2bjson_is_sensitive(body, "ada@example.com"));
}

TEST_CASE("b2b intermediate_sessions exchange body") {
  b2b::discovery::intermediate_sessions::ExchangeParams p;
  p.intermediate_session_token = "ist-1";
  p.organization_id = "organization-test-1";
  const auto minimal = b2bj::b2b_intermediate_sessions_exchange_body(p);
  CHECK(b2bjson_body(minimal) ==
        json{{"intermediate_session_token", "ist-1"}, {"organization_id", "organization-test-1"}});
  CHECK(b2bjson_is_sensitive(minimal, "ist-1"));
  p.session_duration_minutes = 30;
  p.session_custom_claims = kB2bClaims;
  p.locale = "de-DE";
  p.telemetry_id = "tel-1";
  CHECK(b2bjson_body(b2bj::b2b_intermediate_sessions_exchange_body(p)) ==
        json{{"intermediate_session_token", "ist-1"},
             {"organization_id", "organization-test-1"},
             {"session_duration_minutes", 30},
             {"session_custom_claims", kB2bClaims},
             {"locale", "de-DE"},
             {"telemetry_id", "tel-1"}});
}

TEST_CASE("b2b discovery organizations list body takes exactly one of three") {
  b2b::discovery::organizations::ListParams p;
  p.intermediate_session_token = "ist-1";
  CHECK(b2bjson_body(b2bj::b2b_discovery_organizations_list_body(p)) == json{{"intermediate_session_token", "ist-1"}});
  p.intermediate_session_token.reset();
  p.session_token = "tok-1";
  CHECK(b2bjson_body(b2bj::b2b_discovery_organizations_list_body(p)) == json{{"session_token", "tok-1"}});
  p.session_token.reset();
  p.session_jwt = "jwt-1";
  const auto body = b2bj::b2b_discovery_organizations_list_body(p);
  CHECK(b2bjson_body(body) == json{{"session_jwt", "jwt-1"}});
  CHECK(b2bjson_is_sensitive(body, "jwt-1"));
}

TEST_CASE("b2b discovery organizations create body flattens the settings") {
  b2b::discovery::organizations::CreateParams p;
  p.intermediate_session_token = "ist-1";
  CHECK(b2bjson_body(b2bj::b2b_discovery_organizations_create_body(p)) ==
        json{{"intermediate_session_token", "ist-1"}});
  p.session_duration_minutes = 60;
  p.session_custom_claims = kB2bClaims;
  p.organization_name = "Acme";
  p.organization_slug = "acme";
  p.organization_external_id = "ext-1";
  p.organization_logo_url = "https://example.com/logo.png";
  p.trusted_metadata = json{{"tier", 1}};
  p.settings = b2bjson_all_settings();
  p.telemetry_id = "tel-1";
  json expected = {{"intermediate_session_token", "ist-1"},
                   {"session_duration_minutes", 60},
                   {"session_custom_claims", kB2bClaims},
                   {"organization_name", "Acme"},
                   {"organization_slug", "acme"},
                   {"organization_external_id", "ext-1"},
                   {"organization_logo_url", "https://example.com/logo.png"},
                   {"trusted_metadata", {{"tier", 1}}},
                   {"telemetry_id", "tel-1"}};
  expected.update(kB2bSettingsJson);
  CHECK(b2bjson_body(b2bj::b2b_discovery_organizations_create_body(p)) == expected);
}

TEST_CASE("b2b organization settings: only the set ones are sent, empty lists too") {
  b2b::organizations::CreateParams p;
  p.organization_name = "Acme";
  p.settings.mfa_policy = "OPTIONAL";
  p.settings.allowed_mfa_methods = std::vector<std::string>{};
  CHECK(b2bjson_body(b2bj::b2b_organizations_create_body(p)) ==
        json{{"organization_name", "Acme"}, {"mfa_policy", "OPTIONAL"}, {"allowed_mfa_methods", json::array()}});
  p.settings.email_allowed_domains = std::vector<std::string>{"ok.example", "bad \xFF"};
  CHECK(b2bjson_refusal(b2bj::b2b_organizations_create_body(p)) == "email_allowed_domains is not valid UTF-8");
}

TEST_CASE("b2b sessions authenticate body with a nested authorization check") {
  b2b::sessions::AuthenticateParams p;
  p.session_token = "tok-1";
  CHECK(b2bjson_body(b2bj::b2b_sessions_authenticate_body(p)) == json{{"session_token", "tok-1"}});
  p.session_token.reset();
  p.session_jwt = "jwt-1";
  p.session_duration_minutes = 10;
  p.session_custom_claims = kB2bClaims;
  p.authorization_check = b2b::sessions::AuthorizationCheck{"organization-test-1", "documents", "read"};
  const auto body = b2bj::b2b_sessions_authenticate_body(p);
  CHECK(b2bjson_body(body) ==
        json{{"session_jwt", "jwt-1"},
             {"session_duration_minutes", 10},
             {"session_custom_claims", kB2bClaims},
             {"authorization_check",
              {{"organization_id", "organization-test-1"}, {"resource_id", "documents"}, {"action", "read"}}}});
  CHECK(b2bjson_is_sensitive(body, "jwt-1"));
  p.authorization_check->resource_id.clear();
  CHECK(b2bjson_refusal(b2bj::b2b_sessions_authenticate_body(p)) == "authorization_check.resource_id is required");
}

TEST_CASE("b2b sessions revoke body takes exactly one of four") {
  b2b::sessions::RevokeParams p;
  p.member_session_id = "member-session-test-1";
  CHECK(b2bjson_body(b2bj::b2b_sessions_revoke_body(p)) == json{{"member_session_id", "member-session-test-1"}});
  p.member_session_id.reset();
  p.member_id = "member-test-1";
  CHECK(b2bjson_body(b2bj::b2b_sessions_revoke_body(p)) == json{{"member_id", "member-test-1"}});
  p.member_id.reset();
  p.session_token = "tok-1";
  CHECK(b2bjson_body(b2bj::b2b_sessions_revoke_body(p)) == json{{"session_token", "tok-1"}});
  p.session_token.reset();
  p.session_jwt = "jwt-1";
  const auto body = b2bj::b2b_sessions_revoke_body(p);
  CHECK(b2bjson_body(body) == json{{"session_jwt", "jwt-1"}});
  CHECK(b2bjson_is_sensitive(body, "jwt-1"));
}

TEST_CASE("b2b sessions exchange body") {
  b2b::sessions::ExchangeParams p;
  p.organization_id = "organization-test-2";
  p.session_token = "tok-1";
  CHECK(b2bjson_body(b2bj::b2b_sessions_exchange_body(p)) ==
        json{{"organization_id", "organization-test-2"}, {"session_token", "tok-1"}});
  p.session_token.reset();
  p.session_jwt = "jwt-1";
  p.session_duration_minutes = 60;
  p.session_custom_claims = kB2bClaims;
  p.locale = "ja";
  p.telemetry_id = "tel-1";
  CHECK(b2bjson_body(b2bj::b2b_sessions_exchange_body(p)) == json{{"organization_id", "organization-test-2"},
                                                                  {"session_jwt", "jwt-1"},
                                                                  {"session_duration_minutes", 60},
                                                                  {"session_custom_claims", kB2bClaims},
                                                                  {"locale", "ja"},
                                                                  {"telemetry_id", "tel-1"}});
}

TEST_CASE("b2b organizations create body: minimal and with every field") {
  b2b::organizations::CreateParams p;
  p.organization_name = "Acme";
  CHECK(b2bjson_body(b2bj::b2b_organizations_create_body(p)) == json{{"organization_name", "Acme"}});
  p.organization_slug = "acme.eu";
  p.organization_logo_url = "https://example.com/logo.png";
  p.organization_external_id = "ext|1";
  p.trusted_metadata = json{{"crm", {{"id", 7}}}};
  p.settings = b2bjson_all_settings();
  json expected = {{"organization_name", "Acme"},
                   {"organization_slug", "acme.eu"},
                   {"organization_logo_url", "https://example.com/logo.png"},
                   {"organization_external_id", "ext|1"},
                   {"trusted_metadata", {{"crm", {{"id", 7}}}}}};
  expected.update(kB2bSettingsJson);
  CHECK(b2bjson_body(b2bj::b2b_organizations_create_body(p)) == expected);
}

TEST_CASE("b2b members create: organization_id in the path only") {
  b2b::organizations::members::CreateParams p;
  p.organization_id = "organization-test-1";
  p.email_address = "ada@example.com";
  auto body = b2bj::b2b_members_create_body(p);
  CHECK(b2bj::b2b_members_create_path(p, body) == "v1/b2b/organizations/organization-test-1/members");
  CHECK(b2bjson_body(body) == json{{"email_address", "ada@example.com"}});
  CHECK(b2bjson_is_sensitive(body, "ada@example.com"));

  p.name = "Ada Lovelace";
  p.trusted_metadata = json{{"tier", 2}};
  p.untrusted_metadata = json{{"theme", "dark"}};
  p.create_member_as_pending = false;
  p.is_breakglass = true;
  p.mfa_phone_number = "+447700900123";
  p.mfa_enrolled = false;
  p.roles = std::vector<std::string>{"stytch_admin", "editor"};
  p.external_id = "ext-ada";
  body = b2bj::b2b_members_create_body(p);
  CHECK(b2bj::b2b_members_create_path(p, body) == "v1/b2b/organizations/organization-test-1/members");
  CHECK(b2bjson_body(body) == json{{"email_address", "ada@example.com"},
                                   {"name", "Ada Lovelace"},
                                   {"trusted_metadata", {{"tier", 2}}},
                                   {"untrusted_metadata", {{"theme", "dark"}}},
                                   {"create_member_as_pending", false},
                                   {"is_breakglass", true},
                                   {"mfa_phone_number", "+447700900123"},
                                   {"mfa_enrolled", false},
                                   {"roles", {"stytch_admin", "editor"}},
                                   {"external_id", "ext-ada"}});
  CHECK(b2bjson_is_sensitive(body, "+447700900123"));

  p.organization_id.clear();
  body = b2bj::b2b_members_create_body(p);
  b2bj::b2b_members_create_path(p, body);
  CHECK(b2bjson_refusal(body) == "organization_id is required");
}

// ---- refusals ----

TEST_CASE("b2b required strings are refused when empty, naming the field") {
  CHECK(b2bjson_refusal(b2bj::b2b_sms_send_body({})) == "organization_id is required");
  b2b::otps::sms::SendParams send;
  send.organization_id = "o";
  CHECK(b2bjson_refusal(b2bj::b2b_sms_send_body(send)) == "member_id is required");

  b2b::otps::sms::AuthenticateParams sms;
  sms.organization_id = "o";
  sms.member_id = "m";
  sms.session_token = "t";
  CHECK(b2bjson_refusal(b2bj::b2b_sms_authenticate_body(sms)) == "code is required");

  CHECK(b2bjson_refusal(b2bj::b2b_email_login_or_signup_body({})) == "organization_id is required");
  b2b::otps::email::LoginOrSignupParams los;
  los.organization_id = "o";
  CHECK(b2bjson_refusal(b2bj::b2b_email_login_or_signup_body(los)) == "email_address is required");

  b2b::otps::email::AuthenticateParams email;
  email.organization_id = "o";
  email.email_address = "ada@example.com";
  CHECK(b2bjson_refusal(b2bj::b2b_email_authenticate_body(email)) == "code is required");

  CHECK(b2bjson_refusal(b2bj::b2b_email_discovery_send_body({})) == "email_address is required");
  b2b::otps::email::discovery::AuthenticateParams discovery;
  discovery.email_address = "ada@example.com";
  CHECK(b2bjson_refusal(b2bj::b2b_email_discovery_authenticate_body(discovery)) == "code is required");

  CHECK(b2bjson_refusal(b2bj::b2b_intermediate_sessions_exchange_body({})) == "intermediate_session_token is required");
  b2b::discovery::intermediate_sessions::ExchangeParams exchange;
  exchange.intermediate_session_token = "ist";
  CHECK(b2bjson_refusal(b2bj::b2b_intermediate_sessions_exchange_body(exchange)) == "organization_id is required");

  CHECK(b2bjson_refusal(b2bj::b2b_discovery_organizations_create_body({})) == "intermediate_session_token is required");
  b2b::sessions::ExchangeParams session_exchange;
  session_exchange.session_token = "t";
  CHECK(b2bjson_refusal(b2bj::b2b_sessions_exchange_body(session_exchange)) == "organization_id is required");
  CHECK(b2bjson_refusal(b2bj::b2b_organizations_create_body({})) == "organization_name is required");
  CHECK(b2bjson_refusal(b2bj::b2b_members_create_body({})) == "email_address is required");
}

TEST_CASE("b2b exactly-one rules: none and two are refused, the values never echoed") {
  b2b::otps::sms::AuthenticateParams sms;
  sms.organization_id = "o";
  sms.member_id = "m";
  sms.code = "123456";
  const std::string three = "intermediate_session_token/session_token/session_jwt exactly one must be given";
  CHECK(b2bjson_refusal(b2bj::b2b_sms_authenticate_body(sms)) == three);
  sms.intermediate_session_token = "ist-secret";
  sms.session_jwt = "jwt-secret";
  CHECK(b2bjson_refusal(b2bj::b2b_sms_authenticate_body(sms), "secret") == three);

  b2b::discovery::organizations::ListParams list;
  CHECK(b2bjson_refusal(b2bj::b2b_discovery_organizations_list_body(list)) == three);
  list.session_token = "tok-secret";
  list.session_jwt = "jwt-secret";
  CHECK(b2bjson_refusal(b2bj::b2b_discovery_organizations_list_body(list), "secret") == three);

  const std::string two = "session_token/session_jwt exactly one must be given";
  b2b::sessions::AuthenticateParams auth;
  CHECK(b2bjson_refusal(b2bj::b2b_sessions_authenticate_body(auth)) == two);
  auth.session_token = "tok-secret";
  auth.session_jwt = "jwt-secret";
  CHECK(b2bjson_refusal(b2bj::b2b_sessions_authenticate_body(auth), "secret") == two);

  b2b::sessions::ExchangeParams exchange;
  exchange.organization_id = "o";
  CHECK(b2bjson_refusal(b2bj::b2b_sessions_exchange_body(exchange)) == two);
  exchange.session_token = "tok-secret";
  exchange.session_jwt = "jwt-secret";
  CHECK(b2bjson_refusal(b2bj::b2b_sessions_exchange_body(exchange), "secret") == two);

  const std::string four = "member_session_id/session_token/session_jwt/member_id exactly one must be given";
  b2b::sessions::RevokeParams revoke;
  CHECK(b2bjson_refusal(b2bj::b2b_sessions_revoke_body(revoke)) == four);
  revoke.member_session_id = "ms-secret";
  revoke.member_id = "m-secret";
  CHECK(b2bjson_refusal(b2bj::b2b_sessions_revoke_body(revoke), "secret") == four);

  b2b::organizations::members::GetParams get;
  get.organization_id = "o";
  BodyWriter none;
  b2bj::b2b_members_get_path(get, none);
  CHECK(b2bjson_refusal(none) == "member_id/email_address exactly one must be given");
  get.member_id = "m-secret";
  get.email_address = "secret@example.com";
  BodyWriter both;
  b2bj::b2b_members_get_path(get, both);
  CHECK(b2bjson_refusal(both, "secret") == "member_id/email_address exactly one must be given");
}

TEST_CASE("b2b a set but empty token, locale or one-of value is refused") {
  b2b::otps::sms::SendParams send;
  send.organization_id = "o";
  send.member_id = "m";
  send.session_token = "";
  CHECK(b2bjson_refusal(b2bj::b2b_sms_send_body(send)) == "session_token must not be empty when given");
  send.session_token.reset();
  send.intermediate_session_token = "";
  CHECK(b2bjson_refusal(b2bj::b2b_sms_send_body(send)) == "intermediate_session_token must not be empty when given");
  send.intermediate_session_token.reset();
  send.locale = "";
  CHECK(b2bjson_refusal(b2bj::b2b_sms_send_body(send)).rfind("locale must not be empty", 0) == 0);

  b2b::otps::email::AuthenticateParams email;
  email.organization_id = "o";
  email.email_address = "ada@example.com";
  email.code = "1";
  email.session_jwt = "";
  CHECK(b2bjson_refusal(b2bj::b2b_email_authenticate_body(email)) == "session_jwt must not be empty when given");

  b2b::sessions::AuthenticateParams auth;
  auth.session_token = "";
  CHECK(b2bjson_refusal(b2bj::b2b_sessions_authenticate_body(auth)) == "session_token must not be empty");

  b2b::discovery::intermediate_sessions::ExchangeParams exchange;
  exchange.intermediate_session_token = "ist";
  exchange.organization_id = "o";
  exchange.locale = "";
  CHECK(b2bjson_refusal(b2bj::b2b_intermediate_sessions_exchange_body(exchange)).rfind("locale must not be empty", 0) ==
        0);

  b2b::organizations::members::GetParams get;
  get.organization_id = "o";
  get.member_id = "";
  BodyWriter refusals;
  b2bj::b2b_members_get_path(get, refusals);
  CHECK(b2bjson_refusal(refusals) == "member_id must not be empty");
}

TEST_CASE("b2b an MFA phone number that is not E.164 is refused without echoing it") {
  b2b::otps::sms::SendParams send;
  send.organization_id = "o";
  send.member_id = "m";
  send.mfa_phone_number = "2025550162";
  CHECK(b2bjson_refusal(b2bj::b2b_sms_send_body(send), "2025550162").rfind("mfa_phone_number must be E.164", 0) == 0);
  send.mfa_phone_number = "";
  CHECK(b2bjson_refusal(b2bj::b2b_sms_send_body(send)) == "mfa_phone_number is required");

  b2b::organizations::members::CreateParams create;
  create.organization_id = "o";
  create.email_address = "ada@example.com";
  create.mfa_phone_number = "+0123";
  CHECK(b2bjson_refusal(b2bj::b2b_members_create_body(create), "+0123").rfind("mfa_phone_number must be E.164", 0) ==
        0);
}

TEST_CASE("b2b what is certainly not an email address is refused without echoing it") {
  for (const char* bad : {"ada", "@example.com", "ada@", "ada @example.com"}) {
    INFO(bad);
    b2b::otps::email::LoginOrSignupParams los;
    los.organization_id = "o";
    los.email_address = bad;
    CHECK(b2bjson_refusal(b2bj::b2b_email_login_or_signup_body(los)) == "email_address is not an email address");
    b2b::otps::email::AuthenticateParams auth;
    auth.organization_id = "o";
    auth.email_address = bad;
    auth.code = "1";
    CHECK(b2bjson_refusal(b2bj::b2b_email_authenticate_body(auth)) == "email_address is not an email address");
    b2b::otps::email::discovery::SendParams send;
    send.email_address = bad;
    CHECK(b2bjson_refusal(b2bj::b2b_email_discovery_send_body(send)) == "email_address is not an email address");
    b2b::otps::email::discovery::AuthenticateParams dauth;
    dauth.email_address = bad;
    dauth.code = "1";
    CHECK(b2bjson_refusal(b2bj::b2b_email_discovery_authenticate_body(dauth)) ==
          "email_address is not an email address");
    b2b::organizations::members::CreateParams create;
    create.organization_id = "o";
    create.email_address = bad;
    CHECK(b2bjson_refusal(b2bj::b2b_members_create_body(create)) == "email_address is not an email address");
    b2b::organizations::members::GetParams get;
    get.organization_id = "o";
    get.email_address = bad;
    BodyWriter refusals;
    b2bj::b2b_members_get_path(get, refusals);
    CHECK(b2bjson_refusal(refusals) == "email_address is not an email address");
  }
  b2b::organizations::members::GetParams get;
  get.organization_id = "o";
  get.email_address = "ada+tag@sub.example.co.uk";
  BodyWriter refusals;
  b2bj::b2b_members_get_path(get, refusals);
  CHECK_FALSE(refusals.error());
  CHECK(b2bjson_is_sensitive(refusals, "ada+tag@sub.example.co.uk"));
}

TEST_CASE("b2b custom claims and metadata must be JSON objects") {
  b2b::sessions::AuthenticateParams auth;
  auth.session_token = "t";
  auth.session_custom_claims = json::array({1});
  CHECK(b2bjson_refusal(b2bj::b2b_sessions_authenticate_body(auth)) == "session_custom_claims must be a JSON object");

  b2b::otps::sms::AuthenticateParams sms;
  sms.organization_id = "o";
  sms.member_id = "m";
  sms.code = "1";
  sms.session_token = "t";
  sms.session_custom_claims = json("claims");
  CHECK(b2bjson_refusal(b2bj::b2b_sms_authenticate_body(sms)) == "session_custom_claims must be a JSON object");

  b2b::organizations::CreateParams org;
  org.organization_name = "Acme";
  org.trusted_metadata = json();
  CHECK(b2bjson_refusal(b2bj::b2b_organizations_create_body(org)) == "trusted_metadata must be a JSON object");

  b2b::discovery::organizations::CreateParams dorg;
  dorg.intermediate_session_token = "ist";
  dorg.trusted_metadata = json(3);
  CHECK(b2bjson_refusal(b2bj::b2b_discovery_organizations_create_body(dorg)) ==
        "trusted_metadata must be a JSON object");

  b2b::organizations::members::CreateParams member;
  member.organization_id = "o";
  member.email_address = "ada@example.com";
  member.untrusted_metadata = json::array();
  CHECK(b2bjson_refusal(b2bj::b2b_members_create_body(member)) == "untrusted_metadata must be a JSON object");
  member.untrusted_metadata.reset();
  member.trusted_metadata = json(true);
  CHECK(b2bjson_refusal(b2bj::b2b_members_create_body(member)) == "trusted_metadata must be a JSON object");
}

TEST_CASE("b2b invalid UTF-8 is refused naming the field, in bodies, paths and queries") {
  const std::string bad = "bad \xC3";
  b2b::otps::sms::SendParams send;
  send.organization_id = bad;
  send.member_id = "m";
  CHECK(b2bjson_refusal(b2bj::b2b_sms_send_body(send)) == "organization_id is not valid UTF-8");

  b2b::discovery::organizations::CreateParams create;
  create.intermediate_session_token = "ist";
  create.organization_name = bad;
  CHECK(b2bjson_refusal(b2bj::b2b_discovery_organizations_create_body(create)) ==
        "organization_name is not valid UTF-8");

  b2b::organizations::members::CreateParams member;
  member.organization_id = "o";
  member.email_address = "ada@example.com";
  member.roles = std::vector<std::string>{bad};
  CHECK(b2bjson_refusal(b2bj::b2b_members_create_body(member)) == "roles is not valid UTF-8");
  member.roles.reset();
  member.organization_id = bad;
  auto body = b2bj::b2b_members_create_body(member);
  b2bj::b2b_members_create_path(member, body);
  CHECK(b2bjson_refusal(body) == "organization_id is not valid UTF-8");

  b2b::sessions::AuthenticateParams auth;
  auth.session_jwt = "j";
  auth.authorization_check = b2b::sessions::AuthorizationCheck{"o", "r", bad};
  CHECK(b2bjson_refusal(b2bj::b2b_sessions_authenticate_body(auth)) == "authorization_check.action is not valid UTF-8");

  b2b::sessions::GetParams get;
  get.organization_id = "o";
  get.member_id = bad;
  BodyWriter refusals;
  b2bj::b2b_sessions_get_path(get, refusals);
  CHECK(b2bjson_refusal(refusals) == "member_id is not valid UTF-8");

  b2b::organizations::members::GetParams member_get;
  member_get.organization_id = "o";
  member_get.email_address = "ada@example.com" + bad;
  BodyWriter member_refusals;
  b2bj::b2b_members_get_path(member_get, member_refusals);
  CHECK(b2bjson_refusal(member_refusals) == "email_address is not valid UTF-8");
}

// ---- paths ----

TEST_CASE("b2b paths and queries are URL-encoded") {
  b2b::organizations::GetParams org;
  org.organization_id = "acme.eu|team one@x";
  BodyWriter refusals;
  CHECK(b2bj::b2b_organizations_get_path(org, refusals) == "v1/b2b/organizations/acme.eu%7Cteam%20one%40x");
  CHECK_FALSE(refusals.error());
  CHECK(refusals.json() == json::object());  // a GET sends nothing

  b2b::organizations::members::GetParams member;
  member.organization_id = "organization-test-1";
  member.member_id = "ext|ada.l 1";
  CHECK(b2bj::b2b_members_get_path(member, refusals) ==
        "v1/b2b/organizations/organization-test-1/member?member_id=ext%7Cada.l%201");
  member.member_id.reset();
  member.email_address = "ada+x@example.com";
  CHECK(b2bj::b2b_members_get_path(member, refusals) ==
        "v1/b2b/organizations/organization-test-1/member?email_address=ada%2Bx%40example.com");
  CHECK_FALSE(refusals.error());
  CHECK(refusals.json() == json::object());

  b2b::sessions::GetParams sessions;
  sessions.organization_id = "acme.eu";
  sessions.member_id = "ext|a b&member_id=evil";
  CHECK(b2bj::b2b_sessions_get_path(sessions, refusals) ==
        "v1/b2b/sessions?organization_id=acme.eu&member_id=ext%7Ca%20b%26member_id%3Devil");
  CHECK_FALSE(refusals.error());

  b2b::organizations::members::CreateParams create;
  create.organization_id = "a/b?c#d";
  create.email_address = "ada@example.com";
  CHECK(b2bj::b2b_members_create_path(create, refusals) == "v1/b2b/organizations/a%2Fb%3Fc%23d/members");
  CHECK(b2bj::b2b_sessions_jwks_path("project-test-1") == "v1/b2b/sessions/jwks/project-test-1");
}

TEST_CASE("b2b a path segment of only dots cannot become a dot segment") {
  b2b::organizations::GetParams org;
  BodyWriter refusals;
  org.organization_id = "..";
  CHECK(b2bj::b2b_organizations_get_path(org, refusals) == "v1/b2b/organizations/%2E%2E");
  org.organization_id = ".";
  CHECK(b2bj::b2b_organizations_get_path(org, refusals) == "v1/b2b/organizations/%2E");
  org.organization_id = "...";
  CHECK(b2bj::b2b_organizations_get_path(org, refusals) == "v1/b2b/organizations/...");
  b2b::organizations::members::GetParams member;
  member.organization_id = "..";
  member.member_id = "m";
  CHECK(b2bj::b2b_members_get_path(member, refusals) == "v1/b2b/organizations/%2E%2E/member?member_id=m");
  CHECK_FALSE(refusals.error());
}

TEST_CASE("b2b path values are required") {
  BodyWriter org_refusals;
  b2bj::b2b_organizations_get_path({}, org_refusals);
  CHECK(b2bjson_refusal(org_refusals) == "organization_id is required");

  b2b::sessions::GetParams get;
  BodyWriter get_refusals;
  b2bj::b2b_sessions_get_path(get, get_refusals);
  CHECK(b2bjson_refusal(get_refusals) == "organization_id is required");
  get.organization_id = "o";
  BodyWriter member_refusals;
  b2bj::b2b_sessions_get_path(get, member_refusals);
  CHECK(b2bjson_refusal(member_refusals) == "member_id is required");

  b2b::organizations::members::GetParams member;
  member.member_id = "m";
  BodyWriter member_get_refusals;
  b2bj::b2b_members_get_path(member, member_get_refusals);
  CHECK(b2bjson_refusal(member_get_refusals) == "organization_id is required");
}

TEST_CASE("b2b fixed paths") {
  CHECK(std::string(b2bj::kB2bSmsSendPath) == "v1/b2b/otps/sms/send");
  CHECK(std::string(b2bj::kB2bSmsAuthenticatePath) == "v1/b2b/otps/sms/authenticate");
  CHECK(std::string(b2bj::kB2bEmailLoginOrSignupPath) == "v1/b2b/otps/email/login_or_signup");
  CHECK(std::string(b2bj::kB2bEmailAuthenticatePath) == "v1/b2b/otps/email/authenticate");
  CHECK(std::string(b2bj::kB2bEmailDiscoverySendPath) == "v1/b2b/otps/email/discovery/send");
  CHECK(std::string(b2bj::kB2bEmailDiscoveryAuthenticatePath) == "v1/b2b/otps/email/discovery/authenticate");
  CHECK(std::string(b2bj::kB2bIntermediateSessionsExchangePath) == "v1/b2b/discovery/intermediate_sessions/exchange");
  CHECK(std::string(b2bj::kB2bDiscoveryOrganizationsListPath) == "v1/b2b/discovery/organizations");
  CHECK(std::string(b2bj::kB2bDiscoveryOrganizationsCreatePath) == "v1/b2b/discovery/organizations/create");
  CHECK(std::string(b2bj::kB2bSessionsAuthenticatePath) == "v1/b2b/sessions/authenticate");
  CHECK(std::string(b2bj::kB2bSessionsRevokePath) == "v1/b2b/sessions/revoke");
  CHECK(std::string(b2bj::kB2bSessionsExchangePath) == "v1/b2b/sessions/exchange");
  CHECK(std::string(b2bj::kB2bOrganizationsCreatePath) == "v1/b2b/organizations");
}

// ---- decoding ----

namespace {

json b2bjson_member() {
  return json::parse(R"({
    "organization_id": "organization-test-1", "member_id": "member-test-1",
    "email_address": "ada@example.com", "email_address_verified": true, "status": "active",
    "name": "Ada Lovelace", "mfa_phone_number": "+12025550162", "mfa_phone_number_verified": true,
    "mfa_enrolled": true, "default_mfa_method": "sms_otp", "totp_registration_id": "",
    "member_password_id": "", "is_breakglass": false, "is_admin": true, "is_locked": false,
    "lock_created_at": null, "lock_expires_at": null,
    "roles": [
      {"role_id": "stytch_member", "sources": [{"type": "direct_assignment", "details": {}}]},
      {"role_id": "stytch_admin", "sources": [
        {"type": "direct_assignment", "details": {}},
        {"type": "email_assignment", "details": {"email_domain": "example.com"}}]}
    ],
    "sso_registrations": [], "oauth_registrations": [], "retired_email_addresses": [],
    "external_id": "ext-ada", "created_at": "2026-01-02T03:04:05Z", "updated_at": "2026-01-03T03:04:05Z",
    "trusted_metadata": {"tier": 3}, "untrusted_metadata": {"theme": "dark"}, "scim_registration": null
  })");
}

json b2bjson_organization() {
  return json::parse(R"({
    "organization_id": "organization-test-1", "organization_name": "Acme", "organization_slug": "acme",
    "organization_logo_url": "https://example.com/logo.png", "organization_external_id": "ext-acme",
    "sso_default_connection_id": null,
    "email_allowed_domains": ["example.com"], "email_jit_provisioning": "RESTRICTED",
    "email_invites": "ALL_ALLOWED", "sso_jit_provisioning": "ALL_ALLOWED",
    "auth_methods": "RESTRICTED", "allowed_auth_methods": ["email_otp", "magic_link"],
    "mfa_policy": "REQUIRED_FOR_ALL", "mfa_methods": "ALL_ALLOWED", "allowed_mfa_methods": [],
    "rbac_email_implicit_role_assignments": [{"domain": "example.com", "role_id": "stytch_admin"}],
    "claimed_email_domains": [], "custom_roles": [],
    "trusted_metadata": {"crm": "x"},
    "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-02T00:00:00Z"
  })");
}

json b2bjson_member_session() {
  return json::parse(R"({
    "member_session_id": "member-session-test-1", "member_id": "member-test-1",
    "organization_id": "organization-test-1", "organization_slug": "acme",
    "started_at": "2026-01-02T03:04:05Z", "last_accessed_at": "2026-01-02T03:05:05Z",
    "expires_at": "2026-01-02T04:04:05Z",
    "authentication_factors": [
      {"type": "otp", "delivery_method": "email", "last_authenticated_at": "2026-01-02T03:04:05Z",
       "email_factor": {"email_id": "email-test-1", "email_address": "ada@example.com"}},
      {"type": "otp", "delivery_method": "sms", "last_authenticated_at": "2026-01-02T03:04:55Z",
       "phone_number_factor": {"phone_id": "phone-test-1", "phone_number": "+12025550162"}}
    ],
    "roles": ["stytch_member", "stytch_admin"],
    "custom_claims": {"plan": "pro"}
  })");
}

// A login answer that stopped at MFA.
json b2bjson_login_mfa() {
  return json{{"status_code", 200},
              {"request_id", "request-id-test-1"},
              {"member_id", "member-test-1"},
              {"member", b2bjson_member()},
              {"organization", b2bjson_organization()},
              {"organization_id", "organization-test-1"},
              {"method_id", "email-test-1"},
              {"member_authenticated", false},
              {"session_token", ""},
              {"session_jwt", ""},
              {"member_session", nullptr},
              {"intermediate_session_token", "ist-1"},
              {"intermediate_session_token_expires_at", "2026-01-02T03:14:05Z"},
              {"mfa_required",
               {{"member_options", {{"mfa_phone_number", "+12025550162"}, {"totp_registration_id", ""}}},
                {"secondary_auth_initiated", "sms_otp"}}},
              {"primary_required", nullptr},
              {"member_device", nullptr}};
}

}  // namespace

TEST_CASE("b2b member and organization decode every typed field") {
  b2b::Member m;
  decode(b2bjson_member(), m);
  CHECK(m.organization_id == "organization-test-1");
  CHECK(m.member_id == "member-test-1");
  CHECK(m.email_address == "ada@example.com");
  CHECK(m.email_address_verified);
  CHECK(m.status == "active");
  CHECK(m.name == "Ada Lovelace");
  CHECK(m.mfa_phone_number == "+12025550162");
  CHECK(m.mfa_phone_number_verified);
  CHECK(m.mfa_enrolled);
  CHECK(m.default_mfa_method == "sms_otp");
  CHECK(m.totp_registration_id.empty());
  CHECK_FALSE(m.is_breakglass);
  CHECK(m.is_admin);
  CHECK_FALSE(m.is_locked);
  REQUIRE(m.roles.size() == 2);
  CHECK(m.roles[0].role_id == "stytch_member");
  REQUIRE(m.roles[1].sources.size() == 2);
  CHECK(m.roles[1].sources[1].type == "email_assignment");
  CHECK(m.roles[1].sources[1].details == json{{"email_domain", "example.com"}});
  CHECK(m.external_id == "ext-ada");
  CHECK(m.created_at == "2026-01-02T03:04:05Z");
  CHECK(m.updated_at == "2026-01-03T03:04:05Z");
  CHECK(m.trusted_metadata == json{{"tier", 3}});
  CHECK(m.untrusted_metadata == json{{"theme", "dark"}});

  b2b::Organization o;
  decode(b2bjson_organization(), o);
  CHECK(o.organization_id == "organization-test-1");
  CHECK(o.organization_name == "Acme");
  CHECK(o.organization_slug == "acme");
  CHECK(o.organization_logo_url == "https://example.com/logo.png");
  CHECK(o.organization_external_id == "ext-acme");
  CHECK(o.email_allowed_domains == std::vector<std::string>{"example.com"});
  CHECK(o.email_jit_provisioning == "RESTRICTED");
  CHECK(o.email_invites == "ALL_ALLOWED");
  CHECK(o.sso_jit_provisioning == "ALL_ALLOWED");
  CHECK(o.auth_methods == "RESTRICTED");
  CHECK(o.allowed_auth_methods == std::vector<std::string>{"email_otp", "magic_link"});
  CHECK(o.mfa_policy == "REQUIRED_FOR_ALL");
  CHECK(o.mfa_methods == "ALL_ALLOWED");
  CHECK(o.allowed_mfa_methods.empty());
  CHECK(o.created_at == "2026-01-01T00:00:00Z");
  CHECK(o.updated_at == "2026-01-02T00:00:00Z");
  CHECK(o.trusted_metadata == json{{"crm", "x"}});
}

TEST_CASE("b2b minimal member, organization and member session: only the ids") {
  b2b::Member m;
  decode(json{{"member_id", "member-test-min"}, {"name", nullptr}, {"roles", nullptr}}, m);
  CHECK(m.member_id == "member-test-min");
  CHECK(m.name.empty());
  CHECK(m.roles.empty());
  CHECK_FALSE(m.email_address_verified);
  CHECK(m.trusted_metadata.is_null());
  CHECK(m.untrusted_metadata.is_null());

  b2b::Organization o;
  decode(json{{"organization_id", "organization-test-min"}, {"organization_external_id", nullptr}}, o);
  CHECK(o.organization_id == "organization-test-min");
  CHECK(o.organization_external_id.empty());
  CHECK(o.email_allowed_domains.empty());
  CHECK(o.trusted_metadata.is_null());

  b2b::MemberSession s;
  decode(json{{"member_session_id", "member-session-test-min"}, {"custom_claims", nullptr}}, s);
  CHECK(s.member_session_id == "member-session-test-min");
  CHECK(s.authentication_factors.empty());
  CHECK(s.roles.empty());
  CHECK(s.custom_claims.is_null());

  CHECK_THROWS_WITH(decode(json::object(), m), "member_id: required field is missing");
  CHECK_THROWS_WITH(decode(json::object(), o), "organization_id: required field is missing");
  CHECK_THROWS_WITH(decode(json::object(), s), "member_session_id: required field is missing");
}

TEST_CASE("b2b member session decodes factors with their raw details") {
  b2b::MemberSession s;
  decode(b2bjson_member_session(), s);
  CHECK(s.member_session_id == "member-session-test-1");
  CHECK(s.member_id == "member-test-1");
  CHECK(s.organization_id == "organization-test-1");
  CHECK(s.organization_slug == "acme");
  CHECK(s.started_at == "2026-01-02T03:04:05Z");
  CHECK(s.last_accessed_at == "2026-01-02T03:05:05Z");
  CHECK(s.expires_at == "2026-01-02T04:04:05Z");
  REQUIRE(s.authentication_factors.size() == 2);
  CHECK(s.authentication_factors[0].delivery_method == "email");
  CHECK(s.authentication_factors[0].raw.at("email_factor").at("email_id") == "email-test-1");
  CHECK(s.authentication_factors[1].type == "otp");
  CHECK(s.authentication_factors[1].last_authenticated_at == "2026-01-02T03:04:55Z");
  CHECK(s.roles == std::vector<std::string>{"stytch_member", "stytch_admin"});
  CHECK(s.custom_claims == json{{"plan", "pro"}});
}

TEST_CASE("b2b login answer that stops at MFA decodes, nulls become empty") {
  b2b::LoginResponse r;
  decode(b2bjson_login_mfa(), r);
  CHECK(r.status_code == 200);
  CHECK(r.request_id == "request-id-test-1");
  CHECK(r.member_id == "member-test-1");
  CHECK(r.member.email_address == "ada@example.com");
  CHECK(r.organization.organization_slug == "acme");
  CHECK_FALSE(r.member_authenticated);
  CHECK(r.session_token.empty());
  CHECK(r.session_jwt.empty());
  CHECK_FALSE(r.member_session);
  CHECK(r.intermediate_session_token == "ist-1");
  CHECK(r.intermediate_session_token_expires_at == "2026-01-02T03:14:05Z");
  REQUIRE(r.mfa_required);
  CHECK(r.mfa_required->mfa_phone_number == "+12025550162");
  CHECK(r.mfa_required->totp_registration_id.empty());
  CHECK(r.mfa_required->secondary_auth_initiated == "sms_otp");
  CHECK_FALSE(r.primary_required);
  CHECK(r.method_id == "email-test-1");
  CHECK(r.member_device.is_null());
  CHECK(r.raw.is_null());  // the caller's to fill
}

TEST_CASE("b2b login answer with a session, and one asking for a primary factor") {
  json answer = b2bjson_login_mfa();
  answer["member_authenticated"] = true;
  answer["session_token"] = "tok-1";
  answer["session_jwt"] = "jwt-1";
  answer["member_session"] = b2bjson_member_session();
  answer["intermediate_session_token"] = "";
  answer.erase("intermediate_session_token_expires_at");
  answer["mfa_required"] = nullptr;
  answer["member_device"] = {{"visitor_id", "v-1"}};
  answer["a_field_added_later"] = {{"x", 1}};
  b2b::LoginResponse r;
  decode(answer, r);
  CHECK(r.member_authenticated);
  CHECK(r.session_token == "tok-1");
  CHECK(r.session_jwt == "jwt-1");
  REQUIRE(r.member_session);
  CHECK(r.member_session->member_session_id == "member-session-test-1");
  CHECK(r.intermediate_session_token.empty());
  CHECK(r.intermediate_session_token_expires_at.empty());
  CHECK_FALSE(r.mfa_required);
  CHECK(r.member_device == json{{"visitor_id", "v-1"}});

  json primary = b2bjson_login_mfa();
  primary["mfa_required"] = nullptr;
  primary["primary_required"] = {{"allowed_auth_methods", {"magic_link", "sso"}}};
  b2b::LoginResponse p;
  decode(primary, p);
  REQUIRE(p.primary_required);
  CHECK(p.primary_required->allowed_auth_methods == std::vector<std::string>{"magic_link", "sso"});
  CHECK_FALSE(p.mfa_required);

  json no_options = b2bjson_login_mfa();
  no_options["mfa_required"] = {{"member_options", nullptr}, {"secondary_auth_initiated", nullptr}};
  b2b::LoginResponse n;
  decode(no_options, n);
  REQUIRE(n.mfa_required);
  CHECK(n.mfa_required->mfa_phone_number.empty());
  CHECK(n.mfa_required->secondary_auth_initiated.empty());
}

TEST_CASE("b2b minimal login, member and organization answers") {
  const json member = {{"member_id", "m"}};
  const json organization = {{"organization_id", "o"}};
  b2b::LoginResponse login;
  decode(json{{"request_id", "r"}, {"member_id", "m"}, {"member", member}, {"organization", organization}}, login);
  CHECK(login.request_id == "r");
  CHECK(login.status_code == 0);
  CHECK_FALSE(login.member_authenticated);
  CHECK_FALSE(login.member_session);
  CHECK_FALSE(login.mfa_required);
  CHECK_FALSE(login.primary_required);
  CHECK(login.member_device.is_null());

  b2b::MemberResponse m;
  decode(json{{"status_code", 201},
              {"request_id", "r"},
              {"member_id", "member-test-1"},
              {"member", b2bjson_member()},
              {"organization", b2bjson_organization()}},
         m);
  CHECK(m.status_code == 201);
  CHECK(m.member_id == "member-test-1");
  CHECK(m.member.roles.size() == 2);
  CHECK(m.organization.organization_name == "Acme");

  b2b::OrganizationResponse o;
  decode(json{{"request_id", "r"}, {"organization", organization}}, o);
  CHECK(o.organization.organization_id == "o");

  CHECK_THROWS_WITH(decode(json{{"request_id", "r"}, {"member", member}, {"organization", organization}}, m),
                    "member_id: required field is missing");
  CHECK_THROWS_WITH(decode(json{{"request_id", "r"}, {"member_id", "m"}, {"organization", organization}}, m),
                    "member: required field is missing");
  CHECK_THROWS_WITH(
      decode(json{{"request_id", "r"}, {"member_id", "m"}, {"member", member}, {"organization", nullptr}}, m),
      "organization: required field is missing");
  CHECK_THROWS_WITH(decode(json{{"organization", organization}}, o), "request_id: required field is missing");
}

TEST_CASE("b2b sms authenticate and login_or_signup answers decode") {
  json answer = {{"status_code", 200},
                 {"request_id", "r"},
                 {"member_id", "member-test-1"},
                 {"member", b2bjson_member()},
                 {"organization", b2bjson_organization()},
                 {"session_token", "tok-1"},
                 {"session_jwt", "jwt-1"},
                 {"member_session", b2bjson_member_session()},
                 {"member_device", {{"visitor_id", "v"}}}};
  b2b::otps::sms::AuthenticateResponse sms;
  decode(answer, sms);
  CHECK(sms.member_id == "member-test-1");
  CHECK(sms.member.mfa_phone_number == "+12025550162");
  CHECK(sms.organization.organization_id == "organization-test-1");
  CHECK(sms.session_token == "tok-1");
  CHECK(sms.session_jwt == "jwt-1");
  REQUIRE(sms.member_session);
  CHECK(sms.member_session->roles.size() == 2);
  CHECK(sms.member_device == json{{"visitor_id", "v"}});
  answer.erase("member_session");
  answer.erase("member_device");
  b2b::otps::sms::AuthenticateResponse without;
  decode(answer, without);
  CHECK_FALSE(without.member_session);
  CHECK(without.member_device.is_null());

  b2b::otps::email::LoginOrSignupResponse los;
  decode(json{{"request_id", "r"},
              {"member_id", "member-test-1"},
              {"member_created", true},
              {"member", b2bjson_member()},
              {"organization", b2bjson_organization()}},
         los);
  CHECK(los.member_created);
  CHECK(los.member.member_id == "member-test-1");
  b2b::otps::email::LoginOrSignupResponse minimal;
  decode(json{{"request_id", "r"},
              {"member_id", "m"},
              {"member", {{"member_id", "m"}}},
              {"organization", {{"organization_id", "o"}}}},
         minimal);
  CHECK_FALSE(minimal.member_created);
  CHECK_THROWS_WITH(decode(json{{"request_id", "r"}, {"member_id", "m"}, {"member_created", 1}}, minimal),
                    "member_created: not a boolean");
}

TEST_CASE("b2b email discovery answers decode discovered organizations") {
  b2b::otps::email::discovery::SendResponse send;
  decode(json{{"status_code", 200}, {"request_id", "r"}}, send);
  CHECK(send.request_id == "r");
  CHECK(send.status_code == 200);

  const json answer = {
      {"request_id", "r"},
      {"intermediate_session_token", "ist-1"},
      {"intermediate_session_token_expires_at", "2026-01-02T03:14:05Z"},
      {"email_address", "ada@example.com"},
      {"discovered_organizations",
       {{{"member_authenticated", true},
         {"organization", b2bjson_organization()},
         {"membership", {{"type", "active_member"}, {"details", nullptr}, {"member", b2bjson_member()}}},
         {"primary_required", nullptr},
         {"mfa_required", nullptr}},
        {{"member_authenticated", false},
         {"organization", {{"organization_id", "organization-test-2"}}},
         {"membership",
          {{"type", "eligible_to_join_by_email_domain"},
           {"details", {{"domain", "example.com"}}},
           {"member", nullptr}}},
         {"primary_required", {{"allowed_auth_methods", {"sso"}}}},
         {"mfa_required", {{"member_options", nullptr}, {"secondary_auth_initiated", nullptr}}}}}}};
  b2b::otps::email::discovery::AuthenticateResponse r;
  decode(answer, r);
  CHECK(r.intermediate_session_token == "ist-1");
  CHECK(r.intermediate_session_token_expires_at == "2026-01-02T03:14:05Z");
  CHECK(r.email_address == "ada@example.com");
  REQUIRE(r.discovered_organizations.size() == 2);
  const auto& first = r.discovered_organizations[0];
  CHECK(first.member_authenticated);
  REQUIRE(first.organization);
  CHECK(first.organization->organization_slug == "acme");
  REQUIRE(first.membership);
  CHECK(first.membership->type == "active_member");
  CHECK(first.membership->details.is_null());
  REQUIRE(first.membership->member);
  CHECK(first.membership->member->member_id == "member-test-1");
  CHECK_FALSE(first.primary_required);
  CHECK_FALSE(first.mfa_required);
  const auto& second = r.discovered_organizations[1];
  CHECK_FALSE(second.member_authenticated);
  REQUIRE(second.membership);
  CHECK_FALSE(second.membership->member);
  CHECK(second.membership->details == json{{"domain", "example.com"}});
  REQUIRE(second.primary_required);
  CHECK(second.primary_required->allowed_auth_methods == std::vector<std::string>{"sso"});
  REQUIRE(second.mfa_required);
  CHECK(second.mfa_required->secondary_auth_initiated.empty());

  b2b::otps::email::discovery::AuthenticateResponse minimal;
  decode(json{{"request_id", "r"}, {"intermediate_session_token", "ist"}}, minimal);
  CHECK(minimal.discovered_organizations.empty());
  CHECK(minimal.email_address.empty());
  CHECK_THROWS_WITH(decode(json{{"request_id", "r"}}, minimal),
                    "intermediate_session_token: required field is missing");
  b2b::DiscoveredOrganization empty;
  decode(json::object(), empty);
  CHECK_FALSE(empty.organization);
  CHECK_FALSE(empty.membership);
}

TEST_CASE("b2b discovery organizations list answer decodes, a null hint is empty") {
  b2b::discovery::organizations::ListResponse r;
  decode(json{{"request_id", "r"},
              {"email_address", "ada@example.com"},
              {"discovered_organizations", {{{"organization", {{"organization_id", "o"}}}}}},
              {"organization_id_hint", nullptr}},
         r);
  CHECK(r.email_address == "ada@example.com");
  REQUIRE(r.discovered_organizations.size() == 1);
  CHECK(r.discovered_organizations[0].organization->organization_id == "o");
  CHECK(r.organization_id_hint.empty());
  b2b::discovery::organizations::ListResponse hinted;
  decode(json{{"request_id", "r"}, {"organization_id_hint", "organization-test-1"}}, hinted);
  CHECK(hinted.organization_id_hint == "organization-test-1");
  CHECK(hinted.discovered_organizations.empty());
}

TEST_CASE("b2b sessions answers decode, member_session is required in authenticate") {
  json answer = {{"status_code", 200},
                 {"request_id", "r"},
                 {"member_session", b2bjson_member_session()},
                 {"session_token", "tok-1"},
                 {"session_jwt", "jwt-1"},
                 {"member", b2bjson_member()},
                 {"organization", b2bjson_organization()},
                 {"verdict", {{"authorized", true}, {"granting_roles", {"stytch_admin"}}}}};
  b2b::sessions::AuthenticateResponse r;
  decode(answer, r);
  CHECK(r.member_session.member_session_id == "member-session-test-1");
  CHECK(r.session_token == "tok-1");
  CHECK(r.session_jwt == "jwt-1");
  CHECK(r.member.member_id == "member-test-1");
  CHECK(r.organization.organization_id == "organization-test-1");
  CHECK(r.granting_roles == std::vector<std::string>{"stytch_admin"});
  answer["verdict"] = nullptr;
  b2b::sessions::AuthenticateResponse no_verdict;
  decode(answer, no_verdict);
  CHECK(no_verdict.granting_roles.empty());
  answer.erase("member_session");
  CHECK_THROWS_WITH(decode(answer, no_verdict), "member_session: required field is missing");

  b2b::sessions::GetResponse get;
  decode(json{{"request_id", "r"}, {"member_sessions", {b2bjson_member_session(), b2bjson_member_session()}}}, get);
  CHECK(get.member_sessions.size() == 2);
  b2b::sessions::GetResponse empty;
  decode(json{{"request_id", "r"}, {"member_sessions", json::array()}}, empty);
  CHECK(empty.member_sessions.empty());

  b2b::sessions::RevokeResponse revoke;
  decode(json{{"status_code", 200}, {"request_id", "r"}}, revoke);
  CHECK(revoke.request_id == "r");
  CHECK_THROWS_WITH(decode(json{{"status_code", 200}}, revoke), "request_id: required field is missing");
}

TEST_CASE("b2b wrong types are a FieldError naming the field path") {
  json answer = b2bjson_login_mfa();
  answer["member"]["roles"][1]["sources"][0]["type"] = 5;
  b2b::LoginResponse r;
  CHECK_THROWS_WITH(decode(answer, r), "member.roles[1].sources[0].type: not a string");
  answer = b2bjson_login_mfa();
  answer["mfa_required"]["member_options"]["mfa_phone_number"] = true;
  CHECK_THROWS_WITH(decode(answer, r), "mfa_required.member_options.mfa_phone_number: not a string");
  answer = b2bjson_login_mfa();
  answer["mfa_required"]["member_options"] = "x";
  CHECK_THROWS_WITH(decode(answer, r), "mfa_required.member_options: not an object");
  answer = b2bjson_login_mfa();
  answer["organization"]["allowed_auth_methods"] = {"sso", 1};
  CHECK_THROWS_WITH(decode(answer, r), "organization.allowed_auth_methods: not an array of strings");
  answer = b2bjson_login_mfa();
  answer["member_authenticated"] = "false";
  CHECK_THROWS_WITH(decode(answer, r), "member_authenticated: not a boolean");
  answer = b2bjson_login_mfa();
  answer["member_session"] = b2bjson_member_session();
  answer["member_session"]["authentication_factors"][1]["delivery_method"] = json::array();
  CHECK_THROWS_WITH(decode(answer, r), "member_session.authentication_factors[1].delivery_method: not a string");
  answer = b2bjson_login_mfa();
  answer["primary_required"] = json::array();
  CHECK_THROWS_WITH(decode(answer, r), "primary_required: not an object");
  answer = b2bjson_login_mfa();
  answer["status_code"] = "200";
  CHECK_THROWS_WITH(decode(answer, r), "status_code: not an integer");

  b2b::otps::email::discovery::AuthenticateResponse d;
  json discovery = {{"request_id", "r"},
                    {"intermediate_session_token", "ist"},
                    {"discovered_organizations", {{{"membership", {{"member", {{"member_id", 7}}}}}}}}};
  CHECK_THROWS_WITH(decode(discovery, d), "discovered_organizations[0].membership.member.member_id: not a string");
  discovery["discovered_organizations"] = {"org"};
  CHECK_THROWS_WITH(decode(discovery, d), "discovered_organizations[0]: not an object");
  discovery["discovered_organizations"] = "org";
  CHECK_THROWS_WITH(decode(discovery, d), "discovered_organizations: not an array");

  b2b::sessions::AuthenticateResponse s;
  json session = {{"request_id", "r"},
                  {"member_session", b2bjson_member_session()},
                  {"member", b2bjson_member()},
                  {"organization", b2bjson_organization()},
                  {"verdict", {{"granting_roles", "stytch_admin"}}}};
  CHECK_THROWS_WITH(decode(session, s), "verdict.granting_roles: not an array of strings");
  b2b::sessions::GetResponse g;
  CHECK_THROWS_WITH(decode(json{{"request_id", "r"}, {"member_sessions", {{{"member_session_id", nullptr}}}}}, g),
                    "member_sessions[0].member_session_id: required field is missing");
  b2b::discovery::organizations::ListResponse l;
  CHECK_THROWS_WITH(decode(json{{"request_id", "r"}, {"organization_id_hint", 1}}, l),
                    "organization_id_hint: not a string");
}
