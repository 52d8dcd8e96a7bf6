// Real TLS on loopback with certificates made at test time.

#include "client_fixture.hpp"
#include "test_server.hpp"
#include "transport/curl_handles.hpp"

#include <curl/curl.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>
#include <vector>

using namespace stytch::test;
using stytch::ErrorKind;

namespace {

stytch::ClientOptions tls_options(const TestServer& server, const std::string& ca_file) {
  auto options = options_for(server.base_url());
  options.ca_file = ca_file;
  return options;
}

void expect_refused(const TestServer& server, const std::string& ca_file) {
  stytch::StytchClient client(tls_options(server, ca_file));
  auto r = client.otps.sms.send(sms_to("+12025550162"));
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == ErrorKind::network);
  CHECK(r.error().http_status == 0);
  CHECK_FALSE(leaks_secret(r.error().message()));
  CHECK(server.requests().empty());  // nothing reached the HTTP layer
}

}  // namespace

TEST_CASE("https through a private CA given as ca_file succeeds") {
  TestPki pki;
  TestServer server(ok_answer, pki.server_cert_file, pki.server_key_file);
  stytch::StytchClient client(tls_options(server, pki.ca_file));
  auto r = client.otps.sms.send(sms_to("+12025550162"));
  REQUIRE(r);
  CHECK(r->phone_id == "phone-number-test-1");
  CHECK(server.requests().at(0).header("Authorization") == std::string("Basic ") + kBasicCredentials);
}

TEST_CASE("https calls reuse one connection: one TLS handshake for many calls") {
  TestPki pki;
  TestServer server(ok_answer, pki.server_cert_file, pki.server_key_file);
  stytch::StytchClient client(tls_options(server, pki.ca_file));
  for (int i = 0; i < 20; ++i) REQUIRE(client.otps.sms.send(sms_to("+12025550162")).ok());
  CHECK(server.connection_count() == 1);
}

TEST_CASE("eight threads share one https client", "[concurrency]") {
  TestPki pki;
  TestServer server(ok_answer, pki.server_cert_file, pki.server_key_file);
  stytch::StytchClient client(tls_options(server, pki.ca_file));
  std::atomic<int> successes{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) successes += client.otps.sms.send(sms_to("+12025550162")).ok() ? 1 : 0;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(successes.load() == 80);
  CHECK(server.connection_count() <= 8u);
}

TEST_CASE("a certificate from an untrusted CA is refused and nothing is sent") {
  TestPki pki;
  TestServer server(ok_answer, pki.server_cert_file, pki.server_key_file);
  expect_refused(server, pki.other_ca_file);
}

TEST_CASE("without ca_file a private CA is not trusted") {
  TestPki pki;
  TestServer server(ok_answer, pki.server_cert_file, pki.server_key_file);
  expect_refused(server, "");
}

TEST_CASE("a certificate for another host name is refused") {
  TestPki pki;
  stytch::mock::CertificateSpec spec;
  spec.dns_names = {"other.example"};
  spec.ip_addresses = {"192.0.2.1"};
  const auto files = pki.write_server("wrong-host", spec, &pki.ca);
  TestServer server(ok_answer, files.first, files.second);
  expect_refused(server, pki.ca_file);
}

TEST_CASE("an expired certificate is refused") {
  TestPki pki;
  stytch::mock::CertificateSpec spec;
  spec.not_before_seconds = -10L * 24 * 3600;
  spec.not_after_seconds = -24L * 3600;
  const auto files = pki.write_server("expired", spec, &pki.ca);
  TestServer server(ok_answer, files.first, files.second);
  expect_refused(server, pki.ca_file);
}

TEST_CASE("a self-signed server certificate is refused") {
  TestPki pki;
  const auto files = pki.write_server("self-signed", stytch::mock::CertificateSpec{}, nullptr);
  TestServer server(ok_answer, files.first, files.second);
  expect_refused(server, pki.ca_file);
}

TEST_CASE("a server that offers only TLS 1.0 and 1.1 is refused and nothing is sent") {
  TestPki pki;
  TestServer server(ok_answer, pki.server_cert_file, pki.server_key_file);
  SSL_CTX* ctx = server.ssl_context();
  REQUIRE(ctx != nullptr);
  SSL_CTX_set_security_level(ctx, 0);  // OpenSSL 3 refuses old TLS by default
  REQUIRE(SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION) == 1);
  REQUIRE(SSL_CTX_set_max_proto_version(ctx, TLS1_1_VERSION) == 1);
  expect_refused(server, pki.ca_file);
}

TEST_CASE(
    "ca_file joins the system's CAs in one file of the client's own where the TLS backend loads a CA directory whole") {
  // OpenSSL looks up a hashed CA directory lazily: there ca_file goes beside
  // it. Every other backend (GnuTLS here) would load the directory whole for
  // each new connection: there the system's bundle and ca_file are written
  // into one file, owner-only, that libcurl loads once, and the client
  // removes it when it goes.
  TestPki pki;
  TestServer server(ok_answer, pki.server_cert_file, pki.server_key_file);
  const auto read = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  };
  stytch::internal::TransportConfig config;
  config.project_id = kProjectId;
  config.secret = kSecret;
  config.ca_file = pki.ca_file;
  const bool openssl = stytch::internal::libcurl_facts().tls.rfind("OpenSSL/", 0) == 0;
  INFO("libcurl " << stytch::internal::libcurl_facts().version << " with " << stytch::internal::libcurl_facts().tls);
  std::string combined;
  {
    stytch::internal::SocketWatch sockets;
    stytch::internal::CurlHandles handles(config, sockets);
    combined = handles.combined_ca_file();
    if (openssl) {
      CHECK(combined.empty());
    } else {
      REQUIRE_FALSE(combined.empty());
      CURL* probe = curl_easy_init();
      char* bundle = nullptr;
      REQUIRE(curl_easy_getinfo(probe, CURLINFO_CAINFO, &bundle) == CURLE_OK);
      REQUIRE(bundle != nullptr);
      const std::string system = read(bundle);
      curl_easy_cleanup(probe);
      const std::string both = read(combined);
      REQUIRE(system.size() > 1000);
      CHECK(both.compare(0, system.size(), system) == 0);
      CHECK(both.find(read(pki.ca_file)) != std::string::npos);
      const auto permissions = std::filesystem::status(combined).permissions();
      CHECK((permissions & std::filesystem::perms::all) ==
            (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    }
  }
  if (!combined.empty()) CHECK_FALSE(std::filesystem::exists(combined));
  // And the client verifies the server with it.
  stytch::StytchClient client(tls_options(server, pki.ca_file));
  CHECK(client.otps.sms.send(sms_to("+12025550162")));
}
