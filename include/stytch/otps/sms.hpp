#ifndef STYTCH_OTPS_SMS_HPP
#define STYTCH_OTPS_SMS_HPP

/// @file otps/sms.hpp
/// Requests and responses of the SMS one-time passcode calls.

#include <stytch/attributes.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace stytch::otps::sms {

/// POST /v1/otps/sms/send: send a code to a phone number of an existing user.
struct SendParams {
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

/// The answer to a successful SendParams call.
struct SendResponse {
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

}  // namespace stytch::otps::sms

#endif  // STYTCH_OTPS_SMS_HPP
