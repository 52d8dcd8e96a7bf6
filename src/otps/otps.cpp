#include <stytch/otps.hpp>

#include "call/core.hpp"
#include "otps/otps_json.hpp"

#include <future>
#include <memory>

namespace stytch {

namespace {

// Picks the decode overload for the response type at hand.
constexpr auto kDecode = [](const nlohmann::json& object, auto& response) { internal::decode(object, response); };

template <typename Response>
Result<Response> post(internal::Core& core, const char* path, const internal::BodyWriter& body) {
  return core.call<Response>(path, body, kDecode);
}

template <typename Response>
void post_async(internal::Core& core, const char* path, const internal::BodyWriter& body,
                Otps::Callback<Response> on_done) {
  core.call_async<Response>(path, body, kDecode, std::move(on_done));
}

// Refused inside a callback, where waiting for the future would wait for
// the thread that waits.
template <typename Response>
std::future<Result<Response>> post_future(internal::Core& core, const char* path, const internal::BodyWriter& body) {
  auto promise = std::make_shared<std::promise<Result<Response>>>();
  std::future<Result<Response>> future = promise->get_future();
  if (core.on_io_thread()) {
    promise->set_value(internal::future_inside_callback());
    return future;
  }
  post_async<Response>(core, path, body, [promise](Result<Response> r) { promise->set_value(std::move(r)); });
  return future;
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

std::future<Result<otps::sms::SendResponse>> Otps::Sms::send_async(const otps::sms::SendParams& params) const {
  return post_future<otps::sms::SendResponse>(*core_, "v1/otps/sms/send", internal::phone_send_body(params));
}

void Otps::Sms::send_async(const otps::sms::SendParams& params, Callback<otps::sms::SendResponse> on_done) const {
  post_async<otps::sms::SendResponse>(*core_, "v1/otps/sms/send", internal::phone_send_body(params),
                                      std::move(on_done));
}

std::future<Result<otps::sms::LoginOrCreateResponse>> Otps::Sms::login_or_create_async(
    const otps::sms::LoginOrCreateParams& params) const {
  return post_future<otps::sms::LoginOrCreateResponse>(*core_, "v1/otps/sms/login_or_create",
                                                       internal::phone_login_or_create_body(params));
}

void Otps::Sms::login_or_create_async(const otps::sms::LoginOrCreateParams& params,
                                      Callback<otps::sms::LoginOrCreateResponse> on_done) const {
  post_async<otps::sms::LoginOrCreateResponse>(*core_, "v1/otps/sms/login_or_create",
                                               internal::phone_login_or_create_body(params), std::move(on_done));
}

std::future<Result<otps::whatsapp::SendResponse>> Otps::Whatsapp::send_async(
    const otps::whatsapp::SendParams& params) const {
  return post_future<otps::whatsapp::SendResponse>(*core_, "v1/otps/whatsapp/send", internal::phone_send_body(params));
}

void Otps::Whatsapp::send_async(const otps::whatsapp::SendParams& params,
                                Callback<otps::whatsapp::SendResponse> on_done) const {
  post_async<otps::whatsapp::SendResponse>(*core_, "v1/otps/whatsapp/send", internal::phone_send_body(params),
                                           std::move(on_done));
}

std::future<Result<otps::whatsapp::LoginOrCreateResponse>> Otps::Whatsapp::login_or_create_async(
    const otps::whatsapp::LoginOrCreateParams& params) const {
  return post_future<otps::whatsapp::LoginOrCreateResponse>(*core_, "v1/otps/whatsapp/login_or_create",
                                                            internal::phone_login_or_create_body(params));
}

void Otps::Whatsapp::login_or_create_async(const otps::whatsapp::LoginOrCreateParams& params,
                                           Callback<otps::whatsapp::LoginOrCreateResponse> on_done) const {
  post_async<otps::whatsapp::LoginOrCreateResponse>(*core_, "v1/otps/whatsapp/login_or_create",
                                                    internal::phone_login_or_create_body(params), std::move(on_done));
}

std::future<Result<otps::email::SendResponse>> Otps::Email::send_async(const otps::email::SendParams& params) const {
  return post_future<otps::email::SendResponse>(*core_, "v1/otps/email/send", internal::email_send_body(params));
}

void Otps::Email::send_async(const otps::email::SendParams& params, Callback<otps::email::SendResponse> on_done) const {
  post_async<otps::email::SendResponse>(*core_, "v1/otps/email/send", internal::email_send_body(params),
                                        std::move(on_done));
}

std::future<Result<otps::email::LoginOrCreateResponse>> Otps::Email::login_or_create_async(
    const otps::email::LoginOrCreateParams& params) const {
  return post_future<otps::email::LoginOrCreateResponse>(*core_, "v1/otps/email/login_or_create",
                                                         internal::email_login_or_create_body(params));
}

void Otps::Email::login_or_create_async(const otps::email::LoginOrCreateParams& params,
                                        Callback<otps::email::LoginOrCreateResponse> on_done) const {
  post_async<otps::email::LoginOrCreateResponse>(*core_, "v1/otps/email/login_or_create",
                                                 internal::email_login_or_create_body(params), std::move(on_done));
}

std::future<Result<otps::AuthenticateResponse>> Otps::authenticate_async(const otps::AuthenticateParams& params) const {
  return post_future<otps::AuthenticateResponse>(*core_, "v1/otps/authenticate", internal::authenticate_body(params));
}

void Otps::authenticate_async(const otps::AuthenticateParams& params,
                              Callback<otps::AuthenticateResponse> on_done) const {
  post_async<otps::AuthenticateResponse>(*core_, "v1/otps/authenticate", internal::authenticate_body(params),
                                         std::move(on_done));
}

}  // namespace stytch
