#include "b2b/b2b_json.hpp"

#include "base/url.hpp"
#include "base/validation.hpp"
#include "json/field_checks.hpp"

namespace stytch::internal {

namespace {

// The session a call may start or extend.
template <typename Params>
void put_session_options(BodyWriter& body, const Params& params) {
  body.put("session_duration_minutes", params.session_duration_minutes);
  body.put("session_custom_claims", params.session_custom_claims);
}

// The fields of a new organization that discovery.organizations.create and
// organizations.create share.
template <typename Params>
void put_new_organization(BodyWriter& body, const Params& params) {
  body.put("organization_slug", params.organization_slug);
  body.put("organization_logo_url", params.organization_logo_url);
  body.put("organization_external_id", params.organization_external_id);
  body.put("trusted_metadata", params.trusted_metadata);
  write_fields(body, params.settings);
}

// A value that goes in a path or a query string: required and UTF-8, like
// a body field, but recorded without being written anywhere.
void check_url_value(BodyWriter& refusals, const char* name, const std::string& value,
                     const char* when_empty = "is required") {
  if (value.empty()) {
    refusals.refuse(name, when_empty);
  } else if (!is_valid_utf8(value)) {
    refusals.refuse(name, "is not valid UTF-8");
  }
}

// One path segment. "." and ".." are unreserved characters only, so they
// come out of url_encode_component as they went in, and libcurl (like any
// URL parser) would then remove them as dot segments: escaped, they reach
// Stytch as the value they are.
std::string path_segment(const std::string& value) {
  if (value == ".") return "%2E";
  if (value == "..") return "%2E%2E";
  return url_encode_component(value);
}

std::string organization_path(const std::string& organization_id, BodyWriter& refusals) {
  check_url_value(refusals, "organization_id", organization_id);
  return "v1/b2b/organizations/" + path_segment(organization_id);
}

}  // namespace

BodyWriter b2b_sms_send_body(const b2b::otps::sms::SendParams& params) {
  BodyWriter body;
  require_non_empty(body, "organization_id", params.organization_id);
  require_non_empty(body, "member_id", params.member_id);
  put_phone_number(body, "mfa_phone_number", params.mfa_phone_number);
  put_locale(body, params.locale);
  put_sensitive(body, "intermediate_session_token", params.intermediate_session_token);
  put_sensitive(body, "session_token", params.session_token);
  put_sensitive(body, "session_jwt", params.session_jwt);
  return body;
}

BodyWriter b2b_sms_authenticate_body(const b2b::otps::sms::AuthenticateParams& params) {
  BodyWriter body;
  require_non_empty(body, "organization_id", params.organization_id);
  require_non_empty(body, "member_id", params.member_id);
  require_sensitive(body, "code", params.code);
  put_exactly_one(body,
                  {{"intermediate_session_token", &params.intermediate_session_token},
                   {"session_token", &params.session_token},
                   {"session_jwt", &params.session_jwt}},
                  "intermediate_session_token/session_token/session_jwt");
  put_session_options(body, params);
  body.put("set_mfa_enrollment", params.set_mfa_enrollment);
  body.put("set_default_mfa", params.set_default_mfa);
  body.put("telemetry_id", params.telemetry_id);
  return body;
}

BodyWriter b2b_email_login_or_signup_body(const b2b::otps::email::LoginOrSignupParams& params) {
  BodyWriter body;
  require_non_empty(body, "organization_id", params.organization_id);
  require_email(body, "email_address", params.email_address);
  body.put("login_template_id", params.login_template_id);
  body.put("signup_template_id", params.signup_template_id);
  put_locale(body, params.locale);
  body.put("login_expiration_minutes", params.login_expiration_minutes);
  body.put("signup_expiration_minutes", params.signup_expiration_minutes);
  return body;
}

BodyWriter b2b_email_authenticate_body(const b2b::otps::email::AuthenticateParams& params) {
  BodyWriter body;
  require_non_empty(body, "organization_id", params.organization_id);
  require_email(body, "email_address", params.email_address);
  require_sensitive(body, "code", params.code);
  put_sensitive(body, "session_token", params.session_token);
  put_sensitive(body, "session_jwt", params.session_jwt);
  put_sensitive(body, "intermediate_session_token", params.intermediate_session_token);
  put_session_options(body, params);
  put_locale(body, params.locale);
  body.put("telemetry_id", params.telemetry_id);
  return body;
}

BodyWriter b2b_email_discovery_send_body(const b2b::otps::email::discovery::SendParams& params) {
  BodyWriter body;
  require_email(body, "email_address", params.email_address);
  body.put("login_template_id", params.login_template_id);
  put_locale(body, params.locale);
  body.put("discovery_expiration_minutes", params.discovery_expiration_minutes);
  return body;
}

BodyWriter b2b_email_discovery_authenticate_body(const b2b::otps::email::discovery::AuthenticateParams& params) {
  BodyWriter body;
  require_email(body, "email_address", params.email_address);
  require_sensitive(body, "code", params.code);
  return body;
}

BodyWriter b2b_intermediate_sessions_exchange_body(
    const b2b::discovery::intermediate_sessions::ExchangeParams& params) {
  BodyWriter body;
  require_sensitive(body, "intermediate_session_token", params.intermediate_session_token);
  require_non_empty(body, "organization_id", params.organization_id);
  put_session_options(body, params);
  put_locale(body, params.locale);
  body.put("telemetry_id", params.telemetry_id);
  return body;
}

BodyWriter b2b_discovery_organizations_list_body(const b2b::discovery::organizations::ListParams& params) {
  BodyWriter body;
  put_exactly_one(body,
                  {{"intermediate_session_token", &params.intermediate_session_token},
                   {"session_token", &params.session_token},
                   {"session_jwt", &params.session_jwt}},
                  "intermediate_session_token/session_token/session_jwt");
  return body;
}

BodyWriter b2b_discovery_organizations_create_body(const b2b::discovery::organizations::CreateParams& params) {
  BodyWriter body;
  require_sensitive(body, "intermediate_session_token", params.intermediate_session_token);
  put_session_options(body, params);
  body.put("organization_name", params.organization_name);
  put_new_organization(body, params);
  body.put("telemetry_id", params.telemetry_id);
  return body;
}

void write_fields(BodyWriter& out, const b2b::sessions::AuthorizationCheck& check) {
  require_non_empty(out, "organization_id", check.organization_id);
  require_non_empty(out, "resource_id", check.resource_id);
  require_non_empty(out, "action", check.action);
}

BodyWriter b2b_sessions_authenticate_body(const b2b::sessions::AuthenticateParams& params) {
  BodyWriter body;
  put_exactly_one(body, {{"session_token", &params.session_token}, {"session_jwt", &params.session_jwt}},
                  "session_token/session_jwt");
  put_session_options(body, params);
  body.put("authorization_check", params.authorization_check);
  return body;
}

BodyWriter b2b_sessions_revoke_body(const b2b::sessions::RevokeParams& params) {
  BodyWriter body;
  put_exactly_one(body,
                  {{"member_session_id", &params.member_session_id},
                   {"session_token", &params.session_token},
                   {"session_jwt", &params.session_jwt},
                   {"member_id", &params.member_id}},
                  "member_session_id/session_token/session_jwt/member_id");
  return body;
}

BodyWriter b2b_sessions_exchange_body(const b2b::sessions::ExchangeParams& params) {
  BodyWriter body;
  require_non_empty(body, "organization_id", params.organization_id);
  put_exactly_one(body, {{"session_token", &params.session_token}, {"session_jwt", &params.session_jwt}},
                  "session_token/session_jwt");
  put_session_options(body, params);
  put_locale(body, params.locale);
  body.put("telemetry_id", params.telemetry_id);
  return body;
}

BodyWriter b2b_organizations_create_body(const b2b::organizations::CreateParams& params) {
  BodyWriter body;
  require_non_empty(body, "organization_name", params.organization_name);
  put_new_organization(body, params);
  return body;
}

BodyWriter b2b_members_create_body(const b2b::organizations::members::CreateParams& params) {
  BodyWriter body;
  require_email(body, "email_address", params.email_address);
  body.put("name", params.name);
  body.put("trusted_metadata", params.trusted_metadata);
  body.put("untrusted_metadata", params.untrusted_metadata);
  body.put("create_member_as_pending", params.create_member_as_pending);
  body.put("is_breakglass", params.is_breakglass);
  put_phone_number(body, "mfa_phone_number", params.mfa_phone_number);
  body.put("mfa_enrolled", params.mfa_enrolled);
  body.put("roles", params.roles);
  body.put("external_id", params.external_id);
  return body;
}

std::string b2b_sessions_get_path(const b2b::sessions::GetParams& params, BodyWriter& refusals) {
  check_url_value(refusals, "organization_id", params.organization_id);
  check_url_value(refusals, "member_id", params.member_id);
  return "v1/b2b/sessions?organization_id=" + url_encode_component(params.organization_id) +
         "&member_id=" + url_encode_component(params.member_id);
}

std::string b2b_sessions_jwks_path(const std::string& project_id) {
  return "v1/b2b/sessions/jwks/" + path_segment(project_id);
}

std::string b2b_organizations_get_path(const b2b::organizations::GetParams& params, BodyWriter& refusals) {
  return organization_path(params.organization_id, refusals);
}

std::string b2b_members_create_path(const b2b::organizations::members::CreateParams& params, BodyWriter& refusals) {
  return organization_path(params.organization_id, refusals) + "/members";
}

std::string b2b_members_get_path(const b2b::organizations::members::GetParams& params, BodyWriter& refusals) {
  std::string path = organization_path(params.organization_id, refusals) + "/member";
  const auto& member_id = params.member_id;
  const auto& email_address = params.email_address;
  // Raw, and as the query carries it (a proxy may repeat the request line).
  refusals.mark_sensitive(email_address);
  if (email_address) refusals.mark_sensitive(url_encode_component(*email_address));
  if (member_id.has_value() == email_address.has_value()) {
    refusals.refuse("member_id/email_address", "exactly one must be given");
  }
  if (member_id) {
    check_url_value(refusals, "member_id", *member_id, "must not be empty");
    path += "?member_id=" + url_encode_component(*member_id);
  } else if (email_address) {
    check_url_value(refusals, "email_address", *email_address, "must not be empty");
    if (!email_address->empty() && !could_be_email(*email_address)) {
      refusals.refuse("email_address", "is not an email address");
    }
    path += "?email_address=" + url_encode_component(*email_address);
  }
  return path;
}

void decode(const nlohmann::json& object, b2b::otps::sms::AuthenticateResponse& out) {
  read_required(object, "request_id", out.request_id);
  read_optional(object, "status_code", out.status_code);
  read_required(object, "member_id", out.member_id);
  read_required_object(object, "member", out.member);
  read_required_object(object, "organization", out.organization);
  read_optional(object, "session_token", out.session_token);
  read_optional(object, "session_jwt", out.session_jwt);
  read_optional_object(object, "member_session", out.member_session);
  read_optional(object, "member_device", out.member_device);
}

void decode(const nlohmann::json& object, b2b::otps::email::LoginOrSignupResponse& out) {
  read_required(object, "request_id", out.request_id);
  read_optional(object, "status_code", out.status_code);
  read_required(object, "member_id", out.member_id);
  read_optional(object, "member_created", out.member_created);
  read_required_object(object, "member", out.member);
  read_required_object(object, "organization", out.organization);
}

void decode(const nlohmann::json& object, b2b::otps::email::discovery::SendResponse& out) {
  read_required(object, "request_id", out.request_id);
  read_optional(object, "status_code", out.status_code);
}

void decode(const nlohmann::json& object, b2b::otps::email::discovery::AuthenticateResponse& out) {
  read_required(object, "request_id", out.request_id);
  read_optional(object, "status_code", out.status_code);
  read_required(object, "intermediate_session_token", out.intermediate_session_token);
  read_optional(object, "intermediate_session_token_expires_at", out.intermediate_session_token_expires_at);
  read_optional(object, "email_address", out.email_address);
  read_object_array(object, "discovered_organizations", out.discovered_organizations);
}

void decode(const nlohmann::json& object, b2b::discovery::organizations::ListResponse& out) {
  read_required(object, "request_id", out.request_id);
  read_optional(object, "status_code", out.status_code);
  read_optional(object, "email_address", out.email_address);
  read_object_array(object, "discovered_organizations", out.discovered_organizations);
  read_optional(object, "organization_id_hint", out.organization_id_hint);
}

void decode(const nlohmann::json& object, b2b::sessions::AuthenticateResponse& out) {
  read_required(object, "request_id", out.request_id);
  read_optional(object, "status_code", out.status_code);
  read_required_object(object, "member_session", out.member_session);
  read_optional(object, "session_token", out.session_token);
  read_optional(object, "session_jwt", out.session_jwt);
  read_required_object(object, "member", out.member);
  read_required_object(object, "organization", out.organization);
  if (const nlohmann::json* verdict = find_object(object, "verdict")) {
    in_context("verdict", [&] { read_optional(*verdict, "granting_roles", out.granting_roles); });
  }
}

void decode(const nlohmann::json& object, b2b::sessions::GetResponse& out) {
  read_required(object, "request_id", out.request_id);
  read_optional(object, "status_code", out.status_code);
  read_object_array(object, "member_sessions", out.member_sessions);
}

void decode(const nlohmann::json& object, b2b::sessions::RevokeResponse& out) {
  read_required(object, "request_id", out.request_id);
  read_optional(object, "status_code", out.status_code);
}

}  // namespace stytch::internal
