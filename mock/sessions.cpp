// The sessions API as stytch-mock plays it: authenticate (refreshing a JWT
// whose exp has passed while its session lives), get, revoke and the JWKS.

#include "service.hpp"

#include <algorithm>
#include <array>

namespace stytch::mock {

namespace {

using nlohmann::json;

constexpr const char* kSessionClaim = "https://stytch.com/session";

std::optional<std::string> string_field(const json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw ApiFailure{400, std::string("invalid_") + name, std::string(name) + " must be a string."};
  return it->get<std::string>();
}

ApiFailure not_found() { return ApiFailure{404, "session_not_found", "Session could not be found."}; }

}  // namespace

Service::Session* Service::find_session_by_jwt(const std::string& jwt, bool accept_expired) {
  const auto claims = signer_.verified_claims(jwt);
  if (!claims) return nullptr;
  auto session_claim = claims->find(kSessionClaim);
  if (session_claim == claims->end() || !session_claim->is_object()) return nullptr;
  const std::string id = session_claim->value("id", "");
  if (!accept_expired) {
    const auto exp = claims->value("exp", 0LL);
    if (std::chrono::duration_cast<std::chrono::seconds>(now().time_since_epoch()).count() >= exp) return nullptr;
  }
  for (auto& [token, session] : sessions_) {
    if (session.id == id) return session.expires_at > now() ? &session : nullptr;
  }
  return nullptr;
}

json Service::sessions_authenticate(const json& body) {
  const auto token = string_field(body, "session_token");
  const auto jwt = string_field(body, "session_jwt");
  if (token && jwt) {
    throw ApiFailure{400, "too_many_session_arguments", "Pass either session_token or session_jwt, not both."};
  }
  if (!token && !jwt) throw ApiFailure{400, "missing_session_arguments", "session_token or session_jwt is required."};
  std::optional<long long> minutes;
  if (auto it = body.find("session_duration_minutes"); it != body.end()) {
    if (!it->is_number_integer()) {
      throw ApiFailure{400, "invalid_session_duration", "session_duration_minutes must be an integer."};
    }
    minutes = it->get<long long>();
    if (*minutes < 5 || *minutes > 527040) {
      throw ApiFailure{400, "invalid_session_duration", "session_duration_minutes must be between 5 and 527040."};
    }
  }
  const json* claims = nullptr;
  if (auto it = body.find("session_custom_claims"); it != body.end()) {
    if (!it->is_object() || it->dump().size() > 4096) {
      throw ApiFailure{400, "invalid_session_custom_claims",
                       "session_custom_claims must be an object of at most 4 KB."};
    }
    static constexpr std::array<const char*, 7> kReserved = {"iss", "sub", "aud", "exp", "nbf", "iat", "jti"};
    for (auto claim = it->begin(); claim != it->end(); ++claim) {
      const std::string& name = claim.key();
      if (std::any_of(kReserved.begin(), kReserved.end(), [&](const char* r) { return name == r; }) ||
          name.rfind("https://stytch.com/", 0) == 0) {
        throw ApiFailure{400, "invalid_session_custom_claims", "session_custom_claims uses a reserved claim name."};
      }
    }
    claims = &*it;
  }

  std::lock_guard<std::mutex> guard(mutex_);
  Session* session = nullptr;
  if (token) {
    auto it = sessions_.find(*token);
    if (it != sessions_.end() && it->second.expires_at > now()) session = &it->second;
  } else {
    // Stytch refreshes a JWT whose exp has passed while its session lives.
    session = find_session_by_jwt(*jwt, true);
  }
  if (session == nullptr) throw not_found();

  const auto t = now();
  session->last_accessed_at = t;
  if (minutes) session->expires_at = t + std::chrono::minutes(*minutes);
  if (claims != nullptr) {
    for (auto it = claims->begin(); it != claims->end(); ++it) session->custom_claims[it.key()] = it.value();
  }
  session->jwt = make_jwt(*session);
  jwts_[session->jwt] = JwtEntry{session->token, t + std::chrono::minutes(5)};
  return json{{"status_code", 200},
              {"session", session_json(*session)},
              {"user", user_json(users_.at(session->user_id))},
              {"session_token", session->token},
              {"session_jwt", session->jwt}};
}

json Service::sessions_get(const std::string& user_id) {
  if (user_id.empty()) throw ApiFailure{400, "invalid_user_id", "user_id is required."};
  std::lock_guard<std::mutex> guard(mutex_);
  if (users_.count(user_id) == 0) throw ApiFailure{404, "user_not_found", "User could not be found."};
  json list = json::array();
  for (const auto& [token, session] : sessions_) {
    if (session.user_id == user_id && session.expires_at > now()) list.push_back(session_json(session));
  }
  return json{{"status_code", 200}, {"sessions", list}};
}

json Service::sessions_revoke(const json& body) {
  const auto id = string_field(body, "session_id");
  const auto token = string_field(body, "session_token");
  const auto jwt = string_field(body, "session_jwt");
  if (int(id.has_value()) + int(token.has_value()) + int(jwt.has_value()) != 1) {
    throw ApiFailure{400, "too_many_session_arguments",
                     "Pass exactly one of session_id, session_token or session_jwt."};
  }
  std::lock_guard<std::mutex> guard(mutex_);
  Session* session = nullptr;
  if (token) {
    auto it = sessions_.find(*token);
    if (it != sessions_.end()) session = &it->second;
  } else if (jwt) {
    session = find_session_by_jwt(*jwt, true);
  } else {
    for (auto& [t, s] : sessions_) {
      if (s.id == *id) session = &s;
    }
  }
  if (session == nullptr || session->expires_at <= now()) throw not_found();
  const std::string key = session->token;
  sessions_.erase(key);
  return json{{"status_code", 200}};
}

json Service::jwks(const std::string& project_id) const {
  if (project_id != options_.project_id) throw ApiFailure{404, "project_not_found", "Project could not be found."};
  json answer = signer_.jwks();
  answer["status_code"] = 200;
  return answer;
}

}  // namespace stytch::mock
