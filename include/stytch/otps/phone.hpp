#ifndef STYTCH_OTPS_PHONE_HPP
#define STYTCH_OTPS_PHONE_HPP

/// @file stytch/otps/phone.hpp
/// Requests and responses shared by the phone channels, SMS and WhatsApp,
/// which Stytch gives the same shape. Use them through their channel's
/// names: stytch::otps::sms::SendParams, stytch::otps::whatsapp::SendParams ...

#include <stytch/attributes.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace stytch::otps {

/// Send a code to the phone number of an existing user (or attach the number
/// to the user named by user_id / session_token / session_jwt).
struct PhoneSendParams {
  /// Required. E.164: `+`, then 2 to 15 digits, the first not 0.
  std::string phone_number;
  /// Minutes until the code expires (Stytch allows 1 to 10, default 2).
  std::optional<int> expiration_minutes;
  /// Language of the message, a BCP 47 tag such as "es" or "pt-br".
  std::optional<std::string> locale;
  /// The end user's IP address and User-Agent, for fraud checks.
  std::optional<Attributes> attributes;
  /// Attach the phone number to this existing user.
  std::optional<std::string> user_id;
  /// Attach the phone number to the user of this session.
  std::optional<std::string> session_token;
  /// Attach the phone number to the user of this session JWT.
  std::optional<std::string> session_jwt;
};

/// The answer to a successful send.
struct PhoneSendResponse {
  /// Stytch's id for this request, worth logging for support.
  std::string request_id;
  /// The HTTP status code Stytch reported.
  int status_code = 0;
  /// The user the phone number belongs to.
  std::string user_id;
  /// The phone number's id: the method_id to authenticate the code with.
  std::string phone_id;
  /// The whole JSON answer, so no field Stytch adds is ever out of reach.
  nlohmann::json raw;
};

/// Send a code to a phone number, creating a user for it if there is none.
struct PhoneLoginOrCreateParams {
  /// Required. E.164: `+`, then 2 to 15 digits, the first not 0.
  std::string phone_number;
  /// Minutes until the code expires (Stytch allows 1 to 10, default 2).
  std::optional<int> expiration_minutes;
  /// Language of the message, a BCP 47 tag.
  std::optional<std::string> locale;
  /// The end user's IP address and User-Agent, for fraud checks.
  std::optional<Attributes> attributes;
  /// Create a new user with status "pending" rather than "active".
  std::optional<bool> create_user_as_pending;
};

/// The answer to a successful login-or-create.
struct PhoneLoginOrCreateResponse {
  std::string request_id;  ///< Stytch's id for this request, worth logging for support.
  int status_code = 0;     ///< The HTTP status code Stytch reported.
  std::string user_id;     ///< The user the number belongs to, new or existing.
  /// The method_id to authenticate the code with.
  std::string phone_id;
  /// Whether a new user was created for this phone number.
  bool user_created = false;
  /// The whole JSON answer.
  nlohmann::json raw;
};

}  // namespace stytch::otps

#endif  // STYTCH_OTPS_PHONE_HPP
