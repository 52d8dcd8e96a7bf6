#ifndef STYTCH_B2B_MEMBER_SESSION_HPP
#define STYTCH_B2B_MEMBER_SESSION_HPP

/// @file stytch/b2b/member_session.hpp
/// A member session, as started by a B2B login.

#include <stytch/session.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace stytch::b2b {

/// A member session: proof that a member logged in to an organization, for a while.
struct MemberSession {
  std::string member_session_id;  ///< The session's id.
  std::string member_id;          ///< The member (a JWT's sub).
  std::string organization_id;    ///< The organization (a JWT's organization claim).
  std::string organization_slug;  ///< The organization's slug (the organization claim's "slug").
  std::string started_at;         ///< When it started (RFC 3339).
  std::string last_accessed_at;   ///< When it was last used (RFC 3339).
  std::string expires_at;         ///< When it ends (RFC 3339).
  /// How the member logged in; each factor's raw keeps its details
  /// (email_factor, phone_number_factor ...).
  std::vector<stytch::AuthenticationFactor> authentication_factors;
  std::vector<std::string> roles;  ///< The role ids the session grants.
  /// The custom claims, a JSON object (null when none); never holds the
  /// Stytch claims or the registered ones.
  nlohmann::json custom_claims;
};

}  // namespace stytch::b2b

#endif  // STYTCH_B2B_MEMBER_SESSION_HPP
