#ifndef STYTCH_SRC_JSON_FIELD_CHECKS_HPP
#define STYTCH_SRC_JSON_FIELD_CHECKS_HPP

// The checks a standard fixes, made while a request body is written, for
// every product: a required field that is empty, a phone number that is not
// E.164, a string that is certainly not an email address, the "exactly one
// of" rules. The value itself is never put into the message (error text
// gets logged), and personal data and secrets are marked sensitive.

#include "json/json_fields.hpp"

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>

namespace stytch::internal {

/// A required string: refused when empty.
void require_non_empty(BodyWriter& body, const char* name, const std::string& value);
/// A required secret or personal value (code, token, id of a person):
/// refused when empty, and kept out of error text.
void require_sensitive(BodyWriter& body, const char* name, const std::string& value);
/// An optional secret (token, JWT, IST): refused when set but empty, and
/// kept out of error text.
void put_sensitive(BodyWriter& body, const char* name, const std::optional<std::string>& value);

/// A required E.164 phone number.
void require_phone_number(BodyWriter& body, const char* name, const std::string& value);
/// An optional E.164 phone number.
void put_phone_number(BodyWriter& body, const char* name, const std::optional<std::string>& value);
/// A required email address (refused only when it certainly is not one).
void require_email(BodyWriter& body, const char* name, const std::string& value);

/// A BCP 47 tag is never empty; any other string is Stytch's to judge.
void put_locale(BodyWriter& body, const std::optional<std::string>& locale);

/// A session token and/or JWT, sent when set and kept out of error text.
void put_session(BodyWriter& body, const std::optional<std::string>& token, const std::optional<std::string>& jwt);

using OneOf = std::initializer_list<std::pair<const char*, const std::optional<std::string>*>>;
/// Exactly one of `ways` set, and none set but empty; each is sent and kept
/// out of error text. `names` names them together in the refusal.
void put_exactly_one(BodyWriter& body, OneOf ways, const char* names);

}  // namespace stytch::internal

#endif
