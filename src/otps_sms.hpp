#ifndef STYTCH_SRC_OTPS_SMS_HPP
#define STYTCH_SRC_OTPS_SMS_HPP

// The JSON of the SMS calls, apart from the transport so it can be tested alone.

#include "json_fields.hpp"

#include <stytch/otps/sms.hpp>

namespace stytch::internal {

/// The request body for /v1/otps/sms/send, after checking what a standard
/// fixes (E.164); a refused field shows in the writer's error().
BodyWriter sms_send_body(const otps::sms::SendParams& params);

/// Reads a successful /v1/otps/sms/send answer; throws FieldError.
void decode_sms_send(const nlohmann::json& object, otps::sms::SendResponse& out);

/// The invalid_argument Error for a phone number that is empty or not E.164.
std::optional<Error> check_phone_number(const std::string& phone_number);

}  // namespace stytch::internal

#endif
