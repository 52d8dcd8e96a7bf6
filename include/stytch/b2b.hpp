#ifndef STYTCH_B2B_HPP
#define STYTCH_B2B_HPP

/// @file stytch/b2b.hpp
/// Stytch's B2B API, reached as `client.b2b`.

#include <stytch/b2b/discovery.hpp>
#include <stytch/b2b/organizations.hpp>
#include <stytch/b2b/otps.hpp>
#include <stytch/b2b/sessions.hpp>
#include <stytch/export.hpp>

#include <memory>
#include <string>

namespace stytch {

namespace internal {
class Core;
}  // namespace internal

/// Stytch's B2B API, in the shape of its tree:
/// `client.b2b.otps.email.authenticate(params)`.
class STYTCH_EXPORT B2B {
 public:
  /// Made by StytchClient; use client.b2b.
  B2B(const std::shared_ptr<internal::Core>& core, const std::string& project_id);

  b2b::Otps otps;                    ///< Email login codes, SMS MFA codes, email discovery.
  b2b::Discovery discovery;          ///< Choose, join or create an organization.
  b2b::Sessions sessions;            ///< Member sessions and JWT verification.
  b2b::Organizations organizations;  ///< Set-up and look-up of organizations and members.
};

}  // namespace stytch

#endif  // STYTCH_B2B_HPP
