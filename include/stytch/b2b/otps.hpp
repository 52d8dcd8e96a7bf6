#ifndef STYTCH_B2B_OTPS_HPP
#define STYTCH_B2B_OTPS_HPP

/// @file stytch/b2b/otps.hpp
/// The B2B one-time passcode calls, reached as `client.b2b.otps`.

#include <stytch/b2b/otps/email.hpp>
#include <stytch/b2b/otps/email_discovery.hpp>
#include <stytch/b2b/otps/sms.hpp>
#include <stytch/export.hpp>
#include <stytch/result.hpp>

#include <functional>
#include <future>
#include <memory>
#include <utility>

namespace stytch {

namespace internal {
class Core;
}  // namespace internal

namespace b2b {

/// The B2B OTP product: `client.b2b.otps.sms`, `.email` and
/// `.email.discovery`. Errors, refusals before sending and the `_async`
/// forms follow stytch::Otps.
class STYTCH_EXPORT Otps {
 public:
  /// Receives the Result of an async call, once (see stytch::Otps::Callback).
  template <typename Response>
  using Callback = std::function<void(Result<Response>)>;

  /// MFA codes by SMS: `client.b2b.otps.sms`.
  class STYTCH_EXPORT Sms {
   public:
    /// Made by StytchClient; use client.b2b.otps.sms.
    explicit Sms(std::shared_ptr<internal::Core> core) : core_(std::move(core)) {}
    /// POST /v1/b2b/otps/sms/send: a code to the member's MFA phone number.
    Result<otps::sms::SendResponse> send(const otps::sms::SendParams& params) const;
    /// send without waiting: the future gets the Result.
    std::future<Result<otps::sms::SendResponse>> send_async(const otps::sms::SendParams& params) const;
    /// send without waiting: `on_done` gets the Result (see Callback).
    void send_async(const otps::sms::SendParams& params, Callback<otps::sms::SendResponse> on_done) const;
    /// POST /v1/b2b/otps/sms/authenticate: checks the code and starts or steps up a session.
    Result<otps::sms::AuthenticateResponse> authenticate(const otps::sms::AuthenticateParams& params) const;
    /// authenticate without waiting: the future gets the Result.
    std::future<Result<otps::sms::AuthenticateResponse>> authenticate_async(
        const otps::sms::AuthenticateParams& params) const;
    /// authenticate without waiting: `on_done` gets the Result (see Callback).
    void authenticate_async(const otps::sms::AuthenticateParams& params,
                            Callback<otps::sms::AuthenticateResponse> on_done) const;

   private:
    std::shared_ptr<internal::Core> core_;
  };

  /// Login codes by email: `client.b2b.otps.email`.
  class STYTCH_EXPORT Email {
   public:
    /// Codes before an organization is chosen: `client.b2b.otps.email.discovery`.
    class STYTCH_EXPORT Discovery {
     public:
      /// Made by StytchClient; use client.b2b.otps.email.discovery.
      explicit Discovery(std::shared_ptr<internal::Core> core) : core_(std::move(core)) {}
      /// POST /v1/b2b/otps/email/discovery/send: a code, no organization yet.
      Result<otps::email::discovery::SendResponse> send(const otps::email::discovery::SendParams& params) const;
      /// send without waiting: the future gets the Result.
      std::future<Result<otps::email::discovery::SendResponse>> send_async(
          const otps::email::discovery::SendParams& params) const;
      /// send without waiting: `on_done` gets the Result (see Callback).
      void send_async(const otps::email::discovery::SendParams& params,
                      Callback<otps::email::discovery::SendResponse> on_done) const;
      /// POST /v1/b2b/otps/email/discovery/authenticate: an intermediate
      /// session token and the organizations the user may log in to.
      Result<otps::email::discovery::AuthenticateResponse> authenticate(
          const otps::email::discovery::AuthenticateParams& params) const;
      /// authenticate without waiting: the future gets the Result.
      std::future<Result<otps::email::discovery::AuthenticateResponse>> authenticate_async(
          const otps::email::discovery::AuthenticateParams& params) const;
      /// authenticate without waiting: `on_done` gets the Result (see Callback).
      void authenticate_async(const otps::email::discovery::AuthenticateParams& params,
                              Callback<otps::email::discovery::AuthenticateResponse> on_done) const;

     private:
      std::shared_ptr<internal::Core> core_;
    };

    /// Made by StytchClient; use client.b2b.otps.email.
    explicit Email(const std::shared_ptr<internal::Core>& core) : discovery(core), core_(core) {}
    /// POST /v1/b2b/otps/email/login_or_signup: a login or signup code.
    Result<otps::email::LoginOrSignupResponse> login_or_signup(const otps::email::LoginOrSignupParams& params) const;
    /// login_or_signup without waiting: the future gets the Result.
    std::future<Result<otps::email::LoginOrSignupResponse>> login_or_signup_async(
        const otps::email::LoginOrSignupParams& params) const;
    /// login_or_signup without waiting: `on_done` gets the Result (see Callback).
    void login_or_signup_async(const otps::email::LoginOrSignupParams& params,
                               Callback<otps::email::LoginOrSignupResponse> on_done) const;
    /// POST /v1/b2b/otps/email/authenticate: the primary step of a login.
    Result<otps::email::AuthenticateResponse> authenticate(const otps::email::AuthenticateParams& params) const;
    /// authenticate without waiting: the future gets the Result.
    std::future<Result<otps::email::AuthenticateResponse>> authenticate_async(
        const otps::email::AuthenticateParams& params) const;
    /// authenticate without waiting: `on_done` gets the Result (see Callback).
    void authenticate_async(const otps::email::AuthenticateParams& params,
                            Callback<otps::email::AuthenticateResponse> on_done) const;

    Discovery discovery;  ///< Codes before an organization is chosen.

   private:
    std::shared_ptr<internal::Core> core_;
  };

  /// Made by StytchClient; use client.b2b.otps.
  explicit Otps(const std::shared_ptr<internal::Core>& core) : sms(core), email(core) {}

  Sms sms;      ///< MFA codes by SMS.
  Email email;  ///< Login codes by email.
};

}  // namespace b2b

}  // namespace stytch

#endif  // STYTCH_B2B_OTPS_HPP
