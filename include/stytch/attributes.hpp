#ifndef STYTCH_ATTRIBUTES_HPP
#define STYTCH_ATTRIBUTES_HPP

/// @file stytch/attributes.hpp

#include <optional>
#include <string>

namespace stytch {

/// Details of the end user's request, which Stytch uses for fraud checks.
struct Attributes {
  /// The end user's IP address.
  std::optional<std::string> ip_address;
  /// The end user's User-Agent.
  std::optional<std::string> user_agent;
};

}  // namespace stytch

#endif  // STYTCH_ATTRIBUTES_HPP
