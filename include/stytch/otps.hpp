#ifndef STYTCH_OTPS_HPP
#define STYTCH_OTPS_HPP

/// @file stytch/otps.hpp
/// The one-time passcode calls, reached as `client.otps`.

#include <stytch/export.hpp>
#include <stytch/otps/authenticate.hpp>
#include <stytch/otps/email.hpp>
#include <stytch/otps/sms.hpp>
#include <stytch/otps/whatsapp.hpp>
#include <stytch/result.hpp>

#include <functional>
#include <future>
#include <memory>

namespace stytch {

namespace internal {
class Core;
}  // namespace internal

/// The OTP product: `client.otps.sms`, `.whatsapp`, `.email` and
/// `.authenticate(...)`.
///
/// No call throws for an API, network or input problem: the Result carries
/// the Error. Input a standard rules out (a phone number that is not E.164,
/// an empty required field, a string that is not UTF-8) is refused before any
/// network I/O. A request is never repeated once it may have reached Stytch.
///
/// The `_async` calls that return a future are refused inside a callback
/// (on the client's I/O thread), where a wait for the future would wait for
/// that very thread: the future holds an ErrorKind::invalid_argument Error
/// at once and nothing is sent. Use the callback form there.
class STYTCH_EXPORT Otps {
 public:
  /// Receives the Result of an async call, once: on the client's I/O thread,
  /// or on the caller's when the input is refused before sending or the
  /// client is being destroyed. It may start new calls, make a blocking call,
  /// and hold a copy of the client (even the last one); it must not throw
  /// (an exception is swallowed) and should not block for long.
  template <typename Response>
  using Callback = std::function<void(Result<Response>)>;

  /// Codes delivered by SMS: `client.otps.sms`.
  class STYTCH_EXPORT Sms {
   public:
    /// Made by StytchClient; use client.otps.sms.
    explicit Sms(std::shared_ptr<internal::Core> core) : core_(std::move(core)) {}
    /// POST /v1/otps/sms/send: a code to an existing user's phone number.
    Result<otps::sms::SendResponse> send(const otps::sms::SendParams& params) const;
    /// send without waiting: the future gets the Result.
    std::future<Result<otps::sms::SendResponse>> send_async(const otps::sms::SendParams& params) const;
    /// send without waiting: `on_done` gets the Result (see Callback).
    void send_async(const otps::sms::SendParams& params, Callback<otps::sms::SendResponse> on_done) const;
    /// POST /v1/otps/sms/login_or_create: a code, creating the user if needed.
    Result<otps::sms::LoginOrCreateResponse> login_or_create(const otps::sms::LoginOrCreateParams& params) const;
    /// login_or_create without waiting: the future gets the Result.
    std::future<Result<otps::sms::LoginOrCreateResponse>> login_or_create_async(
        const otps::sms::LoginOrCreateParams& params) const;
    /// login_or_create without waiting: `on_done` gets the Result (see Callback).
    void login_or_create_async(const otps::sms::LoginOrCreateParams& params,
                               Callback<otps::sms::LoginOrCreateResponse> on_done) const;

   private:
    std::shared_ptr<internal::Core> core_;
  };

  /// Codes delivered by WhatsApp: `client.otps.whatsapp`.
  class STYTCH_EXPORT Whatsapp {
   public:
    /// Made by StytchClient; use client.otps.whatsapp.
    explicit Whatsapp(std::shared_ptr<internal::Core> core) : core_(std::move(core)) {}
    /// POST /v1/otps/whatsapp/send.
    Result<otps::whatsapp::SendResponse> send(const otps::whatsapp::SendParams& params) const;
    /// send without waiting: the future gets the Result.
    std::future<Result<otps::whatsapp::SendResponse>> send_async(const otps::whatsapp::SendParams& params) const;
    /// send without waiting: `on_done` gets the Result (see Callback).
    void send_async(const otps::whatsapp::SendParams& params, Callback<otps::whatsapp::SendResponse> on_done) const;
    /// POST /v1/otps/whatsapp/login_or_create.
    Result<otps::whatsapp::LoginOrCreateResponse> login_or_create(
        const otps::whatsapp::LoginOrCreateParams& params) const;
    /// login_or_create without waiting: the future gets the Result.
    std::future<Result<otps::whatsapp::LoginOrCreateResponse>> login_or_create_async(
        const otps::whatsapp::LoginOrCreateParams& params) const;
    /// login_or_create without waiting: `on_done` gets the Result (see Callback).
    void login_or_create_async(const otps::whatsapp::LoginOrCreateParams& params,
                               Callback<otps::whatsapp::LoginOrCreateResponse> on_done) const;

   private:
    std::shared_ptr<internal::Core> core_;
  };

  /// Codes delivered by email: `client.otps.email`.
  class STYTCH_EXPORT Email {
   public:
    /// Made by StytchClient; use client.otps.email.
    explicit Email(std::shared_ptr<internal::Core> core) : core_(std::move(core)) {}
    /// POST /v1/otps/email/send.
    Result<otps::email::SendResponse> send(const otps::email::SendParams& params) const;
    /// send without waiting: the future gets the Result.
    std::future<Result<otps::email::SendResponse>> send_async(const otps::email::SendParams& params) const;
    /// send without waiting: `on_done` gets the Result (see Callback).
    void send_async(const otps::email::SendParams& params, Callback<otps::email::SendResponse> on_done) const;
    /// POST /v1/otps/email/login_or_create.
    Result<otps::email::LoginOrCreateResponse> login_or_create(const otps::email::LoginOrCreateParams& params) const;
    /// login_or_create without waiting: the future gets the Result.
    std::future<Result<otps::email::LoginOrCreateResponse>> login_or_create_async(
        const otps::email::LoginOrCreateParams& params) const;
    /// login_or_create without waiting: `on_done` gets the Result (see Callback).
    void login_or_create_async(const otps::email::LoginOrCreateParams& params,
                               Callback<otps::email::LoginOrCreateResponse> on_done) const;

   private:
    std::shared_ptr<internal::Core> core_;
  };

  /// Made by StytchClient; use client.otps.
  explicit Otps(const std::shared_ptr<internal::Core>& core) : sms(core), whatsapp(core), email(core), core_(core) {}

  /// POST /v1/otps/authenticate: checks a code sent by any channel and, with
  /// session_duration_minutes, starts a session.
  Result<otps::AuthenticateResponse> authenticate(const otps::AuthenticateParams& params) const;
  /// authenticate without waiting: the future gets the Result.
  std::future<Result<otps::AuthenticateResponse>> authenticate_async(const otps::AuthenticateParams& params) const;
  /// authenticate without waiting: `on_done` gets the Result (see Callback).
  void authenticate_async(const otps::AuthenticateParams& params, Callback<otps::AuthenticateResponse> on_done) const;

  Sms sms;            ///< Codes by SMS.
  Whatsapp whatsapp;  ///< Codes by WhatsApp.
  Email email;        ///< Codes by email.

 private:
  std::shared_ptr<internal::Core> core_;
};

}  // namespace stytch

#endif  // STYTCH_OTPS_HPP
