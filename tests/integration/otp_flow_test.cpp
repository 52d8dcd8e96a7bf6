// Every OTP call through real libcurl against stytch-mock, and the whole
// login: send, read the outbox, authenticate into a session.

#include "client_fixture.hpp"
#include "mock_outbox.hpp"
#include "mock_server.hpp"

#include <catch2/catch.hpp>

#include <httplib.h>

using namespace stytch::test;
using nlohmann::json;
using stytch::ErrorKind;
namespace otps = stytch::otps;

namespace {

stytch::mock::MockOptions flow_mock_options() {
  stytch::mock::MockOptions o;
  o.project_id = kProjectId;
  o.secret = kSecret;
  o.users = {"+12025550162", "grace@example.com"};
  o.rate_limit = 0;
  return o;
}

struct Fixture {
  explicit Fixture(stytch::mock::MockOptions options = flow_mock_options()) : mock(std::move(options)) { mock.start(); }

  /// The code most recently delivered to a destination.
  std::string last_code(const std::string& destination) const {
    std::string code = stytch::test::last_code(mock.port(), destination);
    REQUIRE(code.size() == 6);
    return code;
  }

  /// The user as the mock holds it (GET /_mock/users/ID).
  json user(const std::string& user_id) const {
    httplib::Client http("127.0.0.1", mock.port());
    auto res = http.Get(("/_mock/users/" + user_id).c_str());
    REQUIRE(res);
    REQUIRE(res->status == 200);
    return json::parse(res->body).at("user");
  }

  std::size_t messages_to(const std::string& destination) const {
    std::size_t n = 0;
    for (const auto& m : outbox_messages(mock.port())) n += m.at("destination") == destination ? 1u : 0u;
    return n;
  }

  stytch::mock::MockServer mock;
  stytch::StytchClient client{options_for(mock.base_url())};
};

otps::AuthenticateParams auth(const std::string& method_id, const std::string& code,
                              std::optional<int> session_minutes = std::nullopt) {
  otps::AuthenticateParams p;
  p.method_id = method_id;
  p.code = code;
  p.session_duration_minutes = session_minutes;
  return p;
}

otps::sms::LoginOrCreateParams sms_login(const std::string& phone) {
  otps::sms::LoginOrCreateParams p;
  p.phone_number = phone;
  return p;
}

json jwt_payload(const std::string& jwt) {
  const auto first = jwt.find('.');
  const auto second = jwt.find('.', first + 1);
  REQUIRE(second != std::string::npos);
  std::string b64 = jwt.substr(first + 1, second - first - 1);
  for (char& c : b64) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (b64.size() % 4 != 0) b64 += '=';
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : b64) {
    if (c == '=') break;
    buffer = (buffer << 6U) | static_cast<unsigned>(alphabet.find(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> static_cast<unsigned>(bits)) & 0xFFU);
    }
  }
  return json::parse(out);
}

}  // namespace

TEST_CASE("the whole SMS login: login_or_create, outbox, authenticate into a session", "[concurrency]") {
  Fixture f;
  auto params = sms_login("+12025550170");
  params.create_user_as_pending = true;
  auto sent = f.client.otps.sms.login_or_create(params);
  REQUIRE(sent);
  CHECK(sent->user_created);
  CHECK(sent->status_code == 200);
  CHECK(sent->phone_id.rfind("phone-number-test-", 0) == 0);
  CHECK(f.user(sent->user_id).at("status") == "pending");

  auto a = auth(sent->phone_id, f.last_code("+12025550170"), 60);
  a.session_custom_claims = json{{"plan", "pro"}, {"limits", {{"seats", 5}}}};
  auto r = f.client.otps.authenticate(a);
  REQUIRE(r);
  CHECK(r->user_id == sent->user_id);
  CHECK(r->method_id == sent->phone_id);
  CHECK(r->user.status == "active");
  REQUIRE(r->user.phone_numbers.size() == 1);
  CHECK(r->user.phone_numbers[0].phone_number == "+12025550170");
  CHECK(r->user.phone_numbers[0].verified);
  CHECK(r->session_token.size() == 44);
  REQUIRE(r->session);
  CHECK(r->session->session_id.rfind("session-test-", 0) == 0);
  CHECK(r->session->user_id == sent->user_id);
  REQUIRE(r->session->authentication_factors.size() == 1);
  CHECK(r->session->authentication_factors[0].delivery_method == "sms");
  CHECK(r->session->custom_claims == json{{"plan", "pro"}, {"limits", {{"seats", 5}}}});
  const json claims = jwt_payload(r->session_jwt);
  CHECK(claims.at("sub") == sent->user_id);
  CHECK(claims.at("plan") == "pro");
  CHECK(claims.at("https://stytch.com/session").at("id") == r->session->session_id);
  CHECK(r->raw.at("user").contains("webauthn_registrations"));  // untyped fields stay reachable
  CHECK(f.user(sent->user_id).at("status") == "active");
}

TEST_CASE("reserved JWT claims in session_custom_claims are ignored") {
  Fixture f;
  auto sent = f.client.otps.sms.send(sms_to("+12025550162"));
  REQUIRE(sent);
  auto a = auth(sent->phone_id, f.last_code("+12025550162"), 30);
  a.session_custom_claims = json{{"sub", "someone-else"}, {"exp", 1}, {"role", "admin"}};
  auto r = f.client.otps.authenticate(a);
  REQUIRE(r);
  REQUIRE(r->session);
  CHECK(r->session->custom_claims == json{{"role", "admin"}});
  CHECK(jwt_payload(r->session_jwt).at("sub") == sent->user_id);
}

TEST_CASE("login_or_create finds the existing user the second time") {
  Fixture f;
  auto first = f.client.otps.sms.login_or_create(sms_login("+12025550171"));
  auto second = f.client.otps.sms.login_or_create(sms_login("+12025550171"));
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->user_created);
  CHECK_FALSE(second->user_created);
  CHECK(first->user_id == second->user_id);
  CHECK(first->phone_id == second->phone_id);
}

TEST_CASE("authenticate without session_duration_minutes starts no session") {
  Fixture f;
  auto sent = f.client.otps.sms.send(sms_to("+12025550162"));
  REQUIRE(sent);
  auto r = f.client.otps.authenticate(auth(sent->phone_id, f.last_code("+12025550162")));
  REQUIRE(r);
  CHECK_FALSE(r->session);
  CHECK(r->session_token.empty());
  CHECK(r->session_jwt.empty());
}

TEST_CASE("a wrong code is otp_code_not_found and the right one still works") {
  Fixture f;
  auto sent = f.client.otps.sms.send(sms_to("+12025550162"));
  REQUIRE(sent);
  const std::string code = f.last_code("+12025550162");
  const std::string wrong = code == "123456" ? "654321" : "123456";
  auto r = f.client.otps.authenticate(auth(sent->phone_id, wrong));
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == ErrorKind::api);
  CHECK(r.error().http_status == 404);
  CHECK(r.error().error_type == "otp_code_not_found");
  CHECK(f.client.otps.authenticate(auth(sent->phone_id, code)).ok());
}

TEST_CASE("an expired code is unable_to_auth_otp_code (the mock's clock moves, nobody sleeps)") {
  Fixture f;
  auto params = sms_to("+12025550162");
  params.expiration_minutes = 1;
  auto sent = f.client.otps.sms.send(params);
  REQUIRE(sent);
  const std::string code = f.last_code("+12025550162");
  f.mock.advance_clock(61);
  auto r = f.client.otps.authenticate(auth(sent->phone_id, code));
  REQUIRE_FALSE(r);
  CHECK(r.error().http_status == 401);
  CHECK(r.error().error_type == "unable_to_auth_otp_code");
}

TEST_CASE("the default code lifetime is two minutes") {
  Fixture f;
  auto sent = f.client.otps.sms.send(sms_to("+12025550162"));
  REQUIRE(sent);
  const std::string code = f.last_code("+12025550162");
  f.mock.advance_clock(119);
  CHECK(f.client.otps.authenticate(auth(sent->phone_id, code)).ok());

  REQUIRE(f.client.otps.sms.send(sms_to("+12025550162")));
  const std::string second = f.last_code("+12025550162");
  f.mock.advance_clock(121);
  auto late = f.client.otps.authenticate(auth(sent->phone_id, second));
  REQUIRE_FALSE(late);
  CHECK(late.error().error_type == "unable_to_auth_otp_code");
}

TEST_CASE("a code works once") {
  Fixture f;
  auto sent = f.client.otps.sms.send(sms_to("+12025550162"));
  REQUIRE(sent);
  const std::string code = f.last_code("+12025550162");
  REQUIRE(f.client.otps.authenticate(auth(sent->phone_id, code)));
  auto again = f.client.otps.authenticate(auth(sent->phone_id, code));
  REQUIRE_FALSE(again);
  CHECK(again.error().http_status == 401);
  CHECK(again.error().error_type == "unable_to_auth_otp_code");
}

TEST_CASE("a new code invalidates the older one") {
  Fixture f;
  auto first = f.client.otps.sms.send(sms_to("+12025550162"));
  REQUIRE(first);
  const std::string old_code = f.last_code("+12025550162");
  std::string new_code = old_code;
  // Two sends could draw the same six digits; send until they differ.
  for (int i = 0; i < 5 && new_code == old_code; ++i) {
    REQUIRE(f.client.otps.sms.send(sms_to("+12025550162")));
    new_code = f.last_code("+12025550162");
  }
  REQUIRE(new_code != old_code);
  auto stale = f.client.otps.authenticate(auth(first->phone_id, old_code));
  REQUIRE_FALSE(stale);
  CHECK(stale.error().error_type == "otp_code_not_found");
  CHECK(f.client.otps.authenticate(auth(first->phone_id, new_code)).ok());
}

TEST_CASE("sends past the rate limit get 429 too_many_requests until the window passes", "[concurrency]") {
  auto options = flow_mock_options();
  options.rate_limit = 3;
  options.rate_window_seconds = 60;
  Fixture f(options);
  for (int i = 0; i < 3; ++i) REQUIRE(f.client.otps.sms.send(sms_to("+12025550162")));
  auto limited = f.client.otps.sms.send(sms_to("+12025550162"));
  REQUIRE_FALSE(limited);
  CHECK(limited.error().kind == ErrorKind::api);
  CHECK(limited.error().http_status == 429);
  CHECK(limited.error().error_type == "too_many_requests");
  CHECK(f.messages_to("+12025550162") == 3);
  // The limit is per destination, whatever the channel.
  otps::whatsapp::SendParams whatsapp;
  whatsapp.phone_number = "+12025550162";
  auto other_channel = f.client.otps.whatsapp.send(whatsapp);
  REQUIRE_FALSE(other_channel);
  CHECK(other_channel.error().error_type == "too_many_requests");
  CHECK(f.client.otps.sms.login_or_create(sms_login("+12025550172")).ok());
  f.mock.advance_clock(61);
  CHECK(f.client.otps.sms.send(sms_to("+12025550162")).ok());
}

TEST_CASE("sends that deliver nothing do not count toward the rate limit") {
  auto options = flow_mock_options();
  options.rate_limit = 2;
  Fixture f(options);
  for (int i = 0; i < 3; ++i) {
    auto unknown = f.client.otps.sms.send(sms_to("+12025550179"));
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().error_type == "phone_number_not_found");
  }
  CHECK(f.client.otps.sms.login_or_create(sms_login("+12025550179")).ok());
}

TEST_CASE("the mock refuses what Stytch refuses on the wire: a charset, a null field") {
  Fixture f;
  httplib::Client http("127.0.0.1", f.mock.port());
  http.set_basic_auth(kProjectId, kSecret);
  auto charset =
      http.Post("/v1/otps/sms/send", R"({"phone_number":"+12025550162"})", "application/json; charset=utf-8");
  REQUIRE(charset);
  CHECK(charset->status == 400);
  CHECK(json::parse(charset->body).at("error_type") == "invalid_content_type");
  auto null_field =
      http.Post("/v1/otps/sms/send", R"({"phone_number":"+12025550162","locale":null})", "application/json");
  REQUIRE(null_field);
  CHECK(null_field->status == 400);
  CHECK(json::parse(null_field->body).at("error_message").get<std::string>().rfind("locale is null", 0) == 0);
}

TEST_CASE("WhatsApp send and login_or_create deliver on the whatsapp channel") {
  Fixture f;
  otps::whatsapp::LoginOrCreateParams login;
  login.phone_number = "+12025550173";
  auto created = f.client.otps.whatsapp.login_or_create(login);
  REQUIRE(created);
  CHECK(created->user_created);
  otps::whatsapp::SendParams send;
  send.phone_number = "+12025550173";
  send.locale = "pt-br";
  auto sent = f.client.otps.whatsapp.send(send);
  REQUIRE(sent);
  CHECK(sent->phone_id == created->phone_id);
  auto r = f.client.otps.authenticate(auth(sent->phone_id, f.last_code("+12025550173"), 30));
  REQUIRE(r);
  REQUIRE(r->session);
  CHECK(r->session->authentication_factors.at(0).delivery_method == "whatsapp");
}

TEST_CASE("email send and login_or_create, then authenticate") {
  Fixture f;
  otps::email::LoginOrCreateParams login;
  login.email = "ada@example.com";
  login.login_template_id = "tpl-login";
  auto created = f.client.otps.email.login_or_create(login);
  REQUIRE(created);
  CHECK(created->user_created);
  CHECK(created->email_id.rfind("email-test-", 0) == 0);

  otps::email::SendParams send;
  send.email = "grace@example.com";
  send.locale = "fr";
  auto sent = f.client.otps.email.send(send);
  REQUIRE(sent);
  auto r = f.client.otps.authenticate(auth(sent->email_id, f.last_code("grace@example.com"), 5));
  REQUIRE(r);
  REQUIRE(r->user.emails.size() == 1);
  CHECK(r->user.emails[0].email == "grace@example.com");
  CHECK(r->user.emails[0].verified);
  CHECK(r->session->authentication_factors.at(0).raw.at("email_factor").at("email_address") == "grace@example.com");

  otps::email::SendParams unknown;
  unknown.email = "nobody@example.com";
  auto missing = f.client.otps.email.send(unknown);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().http_status == 404);
  CHECK(missing.error().error_type == "email_not_found");
}

TEST_CASE("a send with a session token attaches the method and authenticate extends that session") {
  Fixture f;
  auto sent = f.client.otps.sms.send(sms_to("+12025550162"));
  REQUIRE(sent);
  auto first = f.client.otps.authenticate(auth(sent->phone_id, f.last_code("+12025550162"), 60));
  REQUIRE(first);
  REQUIRE(first->session);

  otps::email::SendParams add_email;
  add_email.email = "new-address@example.com";
  add_email.session_token = first->session_token;
  auto attached = f.client.otps.email.send(add_email);
  REQUIRE(attached);
  CHECK(attached->user_id == first->user_id);

  f.mock.advance_clock(60);
  auto second_factor = auth(attached->email_id, f.last_code("new-address@example.com"), 120);
  second_factor.session_token = first->session_token;
  auto second = f.client.otps.authenticate(second_factor);
  REQUIRE(second);
  REQUIRE(second->session);
  CHECK(second->session->session_id == first->session->session_id);
  CHECK(second->session->started_at == first->session->started_at);
  CHECK(second->session->last_accessed_at > first->session->last_accessed_at);
  CHECK(second->session->expires_at > first->session->expires_at);  // extended to 120 minutes from now
  CHECK(second->session->authentication_factors.size() == 2);
  CHECK(second->session_token == first->session_token);
  CHECK(second->session_jwt != first->session_jwt);
  CHECK(second->user.emails.size() == 1);
  CHECK(second->user.emails[0].verified);
  CHECK(second->user.phone_numbers.size() == 1);

  // The first JWT stays valid until its own expiry.
  otps::sms::SendParams by_old_jwt = sms_to("+12025550175");
  by_old_jwt.session_jwt = first->session_jwt;
  auto attached_by_jwt = f.client.otps.sms.send(by_old_jwt);
  REQUIRE(attached_by_jwt);
  CHECK(attached_by_jwt->user_id == first->user_id);
}

TEST_CASE("a method attached by a send goes away unless verified within 5 minutes") {
  Fixture f;
  auto owner = f.client.otps.sms.login_or_create(sms_login("+12025550176"));
  REQUIRE(owner);
  auto attach = sms_to("+12025550177");
  attach.user_id = owner->user_id;
  REQUIRE(f.client.otps.sms.send(attach));
  CHECK(f.user(owner->user_id).at("phone_numbers").size() == 2);
  f.mock.advance_clock(301);
  CHECK(f.user(owner->user_id).at("phone_numbers").size() == 1);
  auto gone = f.client.otps.sms.send(sms_to("+12025550177"));
  REQUIRE_FALSE(gone);
  CHECK(gone.error().error_type == "phone_number_not_found");
}

TEST_CASE("a send naming an unknown user or session is refused") {
  Fixture f;
  auto with_user = sms_to("+12025550174");
  with_user.user_id = "user-test-00000000-0000-4000-8000-000000000000";
  auto no_user = f.client.otps.sms.send(with_user);
  REQUIRE_FALSE(no_user);
  CHECK(no_user.error().error_type == "user_not_found");
  auto with_session = sms_to("+12025550174");
  with_session.session_token = "no-such-session";
  auto no_session = f.client.otps.sms.send(with_session);
  REQUIRE_FALSE(no_session);
  CHECK(no_session.error().error_type == "session_not_found");
}

TEST_CASE("the sandbox phone and email authenticate with 000000 and deliver nothing") {
  Fixture f;
  auto phone = f.client.otps.sms.login_or_create(sms_login("+10000000000"));
  REQUIRE(phone);
  CHECK_FALSE(phone->user_created);
  otps::email::SendParams email;
  email.email = "sandbox@stytch.com";
  auto mail = f.client.otps.email.send(email);
  REQUIRE(mail);
  CHECK(f.messages_to("+10000000000") == 0);
  CHECK(f.messages_to("sandbox@stytch.com") == 0);
  CHECK(f.client.otps.authenticate(auth(phone->phone_id, "000000")).ok());
  auto with_session = f.client.otps.authenticate(auth(phone->phone_id, "000000", 10));  // repeatable
  REQUIRE(with_session);
  REQUIRE(with_session->session);
  CHECK(with_session->session->user_id == phone->user_id);
  CHECK(f.client.otps.authenticate(auth(mail->email_id, "000000")).ok());
  auto wrong = f.client.otps.authenticate(auth(phone->phone_id, "111111"));
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().error_type == "otp_code_not_found");
}

TEST_CASE("ip_match_required refuses a code used from another address") {
  Fixture f;
  auto params = sms_to("+12025550162");
  params.attributes = stytch::Attributes{std::string("203.0.113.7"), std::nullopt};
  auto sent = f.client.otps.sms.send(params);
  REQUIRE(sent);
  auto a = auth(sent->phone_id, f.last_code("+12025550162"));
  a.options = otps::AuthenticateOptions{true, std::nullopt};
  a.attributes = stytch::Attributes{std::string("198.51.100.9"), std::nullopt};
  auto mismatch = f.client.otps.authenticate(a);
  REQUIRE_FALSE(mismatch);
  CHECK(mismatch.error().http_status == 401);
  CHECK(mismatch.error().error_type == "attribute_mismatch");
  a.attributes = stytch::Attributes{std::string("203.0.113.7"), std::nullopt};
  CHECK(f.client.otps.authenticate(a).ok());
}

TEST_CASE("the server's policy checks on authenticate arrive as api errors") {
  Fixture f;
  auto sent = f.client.otps.sms.send(sms_to("+12025550162"));
  REQUIRE(sent);
  auto short_session = f.client.otps.authenticate(auth(sent->phone_id, f.last_code("+12025550162"), 4));
  REQUIRE_FALSE(short_session);
  CHECK(short_session.error().error_type == "invalid_session_duration_minutes");
  auto unknown_method = f.client.otps.authenticate(auth("phone-number-test-nope", "123456"));
  REQUIRE_FALSE(unknown_method);
  CHECK(unknown_method.error().error_type == "otp_code_not_found");
}
