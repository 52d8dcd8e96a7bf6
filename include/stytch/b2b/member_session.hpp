#ifndef STYTCH_B2B_MEMBER_SESSION_HPP
#define STYTCH_B2B_MEMBER_SESSION_HPP

/// @file member_session.hpp
/// A B2B member session, as the API answers it or a verified JWT states it.

#include <stytch/session.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace stytch::b2b {

/// A member session: proof that a member logged in to an organization.
struct MemberSession {
  std::string member_session_id;  ///< The session's id.
  std::string member_id;          ///< The member (the JWT's sub).
  std::string organization_id;    ///< The organization (JWT: organization claim).
  std::string organization_slug;  ///< Its slug (JWT: organization claim's "slug").
  std::string started_at;         ///< RFC 3339.
  std::string last_accessed_at;   ///< RFC 3339.
  std::string expires_at;         ///< RFC 3339.
  std::vector<stytch::AuthenticationFactor> authentication_factors;  ///< How the member logged in.
  std::vector<std::string> roles;  ///< Role ids the session grants.
  /// An object (null when none); never holds the Stytch or registered claims.
  nlohmann::json custom_claims;
};

}  // namespace stytch::b2b

#endif  // STYTCH_B2B_MEMBER_SESSION_HPP
