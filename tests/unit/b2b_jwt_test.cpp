// Local verification of B2B session JWTs: the consumer checks, shared, plus
// the organization claim (required) and the B2B mapping of claims to a
// MemberSession.

#include "jwt/session_verifier.hpp"
#include "jwt_signer.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

using nlohmann::json;
using stytch::ErrorKind;
using stytch::internal::JwksFetch;
using stytch::internal::MemberSessionVerifier;
using stytch::mock::RsaSigningKey;
using namespace std::chrono_literals;

namespace {

constexpr const char* kB2bProject = "project-test-33333333-3333-4333-8333-333333333333";
constexpr long long kB2bT0 = 1800000000;

const RsaSigningKey& b2b_key() {
  static const RsaSigningKey k("jwk-test-b2b");
  return k;
}

json member_claims(long long t) {
  return {{"sub", "member-test-1"},
          {"aud", json::array({kB2bProject})},
          {"iss", std::string("stytch.com/") + kB2bProject},
          {"iat", t},
          {"nbf", t},
          {"exp", t + 300},
          {"jti", "jwt-id-1"},
          {"plan", "enterprise"},
          {"https://stytch.com/session",
           {{"id", "member-session-test-1"},
            {"started_at", "2027-01-15T08:00:00Z"},
            {"last_accessed_at", "2027-01-15T08:01:00Z"},
            {"expires_at", "2027-01-15T09:00:00Z"},
            {"authentication_factors",
             json::array({{{"type", "otp"},
                           {"delivery_method", "email"},
                           {"last_authenticated_at", "2027-01-15T08:00:00Z"},
                           {"email_factor", {{"email_id", "email-test-1"}, {"email_address", "ada@example.com"}}}},
                          {{"type", "otp"}, {"delivery_method", "sms"}}})},
            {"roles", json::array({"stytch_member", "stytch_admin"})}}},
          {"https://stytch.com/organization", {{"organization_id", "organization-test-1"}, {"slug", "acme.co|eu"}}}};
}

std::string member_token(const json& claims) {
  return stytch::mock::sign_jwt({{"alg", "RS256"}, {"typ", "JWT"}, {"kid", b2b_key().kid()}}, claims, b2b_key());
}

struct MemberHarness {
  MemberHarness()
      : verifier(kB2bProject, "https://test.stytch.com/", []() -> stytch::Result<JwksFetch> {
          return JwksFetch{json::array({b2b_key().jwk()}), std::nullopt};
        }) {
    verifier.set_clock([] { return std::chrono::system_clock::time_point(std::chrono::seconds(kB2bT0)); });
  }
  stytch::Result<stytch::b2b::MemberSession> verify(const json& claims) {
    return verifier.verify(member_token(claims), std::nullopt, 0s);
  }
  MemberSessionVerifier verifier;
};

std::string member_refusal(const stytch::Result<stytch::b2b::MemberSession>& r) {
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == ErrorKind::invalid_jwt);
  return r.error().error_type;
}

}  // namespace

TEST_CASE("a B2B token verifies and its claims become the MemberSession") {
  MemberHarness h;
  auto r = h.verify(member_claims(kB2bT0));
  REQUIRE(r);
  CHECK(r->member_id == "member-test-1");
  CHECK(r->member_session_id == "member-session-test-1");
  CHECK(r->organization_id == "organization-test-1");
  CHECK(r->organization_slug == "acme.co|eu");
  CHECK(r->started_at == "2027-01-15T08:00:00Z");
  CHECK(r->last_accessed_at == "2027-01-15T08:01:00Z");
  CHECK(r->expires_at == "2027-01-15T09:00:00Z");
  REQUIRE(r->authentication_factors.size() == 2);
  CHECK(r->authentication_factors[0].delivery_method == "email");
  CHECK(r->authentication_factors[0].raw.at("email_factor").at("email_id") == "email-test-1");
  CHECK(r->authentication_factors[1].delivery_method == "sms");
  CHECK(r->roles == std::vector<std::string>{"stytch_member", "stytch_admin"});
  // Registered claims, jti and both Stytch claims are left out.
  CHECK(r->custom_claims == json{{"plan", "enterprise"}});
}

TEST_CASE("a B2B token presented again gives the same MemberSession from the cache") {
  MemberHarness h;
  const std::string jwt = member_token(member_claims(kB2bT0));
  auto first = h.verifier.verify(jwt, std::nullopt, 0s);
  auto second = h.verifier.verify(jwt, std::nullopt, 0s);
  auto third = h.verifier.verify(jwt, std::nullopt, 0s);
  REQUIRE(first);
  REQUIRE(third);
  CHECK(h.verifier.cached_tokens() == 1);
  CHECK(third->organization_slug == "acme.co|eu");
  CHECK(third->member_id == first->member_id);
  CHECK(third->custom_claims == first->custom_claims);
}

TEST_CASE("the organization claim is required: an object with string organization_id and slug") {
  MemberHarness h;
  json missing = member_claims(kB2bT0);
  missing.erase("https://stytch.com/organization");
  CHECK(member_refusal(h.verify(missing)) == "jwt_claims");
  for (const json& bad :
       {json("organization-test-1"), json(nullptr), json::array(), json{{"organization_id", "organization-test-1"}},
        json{{"slug", "acme"}}, json{{"organization_id", 7}, {"slug", "acme"}},
        json{{"organization_id", "organization-test-1"}, {"slug", nullptr}},
        json{{"organization_id", ""}, {"slug", "acme"}}}) {
    json claims = member_claims(kB2bT0);
    claims["https://stytch.com/organization"] = bad;
    INFO(bad.dump());
    CHECK(member_refusal(h.verify(claims)) == "jwt_claims");
  }
}

TEST_CASE("B2B tokens get the consumer refusals: audience, issuer, expiry, session claim") {
  MemberHarness h;
  json claims = member_claims(kB2bT0);
  claims["aud"] = json::array({"project-test-other"});
  CHECK(member_refusal(h.verify(claims)) == "jwt_audience");
  claims = member_claims(kB2bT0);
  claims["iss"] = "stytch.com/project-test-other";
  CHECK(member_refusal(h.verify(claims)) == "jwt_issuer");
  claims = member_claims(kB2bT0 - 600);
  CHECK(member_refusal(h.verify(claims)) == "jwt_expired");
  claims = member_claims(kB2bT0);
  claims.erase("https://stytch.com/session");
  CHECK(member_refusal(h.verify(claims)) == "jwt_claims");
  claims = member_claims(kB2bT0);
  claims["https://stytch.com/session"].erase("id");
  CHECK(member_refusal(h.verify(claims)) == "jwt_claims");
  // The base URL is the other accepted issuer (custom domains).
  claims = member_claims(kB2bT0);
  claims["iss"] = "https://test.stytch.com";
  CHECK(h.verify(claims));
}

TEST_CASE("a consumer verifier keeps an organization claim among the custom claims") {
  stytch::internal::SessionVerifier verifier(kB2bProject, "https://test.stytch.com/",
                                             []() -> stytch::Result<JwksFetch> {
                                               return JwksFetch{json::array({b2b_key().jwk()}), std::nullopt};
                                             });
  verifier.set_clock([] { return std::chrono::system_clock::time_point(std::chrono::seconds(kB2bT0)); });
  auto r = verifier.verify(member_token(member_claims(kB2bT0)), std::nullopt, 0s);
  REQUIRE(r);
  CHECK(r->user_id == "member-test-1");
  CHECK(r->custom_claims.at("https://stytch.com/organization").at("slug") == "acme.co|eu");
  CHECK(r->custom_claims.at("plan") == "enterprise");
}
