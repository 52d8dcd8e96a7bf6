#ifndef STYTCH_B2B_OTPS_EMAIL_DISCOVERY_HPP
#define STYTCH_B2B_OTPS_EMAIL_DISCOVERY_HPP

/// @file stytch/b2b/otps/email_discovery.hpp
/// Requests and responses of the email discovery calls: a code before an
/// organization is chosen.

#include <stytch/b2b/discovered_organization.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace stytch::b2b::otps::email::discovery {

/// POST /v1/b2b/otps/email/discovery/send: a code, no organization yet.
struct SendParams {
  std::string email_address;                        ///< Required.
  std::optional<std::string> login_template_id;     ///< A custom template.
  std::optional<std::string> locale;                ///< Language of the email, a BCP 47 tag.
  std::optional<int> discovery_expiration_minutes;  ///< 2 to 15; Stytch's default is 10.
};

/// The answer of POST /v1/b2b/otps/email/discovery/send.
struct SendResponse {
  int status_code = 0;     ///< The HTTP status code Stytch reported.
  std::string request_id;  ///< Stytch's id for this request.
  nlohmann::json raw;      ///< The whole JSON answer.
};

/// POST /v1/b2b/otps/email/discovery/authenticate.
struct AuthenticateParams {
  std::string email_address;  ///< Required.
  std::string code;           ///< Required: the code the user received.
};

/// The answer of POST /v1/b2b/otps/email/discovery/authenticate.
struct AuthenticateResponse {
  int status_code = 0;     ///< The HTTP status code Stytch reported.
  std::string request_id;  ///< Stytch's id for this request.
  /// For discovery.intermediate_sessions.exchange, organizations.create and .list.
  std::string intermediate_session_token;
  std::string intermediate_session_token_expires_at;  ///< RFC 3339; empty when not given.
  std::string email_address;                          ///< The address the user proved.
  /// Where the user may log in.
  std::vector<b2b::DiscoveredOrganization> discovered_organizations;
  nlohmann::json raw;  ///< The whole JSON answer.
};

}  // namespace stytch::b2b::otps::email::discovery

#endif  // STYTCH_B2B_OTPS_EMAIL_DISCOVERY_HPP
