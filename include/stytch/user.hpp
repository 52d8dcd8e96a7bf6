#ifndef STYTCH_USER_HPP
#define STYTCH_USER_HPP

/// @file user.hpp
/// A Stytch user, as returned by authenticate calls.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace stytch {

struct UserName {
  std::string first_name;
  std::string middle_name;
  std::string last_name;
};

struct UserEmail {
  std::string email_id;
  std::string email;
  bool verified = false;
};

struct UserPhoneNumber {
  std::string phone_id;
  std::string phone_number;
  bool verified = false;
};

/// The main fields of a user. Everything else Stytch returns about the user
/// (other factors, providers ...) is in the response's `raw["user"]`.
struct User {
  std::string user_id;
  /// "active" or "pending".
  std::string status;
  UserName name;
  std::vector<UserEmail> emails;
  std::vector<UserPhoneNumber> phone_numbers;
  /// RFC 3339 timestamp.
  std::string created_at;
  bool is_locked = false;
  std::vector<std::string> roles;
  /// Free-form JSON objects, kept as they came (null when absent).
  nlohmann::json trusted_metadata;
  nlohmann::json untrusted_metadata;
};

}  // namespace stytch

#endif  // STYTCH_USER_HPP
