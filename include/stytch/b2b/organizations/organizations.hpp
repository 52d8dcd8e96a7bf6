#ifndef STYTCH_B2B_ORGANIZATIONS_ORGANIZATIONS_HPP
#define STYTCH_B2B_ORGANIZATIONS_ORGANIZATIONS_HPP

/// @file stytch/b2b/organizations/organizations.hpp
/// Requests and responses of organizations.create and .get.

#include <stytch/b2b/login.hpp>
#include <stytch/b2b/organization.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace stytch::b2b::organizations {

/// POST /v1/b2b/organizations.
struct CreateParams {
  std::string organization_name;                        ///< Required.
  std::optional<std::string> organization_slug;         ///< 2 to 128 of A-Za-z0-9-._~, unique.
  std::optional<std::string> organization_logo_url;     ///< Its logo's URL.
  std::optional<std::string> organization_external_id;  ///< The caller's own id for it.
  std::optional<nlohmann::json> trusted_metadata;       ///< A JSON object.
  b2b::OrganizationSettings settings;                   ///< Sent at the body's top level.
};
/// The answer of POST /v1/b2b/organizations.
using CreateResponse = b2b::OrganizationResponse;

/// GET /v1/b2b/organizations/{organization_id}.
struct GetParams {
  std::string organization_id;  ///< Required: the id, slug or external id.
};
/// The answer of GET /v1/b2b/organizations/{organization_id}.
using GetResponse = b2b::OrganizationResponse;

}  // namespace stytch::b2b::organizations

#endif  // STYTCH_B2B_ORGANIZATIONS_ORGANIZATIONS_HPP
