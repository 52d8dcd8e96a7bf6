#include "sessions/sessions_json.hpp"

#include "base/url.hpp"
#include "json/field_checks.hpp"
#include "models/consumer_json.hpp"

namespace stytch::internal {

BodyWriter sessions_authenticate_body(const sessions::AuthenticateParams& params) {
  BodyWriter body;
  put_exactly_one(body, {{"session_token", &params.session_token}, {"session_jwt", &params.session_jwt}},
                  "session_token/session_jwt");
  body.put("session_duration_minutes", params.session_duration_minutes);
  body.put("session_custom_claims", params.session_custom_claims);
  return body;
}

BodyWriter sessions_revoke_body(const sessions::RevokeParams& params) {
  BodyWriter body;
  put_exactly_one(body,
                  {{"session_id", &params.session_id},
                   {"session_token", &params.session_token},
                   {"session_jwt", &params.session_jwt}},
                  "session_id/session_token/session_jwt");
  return body;
}

std::string sessions_get_path(const sessions::GetParams& params, BodyWriter& refusals) {
  if (params.user_id.empty()) refusals.refuse("user_id", "is required");
  refusals.put("user_id", params.user_id);  // checks UTF-8; a GET sends no body
  return "v1/sessions?user_id=" + url_encode_component(params.user_id);
}

void decode(const nlohmann::json& object, sessions::AuthenticateResponse& out) {
  read_required(object, "request_id", out.request_id);
  read_optional(object, "status_code", out.status_code);
  read_optional(object, "session_token", out.session_token);
  read_optional(object, "session_jwt", out.session_jwt);
  const nlohmann::json* user = find_object(object, "user");
  if (user == nullptr) throw FieldError("user: required field is missing");
  in_context("user", [&] { decode(*user, out.user); });
  const nlohmann::json* session = find_object(object, "session");
  if (session == nullptr) throw FieldError("session: required field is missing");
  in_context("session", [&] { decode(*session, out.session); });
}

void decode(const nlohmann::json& object, sessions::GetResponse& out) {
  read_required(object, "request_id", out.request_id);
  read_optional(object, "status_code", out.status_code);
  read_array(object, "sessions", out.sessions, [](const nlohmann::json& s, Session& session) { decode(s, session); });
}

void decode(const nlohmann::json& object, sessions::RevokeResponse& out) {
  read_required(object, "request_id", out.request_id);
  read_optional(object, "status_code", out.status_code);
}

void decode(const nlohmann::json& object, JwksAnswer& out) {
  read_optional(object, "request_id", out.request_id);
  read_optional(object, "status_code", out.status_code);
  auto keys = object.find("keys");
  if (keys == object.end() || !keys->is_array()) throw FieldError("keys: missing or not an array");
  out.keys = *keys;
}

}  // namespace stytch::internal
