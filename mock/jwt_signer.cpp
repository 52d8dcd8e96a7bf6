#include "jwt_signer.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include <array>
#include <stdexcept>

namespace stytch::mock {

namespace {

struct CtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

std::string bignum_param(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) throw std::runtime_error("stytch-mock: cannot read an RSA key");
  std::string out(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  BN_free(bn);
  return out;
}

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes));
  std::string out;
  for (char c : raw) {
    const auto u = static_cast<unsigned char>(c);
    out += "0123456789abcdef"[u >> 4U];
    out += "0123456789abcdef"[u & 15U];
  }
  return out;
}

}  // namespace

std::string base64url(std::string_view bytes) {
  static constexpr const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned buffer = 0;
  unsigned bits = 0;
  for (char c : bytes) {
    buffer = (buffer << 8U) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(buffer >> bits) & 63U];
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 63U];
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  std::string out;
  unsigned buffer = 0;
  unsigned bits = 0;
  for (char c : text) {
    int v = -1;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    if (c >= '0' && c <= '9') v = c - '0' + 52;
    if (c == '-') v = 62;
    if (c == '_') v = 63;
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6U) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFFU);
    }
  }
  return out;
}

RsaSigningKey::RsaSigningKey(std::string kid, int bits) : kid_(std::move(kid)) {
  EVP_PKEY* key = EVP_RSA_gen(static_cast<unsigned>(bits));
  if (key == nullptr) throw std::runtime_error("stytch-mock: cannot make an RSA key");
  key_.reset(key, EVP_PKEY_free);
}

nlohmann::json RsaSigningKey::jwk() const {
  return {{"kty", "RSA"},
          {"alg", "RS256"},
          {"use", "sig"},
          {"kid", kid_},
          {"n", base64url(modulus())},
          {"e", base64url(bignum_param(key_.get(), OSSL_PKEY_PARAM_RSA_E))}};
}

std::string RsaSigningKey::modulus() const { return bignum_param(key_.get(), OSSL_PKEY_PARAM_RSA_N); }

std::string RsaSigningKey::sign(std::string_view input) const {
  std::unique_ptr<EVP_MD_CTX, CtxDeleter> ctx(EVP_MD_CTX_new());
  std::size_t length = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length, nullptr, 0) != 1) {
    throw std::runtime_error("stytch-mock: cannot sign");
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    throw std::runtime_error("stytch-mock: cannot sign");
  }
  signature.resize(length);
  return signature;
}

bool RsaSigningKey::verify(std::string_view input, std::string_view signature) const {
  std::unique_ptr<EVP_MD_CTX, CtxDeleter> ctx(EVP_MD_CTX_new());
  return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
}

std::string RsaSigningKey::public_pem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  if (bio == nullptr) throw std::runtime_error("stytch-mock: out of memory");
  PEM_write_bio_PUBKEY(bio, key_.get());
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return out;
}

std::string sign_jwt(const nlohmann::json& header, const nlohmann::json& claims, const RsaSigningKey& key) {
  const std::string input = base64url(header.dump()) + "." + base64url(claims.dump());
  return input + "." + base64url(key.sign(input));
}

JwtSigner::JwtSigner(std::string kid_prefix) : kid_prefix_(std::move(kid_prefix)) { rotate(); }

std::string JwtSigner::rotate() {
  auto key = std::make_shared<const RsaSigningKey>(kid_prefix_ + random_hex(16));
  std::lock_guard<std::mutex> guard(mutex_);
  keys_.push_back(key);
  return key->kid();
}

std::string JwtSigner::sign(const nlohmann::json& claims) const {
  std::shared_ptr<const RsaSigningKey> key;
  {
    std::lock_guard<std::mutex> guard(mutex_);
    key = keys_.back();
  }
  return sign_jwt({{"alg", "RS256"}, {"typ", "JWT"}, {"kid", key->kid()}}, claims, *key);
}

std::optional<nlohmann::json> JwtSigner::verified_claims(const std::string& jwt) const {
  const auto first = jwt.find('.');
  const auto second = first == std::string::npos ? first : jwt.find('.', first + 1);
  if (second == std::string::npos) return std::nullopt;
  const auto header_bytes = base64url_decode(std::string_view(jwt).substr(0, first));
  const auto claim_bytes = base64url_decode(std::string_view(jwt).substr(first + 1, second - first - 1));
  const auto signature = base64url_decode(std::string_view(jwt).substr(second + 1));
  if (!header_bytes || !claim_bytes || !signature) return std::nullopt;
  const auto header = nlohmann::json::parse(*header_bytes, nullptr, false);
  auto claims = nlohmann::json::parse(*claim_bytes, nullptr, false);
  if (!header.is_object() || !claims.is_object() || header.value("alg", "") != "RS256") return std::nullopt;
  const std::string kid = header.value("kid", "");
  std::shared_ptr<const RsaSigningKey> key;
  {
    std::lock_guard<std::mutex> guard(mutex_);
    for (const auto& k : keys_) {
      if (k->kid() == kid) key = k;
    }
  }
  if (!key || !key->verify(std::string_view(jwt).substr(0, second), *signature)) return std::nullopt;
  return claims;
}

nlohmann::json JwtSigner::jwks() const {
  std::lock_guard<std::mutex> guard(mutex_);
  nlohmann::json keys = nlohmann::json::array();
  for (const auto& k : keys_) keys.push_back(k->jwk());
  return {{"keys", keys}};
}

}  // namespace stytch::mock
