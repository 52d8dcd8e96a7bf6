#ifndef STYTCH_SRC_B2B_JSON_HPP
#define STYTCH_SRC_B2B_JSON_HPP

// The JSON of every B2B call, apart from the transport so it can be tested
// alone: the paths, the request bodies (after the checks a standard fixes;
// secrets and personal data marked sensitive) and the decoders of
// successful answers (which throw FieldError naming the field path on a
// wrong shape). The decoders of the value types and of the shared answers
// (LoginResponse, MemberResponse, OrganizationResponse) are in
// b2b_models_json.hpp. `raw` is the caller's to fill.

#include "b2b/b2b_models_json.hpp"
#include "json/json_fields.hpp"

#include <stytch/b2b/discovery/intermediate_sessions.hpp>
#include <stytch/b2b/discovery/organizations.hpp>
#include <stytch/b2b/organizations/members.hpp>
#include <stytch/b2b/organizations/organizations.hpp>
#include <stytch/b2b/otps/email.hpp>
#include <stytch/b2b/otps/email_discovery.hpp>
#include <stytch/b2b/otps/sms.hpp>
#include <stytch/b2b/sessions.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace stytch::internal {

// The POST calls whose path has no parameter.
inline constexpr const char* kB2bSmsSendPath = "v1/b2b/otps/sms/send";
inline constexpr const char* kB2bSmsAuthenticatePath = "v1/b2b/otps/sms/authenticate";
inline constexpr const char* kB2bEmailLoginOrSignupPath = "v1/b2b/otps/email/login_or_signup";
inline constexpr const char* kB2bEmailAuthenticatePath = "v1/b2b/otps/email/authenticate";
inline constexpr const char* kB2bEmailDiscoverySendPath = "v1/b2b/otps/email/discovery/send";
inline constexpr const char* kB2bEmailDiscoveryAuthenticatePath = "v1/b2b/otps/email/discovery/authenticate";
inline constexpr const char* kB2bIntermediateSessionsExchangePath = "v1/b2b/discovery/intermediate_sessions/exchange";
inline constexpr const char* kB2bDiscoveryOrganizationsListPath = "v1/b2b/discovery/organizations";
inline constexpr const char* kB2bDiscoveryOrganizationsCreatePath = "v1/b2b/discovery/organizations/create";
inline constexpr const char* kB2bSessionsAuthenticatePath = "v1/b2b/sessions/authenticate";
inline constexpr const char* kB2bSessionsRevokePath = "v1/b2b/sessions/revoke";
inline constexpr const char* kB2bSessionsExchangePath = "v1/b2b/sessions/exchange";
inline constexpr const char* kB2bOrganizationsCreatePath = "v1/b2b/organizations";

// Request bodies of the POST calls.
BodyWriter b2b_sms_send_body(const b2b::otps::sms::SendParams& params);
BodyWriter b2b_sms_authenticate_body(const b2b::otps::sms::AuthenticateParams& params);
BodyWriter b2b_email_login_or_signup_body(const b2b::otps::email::LoginOrSignupParams& params);
BodyWriter b2b_email_authenticate_body(const b2b::otps::email::AuthenticateParams& params);
BodyWriter b2b_email_discovery_send_body(const b2b::otps::email::discovery::SendParams& params);
BodyWriter b2b_email_discovery_authenticate_body(const b2b::otps::email::discovery::AuthenticateParams& params);
BodyWriter b2b_intermediate_sessions_exchange_body(const b2b::discovery::intermediate_sessions::ExchangeParams& params);
BodyWriter b2b_discovery_organizations_list_body(const b2b::discovery::organizations::ListParams& params);
BodyWriter b2b_discovery_organizations_create_body(const b2b::discovery::organizations::CreateParams& params);
BodyWriter b2b_sessions_authenticate_body(const b2b::sessions::AuthenticateParams& params);
BodyWriter b2b_sessions_revoke_body(const b2b::sessions::RevokeParams& params);
BodyWriter b2b_sessions_exchange_body(const b2b::sessions::ExchangeParams& params);
BodyWriter b2b_organizations_create_body(const b2b::organizations::CreateParams& params);
/// Everything but organization_id, which goes in the path only
/// (b2b_members_create_path makes it and checks it).
BodyWriter b2b_members_create_body(const b2b::organizations::members::CreateParams& params);

/// The AuthorizationCheck of sessions.authenticate, as a nested object.
void write_fields(BodyWriter& out, const b2b::sessions::AuthorizationCheck& check);

// Paths with parameters (URL-encoded; a segment of only dots is escaped so
// that it cannot be read as "." or ".."). Refusals of the values in them
// (required, exactly one, UTF-8, email) are recorded in `refusals`, which
// gets no fields: a GET sends no body, and members.create sends
// organization_id in the path only.
/// "v1/b2b/sessions?organization_id=...&member_id=...".
std::string b2b_sessions_get_path(const b2b::sessions::GetParams& params, BodyWriter& refusals);
/// "v1/b2b/sessions/jwks/{project_id}".
std::string b2b_sessions_jwks_path(const std::string& project_id);
/// "v1/b2b/organizations/{organization_id}".
std::string b2b_organizations_get_path(const b2b::organizations::GetParams& params, BodyWriter& refusals);
/// "v1/b2b/organizations/{organization_id}/members".
std::string b2b_members_create_path(const b2b::organizations::members::CreateParams& params, BodyWriter& refusals);
/// "v1/b2b/organizations/{organization_id}/member?member_id=..." or "?email_address=...".
std::string b2b_members_get_path(const b2b::organizations::members::GetParams& params, BodyWriter& refusals);

// Decoders of the answers that are not shared (LoginResponse, MemberResponse
// and OrganizationResponse are in b2b_models_json.hpp).
void decode(const nlohmann::json& object, b2b::otps::sms::AuthenticateResponse& out);
void decode(const nlohmann::json& object, b2b::otps::email::LoginOrSignupResponse& out);
void decode(const nlohmann::json& object, b2b::otps::email::discovery::SendResponse& out);
void decode(const nlohmann::json& object, b2b::otps::email::discovery::AuthenticateResponse& out);
void decode(const nlohmann::json& object, b2b::discovery::organizations::ListResponse& out);
void decode(const nlohmann::json& object, b2b::sessions::AuthenticateResponse& out);
void decode(const nlohmann::json& object, b2b::sessions::GetResponse& out);
void decode(const nlohmann::json& object, b2b::sessions::RevokeResponse& out);

}  // namespace stytch::internal

#endif
