// The suite's scenarios once more, with a sentinel secret and logging on:
// no log line, header value, error field, message() or exception text may
// ever hold the secret, the Basic credentials, a full phone number or a code.

#include "client_fixture.hpp"
#include "mock_outbox.hpp"
#include "mock_server.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <httplib.h>

#include <mutex>
#include <set>

using namespace stytch::test;
using nlohmann::json;
namespace otps = stytch::otps;

namespace {

// Everything the SDK let out during the scenarios.
struct Transcript {
  std::mutex mutex;
  std::string text;

  void add(const std::string& s) {
    std::lock_guard<std::mutex> guard(mutex);
    text += s;
    text += '\n';
  }
  void add(const stytch::Error& e) {
    add(e.message());
    add(e.error_message + " " + e.error_type + " " + e.error_url + " " + e.request_id + " " + e.body_excerpt);
    add(e.error_details.dump());
  }
  template <typename T>
  void add(const stytch::Result<T>& r) {
    if (!r) {
      add(r.error());
      try {
        (void)r.value();
      } catch (const stytch::Exception& ex) {
        add(ex.what());
      }
    }
  }
  stytch::LogSink sink() {
    return [this](const stytch::LogRecord& r) {
      add(r.to_string());
      for (const auto& [name, value] : r.request_headers) add(name + ": " + value);
      for (const auto& [name, value] : r.response_headers) add(name + ": " + value);
    };
  }
};

const std::vector<std::string> kPhones = {"+12025550180", "+12025550181", "+12025550182", "+10000000000",
                                          "+15550000502", "+15550000408", "+12025550199"};

}  // namespace

TEST_CASE("no secret, credentials, phone number or code ever leaves through logs or errors", "[concurrency]") {
  Transcript out;
  std::set<std::string> codes;

  stytch::mock::MockOptions mock_options;
  mock_options.project_id = kProjectId;
  mock_options.secret = kSecret;
  mock_options.users = {"+12025550181"};
  mock_options.rate_limit = 2;
  stytch::mock::MockServer mock(mock_options);
  mock.start();
  auto options = options_for(mock.base_url());
  options.log_sink = out.sink();
  options.timeout = std::chrono::milliseconds(500);
  stytch::StytchClient client(options);
  auto last_code = [&](const std::string& destination) {
    for (const auto& m : outbox_messages(mock.port())) codes.insert(m.at("code").get<std::string>());
    return stytch::test::last_code(mock.port(), destination);
  };

  // The whole login, with a wrong and a reused code on the way.
  otps::sms::LoginOrCreateParams login;
  login.phone_number = "+12025550180";
  auto sent = client.otps.sms.login_or_create(login);
  REQUIRE(sent);
  const std::string code = last_code("+12025550180");
  otps::AuthenticateParams auth;
  auth.method_id = sent->phone_id;
  auth.code = code == "000001" ? "000002" : "000001";
  out.add(client.otps.authenticate(auth));
  auth.code = code;
  auth.session_duration_minutes = 30;
  REQUIRE(client.otps.authenticate(auth));
  out.add(client.otps.authenticate(auth));  // reused

  // Other channels, sandbox, unknown number, rate limit, faults.
  otps::whatsapp::SendParams whatsapp;
  whatsapp.phone_number = "+12025550181";
  out.add(client.otps.whatsapp.send(whatsapp));
  out.add(client.otps.whatsapp.send(whatsapp));
  out.add(client.otps.whatsapp.send(whatsapp));  // 429
  otps::email::LoginOrCreateParams email;
  email.email = "sentinel-user@example.com";
  out.add(client.otps.email.login_or_create(email));
  out.add(client.otps.sms.send(sms_to("+10000000000")));
  out.add(client.otps.sms.send(sms_to("+12025550199")));  // 404
  out.add(client.otps.sms.send(sms_to("+15550000502")));  // decode
  out.add(client.otps.sms.send(sms_to("+15550000408")));  // timeout
  last_code("sentinel-user@example.com");

  // Refused input: the value is never repeated in the error.
  out.add(client.otps.sms.send(sms_to("+1202555018")));
  out.add(client.otps.sms.send(sms_to("12025550182")));
  otps::AuthenticateParams bad;
  bad.method_id = "m";
  out.add(client.otps.authenticate(bad));

  // A wrong secret, a refused certificate, a server echoing the request.
  auto wrong = options;
  wrong.secret = std::string(kSecret) + "-wrong";
  out.add(stytch::StytchClient(wrong).otps.sms.send(sms_to("+12025550181")));
  stytch::mock::MockOptions tls_options = mock_options;
  tls_options.https = true;
  stytch::mock::MockServer tls_mock(tls_options);
  tls_mock.start();
  auto untrusted = options;
  untrusted.base_url = tls_mock.base_url();
  out.add(stytch::StytchClient(untrusted).otps.sms.send(sms_to("+12025550181")));
  TestServer echo([](const httplib::Request& req, httplib::Response& res) {
    res.status = 400;
    res.set_header("X-Echo", req.get_header_value("Authorization"));
    res.set_content(json{{"error_type", "echo"},
                         {"error_message", req.get_header_value("Authorization") + " " + req.body},
                         {"request_id", "r"}}
                        .dump(),
                    "application/json");
  });
  auto echoed = options;
  echoed.base_url = echo.base_url();
  out.add(stytch::StytchClient(echoed).otps.sms.send(sms_to("+12025550182")));

  // Construction errors.
  try {
    auto bad_options = options;
    bad_options.base_url = "http://example.com/";
    stytch::StytchClient refused(bad_options);
  } catch (const stytch::Exception& e) {
    out.add(e.what());
  }

  REQUIRE(out.text.find("POST /v1/otps/sms/login_or_create status=200") != std::string::npos);  // logging was on
  REQUIRE(codes.size() >= 2);
  CHECK_FALSE(leaks_secret(out.text));
  for (const auto& phone : kPhones) {
    INFO(phone);
    CHECK(out.text.find(phone) == std::string::npos);
  }
  CHECK(out.text.find("12025550182") == std::string::npos);
  for (const auto& c : codes) {
    INFO(c);
    CHECK(out.text.find(c) == std::string::npos);
  }
}
