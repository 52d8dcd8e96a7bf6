#ifndef STYTCH_SRC_VALIDATION_HPP
#define STYTCH_SRC_VALIDATION_HPP

#include <string_view>

namespace stytch::internal {

/// E.164 as Stytch reads it: '+', then 2 to 15 digits, the first not 0.
bool is_e164(std::string_view phone_number) noexcept;

/// False only for what is certainly not an email address: no '@' with text on
/// both sides, whitespace or control characters. Stytch judges the rest.
bool could_be_email(std::string_view email) noexcept;

/// Whether the bytes are well-formed UTF-8 (no overlongs, no surrogates).
bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace stytch::internal

#endif
