// Fuzzes local session JWT verification: the parser (three base64url parts
// of JSON), the header and claim checks, and the whole verifier over a JWKS
// of one real key. Any outcome but a Session or an invalid_jwt Error on one
// line, or a crash, is a finding; so is base64url decoding that accepts two
// spellings of the same bytes.

#include "json_reader.hpp"
#include "jwt.hpp"
#include "session_verifier.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

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

  // The parts alone, with claims checked whatever the signature.
  stytch::internal::JwtParts parts;
  if (!stytch::internal::parse_jwt(input, parts)) {
    std::string kid;
    stytch::internal::check_header(parts.header, kid);
    stytch::internal::VerifiedClaims claims;
    if (!stytch::internal::check_claims(parts.claims, kProject, {"stytch.com/" + std::string(kProject)}, claims)) {
      stytch::internal::check_times(claims, std::chrono::system_clock::now(), std::chrono::seconds(0),
                                    std::chrono::seconds(0));
    }
  }
  return 0;
}
