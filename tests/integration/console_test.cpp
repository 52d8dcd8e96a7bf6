// The stytch-mock console's endpoints, in-process: the state it shows, the
// reset control, and the guards on Host and Origin. The page itself is tested
// in a real browser (tests/browser).

#include "console.hpp"
#include "client_fixture.hpp"
#include "mock_outbox.hpp"
#include "mock_server.hpp"

#include <catch2/catch.hpp>

#include <httplib.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace stytch::test;
using nlohmann::json;

namespace {

stytch::mock::MockOptions console_mock_options() {
  stytch::mock::MockOptions o;
  o.project_id = kProjectId;
  o.secret = kSecret;
  o.users = {"+12025550162"};
  return o;
}

json state(int port) {
  httplib::Client http("127.0.0.1", port);
  auto res = http.Get("/_mock/state");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  return json::parse(res->body);
}

// The state of the newest message to this method.
std::string state_of(int port, const std::string& method_id) {
  const json s = state(port);
  for (const auto& m : s.at("messages")) {
    if (m.at("method_id") == method_id) return m.at("state");
  }
  return "absent";
}

stytch::otps::AuthenticateParams auth(const std::string& method_id, const std::string& code) {
  stytch::otps::AuthenticateParams a;
  a.method_id = method_id;
  a.code = code;
  a.session_duration_minutes = 60;
  return a;
}

}  // namespace

TEST_CASE("the console state gives each code its state: waiting, replaced, used, expired") {
  stytch::mock::MockServer mock(console_mock_options());
  mock.start();
  stytch::StytchClient client(options_for(mock.base_url()));

  auto first = client.otps.sms.send(sms_to("+12025550162"));
  REQUIRE(first);
  CHECK(state_of(mock.port(), first->phone_id) == "waiting");
  auto second = client.otps.sms.send(sms_to("+12025550162"));
  REQUIRE(second);
  const json messages = state(mock.port()).at("messages");
  REQUIRE(messages.size() == 2);
  CHECK(messages[0].at("state") == "waiting");  // newest first
  CHECK(messages[1].at("state") == "replaced");
  CHECK(messages[0].at("code") == last_code(mock.port(), "+12025550162"));

  REQUIRE(client.otps.authenticate(auth(second->phone_id, last_code(mock.port(), "+12025550162"))));
  CHECK(state_of(mock.port(), second->phone_id) == "used");
  mock.advance_clock(3600);
  CHECK(state_of(mock.port(), second->phone_id) == "used");  // used stays used

  stytch::otps::email::LoginOrCreateParams email;
  email.email = "ada@example.com";
  auto sent = client.otps.email.login_or_create(email);
  REQUIRE(sent);
  CHECK(state_of(mock.port(), sent->email_id) == "waiting");
  mock.advance_clock(121);  // the default lifetime is 2 minutes
  CHECK(state_of(mock.port(), sent->email_id) == "expired");
}

TEST_CASE("the console state lists users with their methods and sessions") {
  stytch::mock::MockServer mock(console_mock_options());
  mock.start();
  stytch::StytchClient client(options_for(mock.base_url()));
  auto sent = client.otps.sms.send(sms_to("+12025550162"));
  REQUIRE(sent);
  auto a = auth(sent->phone_id, last_code(mock.port(), "+12025550162"));
  a.session_custom_claims = json{{"plan", "<b>pro</b>"}};
  REQUIRE(client.otps.authenticate(a));

  const json s = state(mock.port());
  CHECK(s.at("signing_keys") == true);
  CHECK(s.at("signing_key_count").get<int>() >= 1);
  CHECK(s.at("now_unix").is_number_integer());
  const json* user = nullptr;
  for (const auto& u : s.at("users")) {
    if (u.at("user_id") == sent->user_id) user = &u;
  }
  REQUIRE(user != nullptr);
  CHECK(user->at("sandbox") == false);
  REQUIRE(user->at("phone_numbers").size() == 1);
  CHECK(user->at("phone_numbers")[0].at("value") == "+12025550162");
  CHECK(user->at("phone_numbers")[0].at("verified") == true);
  REQUIRE(user->at("sessions").size() == 1);
  const json& session = user->at("sessions")[0];
  CHECK(session.at("status") == "active");
  CHECK(session.at("custom_claims").at("plan") == "<b>pro</b>");
  CHECK(session.at("factors") == json::array({"sms"}));
  mock.advance_clock(61 * 60);
  std::string later = "absent";
  const json after = state(mock.port());
  for (const auto& u : after.at("users")) {
    if (u.at("user_id") == sent->user_id) later = u.at("sessions").at(0).at("status");
  }
  CHECK(later == "expired");
}

TEST_CASE("reset brings the mock back to its state at start") {
  auto options = console_mock_options();
  options.clock_offset_seconds = 100;
  stytch::mock::MockServer mock(options);
  mock.start();
  stytch::StytchClient client(options_for(mock.base_url()));
  const long long start = state(mock.port()).at("now_unix");
  stytch::otps::sms::LoginOrCreateParams params;
  params.phone_number = "+12025550170";
  REQUIRE(client.otps.sms.login_or_create(params));
  REQUIRE(client.otps.sms.send(sms_to("+12025550162")));
  mock.advance_clock(7200);

  httplib::Client http("127.0.0.1", mock.port());
  auto res = http.Post("/_mock/reset", "{}", "application/json");
  REQUIRE(res);
  CHECK(res->status == 200);
  const json s = state(mock.port());
  CHECK(s.at("messages").empty());
  CHECK(s.at("now_unix").get<long long>() - start < 60);  // the extra 7200 s are gone
  std::vector<std::string> values;
  for (const auto& u : s.at("users")) {
    for (const auto& p : u.at("phone_numbers")) values.push_back(p.at("value"));
    for (const auto& e : u.at("emails")) values.push_back(e.at("value"));
  }
  std::sort(values.begin(), values.end());
  CHECK(values == std::vector<std::string>{"+10000000000", "+12025550162", "sandbox@stytch.com"});
  // The --user user is there again, and the sandbox still takes its code.
  REQUIRE(client.otps.sms.send(sms_to("+12025550162")));
  auto sandbox = client.otps.sms.send(sms_to("+10000000000"));
  REQUIRE(sandbox);
  stytch::otps::AuthenticateParams a;
  a.method_id = sandbox->phone_id;
  a.code = "000000";
  CHECK(client.otps.authenticate(a).ok());
}

TEST_CASE("the console is served with its security headers, and /_mock redirects to it") {
  stytch::mock::MockServer mock(console_mock_options());
  mock.start();
  httplib::Client http("127.0.0.1", mock.port());
  auto page = http.Get("/_mock/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
  const std::string policy = page->get_header_value("Content-Security-Policy");
  CHECK(policy.find("default-src 'none'") != std::string::npos);
  CHECK(policy.find("script-src 'self'") != std::string::npos);
  CHECK(policy.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(page->get_header_value("X-Content-Type-Options") == "nosniff");
  CHECK(page->body.find("/_mock/console.js") != std::string::npos);
  for (const char* asset : {"/_mock/console.js", "/_mock/console.css", "/_mock/favicon.svg", "/_mock/state"}) {
    auto res = http.Get(asset);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
  }
  auto redirect = http.Get("/_mock");
  REQUIRE(redirect);
  CHECK(redirect->status == 302);
  CHECK(redirect->get_header_value("Location") == "/_mock/");
}

TEST_CASE("/_mock answers only its own loopback address, and controls refuse foreign origins") {
  stytch::mock::MockServer mock(console_mock_options());
  mock.start();
  const std::string port = std::to_string(mock.port());
  httplib::Client http("127.0.0.1", mock.port());

  for (const std::string& host :
       std::vector<std::string>{"rebound.example:" + port, "127.0.0.1:1", "127.0.0.1.example:" + port}) {
    for (const char* path : {"/_mock/", "/_mock/state", "/_mock/messages"}) {
      auto res = http.Get(path, httplib::Headers{{"Host", host}});
      REQUIRE(res);
      CHECK(res->status == 403);
      CHECK(json::parse(res->body).at("error_type") == "forbidden_host");
    }
  }
  for (const std::string& host : {"127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port}) {
    auto res = http.Get("/_mock/state", httplib::Headers{{"Host", host}});
    REQUIRE(res);
    CHECK(res->status == 200);
  }

  const long long before = state(mock.port()).at("now_unix");
  for (const std::string& origin : {std::string("http://evil.example"), std::string("null"),
                                    "https://127.0.0.1:" + port, "http://127.0.0.1:" + port + "/x"}) {
    auto res = http.Post("/_mock/clock", httplib::Headers{{"Origin", origin}}, R"({"advance_seconds": 3600})",
                         "application/json");
    REQUIRE(res);
    CHECK(res->status == 403);
    CHECK(json::parse(res->body).at("error_type") == "forbidden_origin");
  }
  CHECK(state(mock.port()).at("now_unix").get<long long>() - before < 60);
  auto own = http.Post("/_mock/clock", httplib::Headers{{"Origin", "http://localhost:" + port}},
                       R"({"advance_seconds": 3600})", "application/json");
  REQUIRE(own);
  CHECK(own->status == 200);
  auto no_origin = http.Post("/_mock/reset", "{}", "application/json");
  REQUIRE(no_origin);
  CHECK(no_origin->status == 200);
}

TEST_CASE("the Host and Origin rules") {
  using stytch::mock::console_host_allowed;
  using stytch::mock::console_origin_allowed;
  CHECK(console_host_allowed("127.0.0.1:8080", 8080, false));
  CHECK(console_host_allowed("localhost:8080", 8080, false));
  CHECK(console_host_allowed("[::1]:8080", 8080, false));
  CHECK(console_host_allowed("127.0.0.1", 80, false));
  CHECK(console_host_allowed("localhost", 443, true));
  CHECK_FALSE(console_host_allowed("127.0.0.1", 8080, false));
  CHECK_FALSE(console_host_allowed("127.0.0.1:8081", 8080, false));
  CHECK_FALSE(console_host_allowed("example.com:8080", 8080, false));
  CHECK_FALSE(console_host_allowed("[::1]", 8080, false));
  CHECK_FALSE(console_host_allowed("", 8080, false));
  CHECK(console_origin_allowed("http://127.0.0.1:8080", 8080, false));
  CHECK(console_origin_allowed("https://localhost:8443", 8443, true));
  CHECK_FALSE(console_origin_allowed("https://127.0.0.1:8080", 8080, false));
  CHECK_FALSE(console_origin_allowed("http://127.0.0.1:8080/", 8080, false));
  CHECK_FALSE(console_origin_allowed("http://evil.example:8080", 8080, false));
  CHECK_FALSE(console_origin_allowed("null", 8080, false));
  CHECK_FALSE(console_origin_allowed("", 8080, false));
}
