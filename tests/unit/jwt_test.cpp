// Local session JWT verification, with keys made and tokens signed here:
// every refusal, the JWKS cache rules (for blocking and async lookups) and
// the verified-token cache.

#include "jwt/jwt.hpp"
#include "json/json_reader.hpp"
#include "jwt/jwks_cache.hpp"
#include "jwt/session_verifier.hpp"
#include "jwt_signer.hpp"
#include "sessions/sessions_json.hpp"

#include <catch2/catch.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

using nlohmann::json;
using stytch::ErrorKind;
using stytch::internal::JwksCache;
using stytch::internal::JwksFetch;
using stytch::internal::SessionVerifier;
using stytch::mock::RsaSigningKey;
using stytch::mock::sign_jwt;
using namespace std::chrono_literals;

namespace {

constexpr const char* kProject = "project-test-22222222-2222-4222-8222-222222222222";
constexpr const char* kBaseUrl = "https://test.stytch.com/";
constexpr long long kT0 = 1800000000;

const RsaSigningKey& key1() {
  static const RsaSigningKey k("jwk-test-one");
  return k;
}
const RsaSigningKey& key2() {
  static const RsaSigningKey k("jwk-test-two");
  return k;
}

json header_for(const RsaSigningKey& key) { return {{"alg", "RS256"}, {"typ", "JWT"}, {"kid", key.kid()}}; }

json claims_at(long long t) {
  return {{"sub", "user-test-1"},
          {"aud", json::array({kProject})},
          {"iss", std::string("stytch.com/") + kProject},
          {"iat", t},
          {"nbf", t},
          {"exp", t + 300},
          {"plan", "pro"},
          {"https://stytch.com/session",
           {{"id", "session-test-1"},
            {"started_at", "2027-01-15T08:00:00Z"},
            {"last_accessed_at", "2027-01-15T08:00:00Z"},
            {"expires_at", "2027-01-15T09:00:00Z"},
            {"attributes", {{"ip_address", "203.0.113.7"}, {"user_agent", "curl/8"}}},
            {"authentication_factors", json::array({{{"type", "otp"},
                                                     {"delivery_method", "sms"},
                                                     {"last_authenticated_at", "2027-01-15T08:00:00Z"},
                                                     {"phone_number_factor", {{"phone_id", "phone-number-test-1"}}}}})},
            {"roles", json::array({"stytch_user"})}}}};
}

std::string token(const json& claims, const RsaSigningKey& key = key1()) {
  return sign_jwt(header_for(key), claims, key);
}

// A verifier over a JWKS that the test controls, with a clock it sets.
struct Harness {
  explicit Harness(json keys = json::array({key1().jwk(), key2().jwk()}), std::string base_url = kBaseUrl)
      : jwks(std::move(keys)), verifier(kProject, base_url, [this]() -> stytch::Result<JwksFetch> {
          ++fetches;
          std::lock_guard<std::mutex> guard(mutex);
          if (fail) {
            stytch::Error e;
            e.kind = ErrorKind::network;
            e.error_message = "connection refused";
            return e;
          }
          return JwksFetch{jwks, max_age};
        }) {
    verifier.set_clock([this] { return std::chrono::system_clock::time_point(std::chrono::seconds(now.load())); });
  }

  stytch::Result<stytch::Session> verify(const std::string& jwt, std::optional<std::chrono::seconds> token_age = {},
                                         std::chrono::seconds tolerance = 0s) {
    return verifier.verify(jwt, token_age, tolerance);
  }

  std::mutex mutex;
  json jwks;
  std::optional<std::chrono::seconds> max_age;
  bool fail = false;
  std::atomic<int> fetches{0};
  std::atomic<long long> now{kT0};
  SessionVerifier verifier;
};

std::string refusal(const stytch::Result<stytch::Session>& r) {
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == ErrorKind::invalid_jwt);
  return r.error().error_type;
}

std::string b64(const std::string& s) { return stytch::mock::base64url(s); }

}  // namespace

TEST_CASE("a good token verifies and its claims become the Session") {
  Harness h;
  auto r = h.verify(token(claims_at(kT0)));
  REQUIRE(r);
  CHECK(r->session_id == "session-test-1");
  CHECK(r->user_id == "user-test-1");
  CHECK(r->started_at == "2027-01-15T08:00:00Z");
  CHECK(r->last_accessed_at == "2027-01-15T08:00:00Z");
  CHECK(r->expires_at == "2027-01-15T09:00:00Z");
  CHECK(r->attributes.ip_address == "203.0.113.7");
  CHECK(r->attributes.user_agent == "curl/8");
  REQUIRE(r->authentication_factors.size() == 1);
  CHECK(r->authentication_factors[0].delivery_method == "sms");
  CHECK(r->authentication_factors[0].raw.at("phone_number_factor").at("phone_id") == "phone-number-test-1");
  CHECK(r->roles == std::vector<std::string>{"stytch_user"});
  CHECK(r->custom_claims == json{{"plan", "pro"}});  // registered and session claims left out
}

TEST_CASE("a token presented again gives the same Session, from the verified-token cache") {
  Harness h;
  const std::string jwt = token(claims_at(kT0));
  for (int i = 0; i < 3; ++i) {
    auto r = h.verify(jwt);
    REQUIRE(r);
    CHECK(r->session_id == "session-test-1");
    CHECK(r->user_id == "user-test-1");
    CHECK(r->custom_claims == json{{"plan", "pro"}});
    REQUIRE(r->authentication_factors.size() == 1);
    CHECK(r->authentication_factors[0].raw.at("phone_number_factor").at("phone_id") == "phone-number-test-1");
    CHECK(h.verifier.cached_tokens() == 1);
  }
}

TEST_CASE("aud may be a string or an array, and must name the project") {
  Harness h;
  json c = claims_at(kT0);
  c["aud"] = kProject;
  CHECK(h.verify(token(c)));
  c["aud"] = json::array({"project-test-other", kProject});
  CHECK(h.verify(token(c)));
  c["aud"] = "project-test-other";
  CHECK(refusal(h.verify(token(c))) == "jwt_audience");
  c["aud"] = json::array({"project-test-other"});
  CHECK(refusal(h.verify(token(c))) == "jwt_audience");
  c["aud"] = json::array();
  CHECK(refusal(h.verify(token(c))) == "jwt_audience");
}

TEST_CASE("iss may be stytch.com/{project_id} or the base URL without its slash, nothing else") {
  Harness h(json::array({key1().jwk()}), "https://login.example.com/");
  json c = claims_at(kT0);
  CHECK(h.verify(token(c)));
  c["iss"] = "https://login.example.com";
  CHECK(h.verify(token(c)));
  c["iss"] = "https://login.example.com/";
  CHECK(refusal(h.verify(token(c))) == "jwt_issuer");
  c["iss"] = "stytch.com/project-test-other";
  CHECK(refusal(h.verify(token(c))) == "jwt_issuer");
}

TEST_CASE("exp, with and without clock tolerance") {
  Harness h;
  const std::string jwt = token(claims_at(kT0));
  h.now = kT0 + 299;
  CHECK(h.verify(jwt));
  h.now = kT0 + 300;
  CHECK(refusal(h.verify(jwt)) == "jwt_expired");
  h.now = kT0 + 309;
  CHECK(h.verify(jwt, std::nullopt, 10s));
  h.now = kT0 + 310;
  CHECK(refusal(h.verify(jwt, std::nullopt, 10s)) == "jwt_expired");
}

TEST_CASE("nbf in the future, with and without clock tolerance") {
  Harness h;
  json c = claims_at(kT0);
  c["nbf"] = kT0 + 60;
  const std::string jwt = token(c);
  CHECK(refusal(h.verify(jwt)) == "jwt_not_yet_valid");
  CHECK(refusal(h.verify(jwt, std::nullopt, 59s)) == "jwt_not_yet_valid");
  CHECK(h.verify(jwt, std::nullopt, 60s));
}

TEST_CASE("max_token_age refuses a token issued too long ago") {
  Harness h;
  const std::string jwt = token(claims_at(kT0));
  h.now = kT0 + 100;
  CHECK(h.verify(jwt, 100s));
  CHECK(refusal(h.verify(jwt, 99s)) == "jwt_too_old");
  CHECK(h.verify(jwt));
}

TEST_CASE("time claims are checked again on a verified-token cache hit") {
  Harness h;
  const std::string jwt = token(claims_at(kT0));
  REQUIRE(h.verify(jwt));
  CHECK(h.verifier.cached_tokens() == 1);
  h.now = kT0 + 200;
  CHECK(h.verify(jwt));
  CHECK(refusal(h.verify(jwt, 150s)) == "jwt_too_old");
  h.now = kT0 + 300;
  CHECK(refusal(h.verify(jwt)) == "jwt_expired");
  CHECK(h.fetches == 1);
}

TEST_CASE("each required claim missing is jwt_claims") {
  Harness h;
  for (const char* name : {"exp", "iat", "sub", "aud", "iss", "https://stytch.com/session"}) {
    json c = claims_at(kT0);
    c.erase(name);
    INFO(name);
    CHECK(refusal(h.verify(token(c))) == "jwt_claims");
  }
  json c = claims_at(kT0);
  c["exp"] = "tomorrow";
  CHECK(refusal(h.verify(token(c))) == "jwt_claims");
  c = claims_at(kT0);
  c["https://stytch.com/session"].erase("id");
  CHECK(refusal(h.verify(token(c))) == "jwt_claims");
  c = claims_at(kT0);
  c.erase("nbf");  // nbf is optional
  CHECK(h.verify(token(c)));
}

TEST_CASE("alg none is refused") {
  Harness h;
  const std::string jwt =
      b64(json{{"alg", "none"}, {"kid", key1().kid()}}.dump()) + "." + b64(claims_at(kT0).dump()) + ".";
  CHECK(refusal(h.verify(jwt)) == "jwt_algorithm");
  const std::string no_alg = b64(json{{"kid", key1().kid()}}.dump()) + "." + b64(claims_at(kT0).dump()) + ".";
  CHECK(refusal(h.verify(no_alg)) == "jwt_algorithm");
}

TEST_CASE("algorithm confusion: HS256 keyed with the public key is refused") {
  Harness h;
  const std::string input =
      b64(json{{"alg", "HS256"}, {"typ", "JWT"}, {"kid", key1().kid()}}.dump()) + "." + b64(claims_at(kT0).dump());
  const std::string pem = key1().public_pem();
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), pem.data(), static_cast<int>(pem.size()), reinterpret_cast<const unsigned char*>(input.data()),
       input.size(), mac.data(), &length);
  const std::string jwt = input + "." + b64(std::string(reinterpret_cast<const char*>(mac.data()), length));
  CHECK(refusal(h.verify(jwt)) == "jwt_algorithm");
  CHECK(h.fetches == 0);  // refused before any key was needed
}

TEST_CASE("a payload changed after signing is refused") {
  Harness h;
  const std::string jwt = token(claims_at(kT0));
  json forged = claims_at(kT0);
  forged["sub"] = "user-test-admin";
  const auto first = jwt.find('.');
  const auto second = jwt.find('.', first + 1);
  const std::string tampered = jwt.substr(0, first + 1) + b64(forged.dump()) + jwt.substr(second);
  CHECK(refusal(h.verify(tampered)) == "jwt_signature");
  CHECK(h.verify(jwt));
}

TEST_CASE("a kid naming another valid key is refused") {
  Harness h;
  const std::string jwt = sign_jwt(header_for(key2()), claims_at(kT0), key1());
  CHECK(refusal(h.verify(jwt)) == "jwt_signature");
}

TEST_CASE("a signature of the wrong length or a flipped bit is refused") {
  Harness h;
  std::string jwt = token(claims_at(kT0));
  const auto dot = jwt.rfind('.');
  const std::string signature = *stytch::mock::base64url_decode(jwt.substr(dot + 1));
  CHECK(refusal(h.verify(jwt.substr(0, dot + 1) + b64(signature.substr(1)))) == "jwt_signature");
  CHECK(refusal(h.verify(jwt.substr(0, dot + 1) + b64(signature + '\x01'))) == "jwt_signature");
  std::string flipped = jwt;
  flipped[flipped.size() - 10] = flipped[flipped.size() - 10] == 'A' ? 'B' : 'A';
  CHECK(refusal(h.verify(flipped)) == "jwt_signature");
}

TEST_CASE("an unknown kid refetches once at once, then at most every 30 s") {
  Harness h;
  json header = header_for(key1());
  header["kid"] = "jwk-test-forged-1";
  CHECK(refusal(h.verify(sign_jwt(header, claims_at(kT0), key1()))) == "jwt_unknown_key");
  CHECK(h.fetches == 2);  // the first fetch, then one refetch for the unknown kid
  for (int i = 2; i < 50; ++i) {
    header["kid"] = "jwk-test-forged-" + std::to_string(i);
    CHECK(refusal(h.verify(sign_jwt(header, claims_at(kT0), key1()))) == "jwt_unknown_key");
  }
  CHECK(h.fetches == 2);
  h.now = kT0 + 29;
  CHECK(refusal(h.verify(sign_jwt(header, claims_at(kT0), key1()))) == "jwt_unknown_key");
  CHECK(h.fetches == 2);
  h.now = kT0 + 30;
  CHECK(refusal(h.verify(sign_jwt(header, claims_at(kT0), key1()))) == "jwt_unknown_key");
  CHECK(h.fetches == 3);
  CHECK(h.verify(token(claims_at(kT0))));  // known keys need no fetch
  CHECK(h.fetches == 3);
}

TEST_CASE("a new key is found by the unknown-kid refetch") {
  Harness h(json::array({key1().jwk()}));
  REQUIRE(h.verify(token(claims_at(kT0))));
  {
    std::lock_guard<std::mutex> guard(h.mutex);
    h.jwks = json::array({key1().jwk(), key2().jwk()});
  }
  CHECK(h.verify(token(claims_at(kT0), key2())));
  CHECK(h.fetches == 2);
}

TEST_CASE("leading zero bytes in n are accepted") {
  json jwk = key1().jwk();
  jwk["n"] = b64(std::string(2, '\0') + key1().modulus());
  Harness h(json::array({jwk}));
  CHECK(h.verify(token(claims_at(kT0))));
}

TEST_CASE("JWKS keys that are not RSA signature keys for RS256 are ignored") {
  auto unusable = [](const char* field, json value) {
    json jwk = key1().jwk();
    jwk[field] = std::move(value);
    Harness h(json::array({jwk}));
    return refusal(h.verify(token(claims_at(kT0))));
  };
  CHECK(unusable("alg", "RS512") == "jwt_unknown_key");
  CHECK(unusable("use", "enc") == "jwt_unknown_key");
  CHECK(unusable("kty", "EC") == "jwt_unknown_key");
  CHECK(unusable("key_ops", json::array({"encrypt"})) == "jwt_unknown_key");
  CHECK(unusable("e", "AQ") == "jwt_unknown_key");    // e = 1 would accept anything
  CHECK(unusable("n", "AQAB") == "jwt_unknown_key");  // far too short
  json no_alg = key1().jwk();
  no_alg.erase("alg");
  Harness h(json::array({no_alg}));
  CHECK(h.verify(token(claims_at(kT0))));
}

TEST_CASE("malformed tokens are jwt_malformed") {
  Harness h;
  const std::string good = token(claims_at(kT0));
  const auto first = good.find('.');
  for (const std::string& bad :
       {std::string(""), std::string("abc"), std::string("a.b"), good + ".extra", std::string("!!.!!.!!"),
        b64("not json") + good.substr(first), b64("[1,2]") + good.substr(first),
        good.substr(0, first + 1) + b64("[1]") + good.substr(good.find('.', first + 1)),
        good.substr(0, good.size() - 1) + "=", std::string(70000, 'a') + "." + "b.c"}) {
    INFO(bad.substr(0, 40));
    CHECK(refusal(h.verify(bad)) == "jwt_malformed");
  }
  json no_kid = header_for(key1());
  no_kid.erase("kid");
  CHECK(refusal(h.verify(sign_jwt(no_kid, claims_at(kT0), key1()))) == "jwt_malformed");
  json crit = header_for(key1());
  crit["crit"] = json::array({"exp"});
  CHECK(refusal(h.verify(sign_jwt(crit, claims_at(kT0), key1()))) == "jwt_malformed");
  CHECK(h.fetches == 0);
}

TEST_CASE("base64url decoding is strict") {
  std::string out;
  CHECK(stytch::internal::base64url_decode("aGk", out));
  CHECK(out == "hi");
  CHECK_FALSE(stytch::internal::base64url_decode("aGk=", out));  // no padding
  CHECK_FALSE(stytch::internal::base64url_decode("aGl", out));   // bits left over
  CHECK_FALSE(stytch::internal::base64url_decode("a", out));
  CHECK_FALSE(stytch::internal::base64url_decode("a+b/", out));
  CHECK(stytch::internal::base64url_encode("hi?") == "aGk_");
  CHECK(stytch::internal::base64url_decode("aA", out));
  CHECK(out == "h");
  CHECK_FALSE(stytch::internal::base64url_decode("aB", out));
  CHECK(stytch::internal::base64url_decode("aGk_aGk", out));
  CHECK(out == "hi?hi");
  CHECK(stytch::internal::base64url_decode("", out));
  CHECK(out.empty());
}

TEST_CASE("JWKS kept for its max-age, 10 minutes when none is given") {
  Harness h;
  const std::string jwt = token(claims_at(kT0));
  REQUIRE(h.verify(jwt));
  h.now = kT0 + 599;
  REQUIRE(h.verify(jwt, std::nullopt, 1000s));
  CHECK(h.fetches == 1);
  h.now = kT0 + 600;
  REQUIRE(h.verify(jwt, std::nullopt, 1000s));
  CHECK(h.fetches == 2);

  Harness short_lived;
  short_lived.max_age = 60s;
  REQUIRE(short_lived.verify(jwt));
  short_lived.now = kT0 + 59;
  REQUIRE(short_lived.verify(jwt));
  CHECK(short_lived.fetches == 1);
  short_lived.now = kT0 + 60;
  REQUIRE(short_lived.verify(jwt));
  CHECK(short_lived.fetches == 2);
}

TEST_CASE("a failed refresh keeps the cached keys and is retried 30 s later") {
  Harness h;
  const std::string jwt = token(claims_at(kT0));
  REQUIRE(h.verify(jwt));
  h.fail = true;
  h.now = kT0 + 601;
  CHECK(h.verify(jwt, std::nullopt, 1000s));
  CHECK(h.fetches == 2);
  CHECK(h.verify(token(claims_at(kT0 + 601))));
  CHECK(h.fetches == 2);
  h.now = kT0 + 631;
  CHECK(h.verify(token(claims_at(kT0 + 631))));
  CHECK(h.fetches == 3);
}

TEST_CASE("no keys and a failed fetch give the fetch's error") {
  Harness h;
  h.fail = true;
  auto r = h.verify(token(claims_at(kT0)));
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == ErrorKind::network);
}

TEST_CASE("a key set without the token's key stops its cached verification") {
  Harness h(json::array({key1().jwk()}));
  const std::string jwt = token(claims_at(kT0));
  REQUIRE(h.verify(jwt));
  {
    std::lock_guard<std::mutex> guard(h.mutex);
    h.jwks = json::array({key2().jwk()});
  }
  h.now = kT0 + 600;  // the keys are refreshed
  CHECK(refusal(h.verify(jwt, std::nullopt, 1000s)) == "jwt_unknown_key");
}

TEST_CASE("concurrent first verifications share one JWKS fetch", "[concurrency]") {
  std::atomic<int> fetches{0};
  SessionVerifier verifier(kProject, kBaseUrl, [&]() -> stytch::Result<JwksFetch> {
    ++fetches;
    std::this_thread::sleep_for(100ms);
    return JwksFetch{json::array({key1().jwk()}), std::nullopt};
  });
  verifier.set_clock([] { return std::chrono::system_clock::time_point(std::chrono::seconds(kT0)); });
  const std::string jwt = token(claims_at(kT0));
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] { ok += verifier.verify(jwt, std::nullopt, 0s) ? 1 : 0; });
  }
  for (auto& t : threads) t.join();
  CHECK(ok == 8);
  CHECK(fetches == 1);
}

TEST_CASE("the verified-token cache stays within its bound") {
  std::atomic<long long> now{kT0};
  SessionVerifier verifier(
      kProject, kBaseUrl,
      [] {
        return stytch::Result<JwksFetch>(JwksFetch{json::array({key1().jwk()}), {}});
      },
      4);
  verifier.set_clock([&] { return std::chrono::system_clock::time_point(std::chrono::seconds(now.load())); });
  for (int i = 0; i < 10; ++i) {
    json c = claims_at(kT0);
    c["n"] = i;
    REQUIRE(verifier.verify(token(c), std::nullopt, 0s));
    CHECK(verifier.cached_tokens() <= 4);
  }
}

TEST_CASE("Cache-Control max-age is read") {
  using stytch::internal::cache_max_age;
  CHECK(cache_max_age("public, max-age=900") == std::chrono::seconds(900));
  CHECK(cache_max_age("Max-Age=60") == std::chrono::seconds(60));
  CHECK(cache_max_age("public, s-maxage=5") == std::nullopt);
  CHECK(cache_max_age("no-cache") == std::nullopt);
  CHECK(cache_max_age("max-age=") == std::nullopt);
}

TEST_CASE("session request bodies name exactly one session") {
  using namespace stytch::internal;
  stytch::sessions::AuthenticateParams both;
  both.session_token = "t";
  both.session_jwt = "j";
  REQUIRE(sessions_authenticate_body(both).error());
  CHECK(sessions_authenticate_body(both).error()->kind == ErrorKind::invalid_argument);
  CHECK(sessions_authenticate_body(stytch::sessions::AuthenticateParams{}).error());
  stytch::sessions::AuthenticateParams one;
  one.session_jwt = "j";
  one.session_duration_minutes = 30;
  auto body = sessions_authenticate_body(one);
  REQUIRE_FALSE(body.error());
  CHECK(body.json() == json{{"session_jwt", "j"}, {"session_duration_minutes", 30}});

  stytch::sessions::RevokeParams revoke;
  revoke.session_id = "s";
  revoke.session_token = "t";
  CHECK(sessions_revoke_body(revoke).error());
  revoke.session_token.reset();
  CHECK(sessions_revoke_body(revoke).json() == json{{"session_id", "s"}});
  revoke.session_id = "";
  CHECK(sessions_revoke_body(revoke).error());

  BodyWriter refusals;
  stytch::sessions::GetParams get;
  get.user_id = "user-test-1&x=/";
  CHECK(sessions_get_path(get, refusals) == "v1/sessions?user_id=user-test-1%26x%3D%2F");
  CHECK_FALSE(refusals.error());
  BodyWriter empty;
  sessions_get_path(stytch::sessions::GetParams{}, empty);
  CHECK(empty.error());
}

TEST_CASE("the JSON reader builds what nlohmann's parser builds, and refuses what it refuses") {
  const std::vector<std::string> texts = {
      R"({"a":1,"b":-2,"c":1.5,"d":"x\u00e9\ud83d\ude00\n","e":[true,false,null],"f":{}})",
      R"({"big":18446744073709551615,"bigger":18446744073709551616,"neg":-9223372036854775808})",
      R"({"e":1e5,"E":2E-3,"z":-0,"tiny":1e-400,"dup":1,"dup":2})",
      " [ 1 , [ ] , { \"k\" : \"v\" } ] ",
      "\"caf\xc3\xa9\"",
      "{\"a\":1,}",
      "[1,]",
      "{\"a\" 1}",
      "01",
      "1.",
      ".5",
      "-",
      "1e",
      "+1",
      "1e400",
      "\"\x01\"",
      "\"\xc3\"",
      "\"\xed\xa0\x80\"",
      "\"\xc0\xaf\"",
      "\"\\ud800\"",
      "\"\\udc00\"",
      "\"\\x\"",
      "nul",
      "truex",
      "{} {}",
      "",
      "[",
      "{\"a\":[1,2}",
      std::string(70, '[') + std::string(70, ']')};
  for (const auto& text : texts) {
    INFO(text);
    json fast;
    const bool ok = stytch::internal::read_json(text, fast);
    const json reference = json::parse(text, nullptr, false);
    if (text.size() == 140) {
      CHECK_FALSE(ok);  // deeper than 64 levels: refused here (nlohmann takes it)
      continue;
    }
    REQUIRE(ok == !reference.is_discarded());
    if (ok) {
      CHECK(fast == reference);
      CHECK(fast.dump() == reference.dump());
    }
  }
}

TEST_CASE("while the keys are refreshed, callers whose key is cached do not wait", "[concurrency]") {
  std::atomic<int> fetches{0};
  std::atomic<bool> release{false};
  std::atomic<long long> now{kT0};
  SessionVerifier verifier(kProject, kBaseUrl, [&]() -> stytch::Result<JwksFetch> {
    if (++fetches > 1) {
      while (!release) std::this_thread::sleep_for(1ms);  // a refresh that hangs
    }
    return JwksFetch{json::array({key1().jwk()}), std::nullopt};
  });
  verifier.set_clock([&] { return std::chrono::system_clock::time_point(std::chrono::seconds(now.load())); });
  REQUIRE(verifier.verify(token(claims_at(kT0)), std::nullopt, 1000s));
  now = kT0 + 600;  // stale: the next verification refreshes, and hangs there
  std::thread refresher([&] { CHECK(verifier.verify(token(claims_at(kT0 + 1)), std::nullopt, 1000s)); });
  while (fetches < 2) std::this_thread::sleep_for(1ms);
  CHECK(verifier.verify(token(claims_at(kT0 + 2)), std::nullopt, 1000s));  // served by the cached key
  release = true;
  refresher.join();
  CHECK(fetches == 2);
}

namespace {

// A JWKS cache over an async fetch the test ends by hand.
struct AsyncHarness {
  AsyncHarness()
      : cache(
            [this](JwksCache::FetchDone done) {
              ++started;
              pending = std::move(done);
            },
            JwksCache::Pump(), [this] { return std::chrono::system_clock::time_point(std::chrono::seconds(now)); }) {}

  // Ends the fetch under way with these keys, or with this error.
  void answer(const json& keys) {
    auto done = std::move(pending);
    pending = nullptr;
    done(JwksFetch{keys, std::nullopt});
  }
  void fail(ErrorKind kind) {
    auto done = std::move(pending);
    pending = nullptr;
    stytch::Error e;
    e.kind = kind;
    e.error_message = "the fetch failed";
    done(e);
  }
  // A lookup whose answer lands in `answers` (how many times, and what).
  void lookup(const std::string& kid) {
    cache.key_async(kid,
                    [this, kid](JwksCache::KeyResult r, std::uint64_t) { answers.emplace_back(kid, std::move(r)); });
  }

  int started = 0;
  long long now = kT0;
  JwksCache::FetchDone pending;
  std::vector<std::pair<std::string, JwksCache::KeyResult>> answers;
  JwksCache cache;
};

bool is_key(const JwksCache::KeyResult& r) {
  const auto* key = std::get_if<std::shared_ptr<const stytch::internal::RsaPublicKey>>(&r);
  return key != nullptr && *key != nullptr;
}

ErrorKind kind_of(const JwksCache::KeyResult& r) { return std::get<stytch::Error>(r).kind; }

}  // namespace

TEST_CASE("async lookups wait for one fetch, which answers each of them once") {
  AsyncHarness h;
  h.lookup(key1().kid());
  h.lookup(key1().kid());
  h.lookup(key2().kid());
  CHECK(h.started == 1);
  CHECK(h.cache.parked() == 3);
  CHECK(h.answers.empty());
  h.answer(json::array({key1().jwk(), key2().jwk()}));
  REQUIRE(h.answers.size() == 3);
  for (const auto& [kid, r] : h.answers) CHECK(is_key(r));
  CHECK(h.cache.parked() == 0);
  CHECK(h.cache.fetch_count() == 1);

  // Cached and fresh: answered at once, on the caller's thread, no fetch.
  h.lookup(key2().kid());
  CHECK(h.answers.size() == 4);
  CHECK(h.started == 1);
}

TEST_CASE("a failed fetch fails each waiting async lookup once with its error") {
  AsyncHarness h;
  for (int i = 0; i < 5; ++i) h.lookup(key1().kid());
  h.fail(ErrorKind::network);
  REQUIRE(h.answers.size() == 5);
  for (const auto& [kid, r] : h.answers) CHECK(kind_of(r) == ErrorKind::network);
  CHECK(h.cache.parked() == 0);
  CHECK(h.started == 1);
}

TEST_CASE("async lookups follow the cache's rules: stale keys refreshed, unknown kids refetched at a limited rate") {
  AsyncHarness h;
  h.lookup(key1().kid());
  h.answer(json::array({key1().jwk()}));
  REQUIRE(h.answers.size() == 1);

  // An unknown kid: one refetch at once, which finds it.
  h.lookup(key2().kid());
  CHECK(h.started == 2);
  CHECK(h.answers.size() == 1);
  // Meanwhile a cached kid is served by the cached keys.
  h.lookup(key1().kid());
  CHECK(h.answers.size() == 2);
  h.answer(json::array({key1().jwk(), key2().jwk()}));
  REQUIRE(h.answers.size() == 3);
  CHECK(h.answers[2].first == key2().kid());
  CHECK(is_key(h.answers[2].second));

  // Another unknown kid within 30 s: refused at once, nothing fetched.
  h.lookup("jwk-test-forged");
  CHECK(h.started == 2);
  REQUIRE(h.answers.size() == 4);
  CHECK(std::get<stytch::Error>(h.answers[3].second).error_type == "jwt_unknown_key");

  // Stale: the lookup waits for the refresh; a failed refresh keeps the keys.
  h.now = kT0 + 600;
  h.lookup(key1().kid());
  CHECK(h.started == 3);
  CHECK(h.answers.size() == 4);
  h.fail(ErrorKind::network);
  REQUIRE(h.answers.size() == 5);
  CHECK(is_key(h.answers[4].second));
}

TEST_CASE("a cancelled fetch cancels every waiting async lookup, even one a cached key could serve") {
  AsyncHarness h;
  h.lookup(key1().kid());
  h.answer(json::array({key1().jwk()}));
  h.now = kT0 + 600;  // stale: the next lookup waits for a refresh
  h.lookup(key1().kid());
  h.lookup(key2().kid());
  CHECK(h.cache.parked() == 2);
  h.fail(ErrorKind::cancelled);
  REQUIRE(h.answers.size() == 3);
  CHECK(kind_of(h.answers[1].second) == ErrorKind::cancelled);
  CHECK(kind_of(h.answers[2].second) == ErrorKind::cancelled);
}

TEST_CASE("a blocking lookup and async ones share the fetch under way", "[concurrency]") {
  AsyncHarness h;
  h.lookup(key1().kid());  // starts the fetch
  std::atomic<bool> blocking_done{false};
  std::thread blocking([&] {
    auto r = h.cache.key(key1().kid());
    blocking_done = is_key(r);
  });
  std::this_thread::sleep_for(20ms);  // the blocking lookup waits meanwhile
  CHECK_FALSE(blocking_done.load());
  h.answer(json::array({key1().jwk()}));
  blocking.join();
  CHECK(blocking_done.load());
  CHECK(h.answers.size() == 1);
  CHECK(h.started == 1);
}
