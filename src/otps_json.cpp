#include "otps_json.hpp"

#include "validation.hpp"

namespace stytch::internal {

namespace {

// Required identifiers are checked before anything is sent; the value itself
// is left out of the message, since error text gets logged.
void require_phone_number(BodyWriter& body, const std::string& phone_number) {
  if (phone_number.empty()) {
    body.refuse("phone_number", "is required");
  } else if (!is_e164(phone_number)) {
    body.refuse("phone_number", "must be E.164: '+', then 2 to 15 digits, the first not 0");
  }
  body.put("phone_number", phone_number);
  body.mark_sensitive(phone_number);
}

void require_email(BodyWriter& body, const std::string& email) {
  if (email.empty()) {
    body.refuse("email", "is required");
  } else if (!could_be_email(email)) {
    body.refuse("email", "is not an email address");
  }
  body.put("email", email);
  body.mark_sensitive(email);
}

// A BCP 47 tag is never empty; any other string is Stytch's to judge.
void put_locale(BodyWriter& body, const std::optional<std::string>& locale) {
  if (locale && locale->empty()) body.refuse("locale", "must not be empty (a BCP 47 tag such as \"es\")");
  body.put("locale", locale);
}

void require_non_empty(BodyWriter& body, const char* name, const std::string& value) {
  if (value.empty()) body.refuse(name, "is required");
  body.put(name, value);
}

}  // namespace

// The fields every send and login-or-create shares.
template <typename Params>
void put_delivery(BodyWriter& body, const Params& params) {
  body.put("expiration_minutes", params.expiration_minutes);
  put_locale(body, params.locale);
  body.put("attributes", params.attributes);
}

// A session token or JWT: sent when set, and never echoed into error text.
void put_session(BodyWriter& body, const std::optional<std::string>& token, const std::optional<std::string>& jwt) {
  body.put("session_token", token);
  body.put("session_jwt", jwt);
  body.mark_sensitive(token);
  body.mark_sensitive(jwt);
}

BodyWriter phone_send_body(const otps::PhoneSendParams& params) {
  BodyWriter body;
  require_phone_number(body, params.phone_number);
  put_delivery(body, params);
  body.put("user_id", params.user_id);
  put_session(body, params.session_token, params.session_jwt);
  return body;
}

BodyWriter phone_login_or_create_body(const otps::PhoneLoginOrCreateParams& params) {
  BodyWriter body;
  require_phone_number(body, params.phone_number);
  put_delivery(body, params);
  body.put("create_user_as_pending", params.create_user_as_pending);
  return body;
}

BodyWriter email_send_body(const otps::email::SendParams& params) {
  BodyWriter body;
  require_email(body, params.email);
  put_delivery(body, params);
  body.put("user_id", params.user_id);
  put_session(body, params.session_token, params.session_jwt);
  body.put("login_template_id", params.login_template_id);
  body.put("signup_template_id", params.signup_template_id);
  return body;
}

BodyWriter email_login_or_create_body(const otps::email::LoginOrCreateParams& params) {
  BodyWriter body;
  require_email(body, params.email);
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

void decode(const nlohmann::json& object, User& out) {
  read_required(object, "user_id", out.user_id);
  read_optional(object, "status", out.status);
  if (const nlohmann::json* name = find_object(object, "name")) {
    in_context("name", [&] {
      read_optional(*name, "first_name", out.name.first_name);
      read_optional(*name, "middle_name", out.name.middle_name);
      read_optional(*name, "last_name", out.name.last_name);
    });
  }
  read_array(object, "emails", out.emails, [](const nlohmann::json& e, UserEmail& email) {
    read_optional(e, "email_id", email.email_id);
    read_optional(e, "email", email.email);
    read_optional(e, "verified", email.verified);
  });
  read_array(object, "phone_numbers", out.phone_numbers, [](const nlohmann::json& p, UserPhoneNumber& phone) {
    read_optional(p, "phone_id", phone.phone_id);
    read_optional(p, "phone_number", phone.phone_number);
    read_optional(p, "verified", phone.verified);
  });
  read_optional(object, "created_at", out.created_at);
  read_optional(object, "is_locked", out.is_locked);
  read_optional(object, "roles", out.roles);
  read_optional(object, "trusted_metadata", out.trusted_metadata);
  read_optional(object, "untrusted_metadata", out.untrusted_metadata);
}

void decode(const nlohmann::json& object, Session& out) {
  read_required(object, "session_id", out.session_id);
  read_optional(object, "user_id", out.user_id);
  read_optional(object, "started_at", out.started_at);
  read_optional(object, "last_accessed_at", out.last_accessed_at);
  read_optional(object, "expires_at", out.expires_at);
  read_array(object, "authentication_factors", out.authentication_factors,
             [](const nlohmann::json& f, AuthenticationFactor& factor) {
               read_optional(f, "type", factor.type);
               read_optional(f, "delivery_method", factor.delivery_method);
               read_optional(f, "last_authenticated_at", factor.last_authenticated_at);
               factor.raw = f;
             });
  read_optional(object, "roles", out.roles);
  if (const nlohmann::json* attributes = find_object(object, "attributes")) {
    in_context("attributes", [&] {
      read_optional(*attributes, "ip_address", out.attributes.ip_address);
      read_optional(*attributes, "user_agent", out.attributes.user_agent);
    });
  }
  read_optional(object, "custom_claims", out.custom_claims);
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
