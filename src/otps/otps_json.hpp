#ifndef STYTCH_SRC_OTPS_JSON_HPP
#define STYTCH_SRC_OTPS_JSON_HPP

// The JSON of the OTP calls, apart from the transport so it can be tested
// alone: request bodies (after the checks a standard fixes) and decoders of
// successful answers (which throw FieldError on a wrong shape).

#include "json/json_fields.hpp"

#include <stytch/otps/authenticate.hpp>
#include <stytch/otps/email.hpp>
#include <stytch/otps/phone.hpp>

namespace stytch::internal {

BodyWriter phone_send_body(const otps::PhoneSendParams& params);
BodyWriter phone_login_or_create_body(const otps::PhoneLoginOrCreateParams& params);
BodyWriter email_send_body(const otps::email::SendParams& params);
BodyWriter email_login_or_create_body(const otps::email::LoginOrCreateParams& params);
BodyWriter authenticate_body(const otps::AuthenticateParams& params);

void write_fields(BodyWriter& out, const otps::AuthenticateOptions& options);

void decode(const nlohmann::json& object, otps::PhoneSendResponse& out);
void decode(const nlohmann::json& object, otps::PhoneLoginOrCreateResponse& out);
void decode(const nlohmann::json& object, otps::email::SendResponse& out);
void decode(const nlohmann::json& object, otps::email::LoginOrCreateResponse& out);
void decode(const nlohmann::json& object, otps::AuthenticateResponse& out);

}  // namespace stytch::internal

#endif
