#ifndef STYTCH_OTPS_WHATSAPP_HPP
#define STYTCH_OTPS_WHATSAPP_HPP

/// @file stytch/otps/whatsapp.hpp
/// Requests and responses of the WhatsApp one-time passcode calls, shaped as
/// the SMS ones.

#include <stytch/otps/phone.hpp>

namespace stytch::otps::whatsapp {

/// The request of POST /v1/otps/whatsapp/send.
using SendParams = PhoneSendParams;
/// The answer of POST /v1/otps/whatsapp/send.
using SendResponse = PhoneSendResponse;
/// The request of POST /v1/otps/whatsapp/login_or_create.
using LoginOrCreateParams = PhoneLoginOrCreateParams;
/// The answer of POST /v1/otps/whatsapp/login_or_create.
using LoginOrCreateResponse = PhoneLoginOrCreateResponse;

}  // namespace stytch::otps::whatsapp

#endif  // STYTCH_OTPS_WHATSAPP_HPP
