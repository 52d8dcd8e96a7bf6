#ifndef STYTCH_MOCK_JWT_SIGNER_HPP
#define STYTCH_MOCK_JWT_SIGNER_HPP

// RS256 session JWTs as Stytch issues them: RSA keys made at start, a JWKS
// that serves every key (old ones stay after a rotation), and a check of the
// mock's own tokens when they come back.

#include <nlohmann/json.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct evp_pkey_st;

namespace stytch::mock {

/// Unpadded base64url.
std::string base64url(std::string_view bytes);
/// Decodes unpadded base64url; nullopt on a bad character.
std::optional<std::string> base64url_decode(std::string_view text);

/// An RSA key pair that signs with RS256.
class RsaSigningKey {
 public:
  /// Makes a new key (throws std::runtime_error when OpenSSL cannot).
  explicit RsaSigningKey(std::string kid, int bits = 2048);
  const std::string& kid() const { return kid_; }
  /// The public key as a JWK: kty, alg RS256, use sig, kid, n, e.
  nlohmann::json jwk() const;
  /// The RSASSA-PKCS1-v1_5 SHA-256 signature of `input`.
  std::string sign(std::string_view input) const;
  /// Whether `signature` is this key's RS256 signature of `input`.
  bool verify(std::string_view input, std::string_view signature) const;
  /// The public key in PEM (SubjectPublicKeyInfo).
  std::string public_pem() const;
  /// The modulus n, big-endian, no leading zero.
  std::string modulus() const;

 private:
  std::string kid_;
  std::shared_ptr<evp_pkey_st> key_;
};

/// header.payload.signature with the header and claims as given.
std::string sign_jwt(const nlohmann::json& header, const nlohmann::json& claims, const RsaSigningKey& key);

/// The mock's key ring: the newest key signs; every key is in the JWKS.
class JwtSigner {
 public:
  /// `kid_prefix` starts every kid ("jwk-test-").
  explicit JwtSigner(std::string kid_prefix);
  /// A JWT of these claims, signed by the newest key.
  std::string sign(const nlohmann::json& claims) const;
  /// The claims of a JWT this signer issued, whatever its exp; nullopt when
  /// it is not well formed, not RS256, or no key of the ring signed it.
  std::optional<nlohmann::json> verified_claims(const std::string& jwt) const;
  /// {"keys": [...]}, every key.
  nlohmann::json jwks() const;
  /// Adds a new signing key, keeping the old ones in the JWKS; gives its kid.
  std::string rotate();

 private:
  std::string kid_prefix_;
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<const RsaSigningKey>> keys_;  // newest last
};

}  // namespace stytch::mock

#endif
