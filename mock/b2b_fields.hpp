#ifndef STYTCH_MOCK_B2B_FIELDS_HPP
#define STYTCH_MOCK_B2B_FIELDS_HPP

// Reading and checking the fields of B2B request bodies (b2b*.cpp only).

#include "service.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

namespace stytch::mock::b2b_fields {

using nlohmann::json;

inline ApiFailure invalid(const std::string& name, const std::string& message) {
  return ApiFailure{400, "invalid_" + name, message};
}

inline std::optional<std::string> opt_string(const json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw invalid(name, std::string(name) + " must be a string.");
  return it->get<std::string>();
}

/// A required string: absent or empty is a 400.
inline std::string req_string(const json& body, const char* name) {
  auto value = opt_string(body, name);
  if (!value || value->empty()) throw invalid(name, std::string(name) + " is required.");
  return *value;
}

inline std::optional<long long> opt_integer(const json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer()) throw invalid(name, std::string(name) + " must be an integer.");
  return it->get<long long>();
}

inline std::optional<bool> opt_bool(const json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) throw invalid(name, std::string(name) + " must be a boolean.");
  return it->get<bool>();
}

inline const json* opt_object(const json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return nullptr;
  if (!it->is_object()) throw invalid(name, std::string(name) + " must be an object.");
  return &*it;
}

inline std::optional<std::vector<std::string>> opt_strings(const json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_array()) throw invalid(name, std::string(name) + " must be an array of strings.");
  std::vector<std::string> out;
  for (const json& item : *it) {
    if (!item.is_string()) throw invalid(name, std::string(name) + " must be an array of strings.");
    out.push_back(item.get<std::string>());
  }
  return out;
}

inline std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

inline bool is_e164(const std::string& s) {
  if (s.size() < 3 || s.size() > 16 || s[0] != '+' || s[1] == '0') return false;
  return std::all_of(s.begin() + 1, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

inline bool is_email(const std::string& s) {
  const auto at = s.rfind('@');
  if (at == std::string::npos || at == 0 || at + 1 == s.size()) return false;
  if (s.find('.', at) == std::string::npos) return false;
  return std::none_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20; });
}

/// The email address of a body, lower-cased; 400 invalid_email when absent
/// or not an address.
inline std::string email_address(const json& body) {
  auto value = opt_string(body, "email_address");
  if (!value || !is_email(*value)) throw ApiFailure{400, "invalid_email", "email_address format is invalid."};
  return lower(*value);
}

inline std::string domain_of(const std::string& email) {
  const auto at = email.rfind('@');
  return at == std::string::npos ? std::string() : lower(email.substr(at + 1));
}

inline bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

inline void check_locale(const json& body, bool email) {
  static constexpr std::array<const char*, 16> kSms = {"en", "es", "pt-br", "fr", "it", "de-DE", "zh-Hans", "ca-ES",
                                                       "ja", "ru", "nl",    "pl", "tr", "fa",    "vi",      "cs"};
  auto locale = opt_string(body, "locale");
  if (!locale) return;
  const auto* end = email ? kSms.begin() + 4 : kSms.end();  // email takes the first four
  if (std::none_of(kSms.begin(), end, [&](const char* known) { return *locale == known; })) {
    throw ApiFailure{400, "invalid_locale", "The locale is not supported."};
  }
}

/// Minutes in [2, 15], default 10: the lifetime of an email code.
inline long email_code_minutes(const json& body, const char* name) {
  const auto minutes = opt_integer(body, name);
  if (minutes && (*minutes < 2 || *minutes > 15)) {
    throw ApiFailure{400, "invalid_expiration_minutes", std::string(name) + " must be between 2 and 15."};
  }
  return static_cast<long>(minutes.value_or(10));
}

inline std::optional<long long> session_minutes(const json& body) {
  const auto minutes = opt_integer(body, "session_duration_minutes");
  if (minutes && (*minutes < 5 || *minutes > 527040)) {
    throw ApiFailure{400, "invalid_session_duration", "session_duration_minutes must be between 5 and 527040."};
  }
  return minutes;
}

inline const json* custom_claims(const json& body) {
  const json* claims = opt_object(body, "session_custom_claims");
  if (claims != nullptr && claims->dump().size() > 4096) {
    throw ApiFailure{400, "custom_claims_too_large", "session_custom_claims must be at most 4 KB."};
  }
  return claims;
}

inline bool is_registered_claim(const std::string& name) {
  static constexpr std::array<const char*, 7> kRegistered = {"iss", "sub", "aud", "exp", "nbf", "iat", "jti"};
  return std::any_of(kRegistered.begin(), kRegistered.end(), [&](const char* r) { return name == r; }) ||
         name.rfind("https://stytch.com/", 0) == 0;
}

/// How many of these string fields the body has.
inline int count_present(const json& body, std::initializer_list<const char*> names) {
  int n = 0;
  for (const char* name : names) n += opt_string(body, name).has_value() ? 1 : 0;
  return n;
}

}  // namespace stytch::mock::b2b_fields

#endif
