#ifndef STYTCH_OTPS_AUTHENTICATE_HPP
#define STYTCH_OTPS_AUTHENTICATE_HPP

/// @file stytch/otps/authenticate.hpp
/// POST /v1/otps/authenticate: check a code and, when asked, start a session.

#include <stytch/attributes.hpp>
#include <stytch/session.hpp>
#include <stytch/user.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace stytch::otps {

/// Extra checks against the attributes the code was sent with.
struct AuthenticateOptions {
  /// Require the IP address to match the one the code was sent to.
  std::optional<bool> ip_match_required;
  /// Require the User-Agent to match the one the code was sent to.
  std::optional<bool> user_agent_match_required;
};

/// The request of client.otps.authenticate().
struct AuthenticateParams {
  /// Required: the phone_id or email_id the code was sent to.
  std::string method_id;
  /// Required: the code the user entered.
  std::string code;
  /// The end user's IP address and User-Agent, for fraud checks and options.
  std::optional<Attributes> attributes;
  /// Require the attributes to match those the code was sent with.
  std::optional<AuthenticateOptions> options;
  /// Add this factor to an existing session instead of starting a new one.
  std::optional<std::string> session_token;
  /// Add this factor to the session of this JWT instead of starting a new one.
  std::optional<std::string> session_jwt;
  /// Start (or extend) a session of this many minutes (Stytch allows 5 to
  /// 527040). Without it no session is started.
  std::optional<int> session_duration_minutes;
  /// Custom claims for the session: a JSON object (at most 4 KB).
  std::optional<nlohmann::json> session_custom_claims;
  /// A device fingerprint id from Stytch's fraud tools.
  std::optional<std::string> telemetry_id;
};

/// The answer to a successful authenticate.
struct AuthenticateResponse {
  std::string request_id;  ///< Stytch's id for this request, worth logging for support.
  int status_code = 0;     ///< The HTTP status code Stytch reported.
  std::string user_id;     ///< The user who authenticated.
  /// The phone_id or email_id that was authenticated.
  std::string method_id;
  /// Empty when no session was started.
  std::string session_token;
  /// The session as a JWT; empty when no session was started.
  std::string session_jwt;
  /// The user, with the method just verified.
  User user;
  /// Whether the user's other sessions were revoked.
  bool reset_sessions = false;
  /// Present only when a session was started or extended.
  std::optional<Session> session;
  /// Device fingerprint details, when Stytch returns them (null otherwise).
  nlohmann::json user_device;
  /// The whole JSON answer.
  nlohmann::json raw;
};

}  // namespace stytch::otps

#endif  // STYTCH_OTPS_AUTHENTICATE_HPP
