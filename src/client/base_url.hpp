#ifndef STYTCH_SRC_CLIENT_BASE_URL_HPP
#define STYTCH_SRC_CLIENT_BASE_URL_HPP

#include <string>

namespace stytch::internal {

inline constexpr const char* kTestBaseUrl = "https://test.stytch.com/";
inline constexpr const char* kLiveBaseUrl = "https://api.stytch.com/";

struct BaseUrl {
  /// Normalized, always ending in '/'.
  std::string url;
  /// True when the URL is plain http (allowed only to a loopback host).
  bool plain_http = false;
};

/// The base URL for these options: the given one after checking it, or the
/// test or live host picked from the project id. Throws stytch::Exception
/// (invalid_argument) for a URL that is not https, or http to a non-loopback
/// host, or that carries credentials, a query or a fragment.
BaseUrl resolve_base_url(const std::string& project_id, const std::string& base_url);

/// Whether a host (as written in a URL) is loopback: localhost,
/// 127.0.0.0/8 in dotted-quad form, or ::1.
bool is_loopback_host(const std::string& host);

}  // namespace stytch::internal

#endif
