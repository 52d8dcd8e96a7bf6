// Which of libcurl's default CA sources a client keeps, per TLS backend: the
// rule behind the per-connection times measured in curl_handles.cpp.

#include "transport/curl_handles.hpp"

#include <catch2/catch.hpp>

using stytch::internal::choose_default_ca_source;
using stytch::internal::DefaultCaFacts;
using stytch::internal::DefaultCaSource;

namespace {

// Debian 12: /etc/ssl/certs (144 hashed links, 144 *.pem files) and its
// ca-certificates.crt (144 certificates).
DefaultCaFacts debian(bool openssl) {
  DefaultCaFacts facts;
  facts.openssl = openssl;
  facts.has_bundle = true;
  facts.has_directory = true;
  facts.hashed = 144;
  facts.loose = 144;
  facts.bundle_certificates = 144;
  return facts;
}

}  // namespace

TEST_CASE("OpenSSL keeps libcurl's CA directory, other backends its bundle, where both hold the same") {
  CHECK(choose_default_ca_source(debian(true)) == DefaultCaSource::directory);
  CHECK(choose_default_ca_source(debian(false)) == DefaultCaSource::bundle);
}

TEST_CASE("both CA sources stay where dropping one might lose a certificate") {
  // A directory with fewer hashed certificates than the bundle: OpenSSL
  // would miss some.
  DefaultCaFacts short_directory = debian(true);
  short_directory.hashed = 10;
  CHECK(choose_default_ca_source(short_directory) == DefaultCaSource::both);
  // A certificate dropped into the directory without a rehash: a backend
  // loading the directory whole trusts it, the bundle lacks it.
  DefaultCaFacts extra_file = debian(false);
  extra_file.loose = 145;
  CHECK(choose_default_ca_source(extra_file) == DefaultCaSource::both);
  DefaultCaFacts more_hashed = debian(false);
  more_hashed.hashed = 150;
  CHECK(choose_default_ca_source(more_hashed) == DefaultCaSource::both);
  // An empty or missing bundle file.
  DefaultCaFacts empty_bundle = debian(false);
  empty_bundle.bundle_certificates = 0;
  CHECK(choose_default_ca_source(empty_bundle) == DefaultCaSource::both);
  // A directory that merely exists, with nothing hashed in it.
  DefaultCaFacts empty_directory = debian(true);
  empty_directory.hashed = 0;
  CHECK(choose_default_ca_source(empty_directory) == DefaultCaSource::both);
  // Only one source: nothing to choose.
  for (const bool openssl : {true, false}) {
    DefaultCaFacts bundle_only = debian(openssl);
    bundle_only.has_directory = false;
    CHECK(choose_default_ca_source(bundle_only) == DefaultCaSource::both);
    DefaultCaFacts directory_only = debian(openssl);
    directory_only.has_bundle = false;
    CHECK(choose_default_ca_source(directory_only) == DefaultCaSource::both);
  }
}

TEST_CASE("a libcurl with no CA file or directory of its own verifies with the system's store") {
  // OpenSSL's libcurl on Windows (what vcpkg's and Conan's ports give), and
  // Schannel: without this every https call would fail verification.
  for (const bool openssl : {true, false}) {
    DefaultCaFacts none;
    none.openssl = openssl;
    CHECK(choose_default_ca_source(none) == DefaultCaSource::native);
  }
}
