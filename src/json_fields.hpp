#ifndef STYTCH_SRC_JSON_FIELDS_HPP
#define STYTCH_SRC_JSON_FIELDS_HPP

// Writing request bodies and reading responses field by field, so that an
// unset optional is left out of a body and a response of the wrong shape is
// reported with the name of the field at fault.

#include <stytch/attributes.hpp>
#include <stytch/error.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <stdexcept>
#include <string>

namespace stytch::internal {

/// Builds a JSON request body. Strings must be valid UTF-8: the first field
/// that is not makes the body unusable and is named by error().
class BodyWriter {
 public:
  void put(const char* name, const std::string& value);
  void put(const char* name, const std::optional<std::string>& value);
  void put(const char* name, const std::optional<int>& value);
  void put(const char* name, const std::optional<bool>& value);
  void put(const char* name, const std::optional<Attributes>& value);

  /// The invalid_argument Error for the first bad field, if any.
  const std::optional<Error>& error() const noexcept { return error_; }

  /// The body; only meaningful when error() is empty.
  std::string dump() const { return body_.dump(); }
  const nlohmann::json& json() const noexcept { return body_; }

 private:
  bool check_utf8(const std::string& path, const std::string& value);

  nlohmann::json body_ = nlohmann::json::object();
  std::optional<Error> error_;
};

/// Thrown by the readers below when a response field has the wrong type or a
/// required one is missing; turned into a decode Error by the caller.
class FieldError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Reads a field that must be present with the type of `out`.
void read_required(const nlohmann::json& object, const char* name, std::string& out);
/// Reads a field that may be missing or null; leaves `out` untouched then.
void read_optional(const nlohmann::json& object, const char* name, std::string& out);
void read_optional(const nlohmann::json& object, const char* name, int& out);

}  // namespace stytch::internal

#endif
