#ifndef STYTCH_SESSION_HPP
#define STYTCH_SESSION_HPP

/// @file session.hpp
/// A Stytch session, as started by an authenticate call.

#include <stytch/attributes.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace stytch {

/// One way the user proved who they are in this session.
struct AuthenticationFactor {
  /// "otp", "magic_link" ...
  std::string type;
  /// "sms", "whatsapp", "email" ...
  std::string delivery_method;
  /// RFC 3339 timestamp.
  std::string last_authenticated_at;
  /// The whole factor, with its method-specific details (phone_number_factor ...).
  nlohmann::json raw;
};

struct Session {
  std::string session_id;
  std::string user_id;
  /// RFC 3339 timestamps.
  std::string started_at;
  std::string last_accessed_at;
  std::string expires_at;
  std::vector<AuthenticationFactor> authentication_factors;
  std::vector<std::string> roles;
  /// The IP address and User-Agent the session was started from.
  Attributes attributes;
  /// The custom claims set on the session, as a JSON object (null when none).
  nlohmann::json custom_claims;
};

}  // namespace stytch

#endif  // STYTCH_SESSION_HPP
