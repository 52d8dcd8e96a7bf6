#ifndef STYTCH_SRC_RESPONSE_MAPPING_HPP
#define STYTCH_SRC_RESPONSE_MAPPING_HPP

// The one place an HTTP answer becomes either a JSON object to decode or an
// Error: an HTTP error status is data here, not a transport failure.

#include "base/text.hpp"
#include "transport/transport_config.hpp"

#include <stytch/error.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace stytch::internal {

/// A 2xx answer with a JSON object body gives the object; a >= 400 answer
/// with a Stytch error body (either shape) gives an api Error; anything else
/// gives a decode Error that keeps the status and an excerpt of the body.
std::variant<nlohmann::json, Error> map_response(const HttpResponse& response);

/// Replaces, at any depth, the string values of the fields that carry
/// secrets or personal data (session_token, session_jwt,
/// intermediate_session_token, email, email_address, phone_number,
/// mfa_phone_number, code) with "[REDACTED]".
void redact_secret_fields(nlohmann::json& value);

}  // namespace stytch::internal

#endif
