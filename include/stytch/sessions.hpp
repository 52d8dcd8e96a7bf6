#ifndef STYTCH_SESSIONS_HPP
#define STYTCH_SESSIONS_HPP

/// @file stytch/sessions.hpp
/// The session calls, reached as `client.sessions`: authenticate, list and
/// revoke sessions, and verify session JWTs locally.

#include <stytch/export.hpp>
#include <stytch/result.hpp>
#include <stytch/session.hpp>
#include <stytch/user.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace stytch {

namespace internal {
class Core;
class SessionVerifier;
}  // namespace internal

/// The requests and responses of `client.sessions`.
namespace sessions {

/// The request of client.sessions.authenticate(): exactly one of
/// session_token and session_jwt.
struct AuthenticateParams {
  /// The opaque session token from a login.
  std::optional<std::string> session_token;
  /// The session JWT; one whose exp has passed is still accepted while the
  /// session lives, and the answer carries a fresh JWT.
  std::optional<std::string> session_jwt;
  /// Extend the session to now + this many minutes.
  std::optional<int> session_duration_minutes;
  /// Custom claims to add to the session: a JSON object.
  std::optional<nlohmann::json> session_custom_claims;
};

/// The answer to a successful authenticate.
struct AuthenticateResponse {
  int status_code = 0;        ///< The HTTP status code Stytch reported.
  std::string request_id;     ///< Stytch's id for this request.
  stytch::User user;          ///< The session's user.
  stytch::Session session;    ///< The session, as it is now.
  std::string session_token;  ///< The session token.
  std::string session_jwt;    ///< A fresh session JWT (5 minutes of life).
  nlohmann::json raw;         ///< The whole JSON answer.
};

/// The request of client.sessions.get().
struct GetParams {
  std::string user_id;  ///< Required: whose sessions to list.
};

/// The answer to a successful get.
struct GetResponse {
  int status_code = 0;                    ///< The HTTP status code Stytch reported.
  std::string request_id;                 ///< Stytch's id for this request.
  std::vector<stytch::Session> sessions;  ///< The user's active sessions.
  nlohmann::json raw;                     ///< The whole JSON answer.
};

/// The request of client.sessions.revoke(): exactly one of the three.
struct RevokeParams {
  std::optional<std::string> session_id;     ///< The session's id.
  std::optional<std::string> session_token;  ///< The session's token.
  std::optional<std::string> session_jwt;    ///< A JWT of the session.
};

/// The answer to a successful revoke.
struct RevokeResponse {
  int status_code = 0;     ///< The HTTP status code Stytch reported.
  std::string request_id;  ///< Stytch's id for this request.
  nlohmann::json raw;      ///< The whole JSON answer.
};

/// The answer to get_jwks: the project's public signing keys.
struct GetJwksResponse {
  int status_code = 0;     ///< The HTTP status code Stytch reported.
  std::string request_id;  ///< Stytch's id for this request (when it sent one).
  nlohmann::json keys;     ///< The JWKS `keys` array, as Stytch sent it.
  nlohmann::json raw;      ///< The whole JSON answer.
};

/// The request of client.sessions.authenticate_jwt_local().
struct AuthenticateJwtLocalParams {
  /// The session JWT to verify.
  std::string session_jwt;
  /// Refuse a token issued (iat) longer ago than this (`jwt_too_old`).
  std::optional<std::chrono::seconds> max_token_age;
  /// Leeway on exp and nbf, for clocks that disagree a little.
  std::chrono::seconds clock_tolerance{0};
};

/// The request of client.sessions.authenticate_jwt().
struct AuthenticateJwtParams {
  /// The session JWT to verify.
  std::string session_jwt;
  /// Refuse locally a token issued longer ago than this; the API is asked.
  std::optional<std::chrono::seconds> max_token_age;
  /// Leeway on exp and nbf.
  std::chrono::seconds clock_tolerance{0};
  /// Sent when the API is asked: extend the session to now + N minutes.
  std::optional<int> session_duration_minutes;
  /// Sent when the API is asked: custom claims to add to the session.
  std::optional<nlohmann::json> session_custom_claims;
};

/// The answer to a successful authenticate_jwt.
struct AuthenticateJwtResponse {
  stytch::Session session;  ///< The session the JWT belongs to.
  /// The JWT to use from now on: the one given when it verified locally, a
  /// fresh one when the API answered.
  std::string session_jwt;
  /// True when the JWT was verified locally; false when the API answered.
  bool verified_locally = false;
};

}  // namespace sessions

/// The Sessions product: `client.sessions`.
///
/// authenticate, get, revoke and get_jwks call the API. authenticate_jwt_local
/// verifies a session JWT with the project's public keys (RS256 only), which
/// are fetched on first need and cached; it makes no network call once they
/// are cached, and remembers tokens it verified so a repeat costs no RSA
/// work (exp, nbf and max_token_age are still checked on every call). A JWT
/// refused locally is an Error of kind ErrorKind::invalid_jwt whose
/// error_type says why. Copies of a client share the key and token caches.
/// As with Otps, an `_async` call returning a future is refused inside a
/// callback (ErrorKind::invalid_argument at once).
class STYTCH_EXPORT Sessions {
 public:
  /// Receives the Result of an async call, once (see Otps::Callback).
  template <typename Response>
  using Callback = std::function<void(Result<Response>)>;

  /// Made by StytchClient; use client.sessions.
  Sessions(std::shared_ptr<internal::Core> core, std::string project_id);

  /// POST /v1/sessions/authenticate: checks a session token or JWT (an
  /// expired JWT of a live session is refreshed).
  Result<sessions::AuthenticateResponse> authenticate(const sessions::AuthenticateParams& params) const;
  /// authenticate without waiting: the future gets the Result.
  std::future<Result<sessions::AuthenticateResponse>> authenticate_async(
      const sessions::AuthenticateParams& params) const;
  /// authenticate without waiting: `on_done` gets the Result.
  void authenticate_async(const sessions::AuthenticateParams& params,
                          Callback<sessions::AuthenticateResponse> on_done) const;

  /// GET /v1/sessions?user_id=: the user's active sessions.
  Result<sessions::GetResponse> get(const sessions::GetParams& params) const;
  /// get without waiting: the future gets the Result.
  std::future<Result<sessions::GetResponse>> get_async(const sessions::GetParams& params) const;
  /// get without waiting: `on_done` gets the Result.
  void get_async(const sessions::GetParams& params, Callback<sessions::GetResponse> on_done) const;

  /// POST /v1/sessions/revoke: ends a session. Its JWTs still verify
  /// locally until they expire (at most 5 minutes).
  Result<sessions::RevokeResponse> revoke(const sessions::RevokeParams& params) const;
  /// revoke without waiting: the future gets the Result.
  std::future<Result<sessions::RevokeResponse>> revoke_async(const sessions::RevokeParams& params) const;
  /// revoke without waiting: `on_done` gets the Result.
  void revoke_async(const sessions::RevokeParams& params, Callback<sessions::RevokeResponse> on_done) const;

  /// GET /v1/sessions/jwks/{project_id}: the project's public keys, fresh
  /// from the API (the verification cache is not consulted).
  Result<sessions::GetJwksResponse> get_jwks() const;
  /// get_jwks without waiting: the future gets the Result.
  std::future<Result<sessions::GetJwksResponse>> get_jwks_async() const;
  /// get_jwks without waiting: `on_done` gets the Result.
  void get_jwks_async(Callback<sessions::GetJwksResponse> on_done) const;

  /// Verifies a session JWT locally and returns the session its claims
  /// describe. Refusals are ErrorKind::invalid_jwt; a failure to fetch the
  /// keys (none cached yet) is the fetch's own Error.
  Result<stytch::Session> authenticate_jwt_local(const sessions::AuthenticateJwtLocalParams& params) const;
  /// authenticate_jwt_local without waiting: the future gets the Result.
  std::future<Result<stytch::Session>> authenticate_jwt_local_async(
      const sessions::AuthenticateJwtLocalParams& params) const;
  /// authenticate_jwt_local without waiting: `on_done` gets the Result, on
  /// the caller's thread when no key fetch is needed (the keys are cached),
  /// otherwise on the client's I/O thread once the one fetch under way has
  /// ended. A call waiting for the keys costs no thread.
  void authenticate_jwt_local_async(const sessions::AuthenticateJwtLocalParams& params,
                                    Callback<stytch::Session> on_done) const;

  /// Verifies a session JWT locally, and asks the API (sessions
  /// authenticate) only when the API can say more: the token expired, is
  /// older than max_token_age, or names a key the JWKS lacks. A forged,
  /// malformed or misaddressed token is refused without a call.
  Result<sessions::AuthenticateJwtResponse> authenticate_jwt(const sessions::AuthenticateJwtParams& params) const;
  /// authenticate_jwt without waiting: the future gets the Result.
  std::future<Result<sessions::AuthenticateJwtResponse>> authenticate_jwt_async(
      const sessions::AuthenticateJwtParams& params) const;
  /// authenticate_jwt without waiting: `on_done` gets the Result, on the
  /// caller's thread when the JWT is settled locally with cached keys,
  /// otherwise on the client's I/O thread (after the key fetch, or the API's
  /// answer).
  void authenticate_jwt_async(const sessions::AuthenticateJwtParams& params,
                              Callback<sessions::AuthenticateJwtResponse> on_done) const;

 private:
  std::shared_ptr<internal::Core> core_;
  std::shared_ptr<internal::SessionVerifier> verifier_;
};

}  // namespace stytch

#endif  // STYTCH_SESSIONS_HPP
