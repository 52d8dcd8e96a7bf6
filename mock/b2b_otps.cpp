// B2B one-time passcodes and discovery as stytch-mock plays them: email codes
// as the primary factor, SMS codes as the MFA factor, the MFA stop with an
// intermediate session token, and logging in before choosing an organization.

#include "b2b.hpp"

#include "b2b_fields.hpp"

#include <algorithm>

namespace stytch::mock {

using nlohmann::json;
namespace fields = b2b_fields;

namespace {

constexpr auto kIntermediateLifetime = std::chrono::minutes(10);
constexpr long kSmsCodeSeconds = 120;

ApiFailure primary_first() {
  return ApiFailure{400, "action_available_only_once_primary_authentication_is_met",
                    "This action is available only once a primary factor has been authenticated: pass an "
                    "intermediate_session_token, session_token or session_jwt."};
}

ApiFailure ist_for_another_organization() {
  return ApiFailure{400, "invalid_intermediate_session_token_for_organization",
                    "The intermediate_session_token was not issued for this member and organization."};
}

ApiFailure session_for_another_member() {
  return ApiFailure{400, "invalid_session_for_member", "The session belongs to another member."};
}

ApiFailure jit_not_allowed() {
  return ApiFailure{400, "email_jit_provisioning_not_allowed",
                    "This organization does not let members join by email domain."};
}

}  // namespace

json B2bService::email_factor(const std::string& email_id, const std::string& email) const {
  return json{{"type", "otp"},
              {"delivery_method", "email"},
              {"last_authenticated_at", rfc3339(now())},
              {"email_factor", {{"email_id", email_id}, {"email_address", email}}}};
}

json B2bService::sms_factor(const Member& member) const {
  return json{{"type", "otp"},
              {"delivery_method", "sms"},
              {"last_authenticated_at", rfc3339(now())},
              {"phone_number_factor", {{"phone_id", member.phone_id}, {"phone_number", member.phone_number}}}};
}

std::string B2bService::issue_sms(Member& member) {
  return service_.issue_external_code(member.phone_id, "sms", member.phone_number, kSmsCodeSeconds);
}

B2bService::Intermediate& B2bService::mint_intermediate(const std::string& email, const Member* member,
                                                        const std::vector<json>& factors) {
  Intermediate ist;
  ist.token = random_token(44);
  ist.email_address = email;
  if (member != nullptr) {
    ist.member_id = member->id;
    ist.organization_id = member->organization_id;
  }
  ist.expires_at = now() + kIntermediateLifetime;
  ist.factors = factors;
  Intermediate& stored = intermediates_[ist.token];
  stored = std::move(ist);
  return stored;
}

B2bService::Intermediate& B2bService::find_intermediate(const std::string& token) {
  auto it = intermediates_.find(token);
  if (it == intermediates_.end() || it->second.expires_at <= now()) {
    throw ApiFailure{404, "intermediate_session_not_found", "Intermediate session could not be found."};
  }
  return it->second;
}

bool B2bService::eligible_by_domain(const Organization& organization, const std::string& email) const {
  const std::string domain = fields::domain_of(email);
  if (organization.email_jit_provisioning != "RESTRICTED" ||
      !fields::contains(organization.email_allowed_domains, domain)) {
    return false;
  }
  // Against phishing: someone of that domain has proven an address here.
  return std::any_of(members_.begin(), members_.end(), [&](const auto& entry) {
    const Member& m = entry.second;
    return m.organization_id == organization.id && m.email_verified && fields::domain_of(m.email_address) == domain;
  });
}

bool B2bService::sms_allowed(const Organization& organization, const Member& member) {
  return organization.mfa_methods != "RESTRICTED" || fields::contains(organization.allowed_mfa_methods, "sms_otp") ||
         member.is_breakglass;
}

void B2bService::check_sms_allowed(const Organization& organization, const Member& member) {
  if (!sms_allowed(organization, member)) {
    throw ApiFailure{400, "operation_restricted_by_organization_mfa_methods",
                     "This organization does not allow SMS one-time passcodes."};
  }
}

B2bService::Requirement B2bService::requirement(const Organization& organization, const Member& member,
                                                const std::vector<json>& factors) const {
  Requirement r;
  const bool has_sms = std::any_of(factors.begin(), factors.end(),
                                   [](const json& f) { return f.value("delivery_method", "") == "sms"; });
  const bool has_email = std::any_of(factors.begin(), factors.end(),
                                     [](const json& f) { return f.value("delivery_method", "") == "email"; });
  r.primary = organization.auth_methods == "RESTRICTED" && !member.is_breakglass &&
              !(has_email && fields::contains(organization.allowed_auth_methods, "email_otp"));
  r.mfa = (organization.mfa_policy == "REQUIRED_FOR_ALL" || member.mfa_enrolled) && !has_sms;
  return r;
}

json B2bService::login_answer(const Member& member, const Organization& organization, const MemberSession* session,
                              const Intermediate* intermediate, Requirement requirement,
                              bool secondary_auth_initiated) const {
  json mfa_required = nullptr;
  if (session == nullptr && requirement.mfa) {
    mfa_required = {{"member_options", {{"mfa_phone_number", member.phone_number}, {"totp_registration_id", ""}}},
                    {"secondary_auth_initiated", secondary_auth_initiated ? json("sms_otp") : json(nullptr)}};
  }
  json primary_required = nullptr;
  if (session == nullptr && requirement.primary) {
    primary_required = {{"allowed_auth_methods", organization.allowed_auth_methods}};
  }
  return json{{"status_code", 200},
              {"member_id", member.id},
              {"member", member_json(member)},
              {"organization", organization_json(organization)},
              {"member_authenticated", session != nullptr},
              {"session_token", session != nullptr ? session->token : ""},
              {"session_jwt", session != nullptr ? session->jwt : ""},
              {"member_session", session != nullptr ? session_json(*session) : json(nullptr)},
              {"intermediate_session_token", intermediate != nullptr ? intermediate->token : ""},
              {"intermediate_session_token_expires_at",
               intermediate != nullptr ? json(rfc3339(intermediate->expires_at)) : json(nullptr)},
              {"mfa_required", mfa_required},
              {"primary_required", primary_required},
              {"member_device", nullptr}};
}

json B2bService::complete_login(Member& member, Organization& organization, const std::vector<json>& factors,
                                const json& body, MemberSession* existing, Intermediate* intermediate) {
  if (existing != nullptr) {
    extend_session(*existing, factors, body, false);
    if (intermediate != nullptr) intermediates_.erase(std::string(intermediate->token));
    return login_answer(member, organization, existing, nullptr, {}, false);
  }
  const Requirement r = requirement(organization, member, factors);
  if (r.mfa || r.primary) {
    Intermediate* ist = intermediate;
    if (ist == nullptr) {
      ist = &mint_intermediate(member.email_address, &member, factors);
    } else {
      ist->member_id = member.id;
      ist->organization_id = organization.id;
      ist->factors = factors;
    }
    // Stytch sends the SMS itself when the member has a number.
    const bool send_sms = r.mfa && !r.primary && !member.phone_number.empty() && sms_allowed(organization, member);
    if (send_sms) issue_sms(member);
    return login_answer(member, organization, nullptr, ist, r, send_sms);
  }
  MemberSession& session = start_session(member, factors, body);
  if (intermediate != nullptr) intermediates_.erase(std::string(intermediate->token));
  return login_answer(member, organization, &session, nullptr, r, false);
}

json B2bService::email_login_or_signup(const json& body) {
  const std::string organization_ref = fields::req_string(body, "organization_id");
  const std::string email = fields::email_address(body);
  fields::check_locale(body, true);
  const long login_minutes = fields::email_code_minutes(body, "login_expiration_minutes");
  const long signup_minutes = fields::email_code_minutes(body, "signup_expiration_minutes");
  fields::opt_string(body, "login_template_id");
  fields::opt_string(body, "signup_template_id");

  std::lock_guard<std::mutex> guard(mutex_);
  Organization& organization = find_organization(organization_ref);
  Member* member = member_by_email(organization.id, email);
  const bool restricted = organization.auth_methods == "RESTRICTED" &&
                          !fields::contains(organization.allowed_auth_methods, "email_otp") &&
                          (member == nullptr || !member->is_breakglass);
  if (restricted) {
    throw ApiFailure{400, "operation_restricted_by_organization_auth_methods",
                     "This organization does not allow email one-time passcodes."};
  }
  bool created = false;
  if (member == nullptr) {
    if (organization.email_jit_provisioning != "RESTRICTED" ||
        !fields::contains(organization.email_allowed_domains, fields::domain_of(email))) {
      throw jit_not_allowed();
    }
    member = &create_member(organization, json{{"email_address", email}, {"create_member_as_pending", true}});
    created = true;
  }
  const bool signup = created || member->status != "active";
  service_.issue_external_code(member->email_id, "email", email, 60L * (signup ? signup_minutes : login_minutes));
  return json{{"status_code", 200},
              {"member_id", member->id},
              {"member_created", created},
              {"member", member_json(*member)},
              {"organization", organization_json(organization)}};
}

json B2bService::email_authenticate(const json& body) {
  const std::string organization_ref = fields::req_string(body, "organization_id");
  const std::string email = fields::email_address(body);
  const std::string code = fields::req_string(body, "code");
  fields::session_minutes(body);
  fields::custom_claims(body);
  fields::check_locale(body, false);
  fields::opt_string(body, "telemetry_id");
  if (fields::count_present(body, {"intermediate_session_token", "session_token", "session_jwt"}) > 1) {
    throw ApiFailure{400, "too_many_session_arguments",
                     "Pass at most one of intermediate_session_token, session_token and session_jwt."};
  }
  const auto ist_token = fields::opt_string(body, "intermediate_session_token");

  std::lock_guard<std::mutex> guard(mutex_);
  Organization& organization = find_organization(organization_ref);
  Member* member = member_by_email(organization.id, email);
  if (member == nullptr) throw ApiFailure{404, "otp_code_not_found", "The OTP code could not be found."};
  MemberSession* existing = session_from(body, false);
  if (existing != nullptr && existing->member_id != member->id) throw session_for_another_member();
  Intermediate* intermediate = nullptr;
  if (ist_token) {
    intermediate = &find_intermediate(*ist_token);
    if (intermediate->email_address != email ||
        (!intermediate->organization_id.empty() && intermediate->organization_id != organization.id)) {
      throw ist_for_another_organization();
    }
  }
  service_.use_external_code(member->email_id, code);

  if (member->status == "pending" || member->status == "invited") member->status = "active";
  member->email_verified = true;
  member->updated_at = now();
  std::vector<json> factors;
  if (intermediate != nullptr) {
    for (const json& f : intermediate->factors) {
      if (f.value("delivery_method", "") != "email") factors.push_back(f);
    }
  }
  factors.push_back(email_factor(member->email_id, email));
  json answer = complete_login(*member, organization, factors, body, existing, intermediate);
  answer["method_id"] = member->email_id;
  answer["organization_id"] = organization.id;
  return answer;
}

json B2bService::sms_send(const json& body) {
  const std::string organization_ref = fields::req_string(body, "organization_id");
  const std::string member_ref = fields::req_string(body, "member_id");
  const auto phone = fields::opt_string(body, "mfa_phone_number");
  if (phone && !fields::is_e164(*phone))
    throw ApiFailure{400, "invalid_phone_number", "mfa_phone_number format is invalid."};
  fields::check_locale(body, false);
  if (fields::count_present(body, {"intermediate_session_token", "session_token", "session_jwt"}) > 1) {
    throw ApiFailure{400, "too_many_session_arguments",
                     "Pass at most one of intermediate_session_token, session_token and session_jwt."};
  }
  const auto ist_token = fields::opt_string(body, "intermediate_session_token");

  std::lock_guard<std::mutex> guard(mutex_);
  Organization& organization = find_organization(organization_ref);
  Member& member = find_member(organization, member_ref);
  if (member.status != "active") {
    throw ApiFailure{400, "action_available_only_for_active_members",
                     "MFA factors are available only to active members."};
  }
  check_sms_allowed(organization, member);
  bool authenticated = false;
  if (ist_token) {
    const Intermediate& ist = find_intermediate(*ist_token);
    if (ist.member_id != member.id || ist.organization_id != organization.id) throw ist_for_another_organization();
    // SMS is never a primary factor: an IST still missing one proves nothing yet.
    if (requirement(organization, member, ist.factors).primary) throw primary_first();
    authenticated = true;
  } else if (MemberSession* session = session_from(body, false)) {
    if (session->member_id != member.id) throw session_for_another_member();
    authenticated = true;
  }
  // A member with a proven number has an MFA factor: no sending without a login.
  if (!authenticated && member.phone_verified) throw primary_first();
  if (member.phone_number.empty()) {
    if (!phone) throw ApiFailure{400, "invalid_phone_number", "The member has no phone number: pass mfa_phone_number."};
    const Member* holder = member_by_phone(organization.id, *phone);
    if (holder != nullptr && holder->id != member.id) {
      throw ApiFailure{400, "duplicate_member_phone_number", "A member with this mfa_phone_number already exists."};
    }
    member.phone_number = *phone;
    member.phone_id = new_id("member-phone-number");
    member.phone_verified = false;
    member.updated_at = now();
  } else if (phone && *phone != member.phone_number) {
    throw ApiFailure{400, "member_phone_number_mismatch",
                     "mfa_phone_number differs from the number the member already has."};
  }
  issue_sms(member);
  return json{{"status_code", 200},
              {"member_id", member.id},
              {"member", member_json(member)},
              {"organization", organization_json(organization)}};
}

json B2bService::sms_authenticate(const json& body) {
  const std::string organization_ref = fields::req_string(body, "organization_id");
  const std::string member_ref = fields::req_string(body, "member_id");
  const std::string code = fields::req_string(body, "code");
  fields::session_minutes(body);
  fields::custom_claims(body);
  fields::opt_string(body, "telemetry_id");
  const auto enrollment = fields::opt_string(body, "set_mfa_enrollment");
  if (enrollment && *enrollment != "enroll" && *enrollment != "unenroll") {
    throw fields::invalid("set_mfa_enrollment", "set_mfa_enrollment must be enroll or unenroll.");
  }
  const bool set_default = fields::opt_bool(body, "set_default_mfa").value_or(false);
  const int given = fields::count_present(body, {"intermediate_session_token", "session_token", "session_jwt"});
  if (given == 0) throw primary_first();
  if (given > 1) {
    throw ApiFailure{400, "too_many_session_arguments",
                     "Pass exactly one of intermediate_session_token, session_token and session_jwt."};
  }
  const auto ist_token = fields::opt_string(body, "intermediate_session_token");

  std::lock_guard<std::mutex> guard(mutex_);
  Organization& organization = find_organization(organization_ref);
  Member& member = find_member(organization, member_ref);
  Intermediate* intermediate = nullptr;
  MemberSession* session = nullptr;
  if (member.status != "active") {
    throw ApiFailure{400, "action_available_only_for_active_members",
                     "MFA factors are available only to active members."};
  }
  check_sms_allowed(organization, member);
  if (ist_token) {
    intermediate = &find_intermediate(*ist_token);
    if (intermediate->member_id != member.id || intermediate->organization_id != organization.id) {
      throw ist_for_another_organization();
    }
    if (requirement(organization, member, intermediate->factors).primary) throw primary_first();
  } else {
    session = session_from(body, false);
    if (session->member_id != member.id) throw session_for_another_member();
  }
  if (member.phone_id.empty()) throw ApiFailure{404, "otp_code_not_found", "The OTP code could not be found."};
  service_.use_external_code(member.phone_id, code);

  member.phone_verified = true;
  if (organization.mfa_policy == "REQUIRED_FOR_ALL" || (enrollment && *enrollment == "enroll")) {
    member.mfa_enrolled = true;
  } else if (enrollment && *enrollment == "unenroll") {
    member.mfa_enrolled = false;
  }
  if (set_default) member.default_mfa_method = "sms_otp";
  member.updated_at = now();

  if (intermediate != nullptr) {
    std::vector<json> factors = intermediate->factors;
    factors.push_back(sms_factor(member));
    session = &start_session(member, factors, body);
    intermediates_.erase(*ist_token);
  } else {
    extend_session(*session, {sms_factor(member)}, body, false);
  }
  return json{{"status_code", 200},
              {"member_id", member.id},
              {"member", member_json(member)},
              {"organization", organization_json(organization)},
              {"session_token", session->token},
              {"session_jwt", session->jwt},
              {"member_session", session_json(*session)},
              {"member_device", nullptr}};
}

json B2bService::discovery_send(const json& body) {
  const std::string email = fields::email_address(body);
  const long minutes = fields::email_code_minutes(body, "discovery_expiration_minutes");
  fields::check_locale(body, true);
  fields::opt_string(body, "login_template_id");
  std::lock_guard<std::mutex> guard(mutex_);
  std::string& key = discovery_email_ids_[email];
  if (key.empty()) key = new_id("email");
  service_.issue_external_code(key, "email", email, 60L * minutes);
  return json{{"status_code", 200}};
}

json B2bService::discovered(const std::string& email, bool with_eligible, const std::vector<json>& factors) {
  std::vector<const Organization*> ordered;
  for (const auto& entry : organizations_) ordered.push_back(&entry.second);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const Organization* a, const Organization* b) { return a->created_at < b->created_at; });
  json list = json::array();
  for (const Organization* organization : ordered) {
    Requirement r;
    json membership;
    if (const Member* member = member_by_email(organization->id, email)) {
      const char* type = member->status == "invited"   ? "invited_member"
                         : member->status == "pending" ? "pending_member"
                                                       : "active_member";
      membership = {{"type", type}, {"details", nullptr}, {"member", member_json(*member)}};
      r = requirement(*organization, *member, factors);
    } else if (with_eligible && eligible_by_domain(*organization, email)) {
      membership = {{"type", "eligible_to_join_by_email_domain"},
                    {"details", {{"domain", fields::domain_of(email)}}},
                    {"member", nullptr}};
      Member would_be;
      would_be.email_address = email;
      r = requirement(*organization, would_be, factors);
    } else {
      continue;
    }
    const json* phone = membership["member"].is_object() ? &membership["member"]["mfa_phone_number"] : nullptr;
    json mfa_required = nullptr;
    if (r.mfa) {
      mfa_required = {{"member_options",
                       {{"mfa_phone_number", phone != nullptr ? *phone : json("")}, {"totp_registration_id", ""}}},
                      {"secondary_auth_initiated", nullptr}};
    }
    list.push_back({{"member_authenticated", !r.mfa && !r.primary},
                    {"organization", organization_json(*organization)},
                    {"membership", membership},
                    {"primary_required",
                     r.primary ? json{{"allowed_auth_methods", organization->allowed_auth_methods}} : json(nullptr)},
                    {"mfa_required", mfa_required}});
  }
  return list;
}

json B2bService::discovery_authenticate(const json& body) {
  const std::string email = fields::email_address(body);
  const std::string code = fields::req_string(body, "code");
  std::lock_guard<std::mutex> guard(mutex_);
  auto key = discovery_email_ids_.find(email);
  if (key == discovery_email_ids_.end()) {
    throw ApiFailure{404, "otp_code_not_found", "The OTP code could not be found."};
  }
  service_.use_external_code(key->second, code);
  const std::vector<json> factors = {email_factor(key->second, email)};
  const Intermediate& ist = mint_intermediate(email, nullptr, factors);
  return json{{"status_code", 200},
              {"intermediate_session_token", ist.token},
              {"email_address", email},
              {"discovered_organizations", discovered(email, true, factors)},
              {"intermediate_session_token_expires_at", rfc3339(ist.expires_at)}};
}

json B2bService::discovery_organizations(const json& body) {
  const int given = fields::count_present(body, {"intermediate_session_token", "session_token", "session_jwt"});
  if (given == 0) {
    throw ApiFailure{400, "no_session_arguments",
                     "Pass one of intermediate_session_token, session_token and session_jwt."};
  }
  if (given > 1) {
    throw ApiFailure{400, "too_many_session_arguments",
                     "Pass exactly one of intermediate_session_token, session_token and session_jwt."};
  }
  std::lock_guard<std::mutex> guard(mutex_);
  if (auto token = fields::opt_string(body, "intermediate_session_token")) {
    const Intermediate& ist = find_intermediate(*token);
    return json{{"status_code", 200},
                {"email_address", ist.email_address},
                {"discovered_organizations", discovered(ist.email_address, true, ist.factors)},
                {"organization_id_hint", ist.organization_id.empty() ? json(nullptr) : json(ist.organization_id)}};
  }
  const MemberSession* session = session_from(body, true);
  const std::string email = members_.at(session->member_id).email_address;
  return json{{"status_code", 200},
              {"email_address", email},
              {"discovered_organizations", discovered(email, false, session->factors)},
              {"organization_id_hint", nullptr}};
}

json B2bService::discovery_exchange(const json& body) {
  const std::string token = fields::req_string(body, "intermediate_session_token");
  const std::string organization_ref = fields::req_string(body, "organization_id");
  fields::session_minutes(body);
  fields::custom_claims(body);
  fields::check_locale(body, false);
  fields::opt_string(body, "telemetry_id");

  std::lock_guard<std::mutex> guard(mutex_);
  Intermediate& ist = find_intermediate(token);
  Organization& organization = find_organization(organization_ref);
  Member* member = member_by_email(organization.id, ist.email_address);
  if (member == nullptr) {
    // The rule discovery lists organizations by, anti-phishing check included.
    if (!eligible_by_domain(organization, ist.email_address)) throw jit_not_allowed();
    member = &create_member(organization, json{{"email_address", ist.email_address}});
  }
  if (member->status == "pending" || member->status == "invited") member->status = "active";
  member->email_verified = true;
  member->updated_at = now();
  // The discovery login proved the address: the factor now names the member's email.
  std::vector<json> factors;
  for (json f : ist.factors) {
    if (f.contains("email_factor")) f["email_factor"]["email_id"] = member->email_id;
    if (f.value("delivery_method", "") != "sms") factors.push_back(std::move(f));
  }
  return complete_login(*member, organization, factors, body, nullptr, &ist);
}

json B2bService::discovery_create(const json& body) {
  const std::string token = fields::req_string(body, "intermediate_session_token");
  fields::session_minutes(body);
  fields::custom_claims(body);
  fields::opt_string(body, "telemetry_id");
  json settings = body;
  for (const char* name : {"intermediate_session_token", "session_duration_minutes", "session_custom_claims",
                           "telemetry_id", "claimed_email_domains"}) {
    settings.erase(name);
  }

  std::lock_guard<std::mutex> guard(mutex_);
  Intermediate& ist = find_intermediate(token);
  Organization& organization = create_organization(settings, ist.email_address);
  Member& member =
      create_member(organization, json{{"email_address", ist.email_address}, {"roles", json::array({"stytch_admin"})}});
  member.email_verified = true;
  std::vector<json> factors;
  for (json f : ist.factors) {
    if (f.contains("email_factor")) f["email_factor"]["email_id"] = member.email_id;
    if (f.value("delivery_method", "") != "sms") factors.push_back(std::move(f));
  }
  return complete_login(member, organization, factors, body, nullptr, &ist);
}

}  // namespace stytch::mock
