#ifndef STYTCH_B2B_OTPS_SMS_HPP
#define STYTCH_B2B_OTPS_SMS_HPP

/// @file stytch/b2b/otps/sms.hpp
/// Requests and responses of the B2B SMS one-time passcode calls (an MFA
/// factor, never a primary one).

#include <stytch/b2b/login.hpp>
#include <stytch/b2b/member.hpp>
#include <stytch/b2b/member_session.hpp>
#include <stytch/b2b/organization.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace stytch::b2b::otps::sms {

/// POST /v1/b2b/otps/sms/send: a code to the member's MFA phone number.
struct SendParams {
  std::string organization_id;                  ///< Required: the id, slug or external id.
  std::string member_id;                        ///< Required: the id or external id.
  std::optional<std::string> mfa_phone_number;  ///< E.164; linked to the member when it has none.
  std::optional<std::string> locale;            ///< Language of the message, a BCP 47 tag such as "es".
  /// Proves the primary step (and an existing MFA factor, when the member has one).
  std::optional<std::string> intermediate_session_token;
  std::optional<std::string> session_token;  ///< Or a session that does.
  std::optional<std::string> session_jwt;    ///< Or a JWT of such a session.
};
/// The answer of POST /v1/b2b/otps/sms/send.
using SendResponse = b2b::MemberResponse;

/// POST /v1/b2b/otps/sms/authenticate: checks the code; success always ends
/// in a session.
struct AuthenticateParams {
  std::string organization_id;  ///< Required.
  std::string member_id;        ///< Required.
  std::string code;             ///< Required: the code the member received.
  /// Exactly one of intermediate_session_token, session_token and
  /// session_jwt. An intermediate session token is consumed.
  std::optional<std::string> intermediate_session_token;
  std::optional<std::string> session_token;             ///< Step up this session.
  std::optional<std::string> session_jwt;               ///< Step up the session of this JWT.
  std::optional<int> session_duration_minutes;          ///< 5 to 527040; Stytch's default is 60.
  std::optional<nlohmann::json> session_custom_claims;  ///< A JSON object, at most 4 KB.
  /// "enroll" or "unenroll" (ignored under an mfa_policy of REQUIRED_FOR_ALL).
  std::optional<std::string> set_mfa_enrollment;
  std::optional<bool> set_default_mfa;      ///< Make SMS the member's default MFA method.
  std::optional<std::string> telemetry_id;  ///< A device fingerprint id.
};

/// The answer of POST /v1/b2b/otps/sms/authenticate.
struct AuthenticateResponse {
  int status_code = 0;                               ///< The HTTP status code Stytch reported.
  std::string request_id;                            ///< Stytch's id for this request.
  std::string member_id;                             ///< The member.
  b2b::Member member;                                ///< The member, as it is now.
  b2b::Organization organization;                    ///< The organization.
  std::string session_token;                         ///< The session token.
  std::string session_jwt;                           ///< The session JWT (5 minutes of life).
  std::optional<b2b::MemberSession> member_session;  ///< The session (always sent in practice).
  nlohmann::json member_device;                      ///< Device fingerprint details (null when absent).
  nlohmann::json raw;                                ///< The whole JSON answer.
};

}  // namespace stytch::b2b::otps::sms

#endif  // STYTCH_B2B_OTPS_SMS_HPP
