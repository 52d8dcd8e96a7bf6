// Connection reuse and sharing one client across threads.

#include "client_fixture.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

using namespace stytch::test;

TEST_CASE("sequential calls reuse one connection", "[concurrency]") {
  TestServer server(ok_answer);
  stytch::StytchClient client(options_for(server.base_url()));
  for (int i = 0; i < 20; ++i) REQUIRE(client.otps.sms.send(sms_to("+12025550162")).ok());
  CHECK(server.requests().size() == 20);
  CHECK(server.connection_count() == 1);
}

TEST_CASE("a copy of the client shares its connections", "[concurrency]") {
  TestServer server(ok_answer);
  stytch::StytchClient client(options_for(server.base_url()));
  REQUIRE(client.otps.sms.send(sms_to("+12025550162")).ok());
  stytch::StytchClient copy = client;
  REQUIRE(copy.otps.sms.send(sms_to("+12025550162")).ok());
  CHECK(server.connection_count() == 1);
}

TEST_CASE("eight threads sharing one client all succeed", "[concurrency]") {
  TestServer server(ok_answer);
  stytch::StytchClient client(options_for(server.base_url()));
  constexpr int kThreads = 8;
  constexpr int kCallsEach = 25;
  std::atomic<int> successes{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kCallsEach; ++i) {
        auto r = client.otps.sms.send(sms_to("+12025550162"));
        if (r && r->phone_id == "phone-number-test-1") ++successes;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(successes.load() == kThreads * kCallsEach);
  CHECK(server.requests().size() == static_cast<std::size_t>(kThreads * kCallsEach));
  // At most one pooled connection per concurrent caller.
  CHECK(server.connection_count() <= static_cast<std::size_t>(kThreads));
}
