#include "client/base_url.hpp"

#include <stytch/error.hpp>

#include <catch2/catch.hpp>

using stytch::internal::is_loopback_host;
using stytch::internal::resolve_base_url;

namespace {

stytch::ErrorKind refusal_kind(const std::string& url) {
  try {
    resolve_base_url("project-test-x", url);
  } catch (const stytch::Exception& e) {
    return e.error().kind;
  }
  FAIL("base_url " << url << " was accepted");
  return stytch::ErrorKind::api;
}

}  // namespace

TEST_CASE("the base URL defaults to test, or live for a project-live- id") {
  CHECK(resolve_base_url("project-test-123", "").url == "https://test.stytch.com/");
  CHECK(resolve_base_url("project-live-123", "").url == "https://api.stytch.com/");
  CHECK(resolve_base_url("project-lives", "").url == "https://test.stytch.com/");
  CHECK(resolve_base_url("my-project-live-123", "").url == "https://test.stytch.com/");
}

TEST_CASE("a custom https base URL is kept and ends in a slash") {
  auto base = resolve_base_url("project-live-1", "https://stytch.internal.example:8443/proxy");
  CHECK(base.url == "https://stytch.internal.example:8443/proxy/");
  CHECK_FALSE(base.plain_http);
  CHECK(resolve_base_url("project-test-1", "https://test.stytch.com/").url == "https://test.stytch.com/");
}

TEST_CASE("plain http is accepted only to a loopback host") {
  for (const char* url : {"http://127.0.0.1:8080", "http://127.1.2.3/", "http://localhost:9/", "http://LOCALHOST/",
                          "http://[::1]:8080/"}) {
    INFO(url);
    auto base = resolve_base_url("project-test-1", url);
    CHECK(base.plain_http);
    CHECK(base.url.back() == '/');
  }
  for (const char* url : {"http://example.com/", "http://128.0.0.1/", "http://127.0.0.1.example.com/",
                          "http://10.0.0.1/", "http://[::2]/", "http://localhost.example.com/"}) {
    INFO(url);
    CHECK(refusal_kind(url) == stytch::ErrorKind::invalid_argument);
  }
}

TEST_CASE("other schemes, credentials, queries and junk are refused") {
  for (const char* url : {"ftp://127.0.0.1/", "file:///etc/passwd", "test.stytch.com", "https://", "not a url",
                          "https://user:pass@test.stytch.com/", "https://test.stytch.com/?x=1",
                          "https://test.stytch.com/#frag", "gopher://localhost/"}) {
    INFO(url);
    CHECK(refusal_kind(url) == stytch::ErrorKind::invalid_argument);
  }
}

TEST_CASE("a refused base URL with credentials does not echo them") {
  try {
    resolve_base_url("project-test-1", "https://user:hunter2@test.stytch.com/");
    FAIL("accepted");
  } catch (const stytch::Exception& e) {
    CHECK(std::string(e.what()).find("hunter2") == std::string::npos);
  }
}

TEST_CASE("loopback hosts are recognised exactly") {
  CHECK(is_loopback_host("127.0.0.1"));
  CHECK(is_loopback_host("127.255.255.254"));
  CHECK(is_loopback_host("[::1]"));
  CHECK(is_loopback_host("localhost"));
  CHECK_FALSE(is_loopback_host("127.0.0"));
  CHECK_FALSE(is_loopback_host("127.0.0.256"));
  CHECK_FALSE(is_loopback_host("127.0.0.1."));
  CHECK_FALSE(is_loopback_host("0127.0.0.1"));
  CHECK_FALSE(is_loopback_host("1.127.0.0"));
  CHECK_FALSE(is_loopback_host(""));
}
