#include "base/text.hpp"

#include <utility>

#include <cctype>
#include <cstring>

namespace stytch::internal {

namespace {
constexpr std::size_t kExcerptBytes = 200;
}  // namespace

namespace {

constexpr const char* kRedacted = "[REDACTED]";

bool header_is(std::string_view name, std::string_view lower_name) noexcept {
  if (name.size() != lower_name.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(name[i])) != lower_name[i]) return false;
  }
  return true;
}

}  // namespace

bool is_retry_after(std::string_view name) noexcept { return header_is(name, "retry-after"); }

bool is_cache_control(std::string_view name) noexcept { return header_is(name, "cache-control"); }

void redact_all(std::string& text, const std::string& needle) {
  if (needle.empty()) return;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at)) {
    text.replace(at, needle.size(), kRedacted);
    at += std::strlen(kRedacted);
  }
}

void wipe(std::string& s) noexcept {
  volatile char* p = s.data();
  for (std::size_t i = 0; i < s.size(); ++i) p[i] = '\0';
  s.clear();
}

std::string base64_encode(const std::string& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const auto n = (static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16U) |
                   (static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8U) |
                   static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 2]));
    out += kAlphabet[(n >> 18U) & 63U];
    out += kAlphabet[(n >> 12U) & 63U];
    out += kAlphabet[(n >> 6U) & 63U];
    out += kAlphabet[n & 63U];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned n = static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16U;
    if (rest == 2) n |= static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8U;
    out += kAlphabet[(n >> 18U) & 63U];
    out += kAlphabet[(n >> 12U) & 63U];
    out += rest == 2 ? kAlphabet[(n >> 6U) & 63U] : '=';
    out += '=';
  }
  return out;
}

std::string body_excerpt(std::string_view body) {
  std::string out;
  const std::size_t n = body.size() < kExcerptBytes ? body.size() : kExcerptBytes;
  out.reserve(n + 3);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(body[i]);
    out += (c >= 0x20 && c < 0x7F) ? static_cast<char>(c) : (c == '\n' || c == '\r' || c == '\t') ? ' ' : '?';
  }
  if (body.size() > n) out += "...";
  return out;
}

Error decode_error(int http_status, std::string_view body, std::string what) {
  Error e;
  e.kind = ErrorKind::decode;
  e.http_status = http_status;
  e.error_message = std::move(what);
  e.body_excerpt = body_excerpt(body);
  return e;
}

}  // namespace stytch::internal
