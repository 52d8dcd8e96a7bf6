#ifndef STYTCH_SRC_JSON_FIELDS_HPP
#define STYTCH_SRC_JSON_FIELDS_HPP

// Writing request bodies and reading responses field by field, so that an
// unset optional is left out of a body and a response of the wrong shape is
// reported with the path of the field at fault.

#include <stytch/attributes.hpp>
#include <stytch/error.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace stytch::internal {

/// Builds a JSON request body. Strings must be valid UTF-8: the first field
/// that is not makes the body unusable and is named by error().
class BodyWriter {
 public:
  /// `path` names this object in error messages ("attributes." ...).
  explicit BodyWriter(std::string path = "") : path_(std::move(path)) {}

  void put(const char* name, const std::string& value);
  void put(const char* name, const std::optional<std::string>& value);
  void put(const char* name, const std::optional<int>& value);
  void put(const char* name, const std::optional<bool>& value);
  /// An array of strings (domains, role ids ...), each valid UTF-8.
  void put(const char* name, const std::optional<std::vector<std::string>>& value);
  /// A free-form JSON object (custom claims ...): refused unless an object
  /// whose keys and strings are all valid UTF-8.
  void put(const char* name, const std::optional<nlohmann::json>& value);

  /// A nested object, written by `write_fields(BodyWriter&, const T&)`.
  template <typename T>
  void put(const char* name, const std::optional<T>& value) {
    if (!value) return;
    BodyWriter nested(path_ + name + ".");
    write_fields(nested, *value);
    if (nested.error_ && !error_) error_ = std::move(nested.error_);
    body_[name] = std::move(nested.body_);
  }

  /// Records an invalid_argument for this field unless one is already there.
  void refuse(const char* name, const std::string& why);
  /// Records this refusal (made by another writer) unless one is already there.
  void refuse_as(const Error& refusal) {
    if (!error_) error_ = refusal;
  }

  /// Remembers a value that must not come back in error text (a phone
  /// number, an email address, a code, a session token).
  void mark_sensitive(const std::optional<std::string>& value) {
    if (value && !value->empty()) sensitive_.push_back(*value);
  }
  const std::vector<std::string>& sensitive() const noexcept { return sensitive_; }

  /// The invalid_argument Error for the first bad field, if any.
  const std::optional<Error>& error() const noexcept { return error_; }

  /// The body; only meaningful when error() is empty.
  std::string dump() const { return body_.dump(); }
  const nlohmann::json& json() const noexcept { return body_; }

 private:
  bool check_utf8(const char* name, const std::string& value);

  std::string path_;
  nlohmann::json body_ = nlohmann::json::object();
  std::optional<Error> error_;
  std::vector<std::string> sensitive_;
};

void write_fields(BodyWriter& out, const Attributes& attributes);

/// Whether every key and string in the JSON value is valid UTF-8.
bool json_strings_are_utf8(const nlohmann::json& value);

/// Thrown by the readers below when a response field has the wrong type or a
/// required one is missing; turned into a decode Error by the caller.
class FieldError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Reads a field that must be present with the type of `out`.
void read_required(const nlohmann::json& object, const char* name, std::string& out);
/// Read a field that may be missing or null; leave `out` untouched then.
void read_optional(const nlohmann::json& object, const char* name, std::string& out);
void read_optional(const nlohmann::json& object, const char* name, std::optional<std::string>& out);
void read_optional(const nlohmann::json& object, const char* name, int& out);
void read_optional(const nlohmann::json& object, const char* name, bool& out);
void read_optional(const nlohmann::json& object, const char* name, std::vector<std::string>& out);
/// Any JSON value, kept as it is (null when missing).
void read_optional(const nlohmann::json& object, const char* name, nlohmann::json& out);

/// The object field `name`, or null when it is missing or null; FieldError
/// when it is present but not an object.
const nlohmann::json* find_object(const nlohmann::json& object, const char* name);

/// Decodes the array field `name` element by element with
/// `decode(const nlohmann::json& element, T& out)`; missing or null leaves
/// `out` empty. Errors name the element ("emails[2].email ...").
template <typename T, typename Decode>
void read_array(const nlohmann::json& object, const char* name, std::vector<T>& out, Decode decode);

/// Runs `decode`, prefixing any FieldError with `context` ("user" ...).
template <typename Decode>
void in_context(const std::string& context, Decode decode) {
  try {
    decode();
  } catch (const FieldError& e) {
    throw FieldError(context + "." + e.what());
  }
}

template <typename T, typename Decode>
void read_array(const nlohmann::json& object, const char* name, std::vector<T>& out, Decode decode) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return;
  if (!it->is_array()) throw FieldError(std::string(name) + ": not an array");
  out.clear();
  out.reserve(it->size());
  for (std::size_t i = 0; i < it->size(); ++i) {
    const nlohmann::json& element = (*it)[i];
    if (!element.is_object()) throw FieldError(std::string(name) + "[" + std::to_string(i) + "]: not an object");
    T value{};
    in_context(std::string(name) + "[" + std::to_string(i) + "]", [&] { decode(element, value); });
    out.push_back(std::move(value));
  }
}

}  // namespace stytch::internal

#endif
