// Fuzzes the JSON of the B2B calls. The bytes, parsed as JSON, go into every
// B2B decoder: only FieldError may come out (it becomes a decode Error);
// anything else, or a crash, is a finding. The same bytes, split into
// fields at 0xFF bytes (never found in UTF-8), go into every body writer and
// path builder: a body is refused with an invalid_argument Error or is
// valid JSON that parses back to what was written, and a path never holds a
// character a URL would read differently, nor a dot segment.

#include "b2b/b2b_json.hpp"
#include "b2b/b2b_models_json.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace {

namespace b2b = stytch::b2b;
namespace in = stytch::internal;

template <typename Response>
void decode_as(const nlohmann::json& object) {
  Response response;
  try {
    in::decode(object, response);
  } catch (const in::FieldError&) {
  }
}

void check(const in::BodyWriter& body) {
  if (body.error()) {
    if (body.error()->kind != stytch::ErrorKind::invalid_argument) __builtin_trap();
    return;
  }
  const std::string text = body.dump();  // throws (a finding) on invalid UTF-8
  const auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded() || parsed != body.json()) __builtin_trap();
}

bool url_safe(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~' || c == '%' || c == '/' || c == '?' || c == '&' || c == '=';
}

void check_path(const std::string& path, const in::BodyWriter& refusals) {
  if (refusals.error() && refusals.error()->kind != stytch::ErrorKind::invalid_argument) __builtin_trap();
  if (!refusals.json().empty()) __builtin_trap();  // path values are never written to a body
  const std::string route = path.substr(0, path.find('?'));
  for (char c : path) {
    if (!url_safe(c)) __builtin_trap();
  }
  std::size_t start = 0;
  while (start <= route.size()) {
    const std::size_t end = std::min(route.find('/', start), route.size());
    const std::string segment = route.substr(start, end - start);
    if (segment == "." || segment == "..") __builtin_trap();
    start = end + 1;
  }
}

void decode_everything(const nlohmann::json& object) {
  decode_as<b2b::Member>(object);
  decode_as<b2b::Organization>(object);
  decode_as<b2b::MemberSession>(object);
  decode_as<b2b::MfaRequired>(object);
  decode_as<b2b::PrimaryRequired>(object);
  decode_as<b2b::Membership>(object);
  decode_as<b2b::DiscoveredOrganization>(object);
  decode_as<b2b::LoginResponse>(object);
  decode_as<b2b::MemberResponse>(object);
  decode_as<b2b::OrganizationResponse>(object);
  decode_as<b2b::otps::sms::AuthenticateResponse>(object);
  decode_as<b2b::otps::email::LoginOrSignupResponse>(object);
  decode_as<b2b::otps::email::discovery::SendResponse>(object);
  decode_as<b2b::otps::email::discovery::AuthenticateResponse>(object);
  decode_as<b2b::discovery::organizations::ListResponse>(object);
  decode_as<b2b::sessions::AuthenticateResponse>(object);
  decode_as<b2b::sessions::GetResponse>(object);
  decode_as<b2b::sessions::RevokeResponse>(object);
}

std::optional<std::string> maybe(const std::string& field, int bit, int flags) {
  if ((flags & (1 << bit)) == 0) return std::nullopt;
  return field;
}

void write_everything(const std::vector<std::string>& f, int number) {
  const int flags = number + 100;
  // Custom claims and metadata: f[7] parsed as JSON when it is JSON (any
  // value: objects pass, the rest is refused), else the raw bytes as a key.
  nlohmann::json claims = nlohmann::json::parse(f[7], nullptr, false);
  if (claims.is_discarded()) claims = nlohmann::json{{f[7], f[6]}};

  b2b::otps::sms::SendParams sms_send;
  sms_send.organization_id = f[0];
  sms_send.member_id = f[1];
  sms_send.mfa_phone_number = maybe(f[2], 0, flags);
  sms_send.locale = maybe(f[3], 1, flags);
  sms_send.intermediate_session_token = maybe(f[4], 2, flags);
  sms_send.session_token = maybe(f[5], 3, flags);
  sms_send.session_jwt = maybe(f[6], 4, flags);
  check(in::b2b_sms_send_body(sms_send));

  b2b::otps::sms::AuthenticateParams sms_auth;
  sms_auth.organization_id = f[0];
  sms_auth.member_id = f[1];
  sms_auth.code = f[2];
  sms_auth.intermediate_session_token = maybe(f[3], 0, flags);
  sms_auth.session_token = maybe(f[4], 1, flags);
  sms_auth.session_jwt = maybe(f[5], 2, flags);
  sms_auth.session_duration_minutes = number;
  sms_auth.session_custom_claims = claims;
  sms_auth.set_mfa_enrollment = f[6];
  sms_auth.set_default_mfa = (flags & 8) != 0;
  sms_auth.telemetry_id = f[7];
  check(in::b2b_sms_authenticate_body(sms_auth));

  b2b::otps::email::LoginOrSignupParams los;
  los.organization_id = f[1];
  los.email_address = f[0];
  los.login_template_id = f[2];
  los.signup_template_id = maybe(f[3], 0, flags);
  los.locale = maybe(f[4], 1, flags);
  los.login_expiration_minutes = number;
  check(in::b2b_email_login_or_signup_body(los));

  b2b::otps::email::AuthenticateParams email_auth;
  email_auth.organization_id = f[1];
  email_auth.email_address = f[0];
  email_auth.code = f[2];
  email_auth.session_token = maybe(f[3], 0, flags);
  email_auth.session_jwt = maybe(f[4], 1, flags);
  email_auth.intermediate_session_token = maybe(f[5], 2, flags);
  email_auth.session_custom_claims = claims;
  email_auth.locale = maybe(f[6], 3, flags);
  check(in::b2b_email_authenticate_body(email_auth));

  b2b::otps::email::discovery::SendParams discovery_send;
  discovery_send.email_address = f[0];
  discovery_send.login_template_id = maybe(f[1], 0, flags);
  discovery_send.locale = maybe(f[2], 1, flags);
  discovery_send.discovery_expiration_minutes = number;
  check(in::b2b_email_discovery_send_body(discovery_send));

  b2b::otps::email::discovery::AuthenticateParams discovery_auth;
  discovery_auth.email_address = f[0];
  discovery_auth.code = f[1];
  check(in::b2b_email_discovery_authenticate_body(discovery_auth));

  b2b::discovery::intermediate_sessions::ExchangeParams exchange;
  exchange.intermediate_session_token = f[0];
  exchange.organization_id = f[1];
  exchange.session_custom_claims = claims;
  exchange.locale = maybe(f[2], 0, flags);
  exchange.telemetry_id = maybe(f[3], 1, flags);
  check(in::b2b_intermediate_sessions_exchange_body(exchange));

  b2b::discovery::organizations::ListParams list;
  list.intermediate_session_token = maybe(f[0], 0, flags);
  list.session_token = maybe(f[1], 1, flags);
  list.session_jwt = maybe(f[2], 2, flags);
  check(in::b2b_discovery_organizations_list_body(list));

  b2b::discovery::organizations::CreateParams discovery_create;
  discovery_create.intermediate_session_token = f[0];
  discovery_create.organization_name = maybe(f[1], 0, flags);
  discovery_create.organization_slug = maybe(f[2], 1, flags);
  discovery_create.trusted_metadata = claims;
  discovery_create.settings.email_allowed_domains = std::vector<std::string>{f[3], f[4]};
  discovery_create.settings.mfa_policy = maybe(f[5], 2, flags);
  check(in::b2b_discovery_organizations_create_body(discovery_create));

  b2b::sessions::AuthenticateParams session_auth;
  session_auth.session_token = maybe(f[0], 0, flags);
  session_auth.session_jwt = maybe(f[1], 1, flags);
  session_auth.session_custom_claims = claims;
  if ((flags & 4) != 0) session_auth.authorization_check = b2b::sessions::AuthorizationCheck{f[2], f[3], f[4]};
  check(in::b2b_sessions_authenticate_body(session_auth));

  b2b::sessions::RevokeParams revoke;
  revoke.member_session_id = maybe(f[0], 0, flags);
  revoke.session_token = maybe(f[1], 1, flags);
  revoke.session_jwt = maybe(f[2], 2, flags);
  revoke.member_id = maybe(f[3], 3, flags);
  check(in::b2b_sessions_revoke_body(revoke));

  b2b::sessions::ExchangeParams session_exchange;
  session_exchange.organization_id = f[0];
  session_exchange.session_token = maybe(f[1], 0, flags);
  session_exchange.session_jwt = maybe(f[2], 1, flags);
  session_exchange.locale = maybe(f[3], 2, flags);
  check(in::b2b_sessions_exchange_body(session_exchange));

  b2b::organizations::CreateParams org_create;
  org_create.organization_name = f[0];
  org_create.organization_external_id = f[1];
  org_create.trusted_metadata = claims;
  org_create.settings.allowed_auth_methods = std::vector<std::string>{f[2]};
  check(in::b2b_organizations_create_body(org_create));

  b2b::organizations::members::CreateParams member_create;
  member_create.organization_id = f[0];
  member_create.email_address = f[1];
  member_create.name = f[2];
  member_create.mfa_phone_number = maybe(f[3], 0, flags);
  member_create.untrusted_metadata = claims;
  member_create.roles = std::vector<std::string>{f[4], f[5]};
  in::BodyWriter member_body = in::b2b_members_create_body(member_create);
  const std::string member_path = in::b2b_members_create_path(member_create, member_body);
  check(member_body);
  if (member_body.json().contains("organization_id")) __builtin_trap();
  check_path(member_path, in::BodyWriter());

  in::BodyWriter refusals;
  b2b::sessions::GetParams session_get{f[0], f[1]};
  check_path(in::b2b_sessions_get_path(session_get, refusals), refusals);
  b2b::organizations::GetParams org_get{f[0]};
  check_path(in::b2b_organizations_get_path(org_get, refusals), refusals);
  b2b::organizations::members::GetParams member_get{f[0], maybe(f[1], 0, flags), maybe(f[2], 1, flags)};
  check_path(in::b2b_members_get_path(member_get, refusals), refusals);
  check_path(in::b2b_sessions_jwks_path(f[0]), refusals);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const auto parsed = nlohmann::json::parse(bytes, nullptr, false);
  if (!parsed.is_discarded()) decode_everything(parsed);

  std::vector<std::string> fields(8);
  std::size_t field = 0;
  for (std::size_t i = 0; i < size && field < fields.size(); ++i) {
    if (data[i] == 0xFF) {
      ++field;
    } else {
      fields[field] += static_cast<char>(data[i]);
    }
  }
  write_everything(fields, size > 0 ? static_cast<int>(data[0]) - 100 : 0);
  return 0;
}
