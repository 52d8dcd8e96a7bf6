#ifndef STYTCH_SESSION_HPP
#define STYTCH_SESSION_HPP

/// @file stytch/session.hpp
/// A Stytch session, as started by an authenticate call.

#include <stytch/attributes.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace stytch {

/// One way the user proved who they are in this session.
struct AuthenticationFactor {
  std::string type;                   ///< "otp", "magic_link" ...
  std::string delivery_method;        ///< "sms", "whatsapp", "email" ...
  std::string last_authenticated_at;  ///< When the factor was last used (RFC 3339).
  /// The whole factor, with its method-specific details (phone_number_factor ...).
  nlohmann::json raw;
};

/// A session: proof that the user authenticated, for a while.
struct Session {
  std::string session_id;                                    ///< The session's id.
  std::string user_id;                                       ///< The user it belongs to.
  std::string started_at;                                    ///< When it started (RFC 3339).
  std::string last_accessed_at;                              ///< When it was last used (RFC 3339).
  std::string expires_at;                                    ///< When it ends (RFC 3339).
  std::vector<AuthenticationFactor> authentication_factors;  ///< How the user authenticated.
  std::vector<std::string> roles;                            ///< The roles the session grants.
  Attributes attributes;  ///< The IP address and User-Agent the session was started from.
  /// The custom claims set on the session, as a JSON object (null when none).
  nlohmann::json custom_claims;
};

}  // namespace stytch

#endif  // STYTCH_SESSION_HPP
