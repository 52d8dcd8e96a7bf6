#ifndef STYTCH_B2B_LOGIN_HPP
#define STYTCH_B2B_LOGIN_HPP

/// @file stytch/b2b/login.hpp
/// The answers several B2B calls share: a login (full, or up to a missing
/// step), one member, one organization.

#include <stytch/b2b/member.hpp>
#include <stytch/b2b/member_session.hpp>
#include <stytch/b2b/organization.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace stytch::b2b {

/// What a member still has to do for MFA.
struct MfaRequired {
  std::string mfa_phone_number;      ///< member_options.mfa_phone_number; empty when none.
  std::string totp_registration_id;  ///< member_options.totp_registration_id; empty when none.
  /// "sms_otp" when Stytch has just sent an SMS code; empty otherwise.
  std::string secondary_auth_initiated;
};

/// The primary factors the organization accepts, one of which the login lacks.
struct PrimaryRequired {
  std::vector<std::string> allowed_auth_methods;  ///< "magic_link", "email_otp", "sso" ...
};

/// The answer of a call that logs a member in to an organization: fully
/// (member_authenticated, with a session), or up to a missing step (an
/// intermediate session token, and what is missing). It answers
/// otps.email.authenticate, discovery.intermediate_sessions.exchange,
/// discovery.organizations.create and sessions.exchange, so one handler
/// serves every login step.
struct LoginResponse {
  int status_code = 0;                          ///< The HTTP status code Stytch reported.
  std::string request_id;                       ///< Stytch's id for this request.
  std::string member_id;                        ///< The member.
  Member member;                                ///< The member, as it is now.
  Organization organization;                    ///< The organization.
  bool member_authenticated = false;            ///< True: logged in; false: see mfa_required / primary_required.
  std::string session_token;                    ///< Empty unless member_authenticated.
  std::string session_jwt;                      ///< Empty unless member_authenticated.
  std::optional<MemberSession> member_session;  ///< Present only when member_authenticated.
  /// Empty when member_authenticated; otherwise pass it to the next step.
  std::string intermediate_session_token;
  std::string intermediate_session_token_expires_at;  ///< RFC 3339; empty when not given.
  std::optional<MfaRequired> mfa_required;            ///< Set when MFA is the missing step.
  std::optional<PrimaryRequired> primary_required;    ///< Set when a primary factor is missing.
  std::string method_id;         ///< otps.email.authenticate only: the email's id; empty otherwise.
  nlohmann::json member_device;  ///< Device fingerprint details (null when absent).
  nlohmann::json raw;            ///< The whole JSON answer.
};

/// The answer of a call about one member (otps.sms.send,
/// organizations.members.create and .get).
struct MemberResponse {
  int status_code = 0;        ///< The HTTP status code Stytch reported.
  std::string request_id;     ///< Stytch's id for this request.
  std::string member_id;      ///< The member.
  Member member;              ///< The member.
  Organization organization;  ///< Its organization.
  nlohmann::json raw;         ///< The whole JSON answer.
};

/// The answer of a call about one organization (organizations.create and .get).
struct OrganizationResponse {
  int status_code = 0;        ///< The HTTP status code Stytch reported.
  std::string request_id;     ///< Stytch's id for this request.
  Organization organization;  ///< The organization.
  nlohmann::json raw;         ///< The whole JSON answer.
};

}  // namespace stytch::b2b

#endif  // STYTCH_B2B_LOGIN_HPP
