#ifndef STYTCH_MOCK_CERTS_HPP
#define STYTCH_MOCK_CERTS_HPP

// Certificates made on the spot, for stytch-mock's https mode and for tests
// that need a private CA, an untrusted one, an expired certificate ...

#include <string>
#include <vector>

namespace stytch::mock {

struct Certificate {
  std::string cert_pem;
  std::string key_pem;
};

struct CertificateSpec {
  std::string common_name = "stytch-mock";
  std::vector<std::string> dns_names = {"localhost"};
  std::vector<std::string> ip_addresses = {"127.0.0.1", "::1"};
  bool is_ca = false;
  /// Validity window relative to now, in seconds.
  long not_before_seconds = -3600;
  long not_after_seconds = 30L * 24 * 3600;
};

/// A new EC P-256 key and a certificate for it, signed by issuer (or
/// self-signed when issuer is null). Throws std::runtime_error on failure.
Certificate make_certificate(const CertificateSpec& spec, const Certificate* issuer);

/// Writes text to a file, creating or replacing it. Throws on failure.
void write_file(const std::string& path, const std::string& text);

}  // namespace stytch::mock

#endif
