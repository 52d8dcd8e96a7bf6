#ifndef STYTCH_SRC_RESPONSE_MAPPING_HPP
#define STYTCH_SRC_RESPONSE_MAPPING_HPP

// The one place an HTTP answer becomes either a JSON object to decode or an
// Error: an HTTP error status is data here, not a transport failure.

#include <stytch/error.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace stytch::internal {

struct HttpResponse {
  int status = 0;
  std::string body;
  /// Filled only when the transport was asked to capture headers.
  std::vector<std::pair<std::string, std::string>> headers;
  /// Times the request was sent to get this answer (more than 1 after an
  /// automatic resend).
  int attempts = 1;
};

/// A 2xx answer with a JSON object body gives the object; a >= 400 answer
/// with a Stytch error body (either shape) gives an api Error; anything else
/// gives a decode Error that keeps the status and an excerpt of the body.
std::variant<nlohmann::json, Error> map_response(const HttpResponse& response);

/// A decode Error for an answer whose body could not be read as expected.
Error decode_error(int http_status, std::string_view body, std::string what);

/// The first bytes of a body, made printable, for error text.
std::string body_excerpt(std::string_view body);

}  // namespace stytch::internal

#endif
