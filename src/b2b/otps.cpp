#include <stytch/b2b/otps.hpp>

#include "b2b/b2b_json.hpp"
#include "call/call.hpp"

namespace stytch::b2b {

using internal::post;

STYTCH_CALL(Otps::Sms, send, post(internal::kB2bSmsSendPath, internal::b2b_sms_send_body))
STYTCH_CALL(Otps::Sms, authenticate, post(internal::kB2bSmsAuthenticatePath, internal::b2b_sms_authenticate_body))
STYTCH_CALL(Otps::Email, login_or_signup,
            post(internal::kB2bEmailLoginOrSignupPath, internal::b2b_email_login_or_signup_body))
STYTCH_CALL(Otps::Email, authenticate, post(internal::kB2bEmailAuthenticatePath, internal::b2b_email_authenticate_body))
STYTCH_CALL(Otps::Email::Discovery, send,
            post(internal::kB2bEmailDiscoverySendPath, internal::b2b_email_discovery_send_body))
STYTCH_CALL(Otps::Email::Discovery, authenticate,
            post(internal::kB2bEmailDiscoveryAuthenticatePath, internal::b2b_email_discovery_authenticate_body))

}  // namespace stytch::b2b
