// The SDK against stytch-mock, in-process, over http and https.

#include "client_fixture.hpp"
#include "mock_outbox.hpp"
#include "mock_server.hpp"

#include <catch2/catch.hpp>

#include <httplib.h>

using namespace stytch::test;
using nlohmann::json;
using stytch::ErrorKind;

namespace {

stytch::mock::MockOptions plain_mock_options(bool https = false) {
  stytch::mock::MockOptions o;
  o.project_id = kProjectId;
  o.secret = kSecret;
  o.users = {"+12025550162"};
  o.https = https;
  return o;
}

json outbox(const stytch::mock::MockServer& mock) { return outbox_messages(mock.port()); }

}  // namespace

TEST_CASE("send to a known user's number returns Stytch-shaped ids and delivers a code") {
  stytch::mock::MockServer mock(plain_mock_options());
  mock.start();
  stytch::StytchClient client(options_for(mock.base_url()));
  auto r = client.otps.sms.send(sms_to("+12025550162"));
  REQUIRE(r);
  CHECK(r->status_code == 200);
  CHECK(r->phone_id.rfind("phone-number-test-", 0) == 0);
  CHECK(r->user_id.rfind("user-test-", 0) == 0);
  CHECK(r->request_id.rfind("request-id-test-", 0) == 0);
  const json messages = outbox(mock);
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].at("channel") == "sms");
  CHECK(messages[0].at("destination") == "+12025550162");
  CHECK(messages[0].at("method_id") == r->phone_id);
  CHECK(messages[0].at("code").get<std::string>().size() == 6);
}

TEST_CASE("the sandbox number answers 200 and delivers nothing") {
  stytch::mock::MockServer mock(plain_mock_options());
  mock.start();
  stytch::StytchClient client(options_for(mock.base_url()));
  auto first = client.otps.sms.send(sms_to("+10000000000"));
  auto second = client.otps.sms.send(sms_to("+10000000000"));
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->phone_id == second->phone_id);
  CHECK(outbox(mock).empty());
}

TEST_CASE("stytch-mock's errors arrive as typed api errors") {
  stytch::mock::MockServer mock(plain_mock_options());
  mock.start();
  stytch::StytchClient client(options_for(mock.base_url()));

  auto unknown = client.otps.sms.send(sms_to("+12025550199"));
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().kind == ErrorKind::api);
  CHECK(unknown.error().http_status == 404);
  CHECK(unknown.error().error_type == "phone_number_not_found");
  CHECK(unknown.error().request_id.rfind("request-id-test-", 0) == 0);

  auto params = sms_to("+12025550162");
  params.locale = "xx";
  auto bad_locale = client.otps.sms.send(params);
  REQUIRE_FALSE(bad_locale);
  CHECK(bad_locale.error().http_status == 400);
  CHECK(bad_locale.error().error_type == "invalid_locale");

  params = sms_to("+12025550162");
  params.expiration_minutes = 11;
  auto bad_expiration = client.otps.sms.send(params);
  REQUIRE_FALSE(bad_expiration);
  CHECK(bad_expiration.error().error_type == "invalid_expiration_minutes");

  params = sms_to("+12025550188");
  params.user_id = "user-test-00000000-0000-4000-8000-000000000000";
  auto no_user = client.otps.sms.send(params);
  REQUIRE_FALSE(no_user);
  CHECK(no_user.error().error_type == "user_not_found");
}

TEST_CASE("a wrong secret gets 401 unauthorized_credentials") {
  stytch::mock::MockServer mock(plain_mock_options());
  mock.start();
  auto options = options_for(mock.base_url());
  options.secret = "secret-test-wrong";
  stytch::StytchClient client(options);
  auto r = client.otps.sms.send(sms_to("+12025550162"));
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == ErrorKind::api);
  CHECK(r.error().http_status == 401);
  CHECK(r.error().error_type == "unauthorized_credentials");
}

TEST_CASE("a send naming a user attaches the new number to that user") {
  stytch::mock::MockServer mock(plain_mock_options());
  mock.start();
  stytch::StytchClient client(options_for(mock.base_url()));
  auto first = client.otps.sms.send(sms_to("+12025550162"));
  REQUIRE(first);
  auto params = sms_to("+12025550163");
  params.user_id = first->user_id;
  auto attached = client.otps.sms.send(params);
  REQUIRE(attached);
  CHECK(attached->user_id == first->user_id);
  CHECK(attached->phone_id != first->phone_id);
  auto again = client.otps.sms.send(sms_to("+12025550163"));  // now known without user_id
  REQUIRE(again);
  CHECK(again->phone_id == attached->phone_id);
}

TEST_CASE("stytch-mock over https with its generated CA", "[concurrency]") {
  stytch::mock::MockServer mock(plain_mock_options(true));
  mock.start();
  REQUIRE_FALSE(mock.ca_file().empty());
  auto options = options_for(mock.base_url());
  options.ca_file = mock.ca_file();
  stytch::StytchClient client(options);
  auto r = client.otps.sms.send(sms_to("+12025550162"));
  REQUIRE(r);
  CHECK(r->phone_id.rfind("phone-number-test-", 0) == 0);
}

TEST_CASE("stytch-mock's fault numbers give decode and timeout errors") {
  stytch::mock::MockServer mock(plain_mock_options());
  mock.start();
  auto options = options_for(mock.base_url());
  options.timeout = std::chrono::milliseconds(500);
  stytch::StytchClient client(options);
  auto html = client.otps.sms.send(sms_to("+15550000502"));
  REQUIRE_FALSE(html);
  CHECK(html.error().kind == ErrorKind::decode);
  CHECK(html.error().http_status == 502);
  auto slow = client.otps.sms.send(sms_to("+15550000408"));
  REQUIRE_FALSE(slow);
  CHECK(slow.error().kind == ErrorKind::timeout);
}
