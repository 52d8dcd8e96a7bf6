#ifndef STYTCH_OTPS_HPP
#define STYTCH_OTPS_HPP

/// @file otps.hpp
/// The one-time passcode calls, reached as `client.otps`.

#include <stytch/otps/sms.hpp>
#include <stytch/result.hpp>

#include <memory>

namespace stytch {

namespace internal {
class Core;
}  // namespace internal

/// The OTP product: `client.otps.sms`, and more channels to come.
class Otps {
 public:
  /// One-time passcodes delivered by SMS: `client.otps.sms`.
  class Sms {
   public:
    explicit Sms(std::shared_ptr<internal::Core> core) : core_(std::move(core)) {}

    /// Sends a code to params.phone_number. Never throws for an API, network
    /// or input problem: the Result carries the Error. Input that a standard
    /// rules out (a phone number that is not E.164) is refused before any
    /// network I/O. The request is never repeated once it may have reached
    /// the server.
    Result<otps::sms::SendResponse> send(const otps::sms::SendParams& params) const;

   private:
    std::shared_ptr<internal::Core> core_;
  };

  explicit Otps(const std::shared_ptr<internal::Core>& core) : sms(core) {}

  Sms sms;
};

}  // namespace stytch

#endif  // STYTCH_OTPS_HPP
