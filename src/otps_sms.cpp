#include "otps_sms.hpp"

#include "core.hpp"
#include "validation.hpp"

#include <stytch/otps.hpp>

namespace stytch::internal {

std::optional<Error> check_phone_number(const std::string& phone_number) {
  if (!phone_number.empty() && is_e164(phone_number)) return std::nullopt;
  Error e;
  e.kind = ErrorKind::invalid_argument;
  // The number itself is left out: error text is logged, phone numbers are personal data.
  e.error_message = phone_number.empty() ? "phone_number is required"
                                         : "phone_number must be E.164: '+', then 2 to 15 digits, the first not 0";
  return e;
}

BodyWriter sms_send_body(const otps::sms::SendParams& params) {
  BodyWriter body;
  body.put("phone_number", params.phone_number);
  body.put("expiration_minutes", params.expiration_minutes);
  body.put("locale", params.locale);
  body.put("attributes", params.attributes);
  body.put("user_id", params.user_id);
  body.put("session_token", params.session_token);
  body.put("session_jwt", params.session_jwt);
  return body;
}

void decode_sms_send(const nlohmann::json& object, otps::sms::SendResponse& out) {
  read_required(object, "request_id", out.request_id);
  read_optional(object, "status_code", out.status_code);
  read_required(object, "user_id", out.user_id);
  read_required(object, "phone_id", out.phone_id);
}

}  // namespace stytch::internal

namespace stytch {

Result<otps::sms::SendResponse> Otps::Sms::send(const otps::sms::SendParams& params) const {
  if (auto refused = internal::check_phone_number(params.phone_number)) return std::move(*refused);
  return core_->call<otps::sms::SendResponse>("v1/otps/sms/send", internal::sms_send_body(params),
                                              internal::decode_sms_send);
}

}  // namespace stytch
