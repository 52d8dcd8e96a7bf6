#ifndef STYTCH_B2B_DISCOVERY_INTERMEDIATE_SESSIONS_HPP
#define STYTCH_B2B_DISCOVERY_INTERMEDIATE_SESSIONS_HPP

/// @file stytch/b2b/discovery/intermediate_sessions.hpp
/// Request and response of discovery.intermediate_sessions.exchange.

#include <stytch/b2b/login.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace stytch::b2b::discovery::intermediate_sessions {

/// POST /v1/b2b/discovery/intermediate_sessions/exchange: join, or log in
/// to, one organization with an intermediate session token.
struct ExchangeParams {
  std::string intermediate_session_token;               ///< Required.
  std::string organization_id;                          ///< Required.
  std::optional<int> session_duration_minutes;          ///< Stytch's default is 60.
  std::optional<nlohmann::json> session_custom_claims;  ///< A JSON object.
  std::optional<std::string> locale;                    ///< Language of an MFA SMS.
  std::optional<std::string> telemetry_id;              ///< A device fingerprint id.
};
/// The answer of POST /v1/b2b/discovery/intermediate_sessions/exchange.
using ExchangeResponse = b2b::LoginResponse;

}  // namespace stytch::b2b::discovery::intermediate_sessions

#endif  // STYTCH_B2B_DISCOVERY_INTERMEDIATE_SESSIONS_HPP
