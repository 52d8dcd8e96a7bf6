// Limits that hold while calls wait on each other: connect_timeout for every
// call waiting on the same connection attempt, and no request written after
// its call's timeout ran out while it waited for a connection.

#include "client_fixture.hpp"
#include "nginx_server.hpp"
#include "protocol.hpp"
#include "test_server.hpp"
#include "transport/exchange.hpp"

#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace stytch::test;
using stytch::ErrorKind;
using Response = stytch::otps::sms::SendResponse;
using Clock = std::chrono::steady_clock;

namespace {

// A TCP socket on 127.0.0.1 that listens and never accepts: the kernel
// completes each TCP handshake, and the TLS handshake then waits forever.
class SilentListener {
 public:
  SilentListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 128) != 0) {
      throw std::runtime_error("SilentListener: bind/listen failed");
    }
    socklen_t length = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &length);
    port_ = ntohs(addr.sin_port);
  }
  ~SilentListener() { ::close(fd_); }
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;
  std::string base_url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/"; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// When each call ended, and how.
struct Ends {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<Clock::duration> after;
  std::vector<stytch::Error> errors;
  int ok = 0;
  Clock::time_point start = Clock::now();

  void add(const stytch::Result<Response>& r) {
    std::lock_guard<std::mutex> lock(mutex);
    after.push_back(Clock::now() - start);
    if (r) {
      ++ok;
    } else {
      errors.push_back(r.error());
    }
    cv.notify_all();
  }
  bool wait_for(std::size_t total, std::chrono::seconds limit) {
    std::unique_lock<std::mutex> lock(mutex);
    return cv.wait_for(lock, limit, [&] { return after.size() == total; });
  }
};

}  // namespace

TEST_CASE("20 async sends to a server that never completes the handshake each fail after connect_timeout",
          "[deadlines][concurrency]") {
  for (const bool force_http1 : {true, false}) {
    SilentListener server;
    INFO((force_http1 ? "HTTP/1.1 forced" : "default protocol")
         << ", libcurl " << stytch::internal::libcurl_facts().version);
    auto options = options_for(server.base_url());
    options.connect_timeout = std::chrono::milliseconds(300);
    options.timeout = std::chrono::milliseconds(5000);
    options.force_http1 = force_http1;
    stytch::StytchClient client(options);
    constexpr std::size_t kSends = 20;
    Ends ends;
    for (std::size_t i = 0; i < kSends; ++i) {
      client.otps.sms.send_async(sms_to("+12025550162"), [&ends](stytch::Result<Response> r) { ends.add(r); });
    }
    REQUIRE(ends.wait_for(kSends, std::chrono::seconds(30)));
    CHECK(ends.ok == 0);
    for (const auto& e : ends.errors) {
      INFO(e.message());
      CHECK(e.kind == ErrorKind::timeout);
      CHECK_FALSE(e.may_have_reached_server);
      CHECK(e.message().find("connect_timeout (300 ms)") != std::string::npos);
      CHECK(e.message().find("resolve") == std::string::npos);
    }
    const auto slowest = *std::max_element(ends.after.begin(), ends.after.end());
    std::string times;
    for (const auto& t : ends.after) {
      times += std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(t).count()) + " ";
    }
    INFO("ended after (ms): " << times);
    CHECK(slowest < std::chrono::milliseconds(450));  // 1.5x connect_timeout, for every call
  }
}

TEST_CASE("calls whose timeout runs out while they wait for a connection are never written", "[deadlines]") {
  // One connection, an answer slower than the timeout: the first call of
  // each round is written and times out; the others wait for the connection
  // until their time is up, and must end unsent.
  TestServer upstream([](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    res.set_content(kOkBody, "application/json");
  });
  NginxOptions config;
  config.upstream = "127.0.0.1:" + std::to_string(upstream.port());
  NginxServer nginx(config);
  auto options = options_for(nginx.base_url());
  options.ca_file = nginx.ca_file();
  options.force_http1 = true;
  options.max_connections = 1;
  options.timeout = std::chrono::milliseconds(300);
  stytch::StytchClient client(options);
  constexpr int kRounds = 20;
  constexpr std::size_t kPerRound = 5;
  int written = 0;
  int unsent = 0;
  for (int round = 0; round < kRounds; ++round) {
    Ends ends;
    for (std::size_t i = 0; i < kPerRound; ++i) {
      client.otps.sms.send_async(sms_to("+12025550162"), [&ends](stytch::Result<Response> r) { ends.add(r); });
    }
    REQUIRE(ends.wait_for(kPerRound, std::chrono::seconds(10)));
    REQUIRE(ends.ok == 0);
    for (const auto& e : ends.errors) {
      INFO(e.message());
      REQUIRE(e.kind == ErrorKind::timeout);
      if (e.may_have_reached_server) {
        ++written;
      } else {
        ++unsent;
        CHECK(e.message().find("was not sent") != std::string::npos);
      }
    }
  }
  CHECK(written == kRounds);  // one call a round had the connection
  CHECK(unsent == kRounds * static_cast<int>(kPerRound - 1));
  // The upstream's count is the oracle: the unsent calls never reached it.
  std::this_thread::sleep_for(std::chrono::milliseconds(900));
  CHECK(upstream.requests().size() == static_cast<std::size_t>(kRounds));
}

TEST_CASE("a call is sent only with kMinTimeToSend of its timeout left", "[deadlines]") {
  using std::chrono::milliseconds;
  stytch::internal::TransportConfig config;
  config.timeout = milliseconds(1000);
  stytch::internal::SocketWatch sockets;
  stytch::internal::CurlHandles handles(config, sockets);
  stytch::internal::Exchange exchange(stytch::internal::Request{}, config, handles, sockets);
  const auto start = Clock::now();
  exchange.start_at_time(start);
  CHECK(exchange.worth_sending(start));
  CHECK(exchange.worth_sending(start + milliseconds(950)));
  CHECK_FALSE(exchange.worth_sending(start + milliseconds(951)));
  // A timeout shorter than twice the margin keeps half of it.
  config.timeout = milliseconds(60);
  stytch::internal::Exchange short_call(stytch::internal::Request{}, config, handles, sockets);
  short_call.start_at_time(start);
  CHECK(short_call.worth_sending(start + milliseconds(30)));
  CHECK_FALSE(short_call.worth_sending(start + milliseconds(31)));
}
