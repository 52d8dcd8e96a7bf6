#include "json_fields.hpp"

#include "validation.hpp"

namespace stytch::internal {

bool BodyWriter::check_utf8(const std::string& path, const std::string& value) {
  if (is_valid_utf8(value)) return true;
  if (!error_) {
    Error e;
    e.kind = ErrorKind::invalid_argument;
    e.error_message = path + " is not valid UTF-8";
    error_ = std::move(e);
  }
  return false;
}

void BodyWriter::put(const char* name, const std::string& value) {
  if (check_utf8(name, value)) body_[name] = value;
}

void BodyWriter::put(const char* name, const std::optional<std::string>& value) {
  if (value) put(name, *value);
}

void BodyWriter::put(const char* name, const std::optional<int>& value) {
  if (value) body_[name] = *value;
}

void BodyWriter::put(const char* name, const std::optional<bool>& value) {
  if (value) body_[name] = *value;
}

void BodyWriter::put(const char* name, const std::optional<Attributes>& value) {
  if (!value) return;
  nlohmann::json attributes = nlohmann::json::object();
  const std::string prefix = std::string(name) + ".";
  auto put_string = [&](const char* field, const std::optional<std::string>& v) {
    if (v && check_utf8(prefix + field, *v)) attributes[field] = *v;
  };
  put_string("ip_address", value->ip_address);
  put_string("user_agent", value->user_agent);
  body_[name] = std::move(attributes);
}

namespace {

const nlohmann::json* find_present(const nlohmann::json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

[[noreturn]] void wrong_type(const char* name, const char* expected) {
  throw FieldError(std::string("field '") + name + "' is not " + expected);
}

}  // namespace

void read_required(const nlohmann::json& object, const char* name, std::string& out) {
  const nlohmann::json* value = find_present(object, name);
  if (value == nullptr) throw FieldError(std::string("required field '") + name + "' is missing");
  if (!value->is_string()) wrong_type(name, "a string");
  out = value->get_ref<const std::string&>();
}

void read_optional(const nlohmann::json& object, const char* name, std::string& out) {
  const nlohmann::json* value = find_present(object, name);
  if (value == nullptr) return;
  if (!value->is_string()) wrong_type(name, "a string");
  out = value->get_ref<const std::string&>();
}

void read_optional(const nlohmann::json& object, const char* name, int& out) {
  const nlohmann::json* value = find_present(object, name);
  if (value == nullptr) return;
  if (!value->is_number_integer()) wrong_type(name, "an integer");
  const auto v = value->get<std::int64_t>();
  if (v < INT32_MIN || v > INT32_MAX) wrong_type(name, "an integer in range");
  out = static_cast<int>(v);
}

}  // namespace stytch::internal
