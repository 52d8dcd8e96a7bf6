#ifndef STYTCH_SRC_TEXT_HPP
#define STYTCH_SRC_TEXT_HPP

// Small text helpers shared by the transport and the call path.

#include <stytch/error.hpp>

#include <string>
#include <string_view>

namespace stytch::internal {

/// Standard base64 of the bytes, as HTTP Basic auth wants it.
std::string base64_encode(const std::string& bytes);

/// Whether a header name is Retry-After, in any letter case.
bool is_retry_after(std::string_view name) noexcept;

/// Whether a header name is Cache-Control, in any letter case (kept for the
/// JWKS cache lifetime).
bool is_cache_control(std::string_view name) noexcept;

/// Replaces every occurrence of `needle` in `text` with "[REDACTED]".
void redact_all(std::string& text, const std::string& needle);

/// Overwrites a string's bytes before it is released.
void wipe(std::string& s) noexcept;

/// The first bytes of a body, made printable, for error text.
std::string body_excerpt(std::string_view body);

/// A decode Error for an answer whose body could not be read as expected.
Error decode_error(int http_status, std::string_view body, std::string what);

}  // namespace stytch::internal

#endif
