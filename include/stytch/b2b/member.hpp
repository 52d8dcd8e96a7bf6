#ifndef STYTCH_B2B_MEMBER_HPP
#define STYTCH_B2B_MEMBER_HPP

/// @file stytch/b2b/member.hpp
/// A member of a B2B organization, and the roles it holds.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace stytch::b2b {

/// Where a role assignment comes from.
struct MemberRoleSource {
  /// "direct_assignment", "email_assignment", "sso_connection",
  /// "sso_connection_group", "scim_connection_group" ...
  std::string type;
  /// Details of the source (the email domain, the connection ...); null when none.
  nlohmann::json details;
};

/// A role a member holds, and every assignment that grants it.
struct MemberRole {
  std::string role_id;                    ///< "stytch_member", "stytch_admin", or a custom role.
  std::vector<MemberRoleSource> sources;  ///< Every assignment that grants it.
};

/// The main fields of a member. Everything else Stytch returns about the
/// member (SSO and OAuth registrations, retired email addresses, SCIM ...)
/// is in the response's `raw["member"]`.
struct Member {
  std::string organization_id;             ///< The member's organization.
  std::string member_id;                   ///< The member's id.
  std::string email_address;               ///< The member's email address.
  bool email_address_verified = false;     ///< Whether the member has proved they own the address.
  std::string status;                      ///< "pending", "invited", "active" or "deleted".
  std::string name;                        ///< The name, one string; empty when not set.
  std::string mfa_phone_number;            ///< The MFA phone number in E.164; empty when none.
  bool mfa_phone_number_verified = false;  ///< Whether the member has proved they own the number.
  bool mfa_enrolled = false;               ///< MFA at every login, whatever the organization's policy.
  std::string default_mfa_method;          ///< "sms_otp", "totp", or empty.
  std::string totp_registration_id;        ///< Empty when the member has no TOTP.
  bool is_breakglass = false;              ///< Bypasses the organization's auth and MFA method restrictions.
  bool is_admin = false;                   ///< Holds the stytch_admin role.
  bool is_locked = false;                  ///< Locked out after failed attempts.
  std::vector<MemberRole> roles;           ///< The member's roles, explicit and implicit.
  std::string external_id;                 ///< The caller's own id for the member; empty when none.
  std::string created_at;                  ///< When the member was created (RFC 3339); empty when absent.
  std::string updated_at;                  ///< When the member last changed (RFC 3339); empty when absent.
  nlohmann::json trusted_metadata;         ///< Free-form JSON set by the backend, as it came (null when absent).
  nlohmann::json untrusted_metadata;       ///< Free-form JSON the member may edit, as it came (null when absent).
};

}  // namespace stytch::b2b

#endif  // STYTCH_B2B_MEMBER_HPP
