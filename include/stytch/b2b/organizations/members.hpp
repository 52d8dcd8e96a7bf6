#ifndef STYTCH_B2B_ORGANIZATIONS_MEMBERS_HPP
#define STYTCH_B2B_ORGANIZATIONS_MEMBERS_HPP

/// @file stytch/b2b/organizations/members.hpp
/// Requests and responses of organizations.members.create and .get.

#include <stytch/b2b/login.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace stytch::b2b::organizations::members {

/// POST /v1/b2b/organizations/{organization_id}/members.
struct CreateParams {
  std::string organization_id;                       ///< Required; sent in the path only.
  std::string email_address;                         ///< Required.
  std::optional<std::string> name;                   ///< The display name.
  std::optional<nlohmann::json> trusted_metadata;    ///< A JSON object.
  std::optional<nlohmann::json> untrusted_metadata;  ///< A JSON object.
  std::optional<bool> create_member_as_pending;      ///< Status "pending" instead of "active".
  std::optional<bool> is_breakglass;                 ///< Exempt from the auth and MFA method restrictions.
  std::optional<std::string> mfa_phone_number;       ///< E.164.
  std::optional<bool> mfa_enrolled;                  ///< MFA at every login.
  std::optional<std::vector<std::string>> roles;     ///< Explicit role ids.
  std::optional<std::string> external_id;            ///< The caller's own id for the member.
};
/// The answer of POST /v1/b2b/organizations/{organization_id}/members.
using CreateResponse = b2b::MemberResponse;

/// GET /v1/b2b/organizations/{organization_id}/member?member_id= or ?email_address=.
struct GetParams {
  std::string organization_id;               ///< Required.
  std::optional<std::string> member_id;      ///< Exactly one of member_id and email_address.
  std::optional<std::string> email_address;  ///< Or the member's address.
};
/// The answer of GET /v1/b2b/organizations/{organization_id}/member.
using GetResponse = b2b::MemberResponse;

}  // namespace stytch::b2b::organizations::members

#endif  // STYTCH_B2B_ORGANIZATIONS_MEMBERS_HPP
