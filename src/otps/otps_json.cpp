#include "otps/otps_json.hpp"

#include "json/field_checks.hpp"
#include "models/consumer_json.hpp"

namespace stytch::internal {

// The fields every send and login-or-create shares.
template <typename Params>
void put_delivery(BodyWriter& body, const Params& params) {
  body.put("expiration_minutes", params.expiration_minutes);
  put_locale(body, params.locale);
  body.put("attributes", params.attributes);
}

BodyWriter phone_send_body(const otps::PhoneSendParams& params) {
  BodyWriter body;
  require_phone_number(body, "phone_number", params.phone_number);
  put_delivery(body, params);
  body.put("user_id", params.user_id);
  put_session(body, params.session_token, params.session_jwt);
  return body;
}

BodyWriter phone_login_or_create_body(const otps::PhoneLoginOrCreateParams& params) {
  BodyWriter body;
  require_phone_number(body, "phone_number", params.phone_number);
  put_delivery(body, params);
  body.put("create_user_as_pending", params.create_user_as_pending);
  return body;
}

BodyWriter email_send_body(const otps::email::SendParams& params) {
  BodyWriter body;
  require_email(body, "email", params.email);
  put_delivery(body, params);
  body.put("user_id", params.user_id);
  put_session(body, params.session_token, params.session_jwt);
  body.put("login_template_id", params.login_template_id);
  body.put("signup_template_id", params.signup_template_id);
  return body;
}

BodyWriter email_login_or_create_body(const otps::email::LoginOrCreateParams& params) {
  BodyWriter body;
  require_email(body, "email", params.email);
  put_delivery(body, params);
  body.put("create_user_as_pending", params.create_user_as_pending);
  body.put("login_template_id", params.login_template_id);
  body.put("signup_template_id", params.signup_template_id);
  return body;
}

void write_fields(BodyWriter& out, const otps::AuthenticateOptions& options) {
  out.put("ip_match_required", options.ip_match_required);
  out.put("user_agent_match_required", options.user_agent_match_required);
}

BodyWriter authenticate_body(const otps::AuthenticateParams& params) {
  BodyWriter body;
  require_non_empty(body, "method_id", params.method_id);
  require_non_empty(body, "code", params.code);
  body.mark_sensitive(params.code);
  body.put("attributes", params.attributes);
  body.put("options", params.options);
  put_session(body, params.session_token, params.session_jwt);
  body.put("session_duration_minutes", params.session_duration_minutes);
  body.put("session_custom_claims", params.session_custom_claims);
  body.put("telemetry_id", params.telemetry_id);
  return body;
}

namespace {

// What every send and login-or-create answer carries, whatever the channel.
template <typename Response>
void read_sent(const nlohmann::json& object, Response& out, const char* method_id_name, std::string& method_id) {
  read_required(object, "request_id", out.request_id);
  read_optional(object, "status_code", out.status_code);
  read_required(object, "user_id", out.user_id);
  read_required(object, method_id_name, method_id);
}

}  // namespace

void decode(const nlohmann::json& object, otps::PhoneSendResponse& out) {
  read_sent(object, out, "phone_id", out.phone_id);
}

void decode(const nlohmann::json& object, otps::PhoneLoginOrCreateResponse& out) {
  read_sent(object, out, "phone_id", out.phone_id);
  read_optional(object, "user_created", out.user_created);
}

void decode(const nlohmann::json& object, otps::email::SendResponse& out) {
  read_sent(object, out, "email_id", out.email_id);
}

void decode(const nlohmann::json& object, otps::email::LoginOrCreateResponse& out) {
  read_sent(object, out, "email_id", out.email_id);
  read_optional(object, "user_created", out.user_created);
}

void decode(const nlohmann::json& object, otps::AuthenticateResponse& out) {
  read_required(object, "request_id", out.request_id);
  read_optional(object, "status_code", out.status_code);
  read_required(object, "user_id", out.user_id);
  read_optional(object, "method_id", out.method_id);
  read_optional(object, "session_token", out.session_token);
  read_optional(object, "session_jwt", out.session_jwt);
  read_optional(object, "reset_sessions", out.reset_sessions);
  const nlohmann::json* user = find_object(object, "user");
  if (user == nullptr) throw FieldError("user: required field is missing");
  in_context("user", [&] { decode(*user, out.user); });
  if (const nlohmann::json* session = find_object(object, "session")) {
    Session s;
    in_context("session", [&] { decode(*session, s); });
    out.session = std::move(s);
  }
  read_optional(object, "user_device", out.user_device);
}

}  // namespace stytch::internal
