// The logging hook: off unless a sink is installed; one record per request;
// allow-listed headers only; never a body or a secret.

#include "client_fixture.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

using namespace stytch::test;
using stytch::ErrorKind;

namespace {

struct Captured {
  std::mutex mutex;
  std::vector<stytch::LogRecord> records;
  stytch::LogSink sink() {
    return [this](const stytch::LogRecord& r) {
      std::lock_guard<std::mutex> guard(mutex);
      records.push_back(r);
    };
  }
};

std::string header(const std::vector<std::pair<std::string, std::string>>& headers, const std::string& name) {
  for (const auto& [n, v] : headers) {
    if (n == name) return v;
  }
  return "<absent>";
}

}  // namespace

TEST_CASE("a log record reports method, path, status, duration, attempt and request id") {
  TestServer server([](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    res.set_header("X-Request-Id", "edge-1");
    res.set_header("Set-Cookie", "session=abc");
    res.set_content(kOkBody, "application/json");
  });
  Captured log;
  auto options = options_for(server.base_url() + "prefix/");
  options.log_sink = log.sink();
  stytch::StytchClient client(options);
  REQUIRE(client.otps.sms.send(sms_to("+12025550162")));
  REQUIRE(log.records.size() == 1);
  const stytch::LogRecord& r = log.records[0];
  CHECK(r.method == "POST");
  CHECK(r.path == "/prefix/v1/otps/sms/send");
  CHECK(r.status == 200);
  CHECK(r.attempt == 1);
  CHECK(r.request_id == "request-id-test-1");
  CHECK_FALSE(r.error);
  CHECK(r.duration >= std::chrono::milliseconds(25));  // the server took 30 ms
  CHECK(r.duration < std::chrono::milliseconds(5000));
  CHECK(header(r.request_headers, "Authorization") == "REDACTED");
  CHECK(header(r.request_headers, "Content-Type") == "application/json");
  CHECK(header(r.request_headers, "User-Agent") == client.user_agent());
  CHECK(header(r.response_headers, "Content-Type") == "application/json");
  CHECK(header(r.response_headers, "X-Request-Id") == "edge-1");
  CHECK(header(r.response_headers, "Set-Cookie") == "REDACTED");
}

TEST_CASE("failed calls are logged with their kind, refused input is not sent, so not logged") {
  Captured log;
  auto options = options_for("http://127.0.0.1:" + std::to_string(closed_port()) + "/");
  options.log_sink = log.sink();
  stytch::StytchClient client(options);
  REQUIRE_FALSE(client.otps.sms.send(sms_to("not a number")));
  CHECK(log.records.empty());
  REQUIRE_FALSE(client.otps.sms.send(sms_to("+12025550162")));
  REQUIRE(log.records.size() == 1);
  CHECK(log.records[0].status == 0);
  CHECK(log.records[0].error == ErrorKind::network);
}

TEST_CASE("a sink that throws does not fail the call") {
  TestServer server(
      [](const httplib::Request&, httplib::Response& res) { res.set_content(kOkBody, "application/json"); });
  auto options = options_for(server.base_url());
  options.log_sink = [](const stytch::LogRecord&) { throw std::runtime_error("sink broke"); };
  stytch::StytchClient client(options);
  CHECK(client.otps.sms.send(sms_to("+12025550162")).ok());
}

TEST_CASE("a GET's log record leaves out the query string, which holds ids and email addresses") {
  std::string target;
  TestServer server([&target](const httplib::Request& req, httplib::Response& res) {
    target = req.target;
    res.set_content(R"({"status_code":200,"request_id":"request-id-test-1","sessions":[]})", "application/json");
  });
  Captured log;
  auto options = options_for(server.base_url());
  options.log_sink = log.sink();
  stytch::StytchClient client(options);
  stytch::sessions::GetParams params;
  params.user_id = "user-test-private|id";
  REQUIRE(client.sessions.get(params));
  CHECK(target == "/v1/sessions?user_id=user-test-private%7Cid");  // the query did go to the server
  REQUIRE(log.records.size() == 1);
  CHECK(log.records[0].method == "GET");
  CHECK(log.records[0].path == "/v1/sessions");
  for (const auto& [name, value] : log.records[0].request_headers) CHECK(value.find("private") == std::string::npos);
}
