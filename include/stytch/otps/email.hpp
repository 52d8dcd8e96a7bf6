#ifndef STYTCH_OTPS_EMAIL_HPP
#define STYTCH_OTPS_EMAIL_HPP

/// @file stytch/otps/email.hpp
/// Requests and responses of the email one-time passcode calls.

#include <stytch/attributes.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace stytch::otps::email {

/// POST /v1/otps/email/send: send a code to the email address of an existing
/// user (or attach the address to the user named by user_id / session).
struct SendParams {
  /// Required. Only what is certainly not an address is refused locally.
  std::string email;
  /// Minutes until the code expires (Stytch allows 1 to 10, default 2).
  std::optional<int> expiration_minutes;
  /// Language of the message, a BCP 47 tag such as "es".
  std::optional<std::string> locale;
  /// The end user's IP address and User-Agent, for fraud checks.
  std::optional<Attributes> attributes;
  /// Attach the address to this existing user.
  std::optional<std::string> user_id;
  /// Attach the address to the user of this session.
  std::optional<std::string> session_token;
  /// Attach the address to the user of this session JWT.
  std::optional<std::string> session_jwt;
  /// A custom email template for existing users.
  std::optional<std::string> login_template_id;
  /// A custom email template for new users.
  std::optional<std::string> signup_template_id;
};

/// The answer to a successful email send.
struct SendResponse {
  std::string request_id;  ///< Stytch's id for this request, worth logging for support.
  int status_code = 0;     ///< The HTTP status code Stytch reported.
  std::string user_id;     ///< The user the address belongs to.
  /// The address's id: the method_id to authenticate the code with.
  std::string email_id;
  /// The whole JSON answer.
  nlohmann::json raw;
};

/// POST /v1/otps/email/login_or_create: send a code, creating a user for the
/// address if there is none.
struct LoginOrCreateParams {
  /// Required. Only what is certainly not an address is refused locally.
  std::string email;
  /// Minutes until the code expires (Stytch allows 1 to 10, default 2).
  std::optional<int> expiration_minutes;
  /// Language of the message, a BCP 47 tag such as "es".
  std::optional<std::string> locale;
  /// The end user's IP address and User-Agent, for fraud checks.
  std::optional<Attributes> attributes;
  /// Create a new user with status "pending" rather than "active".
  std::optional<bool> create_user_as_pending;
  /// A custom email template for existing users.
  std::optional<std::string> login_template_id;
  /// A custom email template for new users.
  std::optional<std::string> signup_template_id;
};

/// The answer to a successful email login-or-create.
struct LoginOrCreateResponse {
  std::string request_id;  ///< Stytch's id for this request, worth logging for support.
  int status_code = 0;     ///< The HTTP status code Stytch reported.
  std::string user_id;     ///< The user the address belongs to, new or existing.
  /// The method_id to authenticate the code with.
  std::string email_id;
  /// Whether a new user was created for this address.
  bool user_created = false;
  /// The whole JSON answer.
  nlohmann::json raw;
};

}  // namespace stytch::otps::email

#endif  // STYTCH_OTPS_EMAIL_HPP
