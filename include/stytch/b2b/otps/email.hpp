#ifndef STYTCH_B2B_OTPS_EMAIL_HPP
#define STYTCH_B2B_OTPS_EMAIL_HPP

/// @file stytch/b2b/otps/email.hpp
/// Requests and responses of the B2B email one-time passcode calls (a
/// primary factor).

#include <stytch/b2b/login.hpp>
#include <stytch/b2b/member.hpp>
#include <stytch/b2b/organization.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace stytch::b2b::otps::email {

/// POST /v1/b2b/otps/email/login_or_signup: a login code for an existing
/// member, a signup code for a new, pending or invited one.
struct LoginOrSignupParams {
  std::string organization_id;                    ///< Required.
  std::string email_address;                      ///< Required.
  std::optional<std::string> login_template_id;   ///< A custom template for existing members.
  std::optional<std::string> signup_template_id;  ///< A custom template for new, pending or invited members.
  std::optional<std::string> locale;              ///< Language of the email, a BCP 47 tag.
  std::optional<int> login_expiration_minutes;    ///< 2 to 15; Stytch's default is 10.
  std::optional<int> signup_expiration_minutes;   ///< 2 to 15; Stytch's default is 10.
};

/// The answer of POST /v1/b2b/otps/email/login_or_signup.
struct LoginOrSignupResponse {
  int status_code = 0;             ///< The HTTP status code Stytch reported.
  std::string request_id;          ///< Stytch's id for this request.
  std::string member_id;           ///< The member, new or existing.
  bool member_created = false;     ///< Whether this call created the member.
  b2b::Member member;              ///< The member.
  b2b::Organization organization;  ///< The organization.
  nlohmann::json raw;              ///< The whole JSON answer.
};

/// POST /v1/b2b/otps/email/authenticate: the primary step of a login; may
/// stop at MFA (see b2b::LoginResponse).
struct AuthenticateParams {
  std::string organization_id;                            ///< Required.
  std::string email_address;                              ///< Required.
  std::string code;                                       ///< Required: the code the member received.
  std::optional<std::string> session_token;               ///< A live session: MFA is not asked again.
  std::optional<std::string> session_jwt;                 ///< Or a JWT of one.
  std::optional<std::string> intermediate_session_token;  ///< The factors gathered so far.
  /// 5 to 527040; Stytch's default is 60; ignored when MFA is due.
  std::optional<int> session_duration_minutes;
  std::optional<nlohmann::json> session_custom_claims;  ///< A JSON object; ignored when MFA is due.
  std::optional<std::string> locale;                    ///< Language of the MFA SMS Stytch may send.
  std::optional<std::string> telemetry_id;              ///< A device fingerprint id.
};
/// The answer of POST /v1/b2b/otps/email/authenticate.
using AuthenticateResponse = b2b::LoginResponse;

}  // namespace stytch::b2b::otps::email

#endif  // STYTCH_B2B_OTPS_EMAIL_HPP
