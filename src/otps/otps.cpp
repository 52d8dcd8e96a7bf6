#include <stytch/otps.hpp>

#include "call/call.hpp"
#include "otps/otps_json.hpp"

namespace stytch {

using internal::post;

// One line per call: its route; the blocking, future and callback forms follow.
STYTCH_CALL(Otps::Sms, send, post("v1/otps/sms/send", internal::phone_send_body))
STYTCH_CALL(Otps::Sms, login_or_create, post("v1/otps/sms/login_or_create", internal::phone_login_or_create_body))
STYTCH_CALL(Otps::Whatsapp, send, post("v1/otps/whatsapp/send", internal::phone_send_body))
STYTCH_CALL(Otps::Whatsapp, login_or_create,
            post("v1/otps/whatsapp/login_or_create", internal::phone_login_or_create_body))
STYTCH_CALL(Otps::Email, send, post("v1/otps/email/send", internal::email_send_body))
STYTCH_CALL(Otps::Email, login_or_create, post("v1/otps/email/login_or_create", internal::email_login_or_create_body))
STYTCH_CALL(Otps, authenticate, post("v1/otps/authenticate", internal::authenticate_body))

}  // namespace stytch
