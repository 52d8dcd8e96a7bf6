#ifndef STYTCH_SRC_SESSIONS_JSON_HPP
#define STYTCH_SRC_SESSIONS_JSON_HPP

// The JSON of the session calls: request bodies (after the checks a caller
// can get wrong: exactly one way to name a session) and decoders of
// successful answers (which throw FieldError on a wrong shape).

#include "json/json_fields.hpp"

#include <stytch/sessions.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stytch::internal {

/// The JWKS answer as the verifier needs it: the keys and the headers
/// (Cache-Control says how long to keep them).
struct JwksAnswer {
  int status_code = 0;
  std::string request_id;
  nlohmann::json keys;
  nlohmann::json raw;
  std::vector<std::pair<std::string, std::string>> headers;
};

BodyWriter sessions_authenticate_body(const sessions::AuthenticateParams& params);
BodyWriter sessions_revoke_body(const sessions::RevokeParams& params);
/// The path of a get ("v1/sessions?user_id=..."); the writer holds any refusal.
std::string sessions_get_path(const sessions::GetParams& params, BodyWriter& refusals);

void decode(const nlohmann::json& object, sessions::AuthenticateResponse& out);
void decode(const nlohmann::json& object, sessions::GetResponse& out);
void decode(const nlohmann::json& object, sessions::RevokeResponse& out);
void decode(const nlohmann::json& object, JwksAnswer& out);

}  // namespace stytch::internal

#endif
