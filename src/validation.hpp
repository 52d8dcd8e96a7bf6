#ifndef STYTCH_SRC_VALIDATION_HPP
#define STYTCH_SRC_VALIDATION_HPP

#include <string_view>

namespace stytch::internal {

/// E.164 as Stytch reads it: '+', then 2 to 15 digits, the first not 0.
bool is_e164(std::string_view phone_number) noexcept;

/// Whether the bytes are well-formed UTF-8 (no overlongs, no surrogates).
bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace stytch::internal

#endif
