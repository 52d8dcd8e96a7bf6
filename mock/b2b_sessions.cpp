// B2B member sessions as stytch-mock plays them: starting and extending them,
// their RS256 JWTs (with the organization claim), authenticate with an
// authorization check, get, revoke and the exchange into another organization.

#include "b2b.hpp"

#include "b2b_fields.hpp"

#include <algorithm>

namespace stytch::mock {

using nlohmann::json;
namespace fields = b2b_fields;

namespace {

constexpr auto kMemberJwtLifetime = std::chrono::minutes(5);
constexpr auto kDefaultMemberSession = std::chrono::minutes(60);
constexpr const char* kMemberSessionClaim = "https://stytch.com/session";
constexpr const char* kMemberOrganizationClaim = "https://stytch.com/organization";

ApiFailure member_session_not_found() { return ApiFailure{404, "session_not_found", "Session could not be found."}; }

long long member_unix_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

B2bService::MemberSession* B2bService::find_session_by_token(const std::string& token) {
  auto it = sessions_.find(token);
  return it == sessions_.end() || it->second.expires_at <= now() ? nullptr : &it->second;
}

B2bService::MemberSession* B2bService::find_session_by_jwt(const std::string& jwt, bool accept_expired) {
  const auto claims = service_.signer().verified_claims(jwt);
  if (!claims || !claims->contains(kMemberOrganizationClaim)) return nullptr;
  auto session_claim = claims->find(kMemberSessionClaim);
  if (session_claim == claims->end() || !session_claim->is_object()) return nullptr;
  if (!accept_expired && member_unix_seconds(now()) >= claims->value("exp", 0LL)) return nullptr;
  const std::string id = session_claim->value("id", "");
  for (auto& [token, session] : sessions_) {
    if (session.id == id) return session.expires_at > now() ? &session : nullptr;
  }
  return nullptr;
}

B2bService::MemberSession* B2bService::session_from(const json& body, bool accept_expired_jwt) {
  const auto token = fields::opt_string(body, "session_token");
  const auto jwt = fields::opt_string(body, "session_jwt");
  if (token && jwt) {
    throw ApiFailure{400, "too_many_session_arguments", "Pass either session_token or session_jwt, not both."};
  }
  if (!token && !jwt) return nullptr;
  MemberSession* session = token ? find_session_by_token(*token) : find_session_by_jwt(*jwt, accept_expired_jwt);
  if (session == nullptr) throw member_session_not_found();
  return session;
}

B2bService::MemberSession& B2bService::start_session(const Member& member, const std::vector<json>& factors,
                                                     const json& body) {
  MemberSession s;
  s.token = random_token(44);
  s.id = new_id("member-session");
  s.member_id = member.id;
  s.organization_id = member.organization_id;
  s.started_at = now();
  s.expires_at = s.started_at + kDefaultMemberSession;
  MemberSession& stored = sessions_[s.token];
  stored = std::move(s);
  extend_session(stored, factors, body, true);
  return stored;
}

void B2bService::extend_session(MemberSession& session, const std::vector<json>& factors, const json& body,
                                bool default_duration) {
  const auto t = now();
  session.last_accessed_at = t;
  if (auto minutes = fields::session_minutes(body)) {
    session.expires_at = t + std::chrono::minutes(*minutes);
  } else if (default_duration) {
    session.expires_at = t + kDefaultMemberSession;
  }
  for (const json& factor : factors) {
    const std::string method = factor.value("delivery_method", "");
    session.factors.erase(std::remove_if(session.factors.begin(), session.factors.end(),
                                         [&](const json& f) { return f.value("delivery_method", "") == method; }),
                          session.factors.end());
    session.factors.push_back(factor);
  }
  if (const json* claims = fields::custom_claims(body)) {
    for (auto it = claims->begin(); it != claims->end(); ++it) {
      if (fields::is_registered_claim(it.key())) continue;  // Stytch ignores them
      if (it->is_null()) {
        session.custom_claims.erase(it.key());
      } else {
        session.custom_claims[it.key()] = it.value();
      }
    }
  }
  session.jwt = make_jwt(session);
}

std::string B2bService::make_jwt(const MemberSession& session) const {
  const auto t = now();
  const Member& member = members_.at(session.member_id);
  const Organization& organization = organizations_.at(session.organization_id);
  json claims = session.custom_claims;
  claims["sub"] = session.member_id;
  claims["iss"] = "stytch.com/" + project_id_;
  claims["aud"] = json::array({project_id_});
  claims["iat"] = member_unix_seconds(t);
  claims["nbf"] = member_unix_seconds(t);
  claims["exp"] = member_unix_seconds(t + kMemberJwtLifetime);
  claims[kMemberSessionClaim] = {{"id", session.id},
                                 {"started_at", rfc3339(session.started_at)},
                                 {"last_accessed_at", rfc3339(session.last_accessed_at)},
                                 {"expires_at", rfc3339(session.expires_at)},
                                 {"attributes", {{"ip_address", ""}, {"user_agent", ""}}},
                                 {"authentication_factors", session.factors},
                                 {"roles", role_ids(member)}};
  claims[kMemberOrganizationClaim] = {{"organization_id", organization.id}, {"slug", organization.slug}};
  return service_.signer().sign(claims);
}

json B2bService::sessions_authenticate(const json& body) {
  const int given = fields::count_present(body, {"session_token", "session_jwt"});
  if (given == 0) throw ApiFailure{400, "no_session_arguments", "Pass one of session_token and session_jwt."};
  if (given > 1) {
    throw ApiFailure{400, "too_many_session_arguments", "Pass either session_token or session_jwt, not both."};
  }
  fields::session_minutes(body);
  fields::custom_claims(body);
  const json* check = fields::opt_object(body, "authorization_check");
  std::optional<std::string> check_organization;
  if (check != nullptr) {
    check_organization = fields::req_string(*check, "organization_id");
    fields::req_string(*check, "resource_id");
    fields::req_string(*check, "action");
  }

  std::lock_guard<std::mutex> guard(mutex_);
  // A JWT whose exp has passed is refreshed while its session lives.
  MemberSession* session = session_from(body, true);
  const Member& member = members_.at(session->member_id);
  const Organization& organization = organizations_.at(session->organization_id);
  json verdict;
  if (check_organization) {
    const auto target = std::find_if(organizations_.begin(), organizations_.end(), [&](const auto& entry) {
      const Organization& o = entry.second;
      return o.id == *check_organization || o.slug == *check_organization ||
             (!o.external_id.empty() && o.external_id == *check_organization);
    });
    if (target == organizations_.end() || target->second.id != organization.id) {
      throw ApiFailure{403, "session_authorization_tenancy_error",
                       "The session belongs to another organization than the authorization check names."};
    }
    // Roles other than stytch_admin grant nothing here: the mock keeps no RBAC policy.
    if (!fields::contains(role_ids(member), "stytch_admin")) {
      throw ApiFailure{403, "session_authorization_error", "The member is not authorized for this action."};
    }
    verdict = {{"authorized", true}, {"granting_roles", json::array({"stytch_admin"})}};
  }
  extend_session(*session, {}, body, false);
  json answer = {{"status_code", 200},
                 {"member_session", session_json(*session)},
                 {"session_token", session->token},
                 {"session_jwt", session->jwt},
                 {"member", member_json(member)},
                 {"organization", organization_json(organization)}};
  if (check_organization) answer["verdict"] = verdict;
  return answer;
}

json B2bService::sessions_get(const std::string& organization_ref, const std::string& member_ref) {
  std::lock_guard<std::mutex> guard(mutex_);
  const Organization& organization = find_organization(organization_ref);
  const Member& member = find_member(organization, member_ref);
  json list = json::array();
  for (const auto& [token, session] : sessions_) {
    if (session.member_id == member.id && session.organization_id == organization.id && session.expires_at > now()) {
      list.push_back(session_json(session));
    }
  }
  return json{{"status_code", 200}, {"member_sessions", list}};
}

json B2bService::sessions_revoke(const json& body) {
  const int given = fields::count_present(body, {"member_session_id", "session_token", "session_jwt", "member_id"});
  if (given == 0) {
    throw ApiFailure{400, "no_session_revoke_arguments",
                     "Pass one of member_session_id, session_token, session_jwt and member_id."};
  }
  if (given > 1) {
    throw ApiFailure{400, "too_many_session_revoke_arguments",
                     "Pass exactly one of member_session_id, session_token, session_jwt and member_id."};
  }
  std::lock_guard<std::mutex> guard(mutex_);
  if (auto member_ref = fields::opt_string(body, "member_id")) {
    const auto member = std::find_if(members_.begin(), members_.end(), [&](const auto& entry) {
      return entry.first == *member_ref ||
             (!entry.second.external_id.empty() && entry.second.external_id == *member_ref);
    });
    if (member == members_.end()) throw ApiFailure{404, "member_not_found", "Member could not be found."};
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      it = it->second.member_id == member->first ? sessions_.erase(it) : std::next(it);
    }
    return json{{"status_code", 200}};
  }
  MemberSession* session = nullptr;
  if (auto id = fields::opt_string(body, "member_session_id")) {
    for (auto& [token, s] : sessions_) {
      if (s.id == *id && s.expires_at > now()) session = &s;
    }
  } else if (auto token = fields::opt_string(body, "session_token")) {
    session = find_session_by_token(*token);
  } else {
    session = find_session_by_jwt(*fields::opt_string(body, "session_jwt"), true);
  }
  if (session == nullptr) throw member_session_not_found();
  const std::string key = session->token;
  sessions_.erase(key);
  return json{{"status_code", 200}};
}

json B2bService::sessions_exchange(const json& body) {
  const std::string organization_ref = fields::req_string(body, "organization_id");
  const int given = fields::count_present(body, {"session_token", "session_jwt"});
  if (given == 0) throw ApiFailure{400, "no_session_arguments", "Pass one of session_token and session_jwt."};
  if (given > 1) {
    throw ApiFailure{400, "too_many_session_arguments", "Pass either session_token or session_jwt, not both."};
  }
  fields::session_minutes(body);
  fields::custom_claims(body);
  fields::check_locale(body, false);
  fields::opt_string(body, "telemetry_id");

  std::lock_guard<std::mutex> guard(mutex_);
  const MemberSession* session = session_from(body, false);
  const std::string email = members_.at(session->member_id).email_address;
  Organization& organization = find_organization(organization_ref);
  Member* member = member_by_email(organization.id, email);
  if (member == nullptr) {
    throw ApiFailure{404, "member_not_found", "The member is neither a member of nor invited to this organization."};
  }
  // The session's email factors carry over; its MFA does not.
  std::vector<json> factors;
  for (json f : session->factors) {
    if (!f.contains("email_factor")) continue;
    f["email_factor"]["email_id"] = member->email_id;
    factors.push_back(std::move(f));
  }
  if (member->status == "pending" || member->status == "invited") member->status = "active";
  if (!factors.empty()) member->email_verified = true;
  member->updated_at = now();
  return complete_login(*member, organization, factors, body, nullptr, nullptr);
}

}  // namespace stytch::mock
