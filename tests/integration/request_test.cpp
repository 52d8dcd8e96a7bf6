// What goes on the wire: method, path, headers and body as the server sees them.

#include "client_fixture.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>

using namespace stytch::test;
using nlohmann::json;

TEST_CASE("send POSTs to /v1/otps/sms/send with exactly the documented headers") {
  TestServer server(ok_answer);
  stytch::StytchClient client(options_for(server.base_url()));
  auto r = client.otps.sms.send(sms_to("+12025550162"));
  REQUIRE(r.ok());

  const auto requests = server.requests();
  REQUIRE(requests.size() == 1);
  const RecordedRequest& req = requests[0];
  CHECK(req.method == "POST");
  CHECK(req.path == "/v1/otps/sms/send");
  CHECK(req.header("Authorization") == std::string("Basic ") + kBasicCredentials);
  CHECK(req.header("Content-Type") == "application/json");
  CHECK(req.header_count("Content-Type") == 1);
  CHECK(req.header("Accept") == "application/json");
  CHECK(req.header("User-Agent").rfind(std::string("Stytch C++ v") + STYTCH_VERSION_STRING, 0) == 0);
  CHECK(req.header_count("Expect") == 0);
  CHECK(req.header_count("Accept-Encoding") == 0);
  CHECK(req.header("Content-Length") == std::to_string(req.body.size()));
  CHECK(json::parse(req.body) == json{{"phone_number", "+12025550162"}});
}

TEST_CASE("the body carries every set field and nothing unset") {
  TestServer server(ok_answer);
  stytch::StytchClient client(options_for(server.base_url()));
  auto params = sms_to("+12025550162");
  params.expiration_minutes = 0;
  params.locale = "pt-br";
  params.attributes = stytch::Attributes{std::string("203.0.113.7"), std::nullopt};
  params.user_id = "user-test-42";
  REQUIRE(client.otps.sms.send(params).ok());
  const auto body = json::parse(server.requests().at(0).body);
  CHECK(body == json{{"phone_number", "+12025550162"},
                     {"expiration_minutes", 0},
                     {"locale", "pt-br"},
                     {"attributes", {{"ip_address", "203.0.113.7"}}},
                     {"user_id", "user-test-42"}});
}

TEST_CASE("a base URL with a path prefix keeps the prefix") {
  TestServer server(ok_answer);
  stytch::StytchClient client(options_for(server.base_url() + "stytch-proxy"));
  REQUIRE(client.otps.sms.send(sms_to("+12025550162")).ok());
  CHECK(server.requests().at(0).path == "/stytch-proxy/v1/otps/sms/send");
}

TEST_CASE("the response fields arrive typed, with the raw JSON beside them") {
  TestServer server([](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"status_code":200,"request_id":"request-id-test-5","user_id":"user-test-5",
      "phone_id":"phone-number-test-5","new_field":{"x":1}})",
                    "application/json");
  });
  stytch::StytchClient client(options_for(server.base_url()));
  auto r = client.otps.sms.send(sms_to("+12025550162"));
  REQUIRE(r);
  CHECK(r->status_code == 200);
  CHECK(r->request_id == "request-id-test-5");
  CHECK(r->user_id == "user-test-5");
  CHECK(r->phone_id == "phone-number-test-5");
  CHECK(r->raw.at("new_field") == json{{"x", 1}});
}

TEST_CASE("an invalid phone number is refused and nothing is sent") {
  TestServer server(ok_answer);
  stytch::StytchClient client(options_for(server.base_url()));
  for (const char* phone : {"", "2025550162", "+0123", "+1 202 555 0162", "+1234567890123456"}) {
    INFO(phone);
    auto r = client.otps.sms.send(sms_to(phone));
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == stytch::ErrorKind::invalid_argument);
    CHECK(r.error().error_message.find("phone_number") != std::string::npos);
  }
  auto bad_utf8 = sms_to("+12025550162");
  bad_utf8.session_token = std::string("\xFF");
  auto r = client.otps.sms.send(bad_utf8);
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == stytch::ErrorKind::invalid_argument);
  CHECK(r.error().error_message == "session_token is not valid UTF-8");
  CHECK(server.requests().empty());
}

TEST_CASE("policy limits are left to the server and its answer is surfaced") {
  TestServer server([](const httplib::Request&, httplib::Response& res) {
    res.status = 400;
    res.set_content(R"({"status_code":400,"request_id":"request-id-test-6","error_type":"invalid_expiration_minutes",
      "error_message":"expiration_minutes must be between 1 and 10.","error_url":"https://stytch.com/docs/api/errors/400"})",
                    "application/json");
  });
  stytch::StytchClient client(options_for(server.base_url()));
  auto params = sms_to("+12025550162");
  params.expiration_minutes = 600;
  params.locale = "xx-unknown";
  auto r = client.otps.sms.send(params);
  REQUIRE(server.requests().size() == 1);
  CHECK(json::parse(server.requests()[0].body).at("expiration_minutes") == 600);
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == stytch::ErrorKind::api);
  CHECK(r.error().error_type == "invalid_expiration_minutes");
}
