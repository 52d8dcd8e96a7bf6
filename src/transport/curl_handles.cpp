#include "transport/curl_handles.hpp"

#include "base/text.hpp"

#include <stytch/error.hpp>

#include <filesystem>
#include <fstream>
#include <string_view>
#include <system_error>

namespace stytch::internal {

namespace {

std::once_flag g_curl_init;

// Idle handles kept beyond this are cleaned up.
constexpr std::size_t kMaxIdleHandles = 64;

// Whether libcurl's default CA directory holds at least as many certificates,
// hashed for OpenSSL's lookup (c_rehash, update-ca-certificates: "5ad8a5d6.0"),
// as its default bundle file. (Debian: /etc/ssl/certs and its
// ca-certificates.crt, 144 and 144 here.) A directory that merely exists (an
// image that copied only the bundle into it) does not count: without the
// bundle, nothing would verify. Looked at once; libcurl's defaults are
// fixed at its build.
bool ca_directory_covers_bundle(CURL* handle) {
#if LIBCURL_VERSION_NUM >= 0x075400
  static const bool covers = [handle] {
    char* directory = nullptr;
    char* bundle = nullptr;
    if (curl_easy_getinfo(handle, CURLINFO_CAPATH, &directory) != CURLE_OK || directory == nullptr) return false;
    if (curl_easy_getinfo(handle, CURLINFO_CAINFO, &bundle) != CURLE_OK) return false;
    std::error_code error;
    std::size_t hashed = 0;
    for (std::filesystem::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
      const std::string name = it->path().filename().string();
      const auto dot = name.find('.');
      const bool hash = dot == 8 && name.find_first_not_of("0123456789abcdef") == 8 && dot + 1 < name.size() &&
                        name.find_first_not_of("0123456789", dot + 1) == std::string::npos;
      if (hash) ++hashed;
    }
    if (error || hashed == 0) return false;
    if (bundle == nullptr) return true;  // no bundle: the directory is all libcurl would use
    std::ifstream in(bundle);
    if (!in) return true;
    std::size_t certificates = 0;
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("-----BEGIN CERTIFICATE-----", 0) == 0) ++certificates;
    }
    return hashed >= certificates;
  }();
  return covers;
#else
  (void)handle;
  return false;
#endif
}

}  // namespace

const LibcurlFacts& libcurl_facts() {
  static const LibcurlFacts facts = [] {
    std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    LibcurlFacts f;
    const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
    if (info == nullptr) return f;
    f.version_num = info->version_num;
    f.version = info->version != nullptr ? info->version : "";
    f.http2 = (info->features & CURL_VERSION_HTTP2) != 0;
    const std::string_view tls = info->ssl_version != nullptr ? info->ssl_version : "";
    // "OpenSSL/3.0.15"; a libcurl with several TLS backends lists the one in
    // use first, others in parentheses.
    f.openssl = tls.rfind("OpenSSL/", 0) == 0;
    f.http2_refusals_exact = f.http2 && f.openssl && f.version_num >= kHttp2ExactSince;
    return f;
  }();
  return facts;
}

void CurlHandles::HeaderListDeleter::operator()(curl_slist* list) const noexcept {
  for (curl_slist* item = list; item != nullptr; item = item->next) {
    volatile char* p = item->data;
    while (*p != '\0') *p++ = '\0';
  }
  curl_slist_free_all(list);
}

CurlHandles::CurlHandles(const TransportConfig& config, SocketWatch& sockets) : config_(config), sockets_(sockets) {
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

  // The credentials are kept only to redact them from anything a server
  // sends back, and in the Authorization header; all are wiped at the end.
  // Buffers are sized up front so no copy is left behind by a reallocation.
  std::string credentials;
  credentials.reserve(config_.project_id.size() + 1 + config_.secret.size());
  credentials.append(config_.project_id).append(":").append(config_.secret.reveal());
  basic_credentials_ = base64_encode(credentials);
  wipe(credentials);
  static constexpr const char kPrefix[] = "Authorization: Basic ";
  std::string authorization;
  authorization.reserve(sizeof kPrefix + basic_credentials_.size());
  authorization.append(kPrefix).append(basic_credentials_);
  append_header("Content-Type: application/json");
  append_header("Accept: application/json");
  append_header("Expect:");  // no 100-continue round trip
  curl_slist* next = curl_slist_append(headers_.get(), authorization.c_str());
  wipe(authorization);
  if (next == nullptr) setup_failure("out of memory");

  share_.reset(curl_share_init());
  CURLSH* share = share_.get();
  if (share == nullptr) setup_failure("curl_share_init failed");
  curl_share_setopt(share, CURLSHOPT_LOCKFUNC, &CurlHandles::lock);
  curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, &CurlHandles::unlock);
  curl_share_setopt(share, CURLSHOPT_USERDATA, this);
  // A new connection resumes an earlier TLS session rather than performing
  // a full handshake.
  curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);

  // One handle now, so that settings libcurl refuses are reported at
  // construction rather than on the first call.
  std::string why;
  CURL* first = make_handle(why);
  if (first == nullptr) setup_failure(why);
  release(first);
}

CurlHandles::~CurlHandles() {
  for (CURL* handle : idle_) curl_easy_cleanup(handle);
  wipe(basic_credentials_);
}

void CurlHandles::append_header(const char* header) {
  curl_slist* next = curl_slist_append(headers_.get(), header);
  if (next == nullptr) setup_failure("out of memory");
  if (!headers_) headers_.reset(next);  // later appends return the same head
}

void CurlHandles::redact(std::string& text) const {
  redact_all(text, config_.secret.reveal());
  redact_all(text, basic_credentials_);
}

void CurlHandles::lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
  static_cast<CurlHandles*>(user)->share_locks_[static_cast<std::size_t>(data) % kLockSlots].lock();
}

void CurlHandles::unlock(CURL*, curl_lock_data data, void* user) {
  static_cast<CurlHandles*>(user)->share_locks_[static_cast<std::size_t>(data) % kLockSlots].unlock();
}

CURL* CurlHandles::acquire(std::string& why) {
  {
    std::lock_guard<std::mutex> guard(pool_mutex_);
    if (!idle_.empty()) {
      CURL* handle = idle_.back();
      idle_.pop_back();
      return handle;
    }
  }
  return make_handle(why);
}

void CurlHandles::release(CURL* handle) {
  {
    std::lock_guard<std::mutex> guard(pool_mutex_);
    if (idle_.size() < kMaxIdleHandles) {
      idle_.push_back(handle);
      return;
    }
  }
  curl_easy_cleanup(handle);
}

CURL* CurlHandles::make_handle(std::string& why) {
  CURL* handle = curl_easy_init();
  if (handle == nullptr) {
    why = "curl_easy_init failed";
    return nullptr;
  }
  const char* failed = nullptr;
  CURLcode code = CURLE_OK;
  auto set = [&](const char* name, CURLcode result) {
    if (failed == nullptr && result != CURLE_OK) {
      failed = name;
      code = result;
    }
  };
  set("NOSIGNAL", curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L));
  set("HTTPHEADER", curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers_.get()));
  set("USERAGENT", curl_easy_setopt(handle, CURLOPT_USERAGENT, config_.user_agent.c_str()));
  set("CONNECTTIMEOUT_MS",
      curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config_.connect_timeout.count())));
  set("FOLLOWLOCATION", curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L));
  set("SSL_VERIFYPEER", curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L));
  set("SSL_VERIFYHOST", curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L));
  set("SSLVERSION", curl_easy_setopt(handle, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2)));
#if LIBCURL_VERSION_NUM >= 0x075500
  set("PROTOCOLS_STR",
      curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, config_.allow_plain_http ? "http,https" : "https"));
#else
  set("PROTOCOLS", curl_easy_setopt(handle, CURLOPT_PROTOCOLS,
                                    config_.allow_plain_http ? (CURLPROTO_HTTP | CURLPROTO_HTTPS) : CURLPROTO_HTTPS));
#endif
  if (!config_.ca_file.empty()) {
    // Replaces libcurl's CA bundle file; its CA directory (/etc/ssl/certs
    // on Debian), when it was built with one, stays trusted too.
    set("CAINFO", curl_easy_setopt(handle, CURLOPT_CAINFO, config_.ca_file.c_str()));
  } else if (ca_directory_covers_bundle(handle)) {
    // The system's CAs are in libcurl's CA directory too: OpenSSL reads
    // from there only the certificate a handshake needs, where the bundle
    // file is parsed whole (about 140 certificates, some 40 ms of CPU) for
    // every new connection, on the thread that runs every call.
    set("CAINFO", curl_easy_setopt(handle, CURLOPT_CAINFO, nullptr));
  }
  if (!config_.proxy.empty()) set("PROXY", curl_easy_setopt(handle, CURLOPT_PROXY, config_.proxy.c_str()));
  if (config_.allow_plain_http) {
    // Plain http goes to loopback only: never through a proxy, where the
    // credentials would cross a network in clear text.
    set("NOPROXY", curl_easy_setopt(handle, CURLOPT_NOPROXY, "*"));
  }
  set("MAXFILESIZE_LARGE",
      curl_easy_setopt(handle, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(config_.max_response_bytes)));
  set("TCP_KEEPALIVE", curl_easy_setopt(handle, CURLOPT_TCP_KEEPALIVE, 1L));
  set("HTTP_VERSION",
      curl_easy_setopt(handle, CURLOPT_HTTP_VERSION,
                       static_cast<long>(config_.force_http1 ? CURL_HTTP_VERSION_1_1 : CURL_HTTP_VERSION_2TLS)));
  // Over https, wait for a connection that may multiplex (HTTP/2) rather
  // than opening another. Not over plain http or with HTTP/1.1 only: there
  // it would only queue calls behind a slow one.
  if (!config_.allow_plain_http && !config_.force_http1) {
    set("PIPEWAIT", curl_easy_setopt(handle, CURLOPT_PIPEWAIT, 1L));
  }
  set("SHARE", curl_easy_setopt(handle, CURLOPT_SHARE, share_.get()));
  if (failed != nullptr) {
    curl_easy_cleanup(handle);
    why = std::string(failed) + ": " + curl_easy_strerror(code);
    return nullptr;
  }
  sockets_.attach(handle);
  return handle;
}

void setup_failure(const std::string& what) {
  Error e;
  e.kind = ErrorKind::invalid_argument;
  e.error_message = "could not set up the HTTP transport: " + what;
  throw Exception(std::move(e));
}

}  // namespace stytch::internal
