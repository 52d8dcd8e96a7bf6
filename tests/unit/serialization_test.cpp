#include "json_fields.hpp"
#include "otps_sms.hpp"

#include <catch2/catch.hpp>

using nlohmann::json;
using stytch::internal::decode_sms_send;
using stytch::internal::FieldError;
using stytch::internal::sms_send_body;
using stytch::otps::sms::SendParams;
using stytch::otps::sms::SendResponse;

TEST_CASE("SMS send body holds only the phone number when nothing else is set") {
  SendParams params;
  params.phone_number = "+12025550162";
  const auto body = sms_send_body(params);
  REQUIRE_FALSE(body.error());
  CHECK(json::parse(body.dump()) == json{{"phone_number", "+12025550162"}});
  CHECK(body.dump().find("null") == std::string::npos);
}

TEST_CASE("SMS send body holds every field that is set, with its JSON type") {
  SendParams params;
  params.phone_number = "+12025550162";
  params.expiration_minutes = 5;
  params.locale = "es";
  params.attributes = stytch::Attributes{"203.0.113.7", "Mozilla/5.0"};
  params.user_id = "user-test-1";
  params.session_token = "token-1";
  params.session_jwt = "jwt-1";
  const auto body = sms_send_body(params);
  REQUIRE_FALSE(body.error());
  CHECK(json::parse(body.dump()) == json{{"phone_number", "+12025550162"},
                                         {"expiration_minutes", 5},
                                         {"locale", "es"},
                                         {"attributes", {{"ip_address", "203.0.113.7"}, {"user_agent", "Mozilla/5.0"}}},
                                         {"user_id", "user-test-1"},
                                         {"session_token", "token-1"},
                                         {"session_jwt", "jwt-1"}});
}

TEST_CASE("a set optional is sent even when it is zero or empty") {
  SendParams params;
  params.phone_number = "+12025550162";
  params.expiration_minutes = 0;
  params.locale = "";
  params.attributes = stytch::Attributes{};
  const auto body = json::parse(sms_send_body(params).dump());
  CHECK(body.at("expiration_minutes") == 0);
  CHECK(body.at("locale") == "");
  CHECK(body.at("attributes") == json::object());
}

TEST_CASE("attributes carry only their set fields") {
  SendParams params;
  params.phone_number = "+12025550162";
  params.attributes = stytch::Attributes{std::nullopt, std::string("curl/8")};
  CHECK(json::parse(sms_send_body(params).dump()).at("attributes") == json{{"user_agent", "curl/8"}});
}

TEST_CASE("strings are escaped, never break the JSON") {
  SendParams params;
  params.phone_number = "+12025550162";
  params.locale = "x\"},\"user_id\":\"evil\n\\\x01";
  const auto body = json::parse(sms_send_body(params).dump());
  CHECK(body.at("locale") == "x\"},\"user_id\":\"evil\n\\\x01");
  CHECK_FALSE(body.contains("user_id"));
}

TEST_CASE("invalid UTF-8 in a field is an invalid_argument naming the field") {
  SendParams params;
  params.phone_number = "+12025550162";
  params.attributes = stytch::Attributes{std::nullopt, std::string("bad \xFF byte")};
  const auto body = sms_send_body(params);
  REQUIRE(body.error());
  CHECK(body.error()->kind == stytch::ErrorKind::invalid_argument);
  CHECK(body.error()->error_message == "attributes.user_agent is not valid UTF-8");

  params.attributes.reset();
  params.locale = std::string("\xC3");
  REQUIRE(sms_send_body(params).error());
  CHECK(sms_send_body(params).error()->error_message == "locale is not valid UTF-8");
}

TEST_CASE("the phone number check names the field and not the number") {
  auto empty = stytch::internal::check_phone_number("");
  REQUIRE(empty);
  CHECK(empty->kind == stytch::ErrorKind::invalid_argument);
  CHECK(empty->error_message == "phone_number is required");

  auto bad = stytch::internal::check_phone_number("2025550162");
  REQUIRE(bad);
  CHECK(bad->kind == stytch::ErrorKind::invalid_argument);
  CHECK(bad->error_message.find("phone_number") != std::string::npos);
  CHECK(bad->message().find("2025550162") == std::string::npos);

  CHECK_FALSE(stytch::internal::check_phone_number("+12025550162"));
}

TEST_CASE("SMS send response is read field by field and unknown fields are ignored") {
  const json answer = {{"status_code", 200},
                       {"request_id", "request-id-test-1"},
                       {"user_id", "user-test-1"},
                       {"phone_id", "phone-number-test-1"},
                       {"a_field_added_later", {{"nested", true}}}};
  SendResponse response;
  decode_sms_send(answer, response);
  CHECK(response.status_code == 200);
  CHECK(response.request_id == "request-id-test-1");
  CHECK(response.user_id == "user-test-1");
  CHECK(response.phone_id == "phone-number-test-1");
}

TEST_CASE("SMS send response without status_code keeps it zero for the caller to fill") {
  SendResponse response;
  decode_sms_send(json{{"request_id", "r"}, {"user_id", "u"}, {"phone_id", "p"}}, response);
  CHECK(response.status_code == 0);
}

TEST_CASE("SMS send response with a missing or mistyped field is a FieldError naming it") {
  SendResponse response;
  const json missing = {{"request_id", "r"}, {"user_id", "u"}};
  CHECK_THROWS_WITH(decode_sms_send(missing, response), Catch::Contains("phone_id"));
  const json mistyped = {{"request_id", "r"}, {"user_id", 7}, {"phone_id", "p"}};
  CHECK_THROWS_WITH(decode_sms_send(mistyped, response), Catch::Contains("user_id"));
  const json null_required = {{"request_id", "r"}, {"user_id", nullptr}, {"phone_id", "p"}};
  CHECK_THROWS_AS(decode_sms_send(null_required, response), FieldError);
  const json bad_status = {{"status_code", "200"}, {"request_id", "r"}, {"user_id", "u"}, {"phone_id", "p"}};
  CHECK_THROWS_WITH(decode_sms_send(bad_status, response), Catch::Contains("status_code"));
  const json huge_status = {{"status_code", 1e12}, {"request_id", "r"}, {"user_id", "u"}, {"phone_id", "p"}};
  CHECK_THROWS_AS(decode_sms_send(huge_status, response), FieldError);
}
