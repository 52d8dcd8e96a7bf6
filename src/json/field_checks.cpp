#include "json/field_checks.hpp"

#include "base/validation.hpp"

namespace stytch::internal {

void require_non_empty(BodyWriter& body, const char* name, const std::string& value) {
  if (value.empty()) body.refuse(name, "is required");
  body.put(name, value);
}

void require_sensitive(BodyWriter& body, const char* name, const std::string& value) {
  require_non_empty(body, name, value);
  body.mark_sensitive(value);
}

void put_sensitive(BodyWriter& body, const char* name, const std::optional<std::string>& value) {
  if (value && value->empty()) body.refuse(name, "must not be empty when given");
  body.put(name, value);
  body.mark_sensitive(value);
}

namespace {

void check_phone_number(BodyWriter& body, const char* name, const std::string& value) {
  if (value.empty()) {
    body.refuse(name, "is required");
  } else if (!is_e164(value)) {
    body.refuse(name, "must be E.164: '+', then 2 to 15 digits, the first not 0");
  }
}

}  // namespace

void require_phone_number(BodyWriter& body, const char* name, const std::string& value) {
  check_phone_number(body, name, value);
  body.put(name, value);
  body.mark_sensitive(value);
}

void put_phone_number(BodyWriter& body, const char* name, const std::optional<std::string>& value) {
  if (value) require_phone_number(body, name, *value);
}

void require_email(BodyWriter& body, const char* name, const std::string& value) {
  if (value.empty()) {
    body.refuse(name, "is required");
  } else if (!could_be_email(value)) {
    body.refuse(name, "is not an email address");
  }
  body.put(name, value);
  body.mark_sensitive(value);
}

void put_locale(BodyWriter& body, const std::optional<std::string>& locale) {
  if (locale && locale->empty()) body.refuse("locale", "must not be empty (a BCP 47 tag such as \"es\")");
  body.put("locale", locale);
}

void put_session(BodyWriter& body, const std::optional<std::string>& token, const std::optional<std::string>& jwt) {
  body.put("session_token", token);
  body.put("session_jwt", jwt);
  body.mark_sensitive(token);
  body.mark_sensitive(jwt);
}

void put_exactly_one(BodyWriter& body, OneOf ways, const char* names) {
  int given = 0;
  for (const auto& [name, value] : ways) {
    if (!value->has_value()) continue;
    ++given;
    if ((*value)->empty()) body.refuse(name, "must not be empty");
    body.put(name, **value);
    body.mark_sensitive(*value);
  }
  if (given != 1) body.refuse(names, "exactly one must be given");
}

}  // namespace stytch::internal
