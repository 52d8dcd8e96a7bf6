#include "jwt/jwt.hpp"

#include "json/json_fields.hpp"
#include "json/json_reader.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace stytch::internal {

namespace {

// Six bits per base64url character; kInvalid for any other byte.
constexpr unsigned kInvalid = 0x80;
constexpr std::array<unsigned char, 256> make_decode_table() {
  std::array<unsigned char, 256> t{};
  for (auto& v : t) v = kInvalid;
  constexpr const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (unsigned i = 0; i < 64; ++i) t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<unsigned char>(i);
  return t;
}
constexpr std::array<unsigned char, 256> kDecode = make_decode_table();

// A JSON object from a base64url part, or nothing.
bool decode_json_part(std::string_view part, nlohmann::json& out) {
  thread_local std::string bytes;  // reused: no allocation per token
  if (!base64url_decode(part, bytes)) return false;
  return read_json(bytes, out) && out.is_object();
}

const nlohmann::json* member(const nlohmann::json& object, const char* name) {
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

double seconds_since_epoch(std::chrono::system_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

struct BnDeleter {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using Bn = std::unique_ptr<BIGNUM, BnDeleter>;

Bn bignum_of(const std::string& bytes) {
  return Bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()), nullptr));
}

}  // namespace

Error jwt_refusal(const char* error_type, std::string message) {
  Error e;
  e.kind = ErrorKind::invalid_jwt;
  e.error_type = error_type;
  e.error_message = std::move(message);
  return e;
}

bool base64url_decode(std::string_view in, std::string& out) {
  const std::size_t n = in.size();
  if (n % 4 == 1) return false;
  out.resize(n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1));
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  char* o = out.data();
  auto byte = [](unsigned v) { return static_cast<char>(v & 0xFFU); };
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const unsigned a = kDecode[p[i]];
    const unsigned b = kDecode[p[i + 1]];
    const unsigned c = kDecode[p[i + 2]];
    const unsigned d = kDecode[p[i + 3]];
    if (((a | b | c | d) & kInvalid) != 0) return false;
    const unsigned v = (a << 18U) | (b << 12U) | (c << 6U) | d;
    *o++ = byte(v >> 16U);
    *o++ = byte(v >> 8U);
    *o++ = byte(v);
  }
  // One canonical encoding per byte string: the bits left over must be zero.
  if (n - i == 2) {
    const unsigned a = kDecode[p[i]];
    const unsigned b = kDecode[p[i + 1]];
    if (((a | b) & kInvalid) != 0 || (b & 15U) != 0) return false;
    *o = byte((a << 2U) | (b >> 4U));
  } else if (n - i == 3) {
    const unsigned a = kDecode[p[i]];
    const unsigned b = kDecode[p[i + 1]];
    const unsigned c = kDecode[p[i + 2]];
    if (((a | b | c) & kInvalid) != 0 || (c & 3U) != 0) return false;
    const unsigned v = (a << 12U) | (b << 6U) | c;
    *o++ = byte(v >> 10U);
    *o = byte(v >> 2U);
  }
  return true;
}

std::string base64url_encode(std::string_view bytes) {
  static constexpr const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
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

std::optional<Error> parse_jwt(std::string_view token, JwtParts& out) {
  if (token.size() > kMaxJwtBytes) {
    return jwt_refusal("jwt_malformed", "the token is longer than " + std::to_string(kMaxJwtBytes) + " bytes");
  }
  const auto first = token.find('.');
  const auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return jwt_refusal("jwt_malformed", "a JWT is three base64url parts separated by '.'");
  }
  if (!decode_json_part(token.substr(0, first), out.header)) {
    return jwt_refusal("jwt_malformed", "the header is not base64url-encoded JSON object");
  }
  thread_local std::string payload;  // reused: no allocation per token
  if (!base64url_decode(token.substr(first + 1, second - first - 1), payload) || !read_claims(payload, out.claims)) {
    return jwt_refusal("jwt_malformed", "the payload is not a base64url-encoded JSON object");
  }
  const std::string_view signature = token.substr(second + 1);
  // An empty signature (as `alg: none` has) parses; the algorithm check
  // refuses it next.
  if (!base64url_decode(signature, out.signature)) {
    return jwt_refusal("jwt_malformed", "the signature is not base64url");
  }
  out.signing_input = token.substr(0, second);
  return std::nullopt;
}

std::optional<Error> check_header(const nlohmann::json& header, std::string& kid) {
  const nlohmann::json* alg = member(header, "alg");
  if (alg == nullptr || !alg->is_string() || *alg != "RS256") {
    return jwt_refusal("jwt_algorithm", "only RS256 is accepted; the token says " +
                                            (alg != nullptr && alg->is_string() ? alg->get<std::string>()
                                                                                : std::string("no algorithm")));
  }
  if (member(header, "crit") != nullptr) {
    return jwt_refusal("jwt_malformed", "the header names critical extensions, which are not supported");
  }
  const nlohmann::json* k = member(header, "kid");
  if (k == nullptr || !k->is_string() || k->get_ref<const std::string&>().empty()) {
    return jwt_refusal("jwt_malformed", "the header has no kid");
  }
  kid = k->get<std::string>();
  return std::nullopt;
}

RsaPublicKey::RsaPublicKey(evp_pkey_st* key, std::string fingerprint)
    : key_(key), size_(static_cast<std::size_t>(EVP_PKEY_get_size(key))), fingerprint_(std::move(fingerprint)) {}

RsaPublicKey::~RsaPublicKey() {
  for (EVP_PKEY_CTX* context : pool_) EVP_PKEY_CTX_free(context);
  EVP_PKEY_free(key_);
}

std::shared_ptr<const RsaPublicKey> RsaPublicKey::from_jwk(const nlohmann::json& jwk) {
  if (!jwk.is_object()) return nullptr;
  auto string_member = [&](const char* name) -> const std::string* {
    const nlohmann::json* v = member(jwk, name);
    return v != nullptr && v->is_string() ? &v->get_ref<const std::string&>() : nullptr;
  };
  const std::string* kty = string_member("kty");
  if (kty == nullptr || *kty != "RSA") return nullptr;
  if (member(jwk, "alg") != nullptr) {
    const std::string* alg = string_member("alg");
    if (alg == nullptr || *alg != "RS256") return nullptr;
  }
  if (member(jwk, "use") != nullptr) {
    const std::string* use = string_member("use");
    if (use == nullptr || *use != "sig") return nullptr;
  }
  if (const nlohmann::json* ops = member(jwk, "key_ops")) {
    if (!ops->is_array() || std::find(ops->begin(), ops->end(), "verify") == ops->end()) return nullptr;
  }
  const std::string* n64 = string_member("n");
  const std::string* e64 = string_member("e");
  std::string n_bytes;
  std::string e_bytes;
  if (n64 == nullptr || e64 == nullptr || !base64url_decode(*n64, n_bytes) || !base64url_decode(*e64, e_bytes)) {
    return nullptr;
  }
  // Leading zero bytes are allowed in n and e (big-endian, unsigned).
  Bn n = bignum_of(n_bytes);
  Bn e = bignum_of(e_bytes);
  if (!n || !e) return nullptr;
  const int bits = BN_num_bits(n.get());
  // A public exponent of 1 would make every "signature" verify.
  if (bits < 2048 || bits > 16384 || BN_num_bits(e.get()) > 64 || !BN_is_odd(e.get()) || BN_is_one(e.get())) {
    return nullptr;
  }

  OSSL_PARAM_BLD* build = OSSL_PARAM_BLD_new();
  if (build == nullptr) return nullptr;
  OSSL_PARAM* params = nullptr;
  if (OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_RSA_N, n.get()) == 1 &&
      OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_RSA_E, e.get()) == 1) {
    params = OSSL_PARAM_BLD_to_param(build);
  }
  OSSL_PARAM_BLD_free(build);
  if (params == nullptr) return nullptr;
  EVP_PKEY* key = nullptr;
  EVP_PKEY_CTX* make = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
  const bool made = make != nullptr && EVP_PKEY_fromdata_init(make) == 1 &&
                    EVP_PKEY_fromdata(make, &key, EVP_PKEY_PUBLIC_KEY, params) == 1;
  EVP_PKEY_CTX_free(make);
  OSSL_PARAM_free(params);
  if (!made || key == nullptr) {
    EVP_PKEY_free(key);
    return nullptr;
  }
  std::string fingerprint = *n64;
  fingerprint.append(".").append(*e64);
  return std::shared_ptr<const RsaPublicKey>(new RsaPublicKey(key, std::move(fingerprint)));
}

EVP_PKEY_CTX* RsaPublicKey::take_context() const {
  {
    std::lock_guard<std::mutex> guard(pool_mutex_);
    if (!pool_.empty()) {
      EVP_PKEY_CTX* context = pool_.back();
      pool_.pop_back();
      return context;
    }
  }
  EVP_PKEY_CTX* context = EVP_PKEY_CTX_new_from_pkey(nullptr, key_, nullptr);
  if (context == nullptr) return nullptr;
  if (EVP_PKEY_verify_init(context) != 1 || EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) != 1 ||
      EVP_PKEY_CTX_set_signature_md(context, EVP_sha256()) != 1) {
    EVP_PKEY_CTX_free(context);
    return nullptr;
  }
  return context;
}

void RsaPublicKey::give_back(EVP_PKEY_CTX* context) const {
  constexpr std::size_t kMaxPooled = 64;
  {
    std::lock_guard<std::mutex> guard(pool_mutex_);
    if (pool_.size() < kMaxPooled) {
      pool_.push_back(context);
      return;
    }
  }
  EVP_PKEY_CTX_free(context);
}

bool RsaPublicKey::verify(std::string_view input, std::string_view signature) const {
  if (signature.size() != size_) return false;
  // Fetched once: looking the digest up on every call costs more than hashing a token.
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  if (sha256 == nullptr || EVP_Digest(input.data(), input.size(), digest.data(), nullptr, sha256, nullptr) != 1) {
    return false;
  }
  EVP_PKEY_CTX* context = take_context();
  if (context == nullptr) return false;
  const int ok = EVP_PKEY_verify(context, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                                 digest.data(), digest.size());
  give_back(context);
  return ok == 1;
}

KeySet parse_jwks(const nlohmann::json& keys) {
  KeySet out;
  if (!keys.is_array()) return out;
  for (const auto& jwk : keys) {
    if (!jwk.is_object()) continue;
    const nlohmann::json* kid = member(jwk, "kid");
    if (kid == nullptr || !kid->is_string() || kid->get_ref<const std::string&>().empty()) continue;
    if (auto key = RsaPublicKey::from_jwk(jwk)) out.emplace(kid->get<std::string>(), std::move(key));
  }
  return out;
}

namespace {

bool read_slot(JsonReader& reader, int depth, ClaimSlot& slot) {
  slot.present = true;
  slot.text.clear();
  if (reader.next_is('"')) {
    slot.is_string = true;
    slot.value = nullptr;
    return reader.string(slot.text);
  }
  slot.is_string = false;
  return reader.value(slot.value, depth);
}

bool read_session_members(JsonReader& reader, RawClaims& out) {
  const std::pair<std::string_view, ClaimSlot RawClaims::*> known[] = {
      {"id", &RawClaims::id},
      {"started_at", &RawClaims::started_at},
      {"last_accessed_at", &RawClaims::last_accessed_at},
      {"expires_at", &RawClaims::expires_at},
      {"attributes", &RawClaims::attributes},
      {"authentication_factors", &RawClaims::factors},
      {"roles", &RawClaims::roles}};
  for (const auto& [name, slot] : known) out.*slot = ClaimSlot{};
  if (!reader.open_object()) return false;
  bool first = true;
  std::string key;
  nlohmann::json ignored;
  while (reader.next_member(first, key)) {
    ClaimSlot* slot = nullptr;
    for (const auto& [name, member_slot] : known) {
      if (key == name) {
        slot = &(out.*member_slot);
        break;
      }
    }
    if (!(slot != nullptr ? read_slot(reader, 2, *slot) : reader.value(ignored, 2))) return false;
  }
  return !reader.failed();
}

// A string member of the session claim: `required` refuses one that is
// missing or null; any other type is refused.
void take_string(ClaimSlot& slot, const char* name, bool required, std::string& out) {
  if (slot.is_string) {
    out = std::move(slot.text);
  } else if (slot.present && !slot.value.is_null()) {
    throw FieldError(std::string(name) + ": not a string");
  } else if (required) {
    throw FieldError(std::string(name) + ": required field is missing");
  }
}

bool is_null_or_absent(const ClaimSlot& slot) { return !slot.present || (!slot.is_string && slot.value.is_null()); }

// The members of the session claim both kinds of session hold.
template <typename SessionType>
void take_common(RawClaims& claims, SessionType& out) {
  take_string(claims.started_at, "started_at", false, out.started_at);
  take_string(claims.last_accessed_at, "last_accessed_at", false, out.last_accessed_at);
  take_string(claims.expires_at, "expires_at", false, out.expires_at);
  if (!is_null_or_absent(claims.factors)) {
    nlohmann::json& factors = claims.factors.value;
    if (claims.factors.is_string || !factors.is_array()) throw FieldError("authentication_factors: not an array");
    out.authentication_factors.reserve(factors.size());
    for (std::size_t i = 0; i < factors.size(); ++i) {
      nlohmann::json& f = factors[i];
      AuthenticationFactor factor;
      try {
        if (!f.is_object()) throw FieldError("not an object");
        read_optional(f, "type", factor.type);
        read_optional(f, "delivery_method", factor.delivery_method);
        read_optional(f, "last_authenticated_at", factor.last_authenticated_at);
      } catch (const FieldError& bad) {
        throw FieldError("authentication_factors[" + std::to_string(i) + "]." + bad.what());
      }
      factor.raw = std::move(f);
      out.authentication_factors.push_back(std::move(factor));
    }
  }
  if (!is_null_or_absent(claims.roles)) {
    if (claims.roles.is_string || !claims.roles.value.is_array()) throw FieldError("roles: not an array of strings");
    for (auto& role : claims.roles.value) {
      if (!role.is_string()) throw FieldError("roles: not an array of strings");
      out.roles.push_back(std::move(role.get_ref<std::string&>()));
    }
  }
}

void take_session(RawClaims& claims, Session& out) {
  take_string(claims.id, "id", true, out.session_id);
  take_common(claims, out);
  if (!is_null_or_absent(claims.attributes)) {
    const nlohmann::json& attributes = claims.attributes.value;
    if (claims.attributes.is_string || !attributes.is_object()) throw FieldError("attributes: not an object");
    in_context("attributes", [&] {
      read_optional(attributes, "ip_address", out.attributes.ip_address);
      read_optional(attributes, "user_agent", out.attributes.user_agent);
    });
  }
}

void take_session(RawClaims& claims, b2b::MemberSession& out) {
  take_string(claims.id, "id", true, out.member_session_id);
  take_common(claims, out);
}

// A NumericDate (RFC 7519): a finite JSON number.
bool date_of(const ClaimSlot& slot, double& out) {
  if (!slot.present || slot.is_string || !slot.value.is_number()) return false;
  out = slot.value.get<double>();
  return std::isfinite(out);
}

}  // namespace

bool read_claims(std::string_view payload, RawClaims& out) {
  JsonReader reader(payload);
  if (!reader.open_object()) return false;
  const std::pair<std::string_view, ClaimSlot RawClaims::*> known[] = {
      {"exp", &RawClaims::exp}, {"iat", &RawClaims::iat}, {"nbf", &RawClaims::nbf},
      {"sub", &RawClaims::sub}, {"iss", &RawClaims::iss}, {"aud", &RawClaims::aud}};
  auto& custom = out.custom.get_ref<nlohmann::json::object_t&>();
  bool first = true;
  std::string key;
  nlohmann::json ignored;
  while (reader.next_member(first, key)) {
    ClaimSlot* slot = nullptr;
    for (const auto& [name, member_slot] : known) {
      if (key == name) {
        slot = &(out.*member_slot);
        break;
      }
    }
    bool ok = false;
    if (slot != nullptr) {
      ok = read_slot(reader, 1, *slot);
    } else if (key == std::string_view(kSessionClaim)) {
      out.session_present = true;
      out.session_is_object = reader.next_is('{');
      ok = out.session_is_object ? read_session_members(reader, out) : reader.value(ignored, 1);
    } else if (key == std::string_view(kOrganizationClaim)) {
      ok = read_slot(reader, 1, out.organization);
    } else if (key == std::string_view("jti")) {
      ok = reader.value(ignored, 1);
    } else {
      nlohmann::json& value = custom[key];
      value = nullptr;
      ok = reader.value(value, 1);
    }
    if (!ok) return false;
  }
  return !reader.failed() && reader.at_end();
}

namespace {

// The registered claims and the session claim, checked alike for both kinds
// of session JWT.
std::optional<Error> check_registered(RawClaims& claims, const std::string& project_id,
                                      const std::vector<std::string>& issuers, TimeClaims& out) {
  if (!date_of(claims.exp, out.exp)) return jwt_refusal("jwt_claims", "exp is missing or not a number");
  if (!date_of(claims.iat, out.iat)) return jwt_refusal("jwt_claims", "iat is missing or not a number");
  if (claims.nbf.present) {
    double nbf = 0;
    if (!date_of(claims.nbf, nbf)) return jwt_refusal("jwt_claims", "nbf is not a number");
    out.nbf = nbf;
  }
  if (!claims.sub.is_string || claims.sub.text.empty()) {
    return jwt_refusal("jwt_claims", "sub is missing or not a string");
  }
  const ClaimSlot& aud = claims.aud;
  if (!aud.present || !(aud.is_string || aud.value.is_array())) {
    return jwt_refusal("jwt_claims", "aud is missing or neither a string nor an array");
  }
  if (!claims.iss.is_string) return jwt_refusal("jwt_claims", "iss is missing or not a string");
  if (!claims.session_present || !claims.session_is_object) {
    return jwt_refusal("jwt_claims", std::string(kSessionClaim) + " is missing or not an object");
  }
  const bool audience_ok = aud.is_string ? aud.text == project_id
                                         : std::find(aud.value.begin(), aud.value.end(), project_id) != aud.value.end();
  if (!audience_ok) return jwt_refusal("jwt_audience", "aud does not name this project");
  if (std::find(issuers.begin(), issuers.end(), claims.iss.text) == issuers.end()) {
    return jwt_refusal("jwt_issuer", "iss is neither stytch.com/{project_id} nor the base URL");
  }
  return std::nullopt;
}

template <typename SessionType>
std::optional<Error> take_session_claim(RawClaims& claims, SessionType& out) {
  try {
    take_session(claims, out);
  } catch (const FieldError& bad) {
    return jwt_refusal("jwt_claims", std::string(kSessionClaim) + "." + bad.what());
  }
  return std::nullopt;
}

// A string member of the organization claim, required.
bool take_organization_member(nlohmann::json& organization, const char* name, std::string& out) {
  auto it = organization.find(name);
  if (it == organization.end() || !it->is_string()) return false;
  out = std::move(it->get_ref<std::string&>());
  return true;
}

}  // namespace

std::optional<Error> check_claims(RawClaims& claims, const std::string& project_id,
                                  const std::vector<std::string>& issuers, VerifiedClaims<Session>& out) {
  if (auto refused = check_registered(claims, project_id, issuers, out)) return refused;
  Session& s = out.session;
  s.user_id = std::move(claims.sub.text);
  if (auto refused = take_session_claim(claims, s)) return refused;
  s.custom_claims = std::move(claims.custom);
  // Not a Stytch claim of consumer sessions: a custom one like any other.
  if (claims.organization.present) {
    s.custom_claims[kOrganizationClaim] = claims.organization.is_string
                                              ? nlohmann::json(std::move(claims.organization.text))
                                              : std::move(claims.organization.value);
  }
  return std::nullopt;
}

std::optional<Error> check_claims(RawClaims& claims, const std::string& project_id,
                                  const std::vector<std::string>& issuers, VerifiedClaims<b2b::MemberSession>& out) {
  if (auto refused = check_registered(claims, project_id, issuers, out)) return refused;
  ClaimSlot& organization = claims.organization;
  b2b::MemberSession& s = out.session;
  if (!organization.present || organization.is_string || !organization.value.is_object() ||
      !take_organization_member(organization.value, "organization_id", s.organization_id) ||
      !take_organization_member(organization.value, "slug", s.organization_slug)) {
    return jwt_refusal("jwt_claims", std::string(kOrganizationClaim) +
                                         " is missing or not an object with string organization_id and slug");
  }
  if (s.organization_id.empty()) {
    return jwt_refusal("jwt_claims", std::string(kOrganizationClaim) + ".organization_id is empty");
  }
  s.member_id = std::move(claims.sub.text);
  if (auto refused = take_session_claim(claims, s)) return refused;
  s.custom_claims = std::move(claims.custom);
  return std::nullopt;
}

std::optional<Error> check_times(const TimeClaims& claims, std::chrono::system_clock::time_point now,
                                 std::optional<std::chrono::seconds> max_age, std::chrono::seconds tolerance) {
  const double t = seconds_since_epoch(now);
  const auto leeway = static_cast<double>(tolerance.count());
  if (claims.nbf && t + leeway < *claims.nbf) return jwt_refusal("jwt_not_yet_valid", "nbf is in the future");
  if (t - leeway >= claims.exp) return jwt_refusal("jwt_expired", "exp has passed");
  if (max_age && t - claims.iat > static_cast<double>(max_age->count())) {
    return jwt_refusal("jwt_too_old", "iat is longer ago than max_token_age");
  }
  return std::nullopt;
}

}  // namespace stytch::internal
