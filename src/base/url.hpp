#ifndef STYTCH_SRC_BASE_URL_HPP
#define STYTCH_SRC_BASE_URL_HPP

#include <string>

namespace stytch::internal {

/// Percent-encodes everything but RFC 3986's unreserved characters (for a
/// path segment or a query value).
std::string url_encode_component(const std::string& value);

}  // namespace stytch::internal

#endif
