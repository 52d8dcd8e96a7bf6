#include <stytch/otps.hpp>

#include "core.hpp"
#include "otps_json.hpp"

namespace stytch {

namespace {

// Picks the decode overload for the response type at hand.
constexpr auto kDecode = [](const nlohmann::json& object, auto& response) { internal::decode(object, response); };

template <typename Response>
Result<Response> post(internal::Core& core, const char* path, const internal::BodyWriter& body) {
  return core.call<Response>(path, body, kDecode);
}

}  // namespace

Result<otps::sms::SendResponse> Otps::Sms::send(const otps::sms::SendParams& params) const {
  return post<otps::sms::SendResponse>(*core_, "v1/otps/sms/send", internal::phone_send_body(params));
}

Result<otps::sms::LoginOrCreateResponse> Otps::Sms::login_or_create(
    const otps::sms::LoginOrCreateParams& params) const {
  return post<otps::sms::LoginOrCreateResponse>(*core_, "v1/otps/sms/login_or_create",
                                                internal::phone_login_or_create_body(params));
}

Result<otps::whatsapp::SendResponse> Otps::Whatsapp::send(const otps::whatsapp::SendParams& params) const {
  return post<otps::whatsapp::SendResponse>(*core_, "v1/otps/whatsapp/send", internal::phone_send_body(params));
}

Result<otps::whatsapp::LoginOrCreateResponse> Otps::Whatsapp::login_or_create(
    const otps::whatsapp::LoginOrCreateParams& params) const {
  return post<otps::whatsapp::LoginOrCreateResponse>(*core_, "v1/otps/whatsapp/login_or_create",
                                                     internal::phone_login_or_create_body(params));
}

Result<otps::email::SendResponse> Otps::Email::send(const otps::email::SendParams& params) const {
  return post<otps::email::SendResponse>(*core_, "v1/otps/email/send", internal::email_send_body(params));
}

Result<otps::email::LoginOrCreateResponse> Otps::Email::login_or_create(
    const otps::email::LoginOrCreateParams& params) const {
  return post<otps::email::LoginOrCreateResponse>(*core_, "v1/otps/email/login_or_create",
                                                  internal::email_login_or_create_body(params));
}

Result<otps::AuthenticateResponse> Otps::authenticate(const otps::AuthenticateParams& params) const {
  return post<otps::AuthenticateResponse>(*core_, "v1/otps/authenticate", internal::authenticate_body(params));
}

}  // namespace stytch
