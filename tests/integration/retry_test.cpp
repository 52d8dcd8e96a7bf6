// Retries through the real transport: the schedule is checked with an
// injected sleep, so nothing waits.

#include "client_fixture.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <vector>

using namespace stytch::test;
using namespace std::chrono_literals;
using stytch::ErrorKind;

namespace {

Responder too_many_then_ok(std::atomic<int>& calls, int refusals, const std::string& retry_after) {
  return [&calls, refusals, retry_after](const httplib::Request&, httplib::Response& res) {
    if (calls++ < refusals) {
      res.status = 429;
      if (!retry_after.empty()) res.set_header("Retry-After", retry_after);
      res.set_content(R"({"status_code":429,"request_id":"r","error_type":"too_many_requests","error_message":"m"})",
                      "application/json");
    } else {
      res.set_content(kOkBody, "application/json");
    }
  };
}

}  // namespace

TEST_CASE("by default a 429 is returned, not retried, with its Retry-After") {
  std::atomic<int> calls{0};
  TestServer server(too_many_then_ok(calls, 1, "7"));
  stytch::StytchClient client(options_for(server.base_url()));
  auto r = client.otps.sms.send(sms_to("+12025550162"));
  REQUIRE_FALSE(r);
  CHECK(r.error().http_status == 429);
  CHECK(r.error().retry_after == 7000ms);
  CHECK(r.error().attempts == 1);
  CHECK(calls.load() == 1);
}

TEST_CASE("retry_on_too_many_requests waits as Retry-After says, capped") {
  std::atomic<int> calls{0};
  TestServer server(too_many_then_ok(calls, 2, "120"));
  std::vector<std::chrono::milliseconds> slept;
  auto options = options_for(server.base_url());
  options.retry.max_attempts = 3;
  options.retry.retry_on_too_many_requests = true;
  options.retry.max_retry_after = 2000ms;
  options.retry.sleep = [&](std::chrono::milliseconds d) { slept.push_back(d); };
  stytch::StytchClient client(options);
  auto r = client.otps.sms.send(sms_to("+12025550162"));
  REQUIRE(r);
  CHECK(calls.load() == 3);
  CHECK(slept == std::vector<std::chrono::milliseconds>{2000ms, 2000ms});
}

TEST_CASE("a 429 without Retry-After backs off exponentially; attempts are counted") {
  std::atomic<int> calls{0};
  TestServer server(too_many_then_ok(calls, 10, ""));
  std::vector<std::chrono::milliseconds> slept;
  auto options = options_for(server.base_url());
  options.retry.max_attempts = 4;
  options.retry.retry_on_too_many_requests = true;
  options.retry.initial_backoff = 100ms;
  options.retry.jitter = 0.0;
  options.retry.sleep = [&](std::chrono::milliseconds d) { slept.push_back(d); };
  stytch::StytchClient client(options);
  auto r = client.otps.sms.send(sms_to("+12025550162"));
  REQUIRE_FALSE(r);
  CHECK(r.error().attempts == 4);
  CHECK(calls.load() == 4);
  CHECK(slept == std::vector<std::chrono::milliseconds>{100ms, 200ms, 400ms});
}

TEST_CASE("a refused connection is retried; a 500 never is") {
  std::vector<std::chrono::milliseconds> slept;
  auto options = options_for("http://127.0.0.1:" + std::to_string(closed_port()) + "/");
  options.retry.max_attempts = 3;
  options.retry.jitter = 0.0;
  options.retry.initial_backoff = 10ms;
  options.retry.sleep = [&](std::chrono::milliseconds d) { slept.push_back(d); };
  auto refused = stytch::StytchClient(options).otps.sms.send(sms_to("+12025550162"));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().kind == ErrorKind::network);
  CHECK(refused.error().attempts == 3);
  CHECK(slept.size() == 2u);

  std::atomic<int> calls{0};
  TestServer server([&](const httplib::Request&, httplib::Response& res) {
    ++calls;
    res.status = 500;
    res.set_content(R"({"status_code":500,"request_id":"r","error_type":"internal_server_error","error_message":"m"})",
                    "application/json");
  });
  options.base_url = server.base_url();
  options.retry.retry_on_too_many_requests = true;
  auto failed = stytch::StytchClient(options).otps.sms.send(sms_to("+12025550162"));
  REQUIRE_FALSE(failed);
  CHECK(failed.error().attempts == 1);
  CHECK(calls.load() == 1);
}

TEST_CASE("async calls retry on the I/O thread's timer", "[concurrency]") {
  std::atomic<int> calls{0};
  TestServer server(too_many_then_ok(calls, 2, "0"));
  auto options = options_for(server.base_url());
  options.retry.max_attempts = 3;
  options.retry.retry_on_too_many_requests = true;
  options.retry.initial_backoff = 20ms;
  stytch::StytchClient client(options);
  auto r = client.otps.sms.send_async(sms_to("+12025550162")).get();
  REQUIRE(r);
  CHECK(calls.load() == 3);
}
