#ifndef STYTCH_OTPS_SMS_HPP
#define STYTCH_OTPS_SMS_HPP

/// @file stytch/otps/sms.hpp
/// Requests and responses of the SMS one-time passcode calls.

#include <stytch/otps/phone.hpp>

namespace stytch::otps::sms {

/// The request of POST /v1/otps/sms/send.
using SendParams = PhoneSendParams;
/// The answer of POST /v1/otps/sms/send.
using SendResponse = PhoneSendResponse;
/// The request of POST /v1/otps/sms/login_or_create.
using LoginOrCreateParams = PhoneLoginOrCreateParams;
/// The answer of POST /v1/otps/sms/login_or_create.
using LoginOrCreateResponse = PhoneLoginOrCreateResponse;

}  // namespace stytch::otps::sms

#endif  // STYTCH_OTPS_SMS_HPP
