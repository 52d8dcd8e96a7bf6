#ifndef STYTCH_B2B_DISCOVERED_ORGANIZATION_HPP
#define STYTCH_B2B_DISCOVERED_ORGANIZATION_HPP

/// @file stytch/b2b/discovered_organization.hpp
/// An organization a discovery call found for the user, and how the user
/// relates to it.

#include <stytch/b2b/login.hpp>
#include <stytch/b2b/member.hpp>
#include <stytch/b2b/organization.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace stytch::b2b {

/// How the user relates to a discovered organization.
struct Membership {
  /// "active_member", "pending_member", "invited_member",
  /// "eligible_to_join_by_email_domain", "eligible_to_join_by_oauth_tenant" ...
  std::string type;
  nlohmann::json details;        ///< The matching domain or tenant; null when none.
  std::optional<Member> member;  ///< The member, when one exists.
};

/// An organization the user could log in to, from a discovery call.
struct DiscoveredOrganization {
  bool member_authenticated = false;                ///< The user's factors already satisfy it.
  std::optional<Organization> organization;         ///< The organization.
  std::optional<Membership> membership;             ///< The user's relation to it.
  std::optional<PrimaryRequired> primary_required;  ///< Set when another primary factor is needed.
  std::optional<MfaRequired> mfa_required;          ///< Set when MFA is needed.
};

}  // namespace stytch::b2b

#endif  // STYTCH_B2B_DISCOVERED_ORGANIZATION_HPP
