// Local session JWT verification per second, on one thread:
//   make DIR COUNT     writes DIR/jwks.json (one RSA-2048 key) and DIR/tokens.txt
//                      (COUNT distinct session JWTs signed with it, then one more
//                      for warming up), Stytch-shaped, valid for an hour
//                      and DIR/b2b_tokens.txt (the same for B2B member sessions)
//   verify BASE_URL DIR [b2b-]distinct|[b2b-]repeated COUNT [CA_FILE]
//                      client.sessions.authenticate_jwt_local (b2b-:
//                      client.b2b.sessions.authenticate_jwt_local) on every token
//                      once (distinct) or on the first one COUNT times
//                      (repeated), after one verification that fetches the keys
//                      from BASE_URL. Prints "MODE COUNT SECONDS PER_SECOND FAILURES",
//                      SECONDS being the CPU time of the loop (as `openssl speed`
//                      counts), so that other load on the machine does not skew
//                      the comparison.

#include <stytch/stytch.hpp>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace {

constexpr const char* kProjectId = "project-test-00000000-0000-4000-8000-000000000000";
constexpr const char* kSecret = "secret-test-mock-0000000000000000000000000000";

std::string base64url(const std::string& bytes) {
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

std::string bignum(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  EVP_PKEY_get_bn_param(key, name, &bn);
  std::string out(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  BN_free(bn);
  return out;
}

std::string sign(EVP_PKEY* key, const std::string& input) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::size_t length = 0;
  EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key);
  EVP_DigestSign(ctx, nullptr, &length, nullptr, 0);
  std::string signature(length, '\0');
  EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &length,
                 reinterpret_cast<const unsigned char*>(input.data()), input.size());
  EVP_MD_CTX_free(ctx);
  signature.resize(length);
  return signature;
}

std::string rfc3339(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

int make(const std::string& dir, long count) {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  if (key == nullptr) return 1;
  const std::string kid = "jwk-test-bench";
  const nlohmann::json jwk = {{"kty", "RSA"},
                              {"alg", "RS256"},
                              {"use", "sig"},
                              {"kid", kid},
                              {"n", base64url(bignum(key, OSSL_PKEY_PARAM_RSA_N))},
                              {"e", base64url(bignum(key, OSSL_PKEY_PARAM_RSA_E))}};
  std::ofstream(dir + "/jwks.json") << nlohmann::json{{"keys", nlohmann::json::array({jwk})}}.dump() << "\n";
  const std::time_t now = std::time(nullptr);
  const std::string header = base64url(nlohmann::json{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", kid}}.dump());
  std::ofstream tokens(dir + "/tokens.txt");
  for (long i = 0; i <= count; ++i) {
    const std::string session_id = "session-test-" + std::to_string(100000000 + i);
    nlohmann::json claims = {
        {"sub", "user-test-00000000-0000-4000-8000-000000000001"},
        {"aud", nlohmann::json::array({kProjectId})},
        {"iss", std::string("stytch.com/") + kProjectId},
        {"iat", now},
        {"nbf", now},
        {"exp", now + 3600},
        {"plan", "pro"},
        {"https://stytch.com/session",
         {{"id", session_id},
          {"started_at", rfc3339(now)},
          {"last_accessed_at", rfc3339(now)},
          {"expires_at", rfc3339(now + 3600)},
          {"attributes", {{"ip_address", "203.0.113.7"}, {"user_agent", "Mozilla/5.0"}}},
          {"authentication_factors",
           nlohmann::json::array({{{"type", "otp"},
                                   {"delivery_method", "sms"},
                                   {"last_authenticated_at", rfc3339(now)},
                                   {"phone_number_factor",
                                    {{"phone_id", "phone-number-test-00000000-0000-4000-8000-000000000001"},
                                     {"phone_number", "+12025550162"}}}}})},
          {"roles", nlohmann::json::array({"stytch_user"})}}}};
    const std::string input = header + "." + base64url(claims.dump());
    tokens << input << "." << base64url(sign(key, input)) << "\n";
  }
  // The same shape for B2B: the member, the organization claim, an email
  // factor; as many claims, so that the two verifications compare.
  std::ofstream b2b_tokens(dir + "/b2b_tokens.txt");
  for (long i = 0; i <= count; ++i) {
    const std::string session_id = "member-session-test-" + std::to_string(100000000 + i);
    nlohmann::json claims = {
        {"sub", "member-test-00000000-0000-4000-8000-000000000001"},
        {"aud", nlohmann::json::array({kProjectId})},
        {"iss", std::string("stytch.com/") + kProjectId},
        {"iat", now},
        {"nbf", now},
        {"exp", now + 3600},
        {"plan", "pro"},
        {"https://stytch.com/session",
         {{"id", session_id},
          {"started_at", rfc3339(now)},
          {"last_accessed_at", rfc3339(now)},
          {"expires_at", rfc3339(now + 3600)},
          {"authentication_factors",
           nlohmann::json::array({{{"type", "otp"},
                                   {"delivery_method", "email"},
                                   {"last_authenticated_at", rfc3339(now)},
                                   {"email_factor",
                                    {{"email_id", "email-test-00000000-0000-4000-8000-000000000001"},
                                     {"email_address", "ada@acme.example"}}}}})},
          {"roles", nlohmann::json::array({"stytch_member"})}}},
        {"https://stytch.com/organization",
         {{"organization_id", "organization-test-00000000-0000-4000-8000-000000000001"}, {"slug", "acme"}}}};
    const std::string input = header + "." + base64url(claims.dump());
    b2b_tokens << input << "." << base64url(sign(key, input)) << "\n";
  }
  EVP_PKEY_free(key);
  return 0;
}

// CPU time of this thread: the loop runs on it alone.
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

int verify(const std::string& base_url, const std::string& dir, const std::string& mode, long count,
           const std::string& ca_file) {
  const bool b2b = mode.rfind("b2b-", 0) == 0;
  std::vector<std::string> tokens;
  std::ifstream in(dir + (b2b ? "/b2b_tokens.txt" : "/tokens.txt"));
  for (std::string line; std::getline(in, line);) tokens.push_back(line);
  if (tokens.size() < 2) return 1;
  const std::string warm_up = tokens.back();
  tokens.pop_back();

  stytch::ClientOptions options;
  options.project_id = kProjectId;
  options.secret = kSecret;
  options.base_url = base_url;
  options.ca_file = ca_file;
  const stytch::StytchClient client(options);
  stytch::sessions::AuthenticateJwtLocalParams params;
  auto verify_one = [&]() -> bool {
    if (b2b) return client.b2b.sessions.authenticate_jwt_local(params).ok();
    return client.sessions.authenticate_jwt_local(params).ok();
  };
  params.session_jwt = warm_up;
  if (!verify_one()) {
    std::cerr << "the first verification (which fetches the keys) failed\n";
    return 1;
  }

  const bool distinct = mode == "distinct" || mode == "b2b-distinct";
  const long n = distinct ? static_cast<long>(tokens.size()) : count;
  long failures = 0;
  const double start = cpu_seconds();
  for (long i = 0; i < n; ++i) {
    params.session_jwt = tokens[distinct ? static_cast<std::size_t>(i) : 0];
    if (!verify_one()) ++failures;
  }
  const double seconds = cpu_seconds() - start;
  std::printf("cpp-%s %ld %.3f %.0f %ld\n", mode.c_str(), n, seconds, static_cast<double>(n) / seconds, failures);
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 3 && args[0] == "make") return make(args[1], std::stol(args[2]));
  if ((args.size() == 5 || args.size() == 6) && args[0] == "verify") {
    return verify(args[1], args[2], args[3], std::stol(args[4]), args.size() == 6 ? args[5] : "");
  }
  std::cerr
      << "usage: stytch-jwt-bench make DIR COUNT | verify BASE_URL DIR [b2b-]distinct|[b2b-]repeated COUNT [CA_FILE]\n";
  return 2;
}
