#include "b2b/b2b_models_json.hpp"

namespace stytch::internal {

void decode(const nlohmann::json& object, b2b::MemberRoleSource& out) {
  read_optional(object, "type", out.type);
  read_optional(object, "details", out.details);
}

void decode(const nlohmann::json& object, b2b::MemberRole& out) {
  read_optional(object, "role_id", out.role_id);
  read_object_array(object, "sources", out.sources);
}

void decode(const nlohmann::json& object, b2b::Member& out) {
  read_required(object, "member_id", out.member_id);
  read_optional(object, "organization_id", out.organization_id);
  read_optional(object, "email_address", out.email_address);
  read_optional(object, "email_address_verified", out.email_address_verified);
  read_optional(object, "status", out.status);
  read_optional(object, "name", out.name);
  read_optional(object, "mfa_phone_number", out.mfa_phone_number);
  read_optional(object, "mfa_phone_number_verified", out.mfa_phone_number_verified);
  read_optional(object, "mfa_enrolled", out.mfa_enrolled);
  read_optional(object, "default_mfa_method", out.default_mfa_method);
  read_optional(object, "totp_registration_id", out.totp_registration_id);
  read_optional(object, "is_breakglass", out.is_breakglass);
  read_optional(object, "is_admin", out.is_admin);
  read_optional(object, "is_locked", out.is_locked);
  read_object_array(object, "roles", out.roles);
  read_optional(object, "external_id", out.external_id);
  read_optional(object, "created_at", out.created_at);
  read_optional(object, "updated_at", out.updated_at);
  read_optional(object, "trusted_metadata", out.trusted_metadata);
  read_optional(object, "untrusted_metadata", out.untrusted_metadata);
}

void decode(const nlohmann::json& object, b2b::Organization& out) {
  read_required(object, "organization_id", out.organization_id);
  read_optional(object, "organization_name", out.organization_name);
  read_optional(object, "organization_slug", out.organization_slug);
  read_optional(object, "organization_logo_url", out.organization_logo_url);
  read_optional(object, "organization_external_id", out.organization_external_id);
  read_optional(object, "email_allowed_domains", out.email_allowed_domains);
  read_optional(object, "email_jit_provisioning", out.email_jit_provisioning);
  read_optional(object, "email_invites", out.email_invites);
  read_optional(object, "sso_jit_provisioning", out.sso_jit_provisioning);
  read_optional(object, "auth_methods", out.auth_methods);
  read_optional(object, "allowed_auth_methods", out.allowed_auth_methods);
  read_optional(object, "mfa_policy", out.mfa_policy);
  read_optional(object, "mfa_methods", out.mfa_methods);
  read_optional(object, "allowed_mfa_methods", out.allowed_mfa_methods);
  read_optional(object, "created_at", out.created_at);
  read_optional(object, "updated_at", out.updated_at);
  read_optional(object, "trusted_metadata", out.trusted_metadata);
}

void decode(const nlohmann::json& object, b2b::MemberSession& out) {
  read_required(object, "member_session_id", out.member_session_id);
  read_optional(object, "member_id", out.member_id);
  read_optional(object, "organization_id", out.organization_id);
  read_optional(object, "organization_slug", out.organization_slug);
  read_optional(object, "started_at", out.started_at);
  read_optional(object, "last_accessed_at", out.last_accessed_at);
  read_optional(object, "expires_at", out.expires_at);
  read_object_array(object, "authentication_factors", out.authentication_factors);
  read_optional(object, "roles", out.roles);
  read_optional(object, "custom_claims", out.custom_claims);
}

void decode(const nlohmann::json& object, b2b::MfaRequired& out) {
  if (const nlohmann::json* options = find_object(object, "member_options")) {
    in_context("member_options", [&] {
      read_optional(*options, "mfa_phone_number", out.mfa_phone_number);
      read_optional(*options, "totp_registration_id", out.totp_registration_id);
    });
  }
  read_optional(object, "secondary_auth_initiated", out.secondary_auth_initiated);
}

void decode(const nlohmann::json& object, b2b::PrimaryRequired& out) {
  read_optional(object, "allowed_auth_methods", out.allowed_auth_methods);
}

void decode(const nlohmann::json& object, b2b::Membership& out) {
  read_optional(object, "type", out.type);
  read_optional(object, "details", out.details);
  read_optional_object(object, "member", out.member);
}

void decode(const nlohmann::json& object, b2b::DiscoveredOrganization& out) {
  read_optional(object, "member_authenticated", out.member_authenticated);
  read_optional_object(object, "organization", out.organization);
  read_optional_object(object, "membership", out.membership);
  read_optional_object(object, "primary_required", out.primary_required);
  read_optional_object(object, "mfa_required", out.mfa_required);
}

namespace {

// The fields every answer about a member carries.
template <typename Response>
void read_member_answer(const nlohmann::json& object, Response& out) {
  read_required(object, "request_id", out.request_id);
  read_optional(object, "status_code", out.status_code);
  read_required(object, "member_id", out.member_id);
  read_required_object(object, "member", out.member);
  read_required_object(object, "organization", out.organization);
}

}  // namespace

void decode(const nlohmann::json& object, b2b::LoginResponse& out) {
  read_member_answer(object, out);
  read_optional(object, "member_authenticated", out.member_authenticated);
  read_optional(object, "session_token", out.session_token);
  read_optional(object, "session_jwt", out.session_jwt);
  read_optional_object(object, "member_session", out.member_session);
  read_optional(object, "intermediate_session_token", out.intermediate_session_token);
  read_optional(object, "intermediate_session_token_expires_at", out.intermediate_session_token_expires_at);
  read_optional_object(object, "mfa_required", out.mfa_required);
  read_optional_object(object, "primary_required", out.primary_required);
  read_optional(object, "method_id", out.method_id);
  read_optional(object, "member_device", out.member_device);
}

void decode(const nlohmann::json& object, b2b::MemberResponse& out) { read_member_answer(object, out); }

void decode(const nlohmann::json& object, b2b::OrganizationResponse& out) {
  read_required(object, "request_id", out.request_id);
  read_optional(object, "status_code", out.status_code);
  read_required_object(object, "organization", out.organization);
}

void write_fields(BodyWriter& out, const b2b::OrganizationSettings& settings) {
  out.put("email_allowed_domains", settings.email_allowed_domains);
  out.put("email_jit_provisioning", settings.email_jit_provisioning);
  out.put("email_invites", settings.email_invites);
  out.put("sso_jit_provisioning", settings.sso_jit_provisioning);
  out.put("auth_methods", settings.auth_methods);
  out.put("allowed_auth_methods", settings.allowed_auth_methods);
  out.put("mfa_policy", settings.mfa_policy);
  out.put("mfa_methods", settings.mfa_methods);
  out.put("allowed_mfa_methods", settings.allowed_mfa_methods);
}

}  // namespace stytch::internal
