#include "service.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>

namespace stytch::mock {

namespace {

using nlohmann::json;

constexpr const char* kSandboxPhone = "+10000000000";
constexpr const char* kSandboxEmail = "sandbox@stytch.com";
constexpr const char* kSandboxCode = "000000";
constexpr int kDefaultExpirationMinutes = 2;
constexpr auto kJwtLifetime = std::chrono::minutes(5);

// Claims Stytch sets itself; custom claims cannot override them.
bool is_reserved_claim(const std::string& name) {
  static constexpr std::array<const char*, 7> kReserved = {"iss", "sub", "aud", "exp", "nbf", "iat", "jti"};
  return std::any_of(kReserved.begin(), kReserved.end(), [&](const char* r) { return name == r; }) ||
         name.rfind("https://stytch.com/", 0) == 0;
}

constexpr std::array<const char*, 16> kPhoneLocales = {"en", "es", "pt-br", "fr", "it", "de-DE", "zh-Hans", "ca-ES",
                                                       "ja", "ru", "nl",    "pl", "tr", "fa",    "vi",      "cs"};
constexpr std::array<const char*, 4> kEmailLocales = {"en", "es", "pt-br", "fr"};

bool is_known_locale(const std::string& locale, bool is_email_channel) {
  auto matches = [&](const char* known) { return locale == known; };
  return is_email_channel ? std::any_of(kEmailLocales.begin(), kEmailLocales.end(), matches)
                          : std::any_of(kPhoneLocales.begin(), kPhoneLocales.end(), matches);
}

bool is_e164(const std::string& s) {
  if (s.size() < 3 || s.size() > 16 || s[0] != '+' || s[1] == '0') return false;
  return std::all_of(s.begin() + 1, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_email(const std::string& s) {
  const auto at = s.rfind('@');
  if (at == std::string::npos || at == 0 || at + 1 == s.size()) return false;
  if (s.find('.', at) == std::string::npos) return false;
  return std::none_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20; });
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The value of an optional field, checked for its type; nullopt when absent.
std::optional<std::string> optional_string(const json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw ApiFailure{400, std::string("invalid_") + name, std::string(name) + " must be a string."};
  return it->get<std::string>();
}

std::optional<long long> optional_integer(const json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer()) {
    throw ApiFailure{400, std::string("invalid_") + name, std::string(name) + " must be an integer."};
  }
  return it->get<long long>();
}

bool optional_bool(const json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return false;
  if (!it->is_boolean())
    throw ApiFailure{400, std::string("invalid_") + name, std::string(name) + " must be a boolean."};
  return it->get<bool>();
}

const json* optional_object(const json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return nullptr;
  if (!it->is_object())
    throw ApiFailure{400, std::string("invalid_") + name, std::string(name) + " must be an object."};
  return &*it;
}

std::optional<std::string> attribute(const json& body, const char* name) {
  const json* attributes = optional_object(body, "attributes");
  return attributes ? optional_string(*attributes, name) : std::nullopt;
}

void check_send_fields(const json& body, bool is_email_channel) {
  if (auto minutes = optional_integer(body, "expiration_minutes"); minutes && (*minutes < 1 || *minutes > 10)) {
    throw ApiFailure{400, "invalid_expiration_minutes", "expiration_minutes must be between 1 and 10."};
  }
  if (auto locale = optional_string(body, "locale")) {
    if (!is_known_locale(*locale, is_email_channel)) {
      throw ApiFailure{400, "invalid_locale", "The locale is not supported."};
    }
  }
  attribute(body, "ip_address");
  attribute(body, "user_agent");
  for (const char* field : {"user_id", "session_token", "session_jwt", "login_template_id", "signup_template_id"}) {
    optional_string(body, field);
  }
  optional_bool(body, "create_user_as_pending");
}

long long unix_seconds(Service::Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

Service::Service(ServiceOptions options)
    : options_(std::move(options)),
      env_(options_.project_id.rfind("project-live-", 0) == 0 ? "live" : "test"),
      clock_offset_seconds_(options_.clock_offset_seconds),
      signer_("jwk-" + env_ + "-") {
  // The sandbox users every test project has, verified from the start.
  for (const char* value : {kSandboxPhone, kSandboxEmail}) {
    const std::string id = create_user(value);
    Method& method = methods_.at(users_.at(id).method_ids.front());
    method.verified = true;
    sandbox_method_ids_[value] = method.id;
  }
}

std::string Service::new_id(const std::string& kind) {
  std::lock_guard<std::mutex> guard(mutex_);
  return id_locked(kind);
}

std::string Service::id_locked(const std::string& kind) {
  std::uniform_int_distribution<unsigned> hex(0, 15);
  std::string uuid;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) uuid += '-';
    unsigned digit = hex(random_);
    if (i == 12) digit = 4;                 // version 4
    if (i == 16) digit = 8 + (digit & 3U);  // RFC 4122 variant
    uuid += "0123456789abcdef"[digit];
  }
  return kind + "-" + env_ + "-" + uuid;
}

std::string Service::random_code() {
  std::uniform_int_distribution<int> digits(0, 999999);
  std::array<char, 8> buf{};
  std::snprintf(buf.data(), buf.size(), "%06d", digits(random_));
  return buf.data();
}

std::string Service::random_token(std::size_t length) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::uniform_int_distribution<std::size_t> pick(0, sizeof kAlphabet - 2);
  std::string out;
  for (std::size_t i = 0; i < length; ++i) out += kAlphabet[pick(random_)];
  return out;
}

std::string Service::rfc3339(Clock::time_point t) {
  const std::time_t seconds = Clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  std::array<char, 32> buf{};
  std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf.data();
}

std::string Service::create_user(const std::string& phone_or_email) {
  const bool is_phone = is_e164(phone_or_email);
  if (!is_phone && !is_email(phone_or_email)) {
    throw ApiFailure{400, "invalid_user", "A user needs an E.164 phone number or an email address."};
  }
  const std::string value = is_phone ? phone_or_email : lower(phone_or_email);
  std::lock_guard<std::mutex> guard(mutex_);
  if (find_method_by_value(is_phone, value) != nullptr) {
    throw ApiFailure{409, "duplicate_user", "A user with this phone number or email already exists."};
  }
  User& user = add_user("active");
  add_method(user, is_phone, value);
  return user.id;
}

Service::User& Service::add_user(const std::string& status) {
  std::string id = id_locked("user");
  User& user = users_[id];
  user = User{id, status, now(), {}};
  return user;
}

Service::Method& Service::add_method(User& user, bool is_phone, const std::string& value) {
  std::string id = id_locked(is_phone ? "phone-number" : "email");
  Method& method = methods_[id];
  method = Method{id, is_phone, value, user.id, false, std::nullopt, ""};
  method_by_value_[(is_phone ? "phone:" : "email:") + value] = id;
  user.method_ids.push_back(id);
  return method;
}

Service::Method* Service::find_method_by_value(bool is_phone, const std::string& value) {
  auto it = method_by_value_.find((is_phone ? "phone:" : "email:") + value);
  return it == method_by_value_.end() ? nullptr : &methods_.at(it->second);
}

void Service::drop_expired_attachments() {
  const auto t = now();
  for (auto it = methods_.begin(); it != methods_.end();) {
    const Method& m = it->second;
    if (m.verified || !m.attached_until || *m.attached_until > t) {
      ++it;
      continue;
    }
    auto& ids = users_.at(m.user_id).method_ids;
    ids.erase(std::remove(ids.begin(), ids.end(), m.id), ids.end());
    method_by_value_.erase((m.is_phone ? "phone:" : "email:") + m.value);
    codes_.erase(m.id);
    it = methods_.erase(it);
  }
}

json Service::user(const std::string& user_id) {
  std::lock_guard<std::mutex> guard(mutex_);
  drop_expired_attachments();
  auto it = users_.find(user_id);
  if (it == users_.end()) throw ApiFailure{404, "user_not_found", "User could not be found."};
  return user_json(it->second);
}

Service::Session* Service::find_session(const json& body) {
  if (auto token = optional_string(body, "session_token")) {
    auto it = sessions_.find(*token);
    if (it == sessions_.end() || it->second.expires_at <= now()) {
      throw ApiFailure{404, "session_not_found", "Session could not be found."};
    }
    return &it->second;
  }
  if (auto jwt = optional_string(body, "session_jwt")) {
    auto entry = jwts_.find(*jwt);
    if (entry == jwts_.end() || entry->second.expires_at <= now()) {
      throw ApiFailure{404, "session_not_found", "Session could not be found."};
    }
    auto it = sessions_.find(entry->second.session_token);
    if (it == sessions_.end() || it->second.expires_at <= now()) {
      throw ApiFailure{404, "session_not_found", "Session could not be found."};
    }
    return &it->second;
  }
  return nullptr;
}

// Stytch limits sends per destination, whatever the channel; only sends
// that deliver a code count.
bool Service::rate_limited(const std::string& destination) {
  if (options_.rate_limit <= 0) return false;
  auto it = sends_.find(destination);
  if (it == sends_.end()) return false;
  const auto window_start = now() - std::chrono::seconds(options_.rate_window_seconds);
  while (!it->second.empty() && it->second.front() <= window_start) it->second.pop_front();
  return static_cast<int>(it->second.size()) >= options_.rate_limit;
}

void Service::record_send(const std::string& destination) {
  if (options_.rate_limit > 0) sends_[destination].push_back(now());
}

Service::Destination Service::destination_of(const std::string& channel, const json& body) const {
  const bool is_phone = channel != "email";
  const char* field = is_phone ? "phone_number" : "email";
  auto value = optional_string(body, field);
  if (is_phone && (!value || !is_e164(*value))) {
    throw ApiFailure{400, "invalid_phone_number", "phone_number format is invalid."};
  }
  if (!is_phone && (!value || !is_email(*value))) {
    throw ApiFailure{400, "invalid_email", "email format is invalid."};
  }
  check_send_fields(body, !is_phone);
  return Destination{is_phone, is_phone ? *value : lower(*value)};
}

std::string Service::issue_code(const std::string& channel, const Method& method, const json& body) {
  const long lifetime = options_.code_lifetime_seconds > 0
                            ? options_.code_lifetime_seconds
                            : 60L * optional_integer(body, "expiration_minutes").value_or(kDefaultExpirationMinutes);
  Code code{random_code(),
            channel,
            now() + std::chrono::seconds(lifetime),
            false,
            attribute(body, "ip_address"),
            attribute(body, "user_agent")};
  // A new code replaces the method's previous one.
  codes_[method.id] = code;
  methods_.at(method.id).last_channel = channel;
  outbox_.push_back(OutboxMessage{channel, method.value, method.id, code.code, rfc3339(now()), rfc3339(code.expires_at),
                                  code.ip_address, code.user_agent});
  return code.code;
}

json Service::send_code(const std::string& channel, const json& body, bool may_create) {
  const Destination destination = destination_of(channel, body);
  const char* id_field = destination.is_phone ? "phone_id" : "email_id";
  std::lock_guard<std::mutex> guard(mutex_);

  auto sandbox = sandbox_method_ids_.find(destination.value);
  if (sandbox != sandbox_method_ids_.end()) {
    // Sandbox values answer 200 and deliver nothing.
    Method& method = methods_.at(sandbox->second);
    method.last_channel = channel;
    json answer = {{"status_code", 200}, {"user_id", method.user_id}, {id_field, method.id}};
    if (may_create) answer["user_created"] = false;
    return answer;
  }

  drop_expired_attachments();
  if (rate_limited(destination.value)) throw ApiFailure{429, "too_many_requests", "Too many requests have been made."};
  Method* method = find_method_by_value(destination.is_phone, destination.value);
  bool user_created = false;
  if (may_create) {
    if (method == nullptr) {
      User& user = add_user(optional_bool(body, "create_user_as_pending") ? "pending" : "active");
      method = &add_method(user, destination.is_phone, destination.value);
      user_created = true;
    }
  } else {
    // A send names an existing user, by id or session, to attach a new method.
    User* owner = nullptr;
    if (auto user_id = optional_string(body, "user_id")) {
      auto it = users_.find(*user_id);
      if (it == users_.end()) throw ApiFailure{404, "user_not_found", "User could not be found."};
      owner = &it->second;
    } else if (Session* session = find_session(body)) {
      owner = &users_.at(session->user_id);
    }
    if (owner != nullptr) {
      if (method != nullptr && method->user_id != owner->id) {
        throw ApiFailure{409, destination.is_phone ? "duplicate_phone_number" : "duplicate_email",
                         "This value already belongs to another user."};
      }
      if (method == nullptr) {
        method = &add_method(*owner, destination.is_phone, destination.value);
        method->attached_until = now() + std::chrono::minutes(5);  // kept only if verified in time
      }
    } else if (method == nullptr) {
      throw destination.is_phone ? ApiFailure{404, "phone_number_not_found", "Phone number could not be found."}
                                 : ApiFailure{404, "email_not_found", "Email could not be found."};
    }
  }

  issue_code(channel, *method, body);
  record_send(destination.value);
  json answer = {{"status_code", 200}, {"user_id", method->user_id}, {id_field, method->id}};
  if (may_create) answer["user_created"] = user_created;
  return answer;
}

std::string Service::issue_external_code(const std::string& key, const std::string& channel,
                                         const std::string& destination, long lifetime_seconds) {
  std::lock_guard<std::mutex> guard(mutex_);
  if (rate_limited(destination)) throw ApiFailure{429, "too_many_requests", "Too many requests have been made."};
  const long lifetime = options_.code_lifetime_seconds > 0 ? options_.code_lifetime_seconds : lifetime_seconds;
  Code code{random_code(), channel, now() + std::chrono::seconds(lifetime), false, std::nullopt, std::nullopt};
  codes_[key] = code;
  outbox_.push_back(OutboxMessage{channel, destination, key, code.code, rfc3339(now()), rfc3339(code.expires_at),
                                  std::nullopt, std::nullopt});
  record_send(destination);
  return code.code;
}

void Service::use_external_code(const std::string& key, const std::string& code) {
  std::lock_guard<std::mutex> guard(mutex_);
  auto live = codes_.find(key);
  if (live == codes_.end() || live->second.code != code) {
    throw ApiFailure{404, "otp_code_not_found", "The OTP code could not be found."};
  }
  if (live->second.used || live->second.expires_at <= now()) {
    throw ApiFailure{401, "unable_to_auth_otp_code", "This OTP code has already been used or has expired."};
  }
  live->second.used = true;
}

json Service::send(const std::string& channel, const json& body) { return send_code(channel, body, false); }

json Service::login_or_create(const std::string& channel, const json& body) { return send_code(channel, body, true); }

json Service::authenticate(const json& body) {
  const auto method_id = optional_string(body, "method_id");
  const auto code = optional_string(body, "code");
  if (!method_id || method_id->empty()) throw ApiFailure{400, "invalid_method_id", "method_id is required."};
  if (!code || code->empty()) throw ApiFailure{400, "invalid_code", "code is required."};
  const auto minutes = optional_integer(body, "session_duration_minutes");
  if (minutes && (*minutes < 5 || *minutes > 527040)) {
    throw ApiFailure{400, "invalid_session_duration_minutes", "session_duration_minutes must be between 5 and 527040."};
  }
  if (const json* claims = optional_object(body, "session_custom_claims"); claims && claims->dump().size() > 4096) {
    throw ApiFailure{400, "invalid_session_custom_claims", "session_custom_claims must be at most 4 KB."};
  }
  const json* options = optional_object(body, "options");
  const bool ip_match = options != nullptr && optional_bool(*options, "ip_match_required");
  const bool agent_match = options != nullptr && optional_bool(*options, "user_agent_match_required");
  optional_string(body, "telemetry_id");

  std::lock_guard<std::mutex> guard(mutex_);
  drop_expired_attachments();
  auto method_it = methods_.find(*method_id);
  if (method_it == methods_.end()) throw ApiFailure{404, "otp_code_not_found", "The OTP code could not be found."};
  Method& method = method_it->second;
  std::string channel = !method.last_channel.empty() ? method.last_channel : method.is_phone ? "sms" : "email";

  Session* session = find_session(body);
  if (session != nullptr && session->user_id != method.user_id) {
    throw ApiFailure{400, "session_user_mismatch", "The session belongs to another user."};
  }
  const bool sandbox = sandbox_method_ids_.count(method.value) != 0;
  if (sandbox) {
    if (*code != kSandboxCode) throw ApiFailure{404, "otp_code_not_found", "The OTP code could not be found."};
  } else {
    auto live = codes_.find(method.id);
    if (live == codes_.end() || live->second.code != *code) {
      throw ApiFailure{404, "otp_code_not_found", "The OTP code could not be found."};
    }
    Code& entry = live->second;
    if (entry.used || entry.expires_at <= now()) {
      throw ApiFailure{401, "unable_to_auth_otp_code", "This OTP code has already been used or has expired."};
    }
    if ((ip_match && attribute(body, "ip_address") != entry.ip_address) ||
        (agent_match && attribute(body, "user_agent") != entry.user_agent)) {
      throw ApiFailure{401, "attribute_mismatch", "The attributes do not match those the code was sent with."};
    }
    entry.used = true;
    channel = entry.channel;
  }

  method.verified = true;
  User& user = users_.at(method.user_id);
  user.status = "active";

  json answer = {{"status_code", 200},  {"user_id", user.id}, {"method_id", method.id},
                 {"session_token", ""}, {"session_jwt", ""},  {"reset_sessions", false}};
  if (session == nullptr && minutes) {
    const std::string token = random_token(44);
    Session& created = sessions_[token];
    created.id = id_locked("session");
    created.user_id = user.id;
    created.token = token;
    created.started_at = now();
    session = &created;
  }
  if (session != nullptr) {
    start_or_extend_session(*session, method, channel, body);
    answer["session_token"] = session->token;
    answer["session_jwt"] = session->jwt;
    answer["session"] = session_json(*session);
  }
  answer["user"] = user_json(user);
  return answer;
}

void Service::start_or_extend_session(Session& session, const Method& method, const std::string& channel,
                                      const json& body) {
  const auto t = now();
  session.last_accessed_at = t;
  if (auto minutes = optional_integer(body, "session_duration_minutes")) {
    session.expires_at = t + std::chrono::minutes(*minutes);
  }
  json factor = {{"type", "otp"}, {"delivery_method", channel}, {"last_authenticated_at", rfc3339(t)}};
  if (method.is_phone) {
    factor["phone_number_factor"] = {{"phone_id", method.id}, {"phone_number", method.value}};
  } else {
    factor["email_factor"] = {{"email_id", method.id}, {"email_address", method.value}};
  }
  session.factors.erase(std::remove_if(session.factors.begin(), session.factors.end(),
                                       [&](const json& f) { return f.at("delivery_method") == channel; }),
                        session.factors.end());
  session.factors.push_back(std::move(factor));
  if (const json* claims = optional_object(body, "session_custom_claims")) {
    for (auto it = claims->begin(); it != claims->end(); ++it) {
      if (!is_reserved_claim(it.key())) session.custom_claims[it.key()] = it.value();
    }
  }
  session.jwt = make_jwt(session);
  jwts_[session.jwt] = JwtEntry{session.token, t + kJwtLifetime};
}

std::string Service::make_jwt(const Session& session) const {
  const auto t = now();
  json claims = session.custom_claims;
  claims["sub"] = session.user_id;
  claims["iss"] = "stytch.com/" + options_.project_id;
  claims["aud"] = json::array({options_.project_id});
  claims["iat"] = unix_seconds(t);
  claims["nbf"] = unix_seconds(t);
  claims["exp"] = unix_seconds(t + kJwtLifetime);
  claims["https://stytch.com/session"] = {{"id", session.id},
                                          {"started_at", rfc3339(session.started_at)},
                                          {"last_accessed_at", rfc3339(session.last_accessed_at)},
                                          {"expires_at", rfc3339(session.expires_at)},
                                          {"attributes", {{"ip_address", ""}, {"user_agent", ""}}},
                                          {"authentication_factors", session.factors},
                                          {"roles", json::array({"stytch_user"})}};
  return signer_.sign(claims);
}

json Service::user_json(const User& user) const {
  json emails = json::array();
  json phones = json::array();
  for (const auto& id : user.method_ids) {
    const Method& m = methods_.at(id);
    if (m.is_phone) {
      phones.push_back({{"phone_id", m.id}, {"phone_number", m.value}, {"verified", m.verified}});
    } else {
      emails.push_back({{"email_id", m.id}, {"email", m.value}, {"verified", m.verified}});
    }
  }
  return json{{"user_id", user.id},
              {"status", user.status},
              {"created_at", rfc3339(user.created_at)},
              {"name", {{"first_name", ""}, {"middle_name", ""}, {"last_name", ""}}},
              {"emails", emails},
              {"phone_numbers", phones},
              {"is_locked", false},
              {"roles", json::array({"stytch_user"})},
              {"trusted_metadata", json::object()},
              {"untrusted_metadata", json::object()},
              {"providers", json::array()},
              {"webauthn_registrations", json::array()},
              {"totps", json::array()},
              {"crypto_wallets", json::array()},
              {"biometric_registrations", json::array()},
              {"password", nullptr}};
}

json Service::session_json(const Session& session) const {
  return json{{"session_id", session.id},
              {"user_id", session.user_id},
              {"started_at", rfc3339(session.started_at)},
              {"last_accessed_at", rfc3339(session.last_accessed_at)},
              {"expires_at", rfc3339(session.expires_at)},
              {"authentication_factors", session.factors},
              {"roles", json::array({"stytch_user"})},
              {"attributes", {{"ip_address", ""}, {"user_agent", ""}}},
              {"custom_claims", session.custom_claims}};
}

std::vector<OutboxMessage> Service::outbox() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return outbox_;
}

}  // namespace stytch::mock
