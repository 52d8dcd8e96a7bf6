// Organizations and members as stytch-mock plays them, and the shapes of the
// B2B objects in answers (every field of Stytch's tables, nulls for the
// optional objects), the seed control and the console's view.

#include "b2b.hpp"

#include "b2b_fields.hpp"

#include <algorithm>
#include <array>

namespace stytch::mock {

using nlohmann::json;
namespace fields = b2b_fields;

namespace {

constexpr std::array<const char*, 12> kCommonDomains = {"gmail.com", "googlemail.com", "outlook.com",    "hotmail.com",
                                                        "live.com",  "yahoo.com",      "icloud.com",     "me.com",
                                                        "aol.com",   "proton.me",      "protonmail.com", "gmx.com"};
constexpr std::array<const char*, 9> kAuthMethods = {"sso",         "magic_link",   "email_otp",
                                                     "password",    "google_oauth", "microsoft_oauth",
                                                     "slack_oauth", "github_oauth", "hubspot_oauth"};
constexpr std::array<const char*, 2> kMfaMethods = {"sms_otp", "totp"};

bool is_common_domain(const std::string& domain) {
  return std::any_of(kCommonDomains.begin(), kCommonDomains.end(), [&](const char* d) { return domain == d; });
}

template <std::size_t N>
bool one_of(const std::string& value, const std::array<const char*, N>& allowed) {
  return std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return value == a; });
}

std::string enum_field(const json& body, const char* name, std::initializer_list<const char*> allowed,
                       const std::string& fallback) {
  auto value = fields::opt_string(body, name);
  if (!value) return fallback;
  if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return *value == a; })) {
    throw fields::invalid(name, std::string(name) + " has a value Stytch does not know.");
  }
  return *value;
}

bool valid_slug(const std::string& slug) {
  if (slug.size() < 2 || slug.size() > 128) return false;
  return std::all_of(slug.begin(), slug.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_' || c == '~';
  });
}

// "Acme Corp!" -> "acme-corp".
std::string slug_from(const std::string& text) {
  std::string out;
  for (char c : fields::lower(text)) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_';
    if (keep) {
      out += c;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() > 100) out.resize(100);
  return out;
}

// The organization name discovery gives an email: its domain's first label,
// or the local part for common providers and .edu.
std::string name_from_email(const std::string& email) {
  const std::string domain = fields::domain_of(email);
  const bool personal = is_common_domain(domain) || (domain.size() > 4 && domain.substr(domain.size() - 4) == ".edu");
  if (personal) return email.substr(0, email.rfind('@'));
  return domain.substr(0, domain.find('.'));
}

}  // namespace

B2bService::B2bService(Service& service) : service_(service), project_id_(service.options().project_id) {}

std::string B2bService::random_token(std::size_t length) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::uniform_int_distribution<std::size_t> pick(0, sizeof kAlphabet - 2);
  std::string out;
  for (std::size_t i = 0; i < length; ++i) out += kAlphabet[pick(random_)];
  return out;
}

B2bService::Organization& B2bService::find_organization(const std::string& ref) {
  if (ref.empty()) throw fields::invalid("organization_id", "organization_id is required.");
  auto it = organizations_.find(ref);
  if (it != organizations_.end()) return it->second;
  for (auto& [id, organization] : organizations_) {
    if (organization.slug == ref) return organization;
  }
  for (auto& [id, organization] : organizations_) {
    if (!organization.external_id.empty() && organization.external_id == ref) return organization;
  }
  throw ApiFailure{404, "organization_not_found", "Organization could not be found."};
}

B2bService::Member& B2bService::find_member(const Organization& organization, const std::string& ref) {
  if (ref.empty()) throw fields::invalid("member_id", "member_id is required.");
  auto it = members_.find(ref);
  if (it != members_.end() && it->second.organization_id == organization.id) return it->second;
  for (auto& [id, member] : members_) {
    if (member.organization_id == organization.id && !member.external_id.empty() && member.external_id == ref) {
      return member;
    }
  }
  throw ApiFailure{404, "member_not_found", "Member could not be found."};
}

B2bService::Member* B2bService::member_by_email(const std::string& organization_id, const std::string& email_address) {
  for (auto& [id, member] : members_) {
    if (member.organization_id == organization_id && member.email_address == email_address) return &member;
  }
  return nullptr;
}

B2bService::Member* B2bService::member_by_phone(const std::string& organization_id, const std::string& phone_number) {
  for (auto& [id, member] : members_) {
    if (member.organization_id == organization_id && member.phone_number == phone_number) return &member;
  }
  return nullptr;
}

bool B2bService::slug_taken(const std::string& slug) const {
  return std::any_of(organizations_.begin(), organizations_.end(),
                     [&](const auto& entry) { return entry.second.slug == slug; });
}

std::string B2bService::unique_slug(const std::string& base) {
  std::string slug = base.size() >= 2 ? base : "organization";
  if (!slug_taken(slug)) return slug;
  for (int n = 2;; ++n) {
    std::string candidate = slug + "-" + std::to_string(n);
    if (!slug_taken(candidate)) return candidate;
  }
}

B2bService::Organization& B2bService::create_organization(const json& body, const std::string& email_for_defaults) {
  Organization o;
  o.name = fields::opt_string(body, "organization_name").value_or("");
  if (o.name.empty()) {
    if (email_for_defaults.empty())
      throw ApiFailure{400, "organization_name_missing", "organization_name is required."};
    o.name = name_from_email(email_for_defaults);
  }
  if (auto slug = fields::opt_string(body, "organization_slug")) {
    if (!valid_slug(*slug)) {
      throw ApiFailure{400, "invalid_organization_slug",
                       "organization_slug must be 2 to 128 of the characters A-Z a-z 0-9 - . _ ~."};
    }
    if (slug_taken(*slug)) {
      throw ApiFailure{400, "organization_slug_already_used", "This organization_slug is already in use."};
    }
    o.slug = *slug;
  } else {
    o.slug = unique_slug(slug_from(o.name));
  }
  o.logo_url = fields::opt_string(body, "organization_logo_url").value_or("");
  o.external_id = fields::opt_string(body, "organization_external_id").value_or("");
  if (!o.external_id.empty()) {
    for (const auto& [id, other] : organizations_) {
      if (other.external_id == o.external_id) {
        throw ApiFailure{400, "organization_external_id_already_used",
                         "This organization_external_id is already in use."};
      }
    }
  }
  if (const json* metadata = fields::opt_object(body, "trusted_metadata")) o.trusted_metadata = *metadata;

  bool any_auth_setting = false;
  if (auto domains = fields::opt_strings(body, "email_allowed_domains")) {
    for (auto& domain : *domains) {
      domain = fields::lower(domain);
      if (domain.find('.') == std::string::npos || is_common_domain(domain)) {
        throw fields::invalid("email_allowed_domains", "email_allowed_domains may not hold " + domain + ".");
      }
    }
    o.email_allowed_domains = *domains;
    any_auth_setting = true;
  }
  for (const char* name : {"email_jit_provisioning", "sso_jit_provisioning", "auth_methods", "allowed_auth_methods",
                           "oauth_tenant_jit_provisioning"}) {
    any_auth_setting = any_auth_setting || body.contains(name);
  }
  o.email_jit_provisioning = enum_field(body, "email_jit_provisioning", {"RESTRICTED", "NOT_ALLOWED"}, "NOT_ALLOWED");
  o.email_invites = enum_field(body, "email_invites", {"ALL_ALLOWED", "RESTRICTED", "NOT_ALLOWED"},
                               any_auth_setting ? "NOT_ALLOWED" : "ALL_ALLOWED");
  o.sso_jit_provisioning =
      enum_field(body, "sso_jit_provisioning", {"ALL_ALLOWED", "RESTRICTED", "NOT_ALLOWED"}, "ALL_ALLOWED");
  o.auth_methods = enum_field(body, "auth_methods", {"ALL_ALLOWED", "RESTRICTED"}, "ALL_ALLOWED");
  o.allowed_auth_methods = fields::opt_strings(body, "allowed_auth_methods").value_or(std::vector<std::string>{});
  for (const auto& method : o.allowed_auth_methods) {
    if (!one_of(method, kAuthMethods))
      throw fields::invalid("allowed_auth_methods", "Unknown auth method " + method + ".");
  }
  if (o.auth_methods == "RESTRICTED" && o.allowed_auth_methods.empty()) {
    throw fields::invalid("allowed_auth_methods", "auth_methods RESTRICTED needs allowed_auth_methods.");
  }
  o.mfa_policy = enum_field(body, "mfa_policy", {"OPTIONAL", "REQUIRED_FOR_ALL"}, "OPTIONAL");
  o.mfa_methods = enum_field(body, "mfa_methods", {"ALL_ALLOWED", "RESTRICTED"}, "ALL_ALLOWED");
  o.allowed_mfa_methods = fields::opt_strings(body, "allowed_mfa_methods").value_or(std::vector<std::string>{});
  for (const auto& method : o.allowed_mfa_methods) {
    if (!one_of(method, kMfaMethods))
      throw fields::invalid("allowed_mfa_methods", "Unknown MFA method " + method + ".");
  }
  if (o.mfa_methods == "RESTRICTED" && o.allowed_mfa_methods.empty()) {
    throw fields::invalid("allowed_mfa_methods", "mfa_methods RESTRICTED needs allowed_mfa_methods.");
  }
  if (auto it = body.find("rbac_email_implicit_role_assignments"); it != body.end()) {
    const bool ok =
        it->is_array() && std::all_of(it->begin(), it->end(), [](const json& a) {
          return a.is_object() && a.value("domain", json()).is_string() && a.value("role_id", json()).is_string();
        });
    if (!ok) {
      throw fields::invalid("rbac_email_implicit_role_assignments",
                            "rbac_email_implicit_role_assignments must be an array of {domain, role_id}.");
    }
    o.rbac_email_implicit_role_assignments = *it;
  }
  o.oauth_tenant_jit_provisioning =
      enum_field(body, "oauth_tenant_jit_provisioning", {"RESTRICTED", "NOT_ALLOWED"}, "NOT_ALLOWED");
  if (const json* tenants = fields::opt_object(body, "allowed_oauth_tenants")) o.allowed_oauth_tenants = *tenants;
  o.claimed_email_domains = fields::opt_strings(body, "claimed_email_domains").value_or(std::vector<std::string>{});

  o.id = new_id("organization");
  o.created_at = o.updated_at = now();
  Organization& stored = organizations_[o.id];
  stored = std::move(o);
  return stored;
}

B2bService::Member& B2bService::create_member(Organization& organization, const json& body) {
  Member m;
  m.email_address = fields::email_address(body);
  if (member_by_email(organization.id, m.email_address) != nullptr) {
    throw ApiFailure{400, "duplicate_member_email", "A member with this email_address already exists."};
  }
  m.name = fields::opt_string(body, "name").value_or("");
  if (const json* metadata = fields::opt_object(body, "trusted_metadata")) m.trusted_metadata = *metadata;
  if (const json* metadata = fields::opt_object(body, "untrusted_metadata")) m.untrusted_metadata = *metadata;
  m.status = fields::opt_bool(body, "create_member_as_pending").value_or(false) ? "pending" : "active";
  m.is_breakglass = fields::opt_bool(body, "is_breakglass").value_or(false);
  m.mfa_enrolled = fields::opt_bool(body, "mfa_enrolled").value_or(false);
  if (auto phone = fields::opt_string(body, "mfa_phone_number"); phone && !phone->empty()) {
    if (!fields::is_e164(*phone)) throw ApiFailure{400, "invalid_phone_number", "mfa_phone_number format is invalid."};
    if (member_by_phone(organization.id, *phone) != nullptr) {
      throw ApiFailure{400, "duplicate_member_phone_number", "A member with this mfa_phone_number already exists."};
    }
    m.phone_number = *phone;
    m.phone_id = new_id("member-phone-number");
  }
  m.roles = {"stytch_member"};
  for (const auto& role : fields::opt_strings(body, "roles").value_or(std::vector<std::string>{})) {
    if (role.empty()) throw fields::invalid("roles", "A role id is empty.");
    if (!fields::contains(m.roles, role)) m.roles.push_back(role);
  }
  m.external_id = fields::opt_string(body, "external_id").value_or("");
  if (!m.external_id.empty()) {
    for (const auto& [id, other] : members_) {
      if (other.organization_id == organization.id && other.external_id == m.external_id) {
        throw ApiFailure{400, "duplicate_member_external_id", "A member with this external_id already exists."};
      }
    }
  }
  m.id = new_id("member");
  m.organization_id = organization.id;
  m.email_id = new_id("member-email");
  m.created_at = m.updated_at = now();
  Member& stored = members_[m.id];
  stored = std::move(m);
  return stored;
}

json B2bService::organizations_create(const json& body) {
  std::lock_guard<std::mutex> guard(mutex_);
  return json{{"status_code", 200}, {"organization", organization_json(create_organization(body, ""))}};
}

json B2bService::organizations_get(const std::string& organization_ref) {
  std::lock_guard<std::mutex> guard(mutex_);
  return json{{"status_code", 200}, {"organization", organization_json(find_organization(organization_ref))}};
}

json B2bService::members_create(const std::string& organization_ref, const json& body) {
  std::lock_guard<std::mutex> guard(mutex_);
  Organization& organization = find_organization(organization_ref);
  const Member& member = create_member(organization, body);
  return json{{"status_code", 200},
              {"member_id", member.id},
              {"member", member_json(member)},
              {"organization", organization_json(organization)}};
}

json B2bService::members_get(const std::string& organization_ref, const std::string& member_ref,
                             const std::string& email) {
  if (member_ref.empty() == email.empty()) {
    throw ApiFailure{400, "invalid_member_get_fields", "Pass exactly one of member_id and email_address."};
  }
  std::lock_guard<std::mutex> guard(mutex_);
  Organization& organization = find_organization(organization_ref);
  const Member* member = nullptr;
  if (!member_ref.empty()) {
    member = &find_member(organization, member_ref);
  } else {
    member = member_by_email(organization.id, fields::lower(email));
    if (member == nullptr) throw ApiFailure{404, "member_not_found", "Member could not be found."};
  }
  return json{{"status_code", 200},
              {"member_id", member->id},
              {"member", member_json(*member)},
              {"organization", organization_json(organization)}};
}

std::vector<std::string> B2bService::role_ids(const Member& member) const {
  std::vector<std::string> ids = member.roles;
  const auto& organization = organizations_.at(member.organization_id);
  for (const json& assignment : organization.rbac_email_implicit_role_assignments) {
    const std::string role = assignment.value("role_id", "");
    if (fields::lower(assignment.value("domain", "")) == fields::domain_of(member.email_address) &&
        !fields::contains(ids, role)) {
      ids.push_back(role);
    }
  }
  return ids;
}

json B2bService::organization_json(const Organization& o) const {
  return json{{"organization_id", o.id},
              {"organization_name", o.name},
              {"organization_slug", o.slug},
              {"organization_logo_url", o.logo_url},
              {"organization_external_id", o.external_id},
              {"sso_default_connection_id", nullptr},
              {"email_allowed_domains", o.email_allowed_domains},
              {"email_jit_provisioning", o.email_jit_provisioning},
              {"email_invites", o.email_invites},
              {"sso_jit_provisioning", o.sso_jit_provisioning},
              {"sso_jit_provisioning_allowed_connections", json::array()},
              {"sso_active_connections", json::array()},
              {"scim_active_connection", nullptr},
              {"auth_methods", o.auth_methods},
              {"allowed_auth_methods", o.allowed_auth_methods},
              {"mfa_policy", o.mfa_policy},
              {"mfa_methods", o.mfa_methods},
              {"allowed_mfa_methods", o.allowed_mfa_methods},
              {"rbac_email_implicit_role_assignments", o.rbac_email_implicit_role_assignments},
              {"oauth_tenant_jit_provisioning", o.oauth_tenant_jit_provisioning},
              {"allowed_oauth_tenants", o.allowed_oauth_tenants},
              {"claimed_email_domains", o.claimed_email_domains},
              {"custom_roles", json::array()},
              {"first_party_connected_apps_allowed_type", "ALL_ALLOWED"},
              {"allowed_first_party_connected_apps", json::array()},
              {"third_party_connected_apps_allowed_type", "ALL_ALLOWED"},
              {"allowed_third_party_connected_apps", json::array()},
              {"trusted_metadata", o.trusted_metadata},
              {"created_at", rfc3339(o.created_at)},
              {"updated_at", rfc3339(o.updated_at)}};
}

json B2bService::member_json(const Member& m) const {
  json roles = json::array();
  const std::string domain = fields::domain_of(m.email_address);
  for (const auto& id : role_ids(m)) {
    json sources = json::array();
    if (fields::contains(m.roles, id)) sources.push_back({{"type", "direct_assignment"}, {"details", json::object()}});
    for (const json& assignment : organizations_.at(m.organization_id).rbac_email_implicit_role_assignments) {
      if (assignment.value("role_id", "") == id && fields::lower(assignment.value("domain", "")) == domain) {
        sources.push_back({{"type", "email_assignment"}, {"details", {{"email_domain", domain}}}});
      }
    }
    roles.push_back({{"role_id", id}, {"sources", sources}});
  }
  return json{{"organization_id", m.organization_id},
              {"member_id", m.id},
              {"email_address", m.email_address},
              {"email_address_verified", m.email_verified},
              {"status", m.status},
              {"name", m.name},
              {"mfa_phone_number", m.phone_number},
              {"mfa_phone_number_verified", m.phone_verified},
              {"mfa_enrolled", m.mfa_enrolled},
              {"default_mfa_method", m.default_mfa_method},
              {"totp_registration_id", ""},
              {"member_password_id", ""},
              {"is_breakglass", m.is_breakglass},
              {"is_admin", fields::contains(m.roles, "stytch_admin")},
              {"is_locked", false},
              {"lock_created_at", nullptr},
              {"lock_expires_at", nullptr},
              {"roles", roles},
              {"sso_registrations", json::array()},
              {"oauth_registrations", json::array()},
              {"retired_email_addresses", json::array()},
              {"trusted_metadata", m.trusted_metadata},
              {"untrusted_metadata", m.untrusted_metadata},
              {"created_at", rfc3339(m.created_at)},
              {"updated_at", rfc3339(m.updated_at)},
              {"external_id", m.external_id},
              {"scim_registration", nullptr}};
}

json B2bService::session_json(const MemberSession& s) const {
  const auto organization = organizations_.find(s.organization_id);
  const auto member = members_.find(s.member_id);
  return json{{"member_session_id", s.id},
              {"member_id", s.member_id},
              {"organization_id", s.organization_id},
              {"organization_slug", organization == organizations_.end() ? "" : organization->second.slug},
              {"started_at", rfc3339(s.started_at)},
              {"last_accessed_at", rfc3339(s.last_accessed_at)},
              {"expires_at", rfc3339(s.expires_at)},
              {"authentication_factors", s.factors},
              {"roles", member == members_.end() ? std::vector<std::string>{} : role_ids(member->second)},
              {"custom_claims", s.custom_claims}};
}

json B2bService::seed(const json& document) {
  if (!document.is_object() || !document.contains("organizations") || !document["organizations"].is_array()) {
    throw ApiFailure{400, "invalid_request_body", R"(Expected {"organizations": [...]}.)"};
  }
  std::lock_guard<std::mutex> guard(mutex_);
  json created = json::array();
  for (const json& entry : document["organizations"]) {
    if (!entry.is_object()) throw ApiFailure{400, "invalid_request_body", "Each organization must be an object."};
    json settings = entry;
    settings.erase("members");
    Organization& organization = create_organization(settings, "");
    json members = json::array();
    if (auto list = entry.find("members"); list != entry.end()) {
      if (!list->is_array()) throw ApiFailure{400, "invalid_request_body", "members must be an array."};
      for (const json& item : *list) {
        if (!item.is_object()) throw ApiFailure{400, "invalid_request_body", "Each member must be an object."};
        // Seeds may also set what only a login or an invite would.
        const auto status = enum_field(item, "status", {"active", "pending", "invited"}, "");
        const auto email_verified = fields::opt_bool(item, "email_address_verified");
        const auto phone_verified = fields::opt_bool(item, "mfa_phone_number_verified");
        Member& member = create_member(organization, item);
        if (!status.empty()) member.status = status;
        if (email_verified) member.email_verified = *email_verified;
        if (phone_verified) member.phone_verified = *phone_verified && !member.phone_number.empty();
        members.push_back({{"member_id", member.id}, {"email_address", member.email_address}});
      }
    }
    created.push_back(
        {{"organization_id", organization.id}, {"organization_slug", organization.slug}, {"members", members}});
  }
  return json{{"organizations", created}};
}

json B2bService::console_state() {
  std::lock_guard<std::mutex> guard(mutex_);
  const auto t = now();
  std::vector<const Organization*> ordered;
  for (const auto& entry : organizations_) ordered.push_back(&entry.second);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const Organization* a, const Organization* b) { return a->created_at > b->created_at; });
  json organizations = json::array();
  for (const Organization* o : ordered) {
    json members = json::array();
    for (const auto& [id, m] : members_) {
      if (m.organization_id != o->id) continue;
      json sessions = json::array();
      for (const auto& [token, s] : sessions_) {
        if (s.member_id != m.id) continue;
        json factors = json::array();
        for (const json& factor : s.factors) factors.push_back(factor.value("delivery_method", ""));
        sessions.push_back({{"member_session_id", s.id},
                            {"status", s.expires_at > t ? "active" : "expired"},
                            {"started_at", rfc3339(s.started_at)},
                            {"last_accessed_at", rfc3339(s.last_accessed_at)},
                            {"expires_at", rfc3339(s.expires_at)},
                            {"factors", factors},
                            {"custom_claims", s.custom_claims}});
      }
      members.push_back({{"member_id", m.id},
                         {"email_address", m.email_address},
                         {"email_address_verified", m.email_verified},
                         {"status", m.status},
                         {"name", m.name},
                         {"mfa_phone_number", m.phone_number},
                         {"mfa_phone_number_verified", m.phone_verified},
                         {"mfa_enrolled", m.mfa_enrolled},
                         {"is_admin", fields::contains(m.roles, "stytch_admin")},
                         {"roles", role_ids(m)},
                         {"created_at", rfc3339(m.created_at)},
                         {"sessions", sessions}});
    }
    organizations.push_back({{"organization_id", o->id},
                             {"organization_name", o->name},
                             {"organization_slug", o->slug},
                             {"mfa_policy", o->mfa_policy},
                             {"email_jit_provisioning", o->email_jit_provisioning},
                             {"email_allowed_domains", o->email_allowed_domains},
                             {"created_at", rfc3339(o->created_at)},
                             {"members", members}});
  }
  std::size_t live_intermediates = 0;
  for (const auto& [token, ist] : intermediates_) live_intermediates += ist.expires_at > t ? 1U : 0U;
  return json{{"organizations", organizations}, {"intermediate_sessions", live_intermediates}};
}

void B2bService::reset() {
  std::lock_guard<std::mutex> guard(mutex_);
  organizations_.clear();
  members_.clear();
  sessions_.clear();
  intermediates_.clear();
  discovery_email_ids_.clear();
}

}  // namespace stytch::mock
