// The JSON of every params and response type, with and without the optional
// fields.

#include "models/consumer_json.hpp"
#include "otps/otps_json.hpp"

#include <stytch/otps/sms.hpp>
#include <stytch/otps/whatsapp.hpp>

#include <catch2/catch.hpp>

using nlohmann::json;
using stytch::ErrorKind;
using stytch::internal::BodyWriter;
using stytch::internal::decode;
using stytch::internal::FieldError;
namespace otps = stytch::otps;

namespace {

json body_of(const BodyWriter& body) {
  REQUIRE_FALSE(body.error());
  return json::parse(body.dump());
}

std::string refusal_of(const BodyWriter& body) {
  REQUIRE(body.error());
  CHECK(body.error()->kind == ErrorKind::invalid_argument);
  return body.error()->error_message;
}

const stytch::Attributes kAttributes{std::string("203.0.113.7"), std::string("Mozilla/5.0")};
const json kAttributesJson = {{"ip_address", "203.0.113.7"}, {"user_agent", "Mozilla/5.0"}};

}  // namespace

TEST_CASE("phone send body holds only the phone number when nothing else is set") {
  otps::sms::SendParams params;
  params.phone_number = "+12025550162";
  const auto body = stytch::internal::phone_send_body(params);
  CHECK(body_of(body) == json{{"phone_number", "+12025550162"}});
  CHECK(body.dump().find("null") == std::string::npos);
}

TEST_CASE("phone send body holds every field that is set, with its JSON type") {
  otps::whatsapp::SendParams params;
  params.phone_number = "+12025550162";
  params.expiration_minutes = 5;
  params.locale = "es";
  params.attributes = kAttributes;
  params.user_id = "user-test-1";
  params.session_token = "token-1";
  params.session_jwt = "jwt-1";
  CHECK(body_of(stytch::internal::phone_send_body(params)) == json{{"phone_number", "+12025550162"},
                                                                   {"expiration_minutes", 5},
                                                                   {"locale", "es"},
                                                                   {"attributes", kAttributesJson},
                                                                   {"user_id", "user-test-1"},
                                                                   {"session_token", "token-1"},
                                                                   {"session_jwt", "jwt-1"}});
}

TEST_CASE("a set optional is sent even when it is zero, false or empty") {
  otps::sms::LoginOrCreateParams params;
  params.phone_number = "+12025550162";
  params.expiration_minutes = 0;
  params.attributes = stytch::Attributes{std::string(""), std::nullopt};
  params.create_user_as_pending = false;
  CHECK(body_of(stytch::internal::phone_login_or_create_body(params)) == json{{"phone_number", "+12025550162"},
                                                                              {"expiration_minutes", 0},
                                                                              {"attributes", {{"ip_address", ""}}},
                                                                              {"create_user_as_pending", false}});
}

TEST_CASE("an empty locale is refused: a BCP 47 tag is never empty") {
  otps::sms::SendParams sms;
  sms.phone_number = "+12025550162";
  sms.locale = "";
  CHECK(refusal_of(stytch::internal::phone_send_body(sms)).rfind("locale must not be empty", 0) == 0);
  otps::email::LoginOrCreateParams email;
  email.email = "ada@example.com";
  email.locale = "";
  CHECK(refusal_of(stytch::internal::email_login_or_create_body(email)).rfind("locale must not be empty", 0) == 0);
  sms.locale = "x-any-non-empty-tag";  // Stytch judges the rest
  CHECK_FALSE(stytch::internal::phone_send_body(sms).error());
}

TEST_CASE("phone login_or_create body holds every field that is set") {
  otps::sms::LoginOrCreateParams params;
  params.phone_number = "+447700900123";
  params.expiration_minutes = 10;
  params.locale = "pt-br";
  params.attributes = kAttributes;
  params.create_user_as_pending = true;
  CHECK(body_of(stytch::internal::phone_login_or_create_body(params)) == json{{"phone_number", "+447700900123"},
                                                                              {"expiration_minutes", 10},
                                                                              {"locale", "pt-br"},
                                                                              {"attributes", kAttributesJson},
                                                                              {"create_user_as_pending", true}});
  otps::sms::LoginOrCreateParams minimal;
  minimal.phone_number = "+447700900123";
  CHECK(body_of(stytch::internal::phone_login_or_create_body(minimal)) == json{{"phone_number", "+447700900123"}});
}

TEST_CASE("email send and login_or_create bodies hold every field that is set") {
  otps::email::SendParams send;
  send.email = "ada@example.com";
  CHECK(body_of(stytch::internal::email_send_body(send)) == json{{"email", "ada@example.com"}});
  send.expiration_minutes = 3;
  send.locale = "fr";
  send.attributes = kAttributes;
  send.user_id = "user-test-1";
  send.session_token = "t";
  send.session_jwt = "j";
  send.login_template_id = "login-tpl";
  send.signup_template_id = "signup-tpl";
  CHECK(body_of(stytch::internal::email_send_body(send)) == json{{"email", "ada@example.com"},
                                                                 {"expiration_minutes", 3},
                                                                 {"locale", "fr"},
                                                                 {"attributes", kAttributesJson},
                                                                 {"user_id", "user-test-1"},
                                                                 {"session_token", "t"},
                                                                 {"session_jwt", "j"},
                                                                 {"login_template_id", "login-tpl"},
                                                                 {"signup_template_id", "signup-tpl"}});

  otps::email::LoginOrCreateParams login;
  login.email = "ada@example.com";
  CHECK(body_of(stytch::internal::email_login_or_create_body(login)) == json{{"email", "ada@example.com"}});
  login.create_user_as_pending = true;
  login.login_template_id = "l";
  login.signup_template_id = "s";
  login.expiration_minutes = 2;
  login.locale = "en";
  login.attributes = stytch::Attributes{};
  CHECK(body_of(stytch::internal::email_login_or_create_body(login)) == json{{"email", "ada@example.com"},
                                                                             {"expiration_minutes", 2},
                                                                             {"locale", "en"},
                                                                             {"attributes", json::object()},
                                                                             {"create_user_as_pending", true},
                                                                             {"login_template_id", "l"},
                                                                             {"signup_template_id", "s"}});
}

TEST_CASE("authenticate body holds every field that is set, custom claims intact") {
  otps::AuthenticateParams params;
  params.method_id = "phone-number-test-1";
  params.code = "123456";
  CHECK(body_of(stytch::internal::authenticate_body(params)) ==
        json{{"method_id", "phone-number-test-1"}, {"code", "123456"}});

  const json claims = {{"plan", "pro"}, {"limits", {{"seats", 5}, {"ratio", 0.5}}}, {"tags", {"a", nullptr, true}}};
  params.attributes = kAttributes;
  params.options = otps::AuthenticateOptions{true, false};
  params.session_token = "tok";
  params.session_jwt = "jwt";
  params.session_duration_minutes = 60;
  params.session_custom_claims = claims;
  params.telemetry_id = "tel-1";
  CHECK(body_of(stytch::internal::authenticate_body(params)) ==
        json{{"method_id", "phone-number-test-1"},
             {"code", "123456"},
             {"attributes", kAttributesJson},
             {"options", {{"ip_match_required", true}, {"user_agent_match_required", false}}},
             {"session_token", "tok"},
             {"session_jwt", "jwt"},
             {"session_duration_minutes", 60},
             {"session_custom_claims", claims},
             {"telemetry_id", "tel-1"}});
  params.options = otps::AuthenticateOptions{};
  CHECK(body_of(stytch::internal::authenticate_body(params)).at("options") == json::object());
}

TEST_CASE("strings are escaped, never break the JSON") {
  otps::sms::SendParams params;
  params.phone_number = "+12025550162";
  params.locale = "x\"},\"user_id\":\"evil\n\\\x01";
  const auto body = body_of(stytch::internal::phone_send_body(params));
  CHECK(body.at("locale") == "x\"},\"user_id\":\"evil\n\\\x01");
  CHECK_FALSE(body.contains("user_id"));
}

TEST_CASE("required fields are refused when empty, naming the field") {
  CHECK(refusal_of(stytch::internal::phone_send_body({})) == "phone_number is required");
  CHECK(refusal_of(stytch::internal::phone_login_or_create_body({})) == "phone_number is required");
  CHECK(refusal_of(stytch::internal::email_send_body({})) == "email is required");
  CHECK(refusal_of(stytch::internal::email_login_or_create_body({})) == "email is required");
  otps::AuthenticateParams auth;
  auth.code = "123456";
  CHECK(refusal_of(stytch::internal::authenticate_body(auth)) == "method_id is required");
  auth.method_id = "m";
  auth.code = "";
  CHECK(refusal_of(stytch::internal::authenticate_body(auth)) == "code is required");
}

TEST_CASE("a phone number that is not E.164 is refused without echoing it") {
  otps::sms::SendParams params;
  params.phone_number = "2025550162";
  const std::string why = refusal_of(stytch::internal::phone_send_body(params));
  CHECK(why.rfind("phone_number must be E.164", 0) == 0);
  CHECK(why.find("2025550162") == std::string::npos);
}

TEST_CASE("only what is certainly not an email address is refused") {
  for (const char* bad : {"ada", "@example.com", "ada@", "ada @example.com", "ada@exa\tmple.com"}) {
    INFO(bad);
    otps::email::SendParams params;
    params.email = bad;
    CHECK(refusal_of(stytch::internal::email_send_body(params)) == "email is not an email address");
  }
  for (const char* odd :
       {"a@b", "\"quoted@local\"@example.com", "ada+tag@sub.example.co.uk", "δοκιμή@παράδειγμα.δοκιμή"}) {
    INFO(odd);
    otps::email::SendParams params;
    params.email = odd;
    CHECK_FALSE(stytch::internal::email_send_body(params).error());
  }
}

TEST_CASE("invalid UTF-8 is refused naming the field, nested ones by path") {
  otps::sms::SendParams params;
  params.phone_number = "+12025550162";
  params.attributes = stytch::Attributes{std::nullopt, std::string("bad \xFF byte")};
  CHECK(refusal_of(stytch::internal::phone_send_body(params)) == "attributes.user_agent is not valid UTF-8");
  params.attributes.reset();
  params.locale = std::string("\xC3");
  CHECK(refusal_of(stytch::internal::phone_send_body(params)) == "locale is not valid UTF-8");

  otps::AuthenticateParams auth;
  auth.method_id = "m";
  auth.code = "1";
  auth.session_custom_claims = json{{"k", {{"deep", std::string("\xED\xA0\x80")}}}};
  CHECK(refusal_of(stytch::internal::authenticate_body(auth)) ==
        "session_custom_claims holds a string that is not valid UTF-8");
  auth.session_custom_claims = json{{std::string("\xFF"), 1}};
  CHECK(refusal_of(stytch::internal::authenticate_body(auth)) ==
        "session_custom_claims holds a string that is not valid UTF-8");
}

TEST_CASE("session custom claims must be a JSON object") {
  otps::AuthenticateParams auth;
  auth.method_id = "m";
  auth.code = "1";
  auth.session_custom_claims = json::array({1, 2});
  CHECK(refusal_of(stytch::internal::authenticate_body(auth)) == "session_custom_claims must be a JSON object");
  auth.session_custom_claims = json();
  CHECK(refusal_of(stytch::internal::authenticate_body(auth)) == "session_custom_claims must be a JSON object");
}

TEST_CASE("phone send and login_or_create responses decode, unknown fields ignored") {
  const json answer = {{"status_code", 200},       {"request_id", "request-id-test-1"},
                       {"user_id", "user-test-1"}, {"phone_id", "phone-number-test-1"},
                       {"user_created", true},     {"a_field_added_later", {{"nested", true}}}};
  otps::sms::SendResponse send;
  decode(answer, send);
  CHECK(send.status_code == 200);
  CHECK(send.request_id == "request-id-test-1");
  CHECK(send.user_id == "user-test-1");
  CHECK(send.phone_id == "phone-number-test-1");

  otps::whatsapp::LoginOrCreateResponse login;
  decode(answer, login);
  CHECK(login.phone_id == "phone-number-test-1");
  CHECK(login.user_created);

  otps::sms::LoginOrCreateResponse without_flag;
  decode(json{{"request_id", "r"}, {"user_id", "u"}, {"phone_id", "p"}}, without_flag);
  CHECK_FALSE(without_flag.user_created);
  CHECK(without_flag.status_code == 0);  // filled from the HTTP status by the caller
}

TEST_CASE("email send and login_or_create responses decode") {
  const json answer = {{"status_code", 200},
                       {"request_id", "r"},
                       {"user_id", "u"},
                       {"email_id", "email-test-1"},
                       {"user_created", false}};
  otps::email::SendResponse send;
  decode(answer, send);
  CHECK(send.email_id == "email-test-1");
  otps::email::LoginOrCreateResponse login;
  decode(answer, login);
  CHECK(login.email_id == "email-test-1");
  CHECK_FALSE(login.user_created);
  otps::email::SendResponse missing;
  CHECK_THROWS_WITH(decode(json{{"request_id", "r"}, {"user_id", "u"}}, missing), Catch::Contains("email_id"));
}

TEST_CASE("responses with a missing or mistyped field are a FieldError naming it") {
  otps::sms::SendResponse response;
  CHECK_THROWS_WITH(decode(json{{"request_id", "r"}, {"user_id", "u"}}, response), Catch::Contains("phone_id"));
  CHECK_THROWS_WITH(decode(json{{"request_id", "r"}, {"user_id", 7}, {"phone_id", "p"}}, response),
                    Catch::Contains("user_id"));
  CHECK_THROWS_AS(decode(json{{"request_id", "r"}, {"user_id", nullptr}, {"phone_id", "p"}}, response), FieldError);
  CHECK_THROWS_WITH(
      decode(json{{"status_code", "200"}, {"request_id", "r"}, {"user_id", "u"}, {"phone_id", "p"}}, response),
      Catch::Contains("status_code"));
  CHECK_THROWS_AS(
      decode(json{{"status_code", 1e12}, {"request_id", "r"}, {"user_id", "u"}, {"phone_id", "p"}}, response),
      FieldError);
  CHECK_THROWS_AS(
      decode(json{{"status_code", 4294967296LL}, {"request_id", "r"}, {"user_id", "u"}, {"phone_id", "p"}}, response),
      FieldError);
  otps::sms::LoginOrCreateResponse login;
  CHECK_THROWS_WITH(
      decode(json{{"request_id", "r"}, {"user_id", "u"}, {"phone_id", "p"}, {"user_created", "yes"}}, login),
      Catch::Contains("user_created"));
}

namespace {

json full_authenticate_answer() {
  return json::parse(R"({
    "status_code": 200, "request_id": "request-id-test-a", "user_id": "user-test-a",
    "method_id": "phone-number-test-a", "session_token": "tok-a", "session_jwt": "jwt-a",
    "reset_sessions": true,
    "user": {
      "user_id": "user-test-a", "status": "active", "created_at": "2026-11-25T10:00:00Z", "is_locked": false,
      "name": {"first_name": "Ada", "middle_name": "", "last_name": "Lovelace"},
      "emails": [{"email_id": "email-test-a", "email": "ada@example.com", "verified": true}],
      "phone_numbers": [{"phone_id": "phone-number-test-a", "phone_number": "+12025550162", "verified": true},
                        {"phone_id": "phone-number-test-b", "phone_number": "+12025550163", "verified": false}],
      "roles": ["stytch_user", "admin"],
      "trusted_metadata": {"tier": 3, "flags": [true, null]},
      "untrusted_metadata": {"theme": "dark"},
      "webauthn_registrations": []
    },
    "session": {
      "session_id": "session-test-a", "user_id": "user-test-a",
      "started_at": "2026-11-25T10:00:00Z", "last_accessed_at": "2026-11-25T10:00:01Z",
      "expires_at": "2026-11-25T11:00:00Z",
      "authentication_factors": [{"type": "otp", "delivery_method": "sms",
        "last_authenticated_at": "2026-11-25T10:00:00Z",
        "phone_number_factor": {"phone_id": "phone-number-test-a", "phone_number": "+12025550162"}}],
      "roles": ["stytch_user"],
      "attributes": {"ip_address": "203.0.113.7", "user_agent": ""},
      "custom_claims": {"plan": "pro", "nested": {"n": [1, 2]}}
    },
    "user_device": {"visitor_id": "v-1"}
  })");
}

}  // namespace

TEST_CASE("authenticate response decodes user, session and every typed field") {
  otps::AuthenticateResponse r;
  decode(full_authenticate_answer(), r);
  CHECK(r.status_code == 200);
  CHECK(r.request_id == "request-id-test-a");
  CHECK(r.user_id == "user-test-a");
  CHECK(r.method_id == "phone-number-test-a");
  CHECK(r.session_token == "tok-a");
  CHECK(r.session_jwt == "jwt-a");
  CHECK(r.reset_sessions);
  CHECK(r.user_device == json{{"visitor_id", "v-1"}});

  const stytch::User& u = r.user;
  CHECK(u.user_id == "user-test-a");
  CHECK(u.status == "active");
  CHECK(u.created_at == "2026-11-25T10:00:00Z");
  CHECK(u.name.first_name == "Ada");
  CHECK(u.name.last_name == "Lovelace");
  REQUIRE(u.emails.size() == 1);
  CHECK(u.emails[0].email == "ada@example.com");
  CHECK(u.emails[0].verified);
  REQUIRE(u.phone_numbers.size() == 2);
  CHECK(u.phone_numbers[1].phone_id == "phone-number-test-b");
  CHECK_FALSE(u.phone_numbers[1].verified);
  CHECK(u.roles == std::vector<std::string>{"stytch_user", "admin"});
  CHECK(u.trusted_metadata == json{{"tier", 3}, {"flags", {true, nullptr}}});
  CHECK(u.untrusted_metadata == json{{"theme", "dark"}});

  REQUIRE(r.session);
  const stytch::Session& s = *r.session;
  CHECK(s.session_id == "session-test-a");
  CHECK(s.expires_at == "2026-11-25T11:00:00Z");
  REQUIRE(s.authentication_factors.size() == 1);
  CHECK(s.authentication_factors[0].type == "otp");
  CHECK(s.authentication_factors[0].delivery_method == "sms");
  CHECK(s.authentication_factors[0].raw.at("phone_number_factor").at("phone_id") == "phone-number-test-a");
  CHECK(s.attributes.ip_address == std::optional<std::string>("203.0.113.7"));
  CHECK(s.attributes.user_agent == std::optional<std::string>(""));
  CHECK(s.custom_claims == json{{"plan", "pro"}, {"nested", {{"n", {1, 2}}}}});
}

TEST_CASE("authenticate response without a session or optional fields") {
  json answer = full_authenticate_answer();
  answer.erase("session");
  answer.erase("user_device");
  answer.erase("reset_sessions");
  answer["session_token"] = "";
  answer["user"] = json{{"user_id", "user-test-a"}};
  otps::AuthenticateResponse r;
  decode(answer, r);
  CHECK_FALSE(r.session);
  CHECK(r.session_token.empty());
  CHECK(r.user_device.is_null());
  CHECK_FALSE(r.reset_sessions);
  CHECK(r.user.emails.empty());
  CHECK(r.user.trusted_metadata.is_null());

  answer["session"] = nullptr;
  otps::AuthenticateResponse with_null;
  decode(answer, with_null);
  CHECK_FALSE(with_null.session);
}

TEST_CASE("authenticate response errors name the nested path") {
  json answer = full_authenticate_answer();
  answer["user"]["phone_numbers"][1]["verified"] = "no";
  otps::AuthenticateResponse r;
  CHECK_THROWS_WITH(decode(answer, r), "user.phone_numbers[1].verified: not a boolean");
  answer = full_authenticate_answer();
  answer["session"]["authentication_factors"] = "otp";
  CHECK_THROWS_WITH(decode(answer, r), "session.authentication_factors: not an array");
  answer = full_authenticate_answer();
  answer.erase("user");
  CHECK_THROWS_WITH(decode(answer, r), "user: required field is missing");
  answer = full_authenticate_answer();
  answer["session"] = "s";
  CHECK_THROWS_WITH(decode(answer, r), "session: not an object");
  answer = full_authenticate_answer();
  answer["session"].erase("session_id");
  CHECK_THROWS_WITH(decode(answer, r), "session.session_id: required field is missing");
  answer = full_authenticate_answer();
  answer["user"]["name"]["first_name"] = 1;
  CHECK_THROWS_WITH(decode(answer, r), "user.name.first_name: not a string");
}

TEST_CASE("a minimal session and factor decode with every optional field absent") {
  stytch::Session s;
  decode(json{{"session_id", "session-test-min"}, {"authentication_factors", {json::object()}}}, s);
  CHECK(s.session_id == "session-test-min");
  CHECK(s.user_id.empty());
  CHECK(s.expires_at.empty());
  CHECK(s.roles.empty());
  CHECK_FALSE(s.attributes.ip_address);
  CHECK_FALSE(s.attributes.user_agent);
  CHECK(s.custom_claims.is_null());
  REQUIRE(s.authentication_factors.size() == 1);
  CHECK(s.authentication_factors[0].type.empty());
  CHECK(s.authentication_factors[0].raw == json::object());

  stytch::User u;
  decode(json{{"user_id", "user-test-min"}}, u);
  CHECK(u.user_id == "user-test-min");
  CHECK(u.status.empty());
  CHECK(u.phone_numbers.empty());
  CHECK_FALSE(u.is_locked);
  CHECK(u.untrusted_metadata.is_null());
}
