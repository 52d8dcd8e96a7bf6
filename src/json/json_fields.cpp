#include "json/json_fields.hpp"

#include "base/validation.hpp"

#include <cstdint>

namespace stytch::internal {

void BodyWriter::refuse(const char* name, const std::string& why) {
  if (error_) return;
  Error e;
  e.kind = ErrorKind::invalid_argument;
  e.error_message = path_ + name + " " + why;
  error_ = std::move(e);
}

bool BodyWriter::check_utf8(const char* name, const std::string& value) {
  if (is_valid_utf8(value)) return true;
  refuse(name, "is not valid UTF-8");
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

void BodyWriter::put(const char* name, const std::optional<std::vector<std::string>>& value) {
  if (!value) return;
  for (const std::string& element : *value) {
    if (!check_utf8(name, element)) return;
  }
  body_[name] = *value;
}

void BodyWriter::put(const char* name, const std::optional<nlohmann::json>& value) {
  if (!value) return;
  if (!value->is_object()) {
    refuse(name, "must be a JSON object");
  } else if (!json_strings_are_utf8(*value)) {
    refuse(name, "holds a string that is not valid UTF-8");
  } else {
    body_[name] = *value;
  }
}

void write_fields(BodyWriter& out, const Attributes& attributes) {
  out.put("ip_address", attributes.ip_address);
  out.put("user_agent", attributes.user_agent);
}

bool json_strings_are_utf8(const nlohmann::json& value) {
  if (value.is_string()) return is_valid_utf8(value.get_ref<const std::string&>());
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (!is_valid_utf8(it.key()) || !json_strings_are_utf8(it.value())) return false;
    }
  } else if (value.is_array()) {
    for (const auto& element : value) {
      if (!json_strings_are_utf8(element)) return false;
    }
  }
  return true;
}

namespace {

const nlohmann::json* find_present(const nlohmann::json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

[[noreturn]] void wrong_type(const char* name, const char* expected) {
  throw FieldError(std::string(name) + ": not " + expected);
}

}  // namespace

void read_required(const nlohmann::json& object, const char* name, std::string& out) {
  const nlohmann::json* value = find_present(object, name);
  if (value == nullptr) throw FieldError(std::string(name) + ": required field is missing");
  if (!value->is_string()) wrong_type(name, "a string");
  out = value->get_ref<const std::string&>();
}

void read_optional(const nlohmann::json& object, const char* name, std::string& out) {
  const nlohmann::json* value = find_present(object, name);
  if (value == nullptr) return;
  if (!value->is_string()) wrong_type(name, "a string");
  out = value->get_ref<const std::string&>();
}

void read_optional(const nlohmann::json& object, const char* name, std::optional<std::string>& out) {
  const nlohmann::json* value = find_present(object, name);
  if (value == nullptr) return;
  if (!value->is_string()) wrong_type(name, "a string");
  out = value->get_ref<const std::string&>();
}

void read_optional(const nlohmann::json& object, const char* name, int& out) {
  const nlohmann::json* value = find_present(object, name);
  if (value == nullptr) return;
  if (!value->is_number_integer()) wrong_type(name, "an integer");
  if (value->is_number_unsigned()
          ? value->get<std::uint64_t>() > INT32_MAX
          : (value->get<std::int64_t>() < INT32_MIN || value->get<std::int64_t>() > INT32_MAX)) {
    wrong_type(name, "an integer in range");
  }
  out = value->get<int>();
}

void read_optional(const nlohmann::json& object, const char* name, bool& out) {
  const nlohmann::json* value = find_present(object, name);
  if (value == nullptr) return;
  if (!value->is_boolean()) wrong_type(name, "a boolean");
  out = value->get<bool>();
}

void read_optional(const nlohmann::json& object, const char* name, std::vector<std::string>& out) {
  const nlohmann::json* value = find_present(object, name);
  if (value == nullptr) return;
  if (!value->is_array()) wrong_type(name, "an array of strings");
  std::vector<std::string> strings;
  strings.reserve(value->size());
  for (const auto& element : *value) {
    if (!element.is_string()) wrong_type(name, "an array of strings");
    strings.push_back(element.get<std::string>());
  }
  out = std::move(strings);
}

void read_optional(const nlohmann::json& object, const char* name, nlohmann::json& out) {
  auto it = object.find(name);
  if (it != object.end()) out = *it;
}

const nlohmann::json* find_object(const nlohmann::json& object, const char* name) {
  const nlohmann::json* value = find_present(object, name);
  if (value != nullptr && !value->is_object()) wrong_type(name, "an object");
  return value;
}

}  // namespace stytch::internal
