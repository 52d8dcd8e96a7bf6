#ifndef STYTCH_OTPS_SMS_HPP
#define STYTCH_OTPS_SMS_HPP

/// @file otps/sms.hpp
/// Requests and responses of the SMS one-time passcode calls.

#include <stytch/otps/phone.hpp>

namespace stytch::otps::sms {

/// POST /v1/otps/sms/send.
using SendParams = PhoneSendParams;
using SendResponse = PhoneSendResponse;
/// POST /v1/otps/sms/login_or_create.
using LoginOrCreateParams = PhoneLoginOrCreateParams;
using LoginOrCreateResponse = PhoneLoginOrCreateResponse;

}  // namespace stytch::otps::sms

#endif  // STYTCH_OTPS_SMS_HPP
