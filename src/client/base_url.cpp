#include "client/base_url.hpp"

#include <stytch/error.hpp>

#include <curl/curl.h>

#include <cctype>
#include <memory>

namespace stytch::internal {

namespace {

[[noreturn]] void refuse(const std::string& why) {
  Error e;
  e.kind = ErrorKind::invalid_argument;
  e.error_message = "base_url " + why;
  throw Exception(std::move(e));
}

struct UrlDeleter {
  void operator()(CURLU* u) const noexcept { curl_url_cleanup(u); }
};
struct CurlStringDeleter {
  void operator()(char* s) const noexcept { curl_free(s); }
};
using CurlString = std::unique_ptr<char, CurlStringDeleter>;

CurlString get_part(CURLU* url, CURLUPart part) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, 0) != CURLUE_OK) return CurlString();
  return CurlString(value);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool is_dotted_127(const std::string& host) {
  // Exactly four decimal octets, the first 127.
  int octets = 0;
  std::size_t i = 0;
  while (i <= host.size()) {
    std::size_t start = i;
    int value = 0;
    while (i < host.size() && std::isdigit(static_cast<unsigned char>(host[i]))) {
      value = value * 10 + (host[i] - '0');
      if (value > 255 || i - start >= 3) return false;
      ++i;
    }
    if (i == start) return false;
    if (octets == 0 && value != 127) return false;
    ++octets;
    if (i == host.size()) break;
    if (host[i] != '.') return false;
    ++i;
  }
  return octets == 4;
}

}  // namespace

bool is_loopback_host(const std::string& host) {
  const std::string h = lower(host);
  return h == "localhost" || h == "[::1]" || h == "::1" || is_dotted_127(h);
}

BaseUrl resolve_base_url(const std::string& project_id, const std::string& base_url) {
  if (base_url.empty()) {
    const bool live = project_id.rfind("project-live-", 0) == 0;
    return BaseUrl{live ? kLiveBaseUrl : kTestBaseUrl, false};
  }

  std::unique_ptr<CURLU, UrlDeleter> url(curl_url());
  if (!url) refuse("could not be parsed (out of memory)");
  if (curl_url_set(url.get(), CURLUPART_URL, base_url.c_str(), 0) != CURLUE_OK) {
    refuse("is not a valid absolute URL");
  }
  const CurlString scheme = get_part(url.get(), CURLUPART_SCHEME);
  const CurlString host = get_part(url.get(), CURLUPART_HOST);
  if (!scheme || !host) refuse("must name a scheme and a host");
  if (get_part(url.get(), CURLUPART_USER) || get_part(url.get(), CURLUPART_PASSWORD)) {
    refuse("must not carry credentials; use project_id and secret");
  }
  if (get_part(url.get(), CURLUPART_QUERY) || get_part(url.get(), CURLUPART_FRAGMENT)) {
    refuse("must not have a query or a fragment");
  }

  const std::string scheme_name = lower(scheme.get());
  bool plain_http = false;
  if (scheme_name == "http") {
    if (!is_loopback_host(host.get())) {
      refuse("must use https; plain http is allowed only to a loopback host (127.0.0.0/8, ::1, localhost)");
    }
    plain_http = true;
  } else if (scheme_name != "https") {
    refuse("must use https");
  }

  const CurlString normalized = get_part(url.get(), CURLUPART_URL);
  if (!normalized) refuse("could not be normalized");
  std::string result = normalized.get();
  if (result.back() != '/') result += '/';
  return BaseUrl{std::move(result), plain_http};
}

}  // namespace stytch::internal
