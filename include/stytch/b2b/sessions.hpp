#ifndef STYTCH_B2B_SESSIONS_HPP
#define STYTCH_B2B_SESSIONS_HPP

/// @file stytch/b2b/sessions.hpp
/// The member session calls, reached as `client.b2b.sessions`:
/// authenticate, list, revoke and exchange member sessions, and verify
/// B2B session JWTs locally.

#include <stytch/b2b/login.hpp>
#include <stytch/b2b/member.hpp>
#include <stytch/b2b/member_session.hpp>
#include <stytch/b2b/organization.hpp>
#include <stytch/export.hpp>
#include <stytch/result.hpp>
#include <stytch/sessions.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace stytch {

namespace internal {
class Core;
class MemberSessionVerifier;
}  // namespace internal

/// The requests and responses of `client.b2b.sessions`.
namespace b2b::sessions {

/// Asks Stytch to check a permission as well (a 403 when refused).
struct AuthorizationCheck {
  std::string organization_id;  ///< Must be the session's organization.
  std::string resource_id;      ///< An RBAC resource.
  std::string action;           ///< An action on it.
};

/// POST /v1/b2b/sessions/authenticate: exactly one of session_token and session_jwt.
struct AuthenticateParams {
  std::optional<std::string> session_token;  ///< The opaque session token.
  /// The session JWT; an expired one of a live session is accepted and the
  /// answer carries a fresh JWT.
  std::optional<std::string> session_jwt;
  std::optional<int> session_duration_minutes;            ///< Extend to now + N minutes; absent: not extended.
  std::optional<nlohmann::json> session_custom_claims;    ///< A JSON object.
  std::optional<AuthorizationCheck> authorization_check;  ///< Checked by Stytch, not locally.
};

/// The answer of POST /v1/b2b/sessions/authenticate.
struct AuthenticateResponse {
  int status_code = 0;                ///< The HTTP status code Stytch reported.
  std::string request_id;             ///< Stytch's id for this request.
  b2b::MemberSession member_session;  ///< The session, as it is now.
  std::string session_token;          ///< The session token.
  std::string session_jwt;            ///< A fresh session JWT.
  b2b::Member member;                 ///< The member.
  b2b::Organization organization;     ///< The organization.
  /// verdict.granting_roles when an authorization_check was asked; empty otherwise.
  std::vector<std::string> granting_roles;
  nlohmann::json raw;  ///< The whole JSON answer.
};

/// GET /v1/b2b/sessions?organization_id=&member_id=.
struct GetParams {
  std::string organization_id;  ///< Required.
  std::string member_id;        ///< Required.
};

/// The answer of GET /v1/b2b/sessions.
struct GetResponse {
  int status_code = 0;                              ///< The HTTP status code Stytch reported.
  std::string request_id;                           ///< Stytch's id for this request.
  std::vector<b2b::MemberSession> member_sessions;  ///< The member's live sessions.
  nlohmann::json raw;                               ///< The whole JSON answer.
};

/// POST /v1/b2b/sessions/revoke: exactly one of the four.
struct RevokeParams {
  std::optional<std::string> member_session_id;  ///< One session, by id.
  std::optional<std::string> session_token;      ///< One session, by token.
  std::optional<std::string> session_jwt;        ///< One session, by JWT.
  std::optional<std::string> member_id;          ///< Every session of this member.
};

/// The answer of POST /v1/b2b/sessions/revoke.
struct RevokeResponse {
  int status_code = 0;     ///< The HTTP status code Stytch reported.
  std::string request_id;  ///< Stytch's id for this request.
  nlohmann::json raw;      ///< The whole JSON answer.
};

/// POST /v1/b2b/sessions/exchange: the same member, into another organization.
struct ExchangeParams {
  std::string organization_id;                          ///< Required: the target organization.
  std::optional<std::string> session_token;             ///< Exactly one of session_token and session_jwt.
  std::optional<std::string> session_jwt;               ///< Or the session's JWT.
  std::optional<int> session_duration_minutes;          ///< Stytch's default is 60.
  std::optional<nlohmann::json> session_custom_claims;  ///< A JSON object.
  std::optional<std::string> locale;                    ///< Language of an MFA SMS.
  std::optional<std::string> telemetry_id;              ///< A device fingerprint id.
};
/// The answer of POST /v1/b2b/sessions/exchange.
using ExchangeResponse = b2b::LoginResponse;

/// The answer of get_jwks, as the consumer call's (the path differs).
using GetJwksResponse = stytch::sessions::GetJwksResponse;
/// The request of authenticate_jwt_local, as the consumer one.
using AuthenticateJwtLocalParams = stytch::sessions::AuthenticateJwtLocalParams;
/// The request of authenticate_jwt, as the consumer one.
using AuthenticateJwtParams = stytch::sessions::AuthenticateJwtParams;

/// The answer of a successful authenticate_jwt.
struct AuthenticateJwtResponse {
  b2b::MemberSession member_session;  ///< The session the JWT belongs to.
  std::string session_jwt;            ///< The JWT given, or a fresh one when the API answered.
  bool verified_locally = false;      ///< True when verified locally; false when the API answered.
};

}  // namespace b2b::sessions

namespace b2b {

/// The B2B Sessions product: `client.b2b.sessions`.
///
/// authenticate, get, revoke, exchange and get_jwks call the API.
/// authenticate_jwt_local verifies a B2B session JWT with the project's
/// public keys (fetched from the B2B path on first need and cached apart
/// from the consumer ones), with the same checks and errors as
/// stytch::Sessions::authenticate_jwt_local.
class STYTCH_EXPORT Sessions {
 public:
  /// Receives the Result of an async call, once (see stytch::Otps::Callback).
  template <typename Response>
  using Callback = std::function<void(Result<Response>)>;

  /// Made by StytchClient; use client.b2b.sessions.
  Sessions(std::shared_ptr<internal::Core> core, std::string project_id);

  /// POST /v1/b2b/sessions/authenticate: checks a session token or JWT.
  Result<sessions::AuthenticateResponse> authenticate(const sessions::AuthenticateParams& params) const;
  /// authenticate without waiting: the future gets the Result.
  std::future<Result<sessions::AuthenticateResponse>> authenticate_async(
      const sessions::AuthenticateParams& params) const;
  /// authenticate without waiting: `on_done` gets the Result (see Callback).
  void authenticate_async(const sessions::AuthenticateParams& params,
                          Callback<sessions::AuthenticateResponse> on_done) const;

  /// GET /v1/b2b/sessions?organization_id=&member_id=: the member's live sessions.
  Result<sessions::GetResponse> get(const sessions::GetParams& params) const;
  /// get without waiting: the future gets the Result.
  std::future<Result<sessions::GetResponse>> get_async(const sessions::GetParams& params) const;
  /// get without waiting: `on_done` gets the Result (see Callback).
  void get_async(const sessions::GetParams& params, Callback<sessions::GetResponse> on_done) const;

  /// POST /v1/b2b/sessions/revoke: ends one session, or every session of a
  /// member. Their JWTs still verify locally until they expire.
  Result<sessions::RevokeResponse> revoke(const sessions::RevokeParams& params) const;
  /// revoke without waiting: the future gets the Result.
  std::future<Result<sessions::RevokeResponse>> revoke_async(const sessions::RevokeParams& params) const;
  /// revoke without waiting: `on_done` gets the Result (see Callback).
  void revoke_async(const sessions::RevokeParams& params, Callback<sessions::RevokeResponse> on_done) const;

  /// POST /v1/b2b/sessions/exchange: logs the session's member in to another organization.
  Result<sessions::ExchangeResponse> exchange(const sessions::ExchangeParams& params) const;
  /// exchange without waiting: the future gets the Result.
  std::future<Result<sessions::ExchangeResponse>> exchange_async(const sessions::ExchangeParams& params) const;
  /// exchange without waiting: `on_done` gets the Result (see Callback).
  void exchange_async(const sessions::ExchangeParams& params, Callback<sessions::ExchangeResponse> on_done) const;

  /// GET /v1/b2b/sessions/jwks/{project_id}: the project's public keys,
  /// fresh from the API (the verification cache is not consulted).
  Result<sessions::GetJwksResponse> get_jwks() const;
  /// get_jwks without waiting: the future gets the Result.
  std::future<Result<sessions::GetJwksResponse>> get_jwks_async() const;
  /// get_jwks without waiting: `on_done` gets the Result (see Callback).
  void get_jwks_async(Callback<sessions::GetJwksResponse> on_done) const;

  /// Verifies a B2B session JWT locally and returns the member session its
  /// claims describe; the organization claim is in organization_id and
  /// organization_slug. Refusals are ErrorKind::invalid_jwt.
  Result<MemberSession> authenticate_jwt_local(const sessions::AuthenticateJwtLocalParams& params) const;
  /// authenticate_jwt_local without waiting: the future gets the Result.
  std::future<Result<MemberSession>> authenticate_jwt_local_async(
      const sessions::AuthenticateJwtLocalParams& params) const;
  /// authenticate_jwt_local without waiting: `on_done` gets the Result, as
  /// stytch::Sessions::authenticate_jwt_local_async.
  void authenticate_jwt_local_async(const sessions::AuthenticateJwtLocalParams& params,
                                    Callback<MemberSession> on_done) const;

  /// Verifies a B2B session JWT locally, and asks the API (authenticate)
  /// only when the token expired, is older than max_token_age, or names a
  /// key the JWKS lacks. A forged, malformed or misaddressed token is
  /// refused without a call.
  Result<sessions::AuthenticateJwtResponse> authenticate_jwt(const sessions::AuthenticateJwtParams& params) const;
  /// authenticate_jwt without waiting: the future gets the Result.
  std::future<Result<sessions::AuthenticateJwtResponse>> authenticate_jwt_async(
      const sessions::AuthenticateJwtParams& params) const;
  /// authenticate_jwt without waiting: `on_done` gets the Result, as
  /// stytch::Sessions::authenticate_jwt_async.
  void authenticate_jwt_async(const sessions::AuthenticateJwtParams& params,
                              Callback<sessions::AuthenticateJwtResponse> on_done) const;

 private:
  std::shared_ptr<internal::Core> core_;
  std::shared_ptr<internal::MemberSessionVerifier> verifier_;  // its own JWKS cache, at the B2B path
};

}  // namespace b2b

}  // namespace stytch

#endif  // STYTCH_B2B_SESSIONS_HPP
