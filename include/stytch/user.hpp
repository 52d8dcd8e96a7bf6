#ifndef STYTCH_USER_HPP
#define STYTCH_USER_HPP

/// @file stytch/user.hpp
/// A Stytch user, as returned by authenticate calls.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace stytch {

/// A user's name; each part is empty when not set.
struct UserName {
  std::string first_name;   ///< First name.
  std::string middle_name;  ///< Middle name.
  std::string last_name;    ///< Last name.
};

/// An email address of a user.
struct UserEmail {
  std::string email_id;   ///< The address's id, a method_id for OTP calls.
  std::string email;      ///< The address.
  bool verified = false;  ///< Whether the user has proved they own it.
};

/// A phone number of a user.
struct UserPhoneNumber {
  std::string phone_id;      ///< The number's id, a method_id for OTP calls.
  std::string phone_number;  ///< The number, in E.164.
  bool verified = false;     ///< Whether the user has proved they own it.
};

/// The main fields of a user. Everything else Stytch returns about the user
/// (other factors, providers ...) is in the response's `raw["user"]`.
struct User {
  std::string user_id;                         ///< The user's id.
  std::string status;                          ///< "active" or "pending".
  UserName name;                               ///< The user's name.
  std::vector<UserEmail> emails;               ///< Email addresses.
  std::vector<UserPhoneNumber> phone_numbers;  ///< Phone numbers.
  std::string created_at;                      ///< When the user was created (RFC 3339).
  bool is_locked = false;                      ///< Whether the user is locked out.
  std::vector<std::string> roles;              ///< The user's roles.
  nlohmann::json trusted_metadata;             ///< Free-form JSON set by the backend, as it came (null when absent).
  nlohmann::json untrusted_metadata;           ///< Free-form JSON the user may edit, as it came (null when absent).
};

}  // namespace stytch

#endif  // STYTCH_USER_HPP
