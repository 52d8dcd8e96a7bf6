#ifndef STYTCH_B2B_ORGANIZATION_HPP
#define STYTCH_B2B_ORGANIZATION_HPP

/// @file stytch/b2b/organization.hpp
/// A B2B organization, and the settings one is created with.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace stytch::b2b {

/// The main fields of an organization: those that decide how its members
/// log in. The rest (SSO, SCIM, OAuth tenants, custom roles, connected
/// apps) is in the response's `raw["organization"]`.
struct Organization {
  std::string organization_id;           ///< The organization's id.
  std::string organization_name;         ///< Its display name.
  std::string organization_slug;         ///< Its unique URL slug; accepted wherever an id is.
  std::string organization_logo_url;     ///< Its logo's URL; empty when none.
  std::string organization_external_id;  ///< The caller's own id for it; empty when none.
  std::vector<std::string>
      email_allowed_domains;                      ///< Domains allowed for JIT provisioning and invites when RESTRICTED.
  std::string email_jit_provisioning;             ///< "RESTRICTED" or "NOT_ALLOWED".
  std::string email_invites;                      ///< "ALL_ALLOWED", "RESTRICTED" or "NOT_ALLOWED".
  std::string sso_jit_provisioning;               ///< "ALL_ALLOWED", "RESTRICTED" or "NOT_ALLOWED".
  std::string auth_methods;                       ///< "ALL_ALLOWED" or "RESTRICTED".
  std::vector<std::string> allowed_auth_methods;  ///< "email_otp", "magic_link", "sso" ... when RESTRICTED.
  std::string mfa_policy;                         ///< "OPTIONAL" or "REQUIRED_FOR_ALL".
  std::string mfa_methods;                        ///< "ALL_ALLOWED" or "RESTRICTED".
  std::vector<std::string> allowed_mfa_methods;   ///< "sms_otp", "totp" when RESTRICTED.
  std::string created_at;                         ///< When it was created (RFC 3339); empty when absent.
  std::string updated_at;                         ///< When it last changed (RFC 3339); empty when absent.
  nlohmann::json trusted_metadata;                ///< Free-form JSON set by the backend, as it came (null when absent).
};

/// The settings an organization is created with. Each is optional: left
/// out of the request body when unset, and sent at the body's top level
/// when set. Stytch judges the values.
struct OrganizationSettings {
  /// Domains allowed for JIT provisioning and invites (common providers
  /// such as gmail.com are refused by Stytch).
  std::optional<std::vector<std::string>> email_allowed_domains;
  std::optional<std::string> email_jit_provisioning;  ///< "RESTRICTED" or "NOT_ALLOWED".
  std::optional<std::string> email_invites;           ///< "ALL_ALLOWED", "RESTRICTED" or "NOT_ALLOWED".
  std::optional<std::string> sso_jit_provisioning;    ///< "ALL_ALLOWED", "RESTRICTED" or "NOT_ALLOWED".
  std::optional<std::string> auth_methods;            ///< "ALL_ALLOWED" or "RESTRICTED".
  /// The primary factors allowed; needed (non-empty) with RESTRICTED auth_methods.
  std::optional<std::vector<std::string>> allowed_auth_methods;
  std::optional<std::string> mfa_policy;   ///< "OPTIONAL" or "REQUIRED_FOR_ALL".
  std::optional<std::string> mfa_methods;  ///< "ALL_ALLOWED" or "RESTRICTED".
  /// The MFA factors allowed; needed (non-empty) with RESTRICTED mfa_methods.
  std::optional<std::vector<std::string>> allowed_mfa_methods;
};

}  // namespace stytch::b2b

#endif  // STYTCH_B2B_ORGANIZATION_HPP
