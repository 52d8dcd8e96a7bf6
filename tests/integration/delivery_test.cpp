// Every send answered exactly once: the delivery rules against real servers
// that rotate and close connections (nginx from Debian, and a scripted raw
// socket server where the timing must be exact), and the lifetime of the
// engine that runs blocking and async calls together. (A request written and
// then left unanswered is in errors_test.cpp.)

#include "client_fixture.hpp"
#include "nginx_server.hpp"
#include "protocol.hpp"
#include "test_server.hpp"
#include "transport/engine.hpp"
#include "transport/exchange.hpp"

#include <catch2/catch.hpp>

#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using namespace stytch::test;
using stytch::ErrorKind;
using Response = stytch::otps::sms::SendResponse;

namespace {

// Async sends at a bounded number in flight; counts the outcomes.
struct Tally {
  std::atomic<int> ok{0};
  std::atomic<int> failed{0};
  std::mutex mutex;
  std::condition_variable cv;
  std::string first_failure;

  void add(const stytch::Result<Response>& r) {
    std::lock_guard<std::mutex> lock(mutex);
    if (r) {
      ++ok;
    } else {
      if (first_failure.empty()) first_failure = r.error().message();
      ++failed;
    }
    cv.notify_all();
  }
  bool wait_for(int total, std::chrono::seconds limit) {
    std::unique_lock<std::mutex> lock(mutex);
    return cv.wait_for(lock, limit, [&] { return ok + failed == total; });
  }
};

void send_async_many(stytch::StytchClient& client, int sends, Tally& tally) {
  for (int i = 0; i < sends; ++i) {
    client.otps.sms.send_async(sms_to("+12025550162"), [&tally](stytch::Result<Response> r) { tally.add(r); });
  }
}

stytch::ClientOptions nginx_client_options(const NginxServer& nginx, bool http1) {
  auto options = stytch::test::options_for(nginx.base_url());
  options.ca_file = nginx.ca_file();
  options.force_http1 = http1;
  return options;
}

// Counts, through the log sink, the requests the SDK sent more than once
// because the server provably had not processed them.
struct ResendCount {
  std::shared_ptr<std::atomic<int>> calls = std::make_shared<std::atomic<int>>(0);
  void watch(stytch::ClientOptions& options) const {
    options.log_sink = [calls = calls](const stytch::LogRecord& record) {
      if (record.sends > 1) ++*calls;
    };
  }
  int resent() const { return calls->load(); }
};

}  // namespace

TEST_CASE("connections rotated every 100 requests lose and repeat no async send (64 in flight)",
          "[delivery][concurrency]") {
  for (const bool http1 : {false, true}) {
    INFO(nginx_protocol_for(http1));
    NginxOptions config;
    config.keepalive_requests = 100;  // GOAWAY on HTTP/2, Connection: close on HTTP/1.1
    NginxServer nginx(config);
    auto options = nginx_client_options(nginx, http1);
    options.max_in_flight = 64;
    ResendCount resends;
    resends.watch(options);
    stytch::StytchClient client(options);
    constexpr int kSends = 2000;
    Tally tally;
    send_async_many(client, kSends, tally);
    REQUIRE(tally.wait_for(kSends, std::chrono::seconds(120)));
    INFO(tally.first_failure);
    CHECK(tally.failed.load() == 0);
    CHECK(tally.ok.load() == kSends);
    const auto log = nginx.log();
    CHECK(log.size() == static_cast<std::size_t>(kSends));  // one request per send: none lost, none twice
    for (const auto& line : log) {
      REQUIRE(line.protocol == nginx_protocol_for(http1));
      REQUIRE(line.status == 200);
    }
    CHECK(nginx.connections() >= static_cast<std::size_t>(kSends / 100));  // the rotation did happen
    // Over HTTP/2, the streams a GOAWAY left above its last-stream-id were
    // sent again, and the log above counts each of them once. (With 64 in
    // flight, the answers to a connection's first 64 streams let the client
    // open streams past the 100th before the GOAWAY reaches it.)
    if (nginx_protocol_for(http1) == "HTTP/2.0") CHECK(resends.resent() > 0);
  }
}

TEST_CASE("an HTTP/2 server with a 4-stream limit, rotating every 50 requests, loses and repeats no async send",
          "[delivery][concurrency]") {
  NginxOptions config;
  config.http2_max_concurrent_streams = 4;
  config.keepalive_requests = 50;
  NginxServer nginx(config);
  auto options = nginx_client_options(nginx, false);
  options.max_connections = 2;
  options.max_in_flight = 64;
  stytch::StytchClient client(options);
  constexpr int kSends = 600;
  Tally tally;
  send_async_many(client, kSends, tally);
  REQUIRE(tally.wait_for(kSends, std::chrono::seconds(120)));
  INFO(tally.first_failure);
  CHECK(tally.failed.load() == 0);
  CHECK(nginx.log().size() == static_cast<std::size_t>(kSends));
  // (Whether a stream is refused here depends on timing: libcurl keeps to
  // the 4 streams once nginx's SETTINGS arrive. So no count of resends is
  // asserted; the rotation test above asserts them.)
}

TEST_CASE("blocking sends after the server closed idle connections are each answered once", "[delivery][concurrency]") {
  for (const bool http1 : {true, false}) {
    INFO((http1 ? "HTTP/1.1" : "HTTP/2"));
    NginxOptions config;
    config.keepalive_timeout_ms = 200;
    NginxServer nginx(config);
    stytch::StytchClient client(nginx_client_options(nginx, http1));
    constexpr int kSends = 5;
    for (int i = 0; i < kSends; ++i) {
      auto r = client.otps.sms.send(sms_to("+12025550162"));
      INFO("send " << i << ": " << (r ? std::string("ok") : r.error().message()));
      REQUIRE(r.ok());
      // Well past the idle limit: nginx has closed the connection (TLS
      // close_notify, GOAWAY on HTTP/2) before the next send picks it.
      std::this_thread::sleep_for(std::chrono::milliseconds(600));
    }
    CHECK(nginx.log().size() == static_cast<std::size_t>(kSends));
    CHECK(nginx.connections() == static_cast<std::size_t>(kSends));  // each send found its connection closed
  }
}

TEST_CASE("an idle connection the server closed or reset is not used: the send goes once on a new one", "[delivery]") {
  for (const bool reset : {false, true}) {
    INFO((reset ? "reset" : "closed"));
    std::atomic<int> requests{0};
    RawServer server([&](int fd) {
      if (read_http_request(fd).empty()) return;
      ++requests;
      const std::string answer = ok_http_answer();
      (void)::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
      if (reset) {
        linger abort_on_close{1, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
      }
      // returning closes the connection: FIN, or RST with the linger above
    });
    stytch::StytchClient client(options_for(server.base_url()));
    REQUIRE(client.otps.sms.send(sms_to("+12025550162")).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto r = client.otps.sms.send(sms_to("+12025550162"));
    INFO((r ? std::string("ok") : r.error().message()));
    CHECK(r.ok());
    CHECK(server.accepted() == 2);
    CHECK(requests.load() == 2);
  }
}

TEST_CASE(
    "a TLS handshake the server breaks off is tried on a new connection, 4 times in all, then ends as never processed",
    "[delivery]") {
  RawServer server([](int) {});  // accepts, then closes: the handshake never completes
  stytch::StytchClient client(options_for("https://127.0.0.1:" + std::to_string(server.port()) + "/"));
  auto r = client.otps.sms.send(sms_to("+12025550162"));
  REQUIRE_FALSE(r.ok());
  INFO(r.error().message());
  CHECK(r.error().kind == ErrorKind::network);
  CHECK(r.error().attempts == 1 + stytch::internal::kMaxResends);
  CHECK_FALSE(r.error().may_have_reached_server);  // not a byte of the request left
  CHECK(r.error().message().find("did not process the request in 4 attempts") != std::string::npos);
  CHECK(server.accepted() == 1 + stytch::internal::kMaxResends);
}

TEST_CASE("a callback may hold the last copy of its client", "[delivery][concurrency]") {
  TestServer server(
      [](const httplib::Request&, httplib::Response& res) { res.set_content(kOkBody, "application/json"); });
  std::promise<bool> called;
  auto outcome = called.get_future();
  {
    stytch::StytchClient client(options_for(server.base_url()));
    client.otps.sms.send_async(sms_to("+12025550162"),
                               [copy = client, &called](stytch::Result<Response> r) { called.set_value(r.ok()); });
  }  // the caller's copy goes: the callback's is the last, destroyed on the I/O thread
  REQUIRE(outcome.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK(outcome.get());
  CHECK(server.requests().size() == 1u);
}

TEST_CASE("a callback dropping the last client copy with calls pending ends each of them once",
          "[delivery][concurrency]") {
  TestServer server([](const httplib::Request& req, httplib::Response& res) {
    if (req.body.find("+12025550100") != std::string::npos)
      std::this_thread::sleep_for(std::chrono::milliseconds(3000));
    res.set_content(kOkBody, "application/json");
  });
  constexpr int kPending = 50;
  std::vector<std::atomic<int>> outcomes(kPending);
  std::atomic<int> cancelled{0};
  std::promise<void> last_copy_dropped;
  auto dropped = last_copy_dropped.get_future();
  {
    stytch::StytchClient client(options_for(server.base_url()));
    for (int i = 0; i < kPending; ++i) {
      client.otps.sms.send_async(sms_to("+12025550100"), [&, i](stytch::Result<Response> r) {
        ++outcomes[static_cast<std::size_t>(i)];
        if (!r && r.error().kind == ErrorKind::cancelled) ++cancelled;
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto holder = std::make_shared<std::optional<stytch::StytchClient>>(client);
    client.otps.sms.send_async(sms_to("+12025550162"), [holder, &last_copy_dropped](stytch::Result<Response>) {
      holder->reset();  // the last copy goes, inside the callback, on the I/O thread
      last_copy_dropped.set_value();
    });
  }
  REQUIRE(dropped.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (cancelled.load() < kPending && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(cancelled.load() == kPending);  // well before the server's 3 s answers
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  for (const auto& count : outcomes) REQUIRE(count.load() == 1);
}

TEST_CASE("a callback may make a blocking call on its own client", "[delivery][concurrency]") {
  TestServer server(
      [](const httplib::Request&, httplib::Response& res) { res.set_content(kOkBody, "application/json"); });
  stytch::StytchClient client(options_for(server.base_url()));
  std::promise<bool> inner;
  auto outcome = inner.get_future();
  client.otps.sms.send_async(sms_to("+12025550162"), [&](stytch::Result<Response> r) {
    inner.set_value(r.ok() && client.otps.sms.send(sms_to("+12025550162")).ok());
  });
  REQUIRE(outcome.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK(outcome.get());
  CHECK(server.requests().size() == 2u);
}

TEST_CASE("blocking calls from callbacks and from other threads at once all complete", "[delivery][concurrency]") {
  TestServer server([](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    res.set_content(kOkBody, "application/json");
  });
  stytch::StytchClient client(options_for(server.base_url()));
  constexpr int kCallbacks = 20;
  Tally tally;  // each callback's own blocking call
  for (int i = 0; i < kCallbacks; ++i) {
    client.otps.sms.send_async(sms_to("+12025550162"), [&](stytch::Result<Response> r) {
      if (r) {
        tally.add(client.otps.sms.send(sms_to("+12025550162")));
      } else {
        tally.add(r);
      }
    });
  }
  std::atomic<int> blocking_ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        if (client.otps.sms.send(sms_to("+12025550162"))) ++blocking_ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  REQUIRE(tally.wait_for(kCallbacks, std::chrono::seconds(30)));
  INFO(tally.first_failure);
  CHECK(tally.ok.load() == kCallbacks);
  CHECK(blocking_ok.load() == 60);
  CHECK(server.requests().size() == static_cast<std::size_t>(2 * kCallbacks + 60));
}

TEST_CASE("destroying a client with 1,000 calls pending gives each one cancelled outcome, promptly",
          "[delivery][concurrency]") {
  TestServer server([](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2000));
    res.set_content(kOkBody, "application/json");
  });
  constexpr int kCalls = 1000;
  std::vector<std::atomic<int>> outcomes(kCalls);
  std::atomic<int> cancelled{0};
  std::optional<stytch::StytchClient> client(std::in_place, options_for(server.base_url()));
  for (int i = 0; i < kCalls; ++i) {
    client->otps.sms.send_async(sms_to("+12025550162"), [&, i](stytch::Result<Response> r) {
      ++outcomes[static_cast<std::size_t>(i)];
      if (!r && r.error().kind == ErrorKind::cancelled) ++cancelled;
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto start = std::chrono::steady_clock::now();
  client.reset();
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(1500));
  CHECK(cancelled.load() == kCalls);
  for (const auto& count : outcomes) REQUIRE(count.load() == 1);
}

TEST_CASE("blocking and async calls of one client share max_connections", "[delivery][concurrency]") {
  TestServer server([](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    res.set_content(kOkBody, "application/json");
  });
  auto options = options_for(server.base_url());
  options.max_connections = 2;
  stytch::StytchClient client(options);
  Tally tally;
  constexpr int kAsync = 60;
  send_async_many(client, kAsync, tally);
  std::atomic<int> blocking_ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        if (client.otps.sms.send(sms_to("+12025550162"))) ++blocking_ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  REQUIRE(tally.wait_for(kAsync, std::chrono::seconds(60)));
  CHECK(tally.ok.load() == kAsync);
  CHECK(blocking_ok.load() == 40);
  CHECK(server.requests().size() == static_cast<std::size_t>(kAsync + 40));
  CHECK(server.connection_count() <= 2u);

  // And over HTTP/2, through nginx: one connection carries everything.
  NginxServer nginx;
  auto h2_options = nginx_client_options(nginx, false);
  h2_options.max_connections = 1;
  stytch::StytchClient h2_client(h2_options);
  Tally h2_tally;
  send_async_many(h2_client, kAsync, h2_tally);
  for (int i = 0; i < 10; ++i) CHECK(h2_client.otps.sms.send(sms_to("+12025550162")).ok());
  REQUIRE(h2_tally.wait_for(kAsync, std::chrono::seconds(60)));
  INFO(h2_tally.first_failure);
  CHECK(h2_tally.ok.load() == kAsync);
  CHECK(nginx.log().size() == static_cast<std::size_t>(kAsync + 10));
  CHECK(nginx.connections() == 1u);
}

TEST_CASE("an async callback runs at once on the I/O thread while a slow blocking call runs the loop",
          "[delivery][concurrency]") {
  TestServer server([](const httplib::Request& req, httplib::Response& res) {
    if (req.body.find("+12025550100") != std::string::npos)
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    res.set_content(kOkBody, "application/json");
  });
  stytch::StytchClient client(options_for(server.base_url()));
  std::promise<std::thread::id> blocking_thread;
  std::atomic<bool> slow_ok{false};
  std::thread slow([&] {
    blocking_thread.set_value(std::this_thread::get_id());
    slow_ok = client.otps.sms.send(sms_to("+12025550100")).ok();  // finds the loop idle: runs it itself
  });
  const auto slow_id = blocking_thread.get_future().get();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the slow call is in flight
  const auto start = std::chrono::steady_clock::now();
  std::promise<std::thread::id> callback_thread;
  auto called = callback_thread.get_future();
  client.otps.sms.send_async(sms_to("+12025550162"), [&](stytch::Result<Response> r) {
    callback_thread.set_value(std::this_thread::get_id());
    (void)r;
  });
  REQUIRE(called.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
  const auto waited = std::chrono::steady_clock::now() - start;
  CHECK(called.get() != slow_id);
  CHECK(waited < std::chrono::milliseconds(1000));  // not held until the slow call ends (1.5 s)
  slow.join();
  CHECK(slow_ok.load());  // Catch's assertions are made on this thread only
}

TEST_CASE("where libcurl reports no ALPN, the first answer over HTTP/2 turns the transport to HTTP/1.1", "[delivery]") {
  // A TLS backend that does not report the protocol it agreed on: every
  // connection counts as not HTTP/2, and the first answer over HTTP/2 shows
  // the reports cannot be relied on. (With a libcurl that keeps HTTP/2 out,
  // HTTP/1.1 from the start.)
  NginxServer nginx;
  stytch::internal::TransportConfig config;
  config.project_id = kProjectId;
  config.secret = kSecret;
  config.ca_file = nginx.ca_file();
  config.timeout = std::chrono::milliseconds(5000);
  config.force_http1 = !sdk_uses_http2();
  config.read_alpn_reports = false;
  const auto engine = stytch::internal::make_engine(config);
  CHECK(engine->offers_http2() == sdk_uses_http2());
  for (int i = 0; i < 3; ++i) {
    stytch::internal::Request request;
    request.url = nginx.base_url() + "v1/otps/sms/send";
    request.body = "{}";
    const auto outcome = engine->perform(std::move(request), std::chrono::milliseconds(0));
    REQUIRE(std::holds_alternative<stytch::internal::HttpResponse>(outcome));
    CHECK(std::get<stytch::internal::HttpResponse>(outcome).status == 200);
    CHECK_FALSE(engine->offers_http2());
  }
  engine->shutdown();
  const auto log = nginx.log();
  REQUIRE(log.size() == 3);
  CHECK(log[0].protocol == nginx_protocol_for(false));
  CHECK(log[1].protocol == "HTTP/1.1");
  CHECK(log[2].protocol == "HTTP/1.1");
  // The HTTP/2 connection is not reused by the HTTP/1.1 transfers.
  if (sdk_uses_http2()) CHECK(log[1].connection != log[0].connection);
  CHECK(log[2].connection == log[1].connection);
}

namespace {

// `async` sends at once, then `blocking` one by one on the pooled
// connections, by a client with default options; every one must succeed.
// Gives nginx's log, and whether the client still offers HTTP/2 after them.
std::pair<std::vector<NginxLogLine>, bool> send_at_once_then_one_by_one(NginxServer& nginx, int async, int blocking) {
  stytch::StytchClient client(nginx_client_options(nginx, false));
  Tally tally;
  send_async_many(client, async, tally);
  REQUIRE(tally.wait_for(async, std::chrono::seconds(30)));
  CHECK(tally.ok == async);
  for (int i = 0; i < blocking; ++i) CHECK(client.otps.sms.send(sms_to("+12025550162")));
  const bool offers_http2 = client.offers_http2();
  return {nginx.log(), offers_http2};
}

}  // namespace

TEST_CASE("libcurl's ALPN reports hold: every answer comes over the protocol its connection was counted as",
          "[delivery]") {
  // Had a connection been counted as another protocol than it answered
  // over, the transport would have stopped offering HTTP/2.
  NginxServer nginx;
  const auto [log, offers_http2] = send_at_once_then_one_by_one(nginx, 64, 8);
  CHECK(offers_http2 == sdk_uses_http2());
  CHECK(log.size() == 72);
  for (const auto& line : log) CHECK(line.protocol == nginx_protocol_for(false));
}

TEST_CASE("a server that agrees to HTTP/1.1 only, with HTTP/2 offered: the ALPN reports hold and HTTP/2 stays offered",
          "[delivery]") {
  // libcurl's "ALPN: server accepted http/1.1": each connection counts as
  // HTTP/1.1, every answer agrees, and the client keeps offering HTTP/2
  // (where the loaded libcurl allows it at all).
  NginxOptions config;
  config.http2 = false;
  NginxServer nginx(config);
  const auto [log, offers_http2] = send_at_once_then_one_by_one(nginx, 16, 4);
  CHECK(offers_http2 == sdk_uses_http2());
  CHECK(log.size() == 20);
  for (const auto& line : log) CHECK(line.protocol == "HTTP/1.1");
}
