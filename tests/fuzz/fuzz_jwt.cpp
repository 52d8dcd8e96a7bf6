// Fuzzes local session JWT verification: the parser (three base64url parts
// of JSON), the header and claim checks, and the whole verifier over a JWKS
// of one real key. Any outcome but a Session or an invalid_jwt Error on one
// line, or a crash, is a finding; so is base64url decoding that accepts two
// spellings of the same bytes.

#include "json/json_fields.hpp"
#include "json/json_reader.hpp"
#include "jwt/jwt.hpp"
#include "jwt/session_verifier.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace {

constexpr const char* kProject = "project-test-00000000-0000-4000-8000-000000000000";

std::string bignum_bytes(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  EVP_PKEY_get_bn_param(key, name, &bn);
  std::string out(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  BN_free(bn);
  return out;
}

// One key, made once: the JWKS every input is verified against.
nlohmann::json jwks() {
  static const nlohmann::json keys = [] {
    EVP_PKEY* key = EVP_RSA_gen(2048);
    nlohmann::json jwk = {{"kty", "RSA"},
                          {"alg", "RS256"},
                          {"use", "sig"},
                          {"kid", "jwk-test-fuzz"},
                          {"n", stytch::internal::base64url_encode(bignum_bytes(key, OSSL_PKEY_PARAM_RSA_N))},
                          {"e", stytch::internal::base64url_encode(bignum_bytes(key, OSSL_PKEY_PARAM_RSA_E))}};
    EVP_PKEY_free(key);
    return nlohmann::json::array({jwk});
  }();
  return keys;
}

int depth(const nlohmann::json& value) {
  int deepest = 0;
  if (value.is_structured()) {
    for (const auto& inner : value) deepest = std::max(deepest, depth(inner));
    return deepest + 1;
  }
  return 0;
}

const std::vector<std::string>& issuers() {
  static const std::vector<std::string> list = {"stytch.com/" + std::string(kProject), "https://test.stytch.com"};
  return list;
}

// The claim checks written plainly over the whole parsed object: the
// reference the member-by-member reading is held to. Gives the refusal's
// error_type, or "" (and the Session) when the claims pass.
std::string reference_check(const nlohmann::json& claims, stytch::internal::VerifiedClaims<stytch::Session>& out) {
  using stytch::internal::FieldError;
  auto date = [&](const char* name, double& value) {
    auto it = claims.find(name);
    if (it == claims.end() || !it->is_number()) return false;
    value = it->get<double>();
    return std::isfinite(value);
  };
  if (!date("exp", out.exp) || !date("iat", out.iat)) return "jwt_claims";
  if (claims.contains("nbf")) {
    double nbf = 0;
    if (!date("nbf", nbf)) return "jwt_claims";
    out.nbf = nbf;
  }
  auto sub = claims.find("sub");
  if (sub == claims.end() || !sub->is_string() || sub->get<std::string>().empty()) return "jwt_claims";
  auto aud = claims.find("aud");
  if (aud == claims.end() || !(aud->is_string() || aud->is_array())) return "jwt_claims";
  auto iss = claims.find("iss");
  if (iss == claims.end() || !iss->is_string()) return "jwt_claims";
  auto session = claims.find("https://stytch.com/session");
  if (session == claims.end() || !session->is_object()) return "jwt_claims";
  const bool audience_ok =
      aud->is_string() ? *aud == kProject : std::find(aud->begin(), aud->end(), kProject) != aud->end();
  if (!audience_ok) return "jwt_audience";
  if (std::find(issuers().begin(), issuers().end(), iss->get<std::string>()) == issuers().end()) return "jwt_issuer";
  stytch::Session& s = out.session;
  s.user_id = sub->get<std::string>();
  try {
    stytch::internal::read_required(*session, "id", s.session_id);
    stytch::internal::read_optional(*session, "started_at", s.started_at);
    stytch::internal::read_optional(*session, "last_accessed_at", s.last_accessed_at);
    stytch::internal::read_optional(*session, "expires_at", s.expires_at);
    if (const auto* attributes = stytch::internal::find_object(*session, "attributes")) {
      stytch::internal::read_optional(*attributes, "ip_address", s.attributes.ip_address);
      stytch::internal::read_optional(*attributes, "user_agent", s.attributes.user_agent);
    }
    stytch::internal::read_array(*session, "authentication_factors", s.authentication_factors,
                                 [](const nlohmann::json& f, stytch::AuthenticationFactor& factor) {
                                   stytch::internal::read_optional(f, "type", factor.type);
                                   stytch::internal::read_optional(f, "delivery_method", factor.delivery_method);
                                   stytch::internal::read_optional(f, "last_authenticated_at",
                                                                   factor.last_authenticated_at);
                                   factor.raw = f;
                                 });
    stytch::internal::read_optional(*session, "roles", s.roles);
  } catch (const FieldError&) {
    return "jwt_claims";
  }
  s.custom_claims = nlohmann::json::object();
  for (const auto& [name, value] : claims.items()) {
    static const std::vector<std::string> kRegistered = {"iss", "sub", "aud", "exp",
                                                         "nbf", "iat", "jti", "https://stytch.com/session"};
    if (std::find(kRegistered.begin(), kRegistered.end(), name) == kRegistered.end()) s.custom_claims[name] = value;
  }
  return "";
}

bool same_session(const stytch::Session& a, const stytch::Session& b) {
  if (a.authentication_factors.size() != b.authentication_factors.size()) return false;
  for (std::size_t i = 0; i < a.authentication_factors.size(); ++i) {
    const auto& x = a.authentication_factors[i];
    const auto& y = b.authentication_factors[i];
    if (x.type != y.type || x.delivery_method != y.delivery_method ||
        x.last_authenticated_at != y.last_authenticated_at || x.raw != y.raw) {
      return false;
    }
  }
  return a.session_id == b.session_id && a.user_id == b.user_id && a.started_at == b.started_at &&
         a.last_accessed_at == b.last_accessed_at && a.expires_at == b.expires_at && a.roles == b.roles &&
         a.attributes.ip_address == b.attributes.ip_address && a.attributes.user_agent == b.attributes.user_agent &&
         a.custom_claims == b.custom_claims;
}

stytch::internal::SessionVerifier& verifier() {
  static stytch::internal::SessionVerifier v(kProject, "https://test.stytch.com/", [] {
    return stytch::Result<stytch::internal::JwksFetch>(stytch::internal::JwksFetch{jwks(), std::nullopt});
  });
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);

  std::string decoded;
  if (stytch::internal::base64url_decode(input, decoded) && stytch::internal::base64url_encode(decoded) != input) {
    __builtin_trap();  // one canonical spelling per byte string
  }

  // The fast JSON reader agrees with nlohmann's parser (but for nesting
  // deeper than it takes).
  const auto as_json = nlohmann::json::parse(input, nullptr, false);
  nlohmann::json fast;
  const bool fast_ok = stytch::internal::read_json(input, fast);
  if (fast_ok && (as_json.is_discarded() || fast != as_json)) __builtin_trap();
  // nlohmann stops at a NUL byte and ignores what follows; the reader does not.
  if (!fast_ok && !as_json.is_discarded() && depth(as_json) <= 64 && input.find('\0') == std::string::npos) {
    __builtin_trap();
  }

  // The bytes as a JWKS: any keys that come out must be usable.
  if (!as_json.is_discarded()) {
    for (const auto& [kid, key] : stytch::internal::parse_jwks(as_json)) {
      if (kid.empty() || key->size() < 256) __builtin_trap();
    }
  }

  // The bytes as a token, through the whole verifier.
  auto result = verifier().verify(input, std::chrono::seconds(60), std::chrono::seconds(5));
  if (!result) {
    const stytch::Error& e = result.error();
    if (e.kind != stytch::ErrorKind::invalid_jwt || e.error_type.rfind("jwt_", 0) != 0) __builtin_trap();
    for (char c : e.message()) {
      if (static_cast<unsigned char>(c) < 0x20) __builtin_trap();
    }
  }

  // The bytes as a payload: the claims read member by member give what a
  // plain reading of the whole object gives.
  if (fast_ok) {
    stytch::internal::RawClaims raw;
    const bool read = stytch::internal::read_claims(input, raw);
    if (read != fast.is_object()) __builtin_trap();
    if (read) {
      stytch::internal::VerifiedClaims<stytch::Session> streamed;
      const auto refused = stytch::internal::check_claims(raw, kProject, issuers(), streamed);
      stytch::internal::VerifiedClaims<stytch::Session> reference;
      const std::string expected = reference_check(fast, reference);
      if ((refused ? refused->error_type : std::string()) != expected) __builtin_trap();
      if (!refused && !same_session(streamed.session, reference.session)) __builtin_trap();
    }
  }

  // The parts alone, with claims checked whatever the signature.
  stytch::internal::JwtParts parts;
  if (!stytch::internal::parse_jwt(input, parts)) {
    std::string kid;
    stytch::internal::check_header(parts.header, kid);
    stytch::internal::VerifiedClaims<stytch::Session> claims;
    if (!stytch::internal::check_claims(parts.claims, kProject, issuers(), claims)) {
      stytch::internal::check_times(claims, std::chrono::system_clock::now(), std::chrono::seconds(0),
                                    std::chrono::seconds(0));
    }
  }
  return 0;
}
