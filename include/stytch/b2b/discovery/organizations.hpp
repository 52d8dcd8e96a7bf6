#ifndef STYTCH_B2B_DISCOVERY_ORGANIZATIONS_HPP
#define STYTCH_B2B_DISCOVERY_ORGANIZATIONS_HPP

/// @file stytch/b2b/discovery/organizations.hpp
/// Requests and responses of discovery.organizations.list and .create.

#include <stytch/b2b/discovered_organization.hpp>
#include <stytch/b2b/login.hpp>
#include <stytch/b2b/organization.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace stytch::b2b::discovery::organizations {

/// POST /v1/b2b/discovery/organizations: exactly one of the three.
struct ListParams {
  std::optional<std::string> intermediate_session_token;  ///< From a discovery login.
  std::optional<std::string> session_token;               ///< Or a member session.
  std::optional<std::string> session_jwt;                 ///< Or a JWT of one.
};

/// The answer of POST /v1/b2b/discovery/organizations.
struct ListResponse {
  int status_code = 0;        ///< The HTTP status code Stytch reported.
  std::string request_id;     ///< Stytch's id for this request.
  std::string email_address;  ///< The user's address.
  /// The organizations the user may log in to.
  std::vector<b2b::DiscoveredOrganization> discovered_organizations;
  /// The organization the intermediate session token was minted for; empty when none.
  std::string organization_id_hint;
  nlohmann::json raw;  ///< The whole JSON answer.
};

/// POST /v1/b2b/discovery/organizations/create: a new organization, with
/// the user as its first member.
struct CreateParams {
  std::string intermediate_session_token;               ///< Required.
  std::optional<int> session_duration_minutes;          ///< Stytch's default is 60.
  std::optional<nlohmann::json> session_custom_claims;  ///< A JSON object.
  std::optional<std::string> organization_name;         ///< Derived from the email address when unset.
  std::optional<std::string> organization_slug;         ///< Derived from the email address when unset.
  std::optional<std::string> organization_external_id;  ///< The caller's own id for it.
  std::optional<std::string> organization_logo_url;     ///< Its logo's URL.
  std::optional<nlohmann::json> trusted_metadata;       ///< A JSON object.
  b2b::OrganizationSettings settings;                   ///< Sent at the body's top level.
  std::optional<std::string> telemetry_id;              ///< A device fingerprint id.
};
/// The answer of POST /v1/b2b/discovery/organizations/create.
using CreateResponse = b2b::LoginResponse;

}  // namespace stytch::b2b::discovery::organizations

#endif  // STYTCH_B2B_DISCOVERY_ORGANIZATIONS_HPP
