#ifndef STYTCH_SRC_JWT_HPP
#define STYTCH_SRC_JWT_HPP

// Session JWTs: parsing (three base64url parts of JSON), RS256 keys from a
// JWKS, signature verification with OpenSSL's EVP API, and the claim checks
// that turn a verified token into a Session. No I/O here.

#include <stytch/b2b/member_session.hpp>
#include <stytch/error.hpp>
#include <stytch/session.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// OpenSSL's key type, without its headers in ours.
struct evp_pkey_st;
struct evp_pkey_ctx_st;

namespace stytch::internal {

/// Tokens longer than this are refused unread (jwt_malformed).
inline constexpr std::size_t kMaxJwtBytes = std::size_t{64} * 1024;

/// The session claim Stytch puts in every session JWT.
inline constexpr const char* kSessionClaim = "https://stytch.com/session";
/// The organization claim of every B2B session JWT.
inline constexpr const char* kOrganizationClaim = "https://stytch.com/organization";

/// An invalid_jwt Error with this reason (error_type) and message.
Error jwt_refusal(const char* error_type, std::string message);

/// Decodes unpadded base64url (RFC 7515); false on any other character, a
/// length no encoding produces, or bits left over that are not zero.
bool base64url_decode(std::string_view in, std::string& out);

/// Encodes bytes as unpadded base64url.
std::string base64url_encode(std::string_view bytes);

/// One claim as it was read: a string, or any other JSON value.
struct ClaimSlot {
  bool present = false;
  bool is_string = false;
  std::string text;      ///< the string, when is_string
  nlohmann::json value;  ///< the value, when not a string
};

/// The payload read member by member: the claims relied on in slots, every
/// other claim (but jti) as a custom claim. A repeated claim keeps its last
/// value, as in a JSON object.
struct RawClaims {
  ClaimSlot exp, iat, nbf, sub, iss, aud;
  bool session_present = false;
  bool session_is_object = false;
  /// Members of the https://stytch.com/session claim.
  ClaimSlot id, started_at, last_accessed_at, expires_at, attributes, factors, roles;
  /// The https://stytch.com/organization claim (B2B), as it came.
  ClaimSlot organization;
  nlohmann::json custom = nlohmann::json::object();
};

/// A token split and decoded; views point into the token.
struct JwtParts {
  std::string_view signing_input;  ///< header.payload, the bytes that were signed
  nlohmann::json header;           ///< a JSON object
  RawClaims claims;                ///< the payload, a JSON object
  std::string signature;           ///< raw bytes
};

/// Reads a payload (JSON text) into RawClaims; false when it is not a JSON
/// object.
bool read_claims(std::string_view payload, RawClaims& out);

/// Splits and decodes a token. Only jwt_malformed errors: not three
/// base64url parts, a header or payload that is not a JSON object, over
/// kMaxJwtBytes.
std::optional<Error> parse_jwt(std::string_view token, JwtParts& out);

/// Checks the header: alg must be RS256 (jwt_algorithm otherwise), kid a
/// non-empty string, no `crit` extension (jwt_malformed). Gives the kid.
std::optional<Error> check_header(const nlohmann::json& header, std::string& kid);

/// An RSA public key for RS256, built from a JWK's n and e.
class RsaPublicKey {
 public:
  /// Null when the JWK is not an RSA signature key for RS256 (kty RSA; alg
  /// RS256 or absent; use sig or absent; key_ops, if any, allowing verify)
  /// or its n and e do not make a key of 2048 to 16384 bits.
  static std::shared_ptr<const RsaPublicKey> from_jwk(const nlohmann::json& jwk);

  ~RsaPublicKey();
  RsaPublicKey(const RsaPublicKey&) = delete;
  RsaPublicKey& operator=(const RsaPublicKey&) = delete;

  /// Whether `signature` is an RS256 (RSASSA-PKCS1-v1_5, SHA-256) signature
  /// of `input` by this key. Thread-safe.
  bool verify(std::string_view input, std::string_view signature) const;

  /// The modulus size in bytes: the length of every signature.
  std::size_t size() const noexcept { return size_; }
  /// n and e as given, to tell whether a refreshed key set changed.
  const std::string& fingerprint() const noexcept { return fingerprint_; }

 private:
  RsaPublicKey(evp_pkey_st* key, std::string fingerprint);
  evp_pkey_ctx_st* take_context() const;
  void give_back(evp_pkey_ctx_st* context) const;

  evp_pkey_st* key_;
  std::size_t size_;
  std::string fingerprint_;
  // Verify contexts ready for use: setting one up costs more than an RSA
  // verification, so they are kept for the next call.
  mutable std::mutex pool_mutex_;
  mutable std::vector<evp_pkey_ctx_st*> pool_;
};

/// Keys by kid.
using KeySet = std::map<std::string, std::shared_ptr<const RsaPublicKey>, std::less<>>;

/// The usable keys of a JWKS `keys` array; entries that are not RSA
/// signature keys for RS256, or lack a kid, are left out.
KeySet parse_jwks(const nlohmann::json& keys);

/// The time claims, checked on every call (kept for the verified-token cache).
struct TimeClaims {
  double exp = 0;
  double iat = 0;
  std::optional<double> nbf;
};

/// What a token's claims say, once they passed the checks that do not depend
/// on time: a consumer Session or a B2B MemberSession.
template <typename SessionType>
struct VerifiedClaims : TimeClaims {
  SessionType session;
};

/// The checks that do not depend on time: required claims present with the
/// right types (jwt_claims), aud holding the project id (jwt_audience), iss
/// one of `issuers` (jwt_issuer); then builds the Session, moving strings,
/// custom claims and factors out of `claims`.
std::optional<Error> check_claims(RawClaims& claims, const std::string& project_id,
                                  const std::vector<std::string>& issuers, VerifiedClaims<Session>& out);
/// The same for a B2B session JWT, which must also hold the organization
/// claim (an object with string organization_id and slug: jwt_claims
/// otherwise); its custom claims leave out both Stytch claims.
std::optional<Error> check_claims(RawClaims& claims, const std::string& project_id,
                                  const std::vector<std::string>& issuers, VerifiedClaims<b2b::MemberSession>& out);

/// The time checks, made on every call: nbf (jwt_not_yet_valid), exp
/// (jwt_expired), iat against max_age (jwt_too_old).
std::optional<Error> check_times(const TimeClaims& claims, std::chrono::system_clock::time_point now,
                                 std::optional<std::chrono::seconds> max_age, std::chrono::seconds tolerance);

}  // namespace stytch::internal

#endif
